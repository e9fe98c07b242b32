"""Link-check speed on one site of about 15,000 built pages (checks/links.py).

    python bench/links_speed.py [--pages 15000] [--base-articles 1500] [--from SITE_DIR]

A site is built once with Pelican from a generated group (``--base-articles`` articles, static gate
only; or ``--from`` an already built site folder), then mirrored into sub-folders ``mirror-N/`` of one
site folder until it has ``--pages`` pages: every relative link of a mirror resolves inside it and its
absolute own-domain links resolve to the root copy, so every link is valid and really resolved (the
resolution cache is per folder, so mirrors do not share it). Times ``check_links`` with 1 process and
with one per core and prints pages/s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.make_group import make_group  # noqa: E402
from govsite.checks.links import check_links  # noqa: E402
from govsite.checks.static_engine import list_pages  # noqa: E402
from govsite.build import build_group  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "links"


def base_site(articles: int) -> Path:
    output = OUT / "base"
    found = [p for p in output.iterdir() if p.is_dir() and not p.name.startswith(".")] if output.is_dir() else []
    if found:
        return found[0]
    content = make_group(OUT / "content", 1, articles)
    results = build_group(content, output, cache_dir=OUT / "cache", reports_dir=None,
                          settings={"GOVSITE_A11Y": {"engine": "static"}})
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    return next(p for p in output.iterdir() if p.is_dir() and not p.name.startswith("."))


def mirrored(base: Path, pages: int) -> Path:
    site = OUT / "site" / base.name
    if site.is_dir() and len(list_pages(site)) >= pages:
        return site
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(base, site)
    per_copy = len(list_pages(base))
    copies = 0
    while per_copy * (copies + 1) < pages:
        copies += 1
        shutil.copytree(base, site / f"mirror-{copies}")
    return site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=15000)
    parser.add_argument("--base-articles", type=int, default=1500)
    parser.add_argument("--from", dest="source", type=Path, help="an already built site folder to mirror")
    args = parser.parse_args()
    base = args.source or base_site(args.base_articles)
    site = mirrored(base, args.pages)
    for workers in sorted({1, os.cpu_count() or 1}):
        started = time.perf_counter()
        report = check_links(site, site.name, workers=workers)
        seconds = time.perf_counter() - started
        print(f"{site.name}: {report.pages} pages, {report.links} links, {len(report.broken)} broken; "
              f"{workers} process(es): {seconds:.2f} s, {report.pages / seconds:.0f} pages/s")


if __name__ == "__main__":
    main()
