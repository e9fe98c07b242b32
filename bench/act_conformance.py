"""Run both engines against the W3C ACT Rules test cases and print, per ACT rule, how many failed
cases each catches and how many passed and inapplicable cases it wrongly flags (Markdown tables; the
axe table covers the whole ACT set, rules axe does not implement included).

    python bench/act_conformance.py [--workers N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from govsite.checks.conformance import cross_check, run_axe_suite, run_static_suite, totals  # noqa: E402

#: The structure and keyboard rules, checked over the whole ACT set.
STRUCTURE_RULES = ["layout-table", "empty-heading", "heading-duplicate", "heading-descriptive", "bypass-blocks",
                   "placeholder-label", "required-indication", "link-color-only", "tabindex-order", "focus-blur",
                   "focus-outline-removed", "mouse-only-control", "change-on-input", "change-on-focus", "duplicate-id"]


def table(title: str, scores) -> str:
    lines = [f"### {title}", "", "| ACT rule | name | rules | failed cases caught | passed cases flagged | "
             "inapplicable cases flagged |", "|---|---|---|---|---|---|"]
    for s in scores:
        lines.append(f"| {s.rule} | {s.name} | {', '.join(s.procedures) or '—'} | {s.failed_caught}/{s.failed_total} | "
                     f"{s.passed_flagged}/{s.passed_total} | {s.inapplicable_flagged}/{s.inapplicable_total} |")
    t = totals(scores)
    lines.append(f"| **all {t['rules']} rules** | | | **{t['failed_caught']}/{t['failed_total']}** | "
                 f"**{t['passed_flagged']}/{t['passed_total']}** | **{t['inapplicable_flagged']}/{t['inapplicable_total']}** |")


def cross_table(scores) -> str:
    lines = ["### Structure and keyboard rules over the whole ACT set (WCAG 2.0 policy)", "",
             "Cases of every ACT rule sharing one of the rule's WCAG criteria; the last column counts passed or",
             "inapplicable cases of unrelated ACT rules the rule flags (each case tests one rule only).", "",
             "| static rule | WCAG | failed cases caught | passed cases flagged | inapplicable cases flagged | "
             "left for review | flagged in other rules' cases |", "|---|---|---|---|---|---|---|"]
    for s in scores:
        lines.append(f"| `{s.rule}` | {', '.join(s.criteria)} | {s.failed_caught}/{s.failed_total} | "
                     f"{s.passed_flagged}/{s.passed_total} | {s.inapplicable_flagged}/{s.inapplicable_total} | {s.review} | "
                     f"{len(s.other_flagged)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--static-only", action="store_true", help="skip the browser (axe) run")
    args = parser.parse_args()
    started = time.perf_counter()
    print(table("Static engine", run_static_suite()))
    print()
    print(cross_table(cross_check(STRUCTURE_RULES)))
    print()
    if not args.static_only:
        print(table("axe engine (axe-core in Chromium, WCAG 2.0/2.1/2.2 A+AA tags)", run_axe_suite(workers=args.workers, every_rule=True)))
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
