"""Benchmark the keyboard engine: the time it adds per page to the browser gate, on the demo group.

    python bench/keyboard_speed.py [--pages 40] [--workers 1] [--modes normal,care,contrast]

Builds content/ into bench/out/keyboard/ once (static gate only), then checks the same pages with
the axe engine alone (engine "axe") and with axe + keyboard in the same sessions (engine "all"
minus its static part), and prints seconds per page for both and the difference.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from govsite.checks.axe_engine import run_axe_pages  # noqa: E402
from govsite.checks.static_engine import list_pages  # noqa: E402
from govsite.checks.policy import load_policy  # noqa: E402
from govsite.build import build_group  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out" / "keyboard"


def demo() -> Path:
    output = OUT / "output"
    if not output.is_dir():
        results = build_group(ROOT / "content", output, cache_dir=OUT / "cache", reports_dir=None,
                              settings={"GOVSITE_TODAY": "2026-11-27", "GOVSITE_A11Y": {"engine": "static"}})
        assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--modes", default="normal,care,contrast")
    args = parser.parse_args()
    print(f"{platform.node()}: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    root = demo()
    files = list_pages(root)
    sample = [f.relative_to(root).as_posix() for f in files[:: max(1, len(files) // args.pages)]][:args.pages]
    figures = {}
    for engine in ("axe", "all", "axe", "all"):  # twice each, alternating: the second pair is reported
        policy = load_policy({"engine": engine, "modes": args.modes.split(","), "workers": args.workers,
                              "screenshots": 0, "page_timeout": 60})
        started = time.perf_counter()
        run = run_axe_pages(root, sample, policy)
        figures[engine] = (time.perf_counter() - started) / len(sample)
        failing = sum(1 for f in run.findings if f.engine == "keyboard")
        for finding in (f for f in run.findings if f.engine == "keyboard"):
            print(f"  {finding.kind}: {finding}")
        print(f"engine {engine:4}: {figures[engine]:.3f} s/page ({run.checked} checked, {len(run.unchecked)} unchecked, "
              f"{failing} keyboard findings)")
    print(f"keyboard engine adds {figures['all'] - figures['axe']:.3f} s/page "
          f"({len(sample)} pages, {args.workers} session(s), modes {args.modes}; load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
