"""Run both engines against the W3C ACT Rules test cases and print, per ACT rule, how many failed
cases each catches and how many passed cases it wrongly flags (a Markdown table).

    python bench/act_conformance.py [--workers N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from govsite.checks.conformance import run_axe_suite, run_static_suite, totals  # noqa: E402


def table(title: str, scores) -> str:
    lines = [f"### {title}", "", "| ACT rule | name | failed cases caught | passed cases flagged |", "|---|---|---|---|"]
    for s in scores:
        lines.append(f"| {s.rule} | {s.name} | {s.failed_caught}/{s.failed_total} | {s.passed_flagged}/{s.passed_total} |")
    t = totals(scores)
    lines.append(f"| **all {t['rules']} rules** | | **{t['failed_caught']}/{t['failed_total']}** | "
                 f"**{t['passed_flagged']}/{t['passed_total']}** |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    started = time.perf_counter()
    print(table("Static engine", run_static_suite()))
    print()
    print(table("axe engine (axe-core in Chromium, WCAG 2.0/2.1/2.2 A+AA tags)", run_axe_suite(workers=args.workers)))
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
