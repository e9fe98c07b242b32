"""Benchmark the group build: cold, warm cache, one article touched. Prints figures.

    python bench/build_group.py [--sites 4] [--articles 500] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.make_group import make_group  # noqa: E402
from govsite.build import build_group  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"


def timed(label: str, **kwargs) -> float:
    started = time.perf_counter()
    results = build_group(**kwargs)
    seconds = time.perf_counter() - started
    failed = [r for r in results if not r.ok]
    if failed:
        raise SystemExit(f"{label}: {failed[0].site_id} failed: {failed[0].error}")
    pages = sum(r.pages for r in results)
    print(f"{label:<28} {seconds:7.2f} s  {pages:6d} pages  {pages / seconds:7.0f} pages/s")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=4)
    parser.add_argument("--articles", type=int, default=500, help="articles per site")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    content = make_group(OUT / "content", args.sites, args.articles)
    common = dict(content_dir=content, output_dir=OUT / "output", cache_dir=OUT / "cache", workers=args.workers,
                  reports_dir=None, settings={"GOVSITE_A11Y": {"engine": "static"}})  # the gate has its own bench
    print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{args.sites} sites x {args.articles} articles, workers={args.workers or 'cores'}")
    for folder in ("output", "cache"):
        if (OUT / folder).exists():
            import shutil
            shutil.rmtree(OUT / folder)
    timed("cold (no cache)", **common)
    timed("warm (cache, no change)", **common)
    touched = next(content.glob("s000/articles/news/*.md"))
    touched.write_text(touched.read_text("utf-8") + "\n补充说明。\n", "utf-8")
    timed("warm (one article changed)", **common)


if __name__ == "__main__":
    main()
