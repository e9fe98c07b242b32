"""Both engines against the W3C ACT Rules test cases: how many failed cases each catches, how many
passed and inapplicable cases it wrongly flags, per ACT rule.

The suite lives in ``../shared/conformance/act-rules/`` (see its SOURCE.md), or ``$GOVSITE_ACT_SUITE``. Test cases load
assets from ``/WAI/content-assets/wcag-act-rules/test-assets/``, so they are served from a
temporary root that maps that prefix.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .axe_engine import AxeRun, run_axe_pages
from .html_page import Page
from .policy import load_policy
from .rules import run_rules

#: The W3C ACT Rules test cases: $GOVSITE_ACT_SUITE, else ``shared/conformance/act-rules`` beside the checkout.
SUITE = Path(os.environ.get("GOVSITE_ACT_SUITE")
             or Path(__file__).resolve().parents[3] / "shared" / "conformance" / "act-rules")
PREFIX = Path("WAI") / "content-assets" / "wcag-act-rules"

#: ACT rule -> the static rules that implement it.
STATIC_MAPPING: dict[str, tuple[str, ...]] = {
    "cf77f2": ("bypass-blocks",),
    "ffd0e9": ("empty-heading",),
    "oj04fd": ("focus-outline-removed", "focus-blur"),
    "674b10": ("aria-roles",),
    "6a7281": ("aria-valid-attr-value",),
    "5f99a7": ("aria-valid-attr",),
    "de46e4": ("valid-lang",),
    "97a4e1": ("button-name",),
    "e086e5": ("label",),
    "bf051a": ("html-lang-valid",),
    "2779a5": ("document-title",),
    "59796f": ("input-image-alt",),
    "23a2a8": ("image-alt",),
    "c487ae": ("link-name",),
    "bc659a": ("meta-refresh",),
    "b4f0c3": ("meta-viewport",),
    "b5c3f8": ("html-has-lang",),
    "cae760": ("frame-title",),
}


@dataclass(kw_only=True)
class CaseCounts:
    """Failed cases caught, passed and inapplicable cases flagged, out of how many of each."""

    failed_total: int = 0
    failed_caught: int = 0
    passed_total: int = 0
    passed_flagged: int = 0
    inapplicable_total: int = 0
    inapplicable_flagged: int = 0

    def count(self, expected: str, hit: bool) -> None:
        """One case whose expected outcome is ``expected`` (failed, passed, inapplicable), flagged or not."""
        setattr(self, f"{expected}_total", getattr(self, f"{expected}_total") + 1)
        if hit:
            name = "failed_caught" if expected == "failed" else f"{expected}_flagged"
            setattr(self, name, getattr(self, name) + 1)


@dataclass
class RuleScore(CaseCounts):
    """One engine's outcome on one ACT rule."""

    rule: str
    name: str
    procedures: tuple[str, ...] = ()  # the engine's rules mapped to this ACT rule (none: not implemented)
    false_positives: list[str] = field(default_factory=list)  # passed and inapplicable cases flagged
    misses: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"rule": self.rule, "name": self.name, "procedures": list(self.procedures),
                "failed_total": self.failed_total, "failed_caught": self.failed_caught,
                "passed_total": self.passed_total, "passed_flagged": self.passed_flagged,
                "inapplicable_total": self.inapplicable_total, "inapplicable_flagged": self.inapplicable_flagged}


def load_cases(suite: Path = SUITE) -> list[dict]:
    """Approved test cases whose file is present."""
    cases = json.loads((suite / "testcases.json").read_text("utf-8"))["testcases"]
    return [c for c in cases if c.get("approved", True) and (suite / c["relativePath"]).is_file()]


def axe_mapping(suite: Path = SUITE) -> dict[str, tuple[str, ...]]:
    """ACT rule -> axe-core rule ids, from the implementation report shipped with the suite."""
    data = json.loads((suite / "implementations" / "axe-core.json").read_text("utf-8"))
    return {m["ruleId"]: tuple(m["procedureNames"]) for m in data["actRuleMapping"] if m.get("procedureNames")}


def score(cases: list[dict], mapping: dict[str, tuple[str, ...]], flagged: dict[str, set[str]]) -> list[RuleScore]:
    """Count catches and false flags for every ACT rule of ``cases`` (one the engine does not map
    catches nothing); ``flagged`` is page path -> rule ids the engine reported as violations."""
    scores: dict[str, RuleScore] = {}
    for case in cases:
        rules = mapping.get(case["ruleId"], ())
        entry = scores.setdefault(case["ruleId"], RuleScore(case["ruleId"], case["ruleName"], procedures=rules))
        hit = bool(flagged.get(case["relativePath"], set()) & set(rules))
        expected = "failed" if case["expected"] == "failed" else \
            "passed" if case["expected"] == "passed" else "inapplicable"
        entry.count(expected, hit)
        if expected == "failed" and not hit:
            entry.misses.append(case["relativePath"])
        elif expected != "failed" and hit:
            entry.false_positives.append(case["relativePath"])
    return sorted(scores.values(), key=lambda s: s.rule)


def run_static_suite(suite: Path = SUITE) -> list[RuleScore]:
    """The static engine on every case of the rules it maps."""
    cases = [c for c in load_cases(suite) if c["ruleId"] in STATIC_MAPPING]
    flagged = {}
    for case in cases:
        page = Page(case["relativePath"], (suite / case["relativePath"]).read_bytes())
        flagged[case["relativePath"]] = {f.rule for f in run_rules(page) if f.kind == "violation"}
    return score(cases, STATIC_MAPPING, flagged)


@dataclass
class CrossScore(CaseCounts):
    """One static rule over the whole ACT set: cases of ACT rules that share one of its WCAG criteria,
    and the cases of all other rules (where a finding may be right: a case tests one rule only)."""

    rule: str
    criteria: tuple[str, ...]
    review: int = 0  # cases sharing a criterion where the rule asked for review
    other_flagged: list[str] = field(default_factory=list)  # passed/inapplicable cases of unrelated ACT rules


def case_criteria(case: dict) -> set[str]:
    """The WCAG success criteria an ACT case's rule maps to (``wcag20:1.3.1`` -> ``1.3.1``)."""
    return {key.split(":", 1)[1] for key in case.get("ruleAccessibilityRequirements") or {} if key.startswith("wcag2")}


def cross_check(rule_ids: list[str], suite: Path = SUITE, wcag: str = "2.0") -> list[CrossScore]:
    """Each static rule in ``rule_ids`` on every case of the suite (under a ``wcag`` policy)."""
    from .rules import load_rules

    rules = load_rules()
    scores = {r: CrossScore(r, rules[r].wcag) for r in rule_ids}
    for case in load_cases(suite):
        page = Page(case["relativePath"], (suite / case["relativePath"]).read_bytes(), {"wcag": wcag})
        found = {}
        for finding in run_rules(page):
            if finding.rule in scores:
                found[finding.rule] = found.get(finding.rule) or finding.kind == "violation"
        expected = case["expected"]
        for rule, entry in scores.items():
            hit = found.get(rule)
            if not case_criteria(case) & set(entry.criteria):
                if hit and expected != "failed":
                    entry.other_flagged.append(f"{expected} {case['relativePath']}")
                continue
            entry.count(expected, bool(hit))
            entry.review += hit is False
    return list(scores.values())


def run_axe_cases(cases: list[dict], suite: Path = SUITE, workers: int | None = None, progress=None,
                  **settings) -> tuple[dict[str, set[str]], AxeRun]:
    """axe-core through our engine (normal mode, policy ``settings`` laid over the defaults) on ``cases``:
    case path -> the rule ids it reported as violations, and the run (version, unchecked pages)."""
    with tempfile.TemporaryDirectory(prefix="govsite-act-") as temporary:
        root = Path(temporary)
        (root / PREFIX).mkdir(parents=True)
        for name in ("testcases", "test-assets"):
            os.symlink(suite / name, root / PREFIX / name)
        pages = sorted({(PREFIX / c["relativePath"]).as_posix() for c in cases})
        policy = load_policy({"modes": ["normal"], "workers": workers, "screenshots": 0, "page_timeout": 20,
                              **settings})
        run = run_axe_pages(root, pages, policy, progress=progress)
    flagged = defaultdict(set)
    prefix = PREFIX.as_posix() + "/"
    for finding in run.findings:
        if finding.kind == "violation":
            flagged[finding.page.removeprefix(prefix)].add(finding.rule)
    return flagged, run


def run_axe_suite(suite: Path = SUITE, workers: int | None = None, rule_ids: set[str] | None = None,
                  progress=None, every_rule: bool = False, **settings) -> list[RuleScore]:
    """axe-core (through our engine, normal mode) on every case of the rules axe maps (``every_rule``:
    on the whole suite, rules it does not map included); ``settings`` as in run_axe_cases."""
    mapping = axe_mapping(suite)
    cases = [c for c in load_cases(suite) if (every_rule or c["ruleId"] in mapping)
             and (not rule_ids or c["ruleId"] in rule_ids)]
    flagged, _ = run_axe_cases(cases, suite, workers, progress, **settings)
    return score(cases, mapping, flagged)


def totals(scores: list[RuleScore]) -> dict:
    return {"rules": len(scores), "failed_total": sum(s.failed_total for s in scores),
            "failed_caught": sum(s.failed_caught for s in scores),
            "passed_total": sum(s.passed_total for s in scores),
            "passed_flagged": sum(s.passed_flagged for s in scores),
            "inapplicable_total": sum(s.inapplicable_total for s in scores),
            "inapplicable_flagged": sum(s.inapplicable_flagged for s in scores)}
