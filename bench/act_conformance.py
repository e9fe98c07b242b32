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

from checks.conformance import run_axe_suite, run_static_suite, totals  # noqa: E402


def table(title: str, scores) -> str:
    lines = [f"### {title}", "", "| ACT rule | name | rules | failed cases caught | passed cases flagged | "
             "inapplicable cases flagged |", "|---|---|---|---|---|---|"]
    for s in scores:
        lines.append(f"| {s.rule} | {s.name} | {', '.join(s.procedures) or '—'} | {s.failed_caught}/{s.failed_total} | "
                     f"{s.passed_flagged}/{s.passed_total} | {s.inapplicable_flagged}/{s.inapplicable_total} |")
    t = totals(scores)
    lines.append(f"| **all {t['rules']} rules** | | | **{t['failed_caught']}/{t['failed_total']}** | "
                 f"**{t['passed_flagged']}/{t['passed_total']}** | **{t['inapplicable_flagged']}/{t['inapplicable_total']}** |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    started = time.perf_counter()
    print(table("Static engine", run_static_suite()))
    print()
    print(table("axe engine (axe-core in Chromium, WCAG 2.0/2.1/2.2 A+AA tags)", run_axe_suite(workers=args.workers, every_rule=True)))
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
