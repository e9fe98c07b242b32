"""Both engines against the W3C ACT Rules test cases; the recorded figures are floors.

The full tables are printed by ``python bench/act_conformance.py`` and recorded in
bench/RESULTS.md. The axe run here covers a fixed set of rules to keep ``make test`` short.
"""

import pytest

from govsite.checks.conformance import SUITE, cross_check, run_axe_suite, run_static_suite, totals

pytestmark = pytest.mark.skipif(not (SUITE / "testcases.json").is_file(), reason="ACT suite not present")

#: ACT rule -> (failed cases caught, failed cases) by the static engine, measured 2026-11-27.
STATIC_FLOORS = {
    "23a2a8": 5, "2779a5": 5, "59796f": 3, "5f99a7": 2, "674b10": 2, "6a7281": 7, "97a4e1": 5, "b4f0c3": 7,
    "b5c3f8": 4, "bc659a": 4, "bf051a": 4, "c487ae": 11, "cae760": 4, "de46e4": 9, "e086e5": 9,
    "cf77f2": 0, "ffd0e9": 7, "oj04fd": 0,  # bypass-blocks, empty-heading, focus rules (measured 2026-12-03)
}
#: The structure and keyboard rules (2026-12-03): over the whole ACT set, on cases of every ACT rule that
#: shares one of their WCAG criteria, no passed or inapplicable case may be flagged.
STRUCTURE_RULES = ["layout-table", "empty-heading", "heading-duplicate", "heading-descriptive", "bypass-blocks",
                   "placeholder-label", "required-indication", "link-color-only", "tabindex-order", "focus-blur",
                   "focus-outline-removed", "mouse-only-control", "change-on-input", "change-on-focus", "duplicate-id"]
#: The same through the vendored axe-core 4.14.1 in our engine (WCAG A/AA tags, normal mode, post-filters).
AXE_FLOORS = {"23a2a8": 5, "2779a5": 6, "97a4e1": 5, "c487ae": 11, "e086e5": 9, "afw4f7": 8, "6a7281": 7,
              "bc659a": 4, "73f2c2": 10, "4e8ab6": 5, "a25f45": 4, "7d6734": 4, "2ee8b8": 16, "b33eff": 4,
              "b5c3f8": 4}
#: Passed cases axe-core flags in these rules (its known false positives on the suite): afw4f7, text over
#: a gradient; 2ee8b8, an icon font from the network (offline here) and a page without <meta charset>
#: that the test server sends without a charset (so "Next…" is read as windows-1252).
AXE_FALSE_POSITIVE_CEILING = {"afw4f7": 1, "2ee8b8": 2}


def test_static_engine_catches_the_floor_and_never_flags_a_passed_case():
    scores = {s.rule: s for s in run_static_suite()}
    assert set(scores) == set(STATIC_FLOORS)
    for rule, floor in STATIC_FLOORS.items():
        assert scores[rule].failed_caught >= floor, (rule, scores[rule].misses)
        assert scores[rule].passed_flagged == 0, (rule, scores[rule].false_positives)
    assert totals(list(scores.values()))["failed_caught"] >= 88


def test_structure_rules_flag_no_passed_or_inapplicable_case_of_their_criteria():
    for entry in cross_check(STRUCTURE_RULES):
        assert entry.passed_flagged == 0 and entry.inapplicable_flagged == 0 and entry.review == 0, entry


@pytest.mark.browser
def test_axe_engine_catches_the_floor():
    scores = {s.rule: s for s in run_axe_suite(rule_ids=set(AXE_FLOORS))}
    for rule, floor in AXE_FLOORS.items():
        assert scores[rule].failed_caught >= floor, (rule, scores[rule].misses)
        assert scores[rule].passed_flagged <= AXE_FALSE_POSITIVE_CEILING.get(rule, 0), (rule, scores[rule].false_positives)
        assert scores[rule].inapplicable_flagged == 0, (rule, scores[rule].false_positives)
