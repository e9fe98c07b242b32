"""Runs ``checks.gate`` on the built output at ``finalized``; raising there fails the build.

Settings: ``GOVSITE_A11Y`` (the policy, validated at ``initialized``), and, set by
``invoke build``: ``GOVSITE_REPORT_DIR`` (this site's report folder) and
``GOVSITE_CHECK_STATE`` (the smart-selection state file).
"""

from __future__ import annotations

from govsite import stages
from govsite.checks.gate import GateFailed, run_gate
from govsite.checks.policy import load_policy
from govsite.errors import defer_failure, raise_deferred
from govsite.incremental import linked_identities
from govsite.output_listing import output_listing

STAGE = "a11y_gate"

POLICY_KEY = "GOVSITE_A11Y_POLICY"
#: The gate's result, left in the settings for the build (which reuses its metadata findings).
RESULT_KEY = "GOVSITE_A11Y_RESULT"


def check_policy(pelican) -> None:
    """Validate the policy once, before anything is built."""
    pelican.settings[POLICY_KEY] = load_policy(pelican.settings.get("GOVSITE_A11Y"), source="pelicanconf.py")


def run_accessibility_gate(pelican) -> None:
    """Check the output; fail the build when the policy is not met (reports are written either way)."""
    settings = pelican.settings
    report_dir = settings.get("GOVSITE_REPORT_DIR") or None
    result = run_gate(settings["OUTPUT_PATH"], settings[POLICY_KEY], report_dir=report_dir,
                      state_path=settings.get("GOVSITE_CHECK_STATE") or None,
                      linked=linked_identities(settings, settings["OUTPUT_PATH"]), listing=output_listing(settings))
    settings[RESULT_KEY] = result
    if not result.passed:
        where = f"\nreport: {report_dir}/index.html" if report_dir else ""
        defer_failure(settings, GateFailed(result.summary() + where))
    raise_deferred(settings)  # this gate's failure and earlier output checks' (links), all at once


def register() -> None:
    """Hand the receivers to govsite.stages, which runs them in the platform's order."""
    stages.connect(STAGE, {"initialized": check_policy, "finalized": run_accessibility_gate})
