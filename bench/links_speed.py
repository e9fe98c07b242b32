"""Link-check speed on one generated site of about 15,000 pages (checks/links.py).

    python bench/links_speed.py [--pages 15000]

Builds the site once (bench/out/links/, static gate only; the build itself also runs the link check),
then times ``check_links`` with 1 process and with one per core, and prints pages/s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.make_group import make_group  # noqa: E402
from checks.links import check_links  # noqa: E402
from checks.static_engine import list_pages  # noqa: E402
from govsite.build import build_group  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "links"


def built_site(pages: int) -> Path:
    output = OUT / "output"
    sites = [p for p in output.iterdir() if p.is_dir() and not p.name.startswith(".")] if output.is_dir() else []
    if sites and len(list_pages(sites[0])) >= pages * 0.95:
        return sites[0]
    content = make_group(OUT / "content", 1, int(pages / 1.05))
    started = time.perf_counter()
    results = build_group(content, output, cache_dir=OUT / "cache", reports_dir=None,
                          settings={"GOVSITE_A11Y": {"engine": "static"}})
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    print(f"built in {time.perf_counter() - started:.1f} s (the build's own link check included)")
    return next(p for p in output.iterdir() if p.is_dir() and not p.name.startswith("."))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=15000)
    args = parser.parse_args()
    site = built_site(args.pages)
    for workers in sorted({1, os.cpu_count() or 1}):
        started = time.perf_counter()
        report = check_links(site, site.name, workers=workers)
        seconds = time.perf_counter() - started
        print(f"{site.name}: {report.pages} pages, {report.links} links, {len(report.broken)} broken; "
              f"{workers} process(es): {seconds:.2f} s, {report.pages / seconds:.0f} pages/s")


if __name__ == "__main__":
    main()
