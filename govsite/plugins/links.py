"""Runs ``checks.links`` on the built output at ``finalized``; broken links fail the build (the
build then keeps the previous output) once the accessibility gate has run as well, so one build
reports both (``govsite.errors.defer_failure``).

Settings: ``GOVSITE_LINKS`` (validated at ``initialized``), ``GOVSITE_CHECK_STATE`` (each page's
scan is cached beside it by content hash), ``GOVSITE_A11Y['ad_domains']`` (the
advertising domains, shared with the accessibility gate), ``GOVSITE_REPORT_DIR`` (where
``links.json``/``links.html`` go), ``GOVSITE_LINKS_KNOWN`` (absolute URLs of the group that this
build knows exist, e.g. the originals of syndicated items; set by ``govsite_syndication``).
"""

from __future__ import annotations

from pathlib import Path

from govsite import stages
from govsite.checks.links import KNOWN_URLS_SETTING, check_links, group_roots_of
from govsite.checks.links_report import LinksBroken, write_reports
from govsite.checks.links_settings import load_link_settings
from govsite.checks.policy import load_policy
from govsite.checks.selection import hash_memo_path
from govsite.errors import defer_failure
from govsite.incremental import linked_identities
from govsite.output_listing import output_listing

STAGE = "links"

SETTINGS_KEY = "GOVSITE_LINKS_SETTINGS"
#: The report, left in the settings for govsite_compliance's report (its "links" family).
RESULT_KEY = "GOVSITE_LINKS_RESULT"
STAGING = ".staging"  # govsite.build's staging folder: <output>/.staging/<domain>.<pid>/


def check_settings(pelican) -> None:
    pelican.settings[SETTINGS_KEY] = load_link_settings(pelican.settings.get("GOVSITE_LINKS"))


def group_output(settings, options) -> Path:
    """The folder holding every site's output: the setting, else the build's (above its staging folder)."""
    if options.group_output:
        return Path(options.group_output)
    output = Path(settings["OUTPUT_PATH"]).resolve()
    return output.parent.parent if output.parent.name == STAGING else output.parent


def scan_cache(settings) -> Path | None:
    """Next to the gate's state (``.cache/checks/<site>.links.pickle`` in builds), when there is one."""
    state = settings.get("GOVSITE_CHECK_STATE")
    return Path(state).with_suffix(".links.pickle") if state else None


def hash_memo(settings) -> Path | None:
    """The page hashes the gate remembers too (``checks.selection.page_hashes``), when there is a state."""
    state = settings.get("GOVSITE_CHECK_STATE")
    return hash_memo_path(state) if state else None


def check_output_links(pelican) -> None:
    settings = pelican.settings
    options = settings[SETTINGS_KEY]
    context = settings["JINJA_GLOBALS"]["govsite"]
    roots = group_roots_of(context.group, group_output(settings, options)) if options.cross_site else {}
    report = check_links(settings["OUTPUT_PATH"], context.site.domain, roots,
                         ad_domains=load_policy(settings.get("GOVSITE_A11Y")).ad_domains,
                         known_urls=settings.get(KNOWN_URLS_SETTING, ()), unverifiable_fails=options.unverifiable_fails,
                         cache_path=scan_cache(settings), hash_memo=hash_memo(settings),
                         linked=linked_identities(settings, settings["OUTPUT_PATH"]), listing=output_listing(settings))
    settings[RESULT_KEY] = report
    if settings.get("GOVSITE_REPORT_DIR"):
        write_reports(report, Path(settings["GOVSITE_REPORT_DIR"]), context.site.name)
    if not report.passed and options.fail:
        defer_failure(settings, LinksBroken(report.summary()))  # raised after the accessibility gate has run too


def register() -> None:
    """Hand the receivers to govsite.stages, which runs them in the platform's order."""
    stages.connect(STAGE, {"initialized": check_settings, "finalized": check_output_links})
