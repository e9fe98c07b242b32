"""How the index's part size changes search time in the browser (the other side of ``part_pages``).

    python bench/search_query_speed.py [--site bench/out/build/output/<domain>] [--parts 3000,1000]

Takes a built site (default: the 10,000-article site of ``bench/build_group.py``), makes a copy per
part size (pages hard-linked, the theme's current search scripts) with its index in parts of that size, serves them over loopback
(``govsite.serve``) and times the theme's search page in headless Chromium, from navigation to
results shown: the first query on a fresh page (every part's index entry and WebAssembly loaded)
and the same queries again on the loaded page; prints median and maximum per part size, and the
time to re-index one part (what a one-article rebuild pays).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govsite.checks.browser import quit_chromium, start_chromium  # noqa: E402
from govsite.search import BUNDLE, SearchSettings, index_site, indexed_pages, plan_parts, run_pagefind  # noqa: E402
from govsite.serve import make_server  # noqa: E402

QUERIES = ["营商环境", "教育", "优化营商环境", "交通运输", "公共卫生服务", "生态环境保护", "政策解读", "量子纠缠"]
WORK = ROOT / "bench" / "out" / "search-query"


def site_copy(site: Path, part_pages: int) -> tuple[Path, float]:
    """A copy of ``site`` (links) indexed in parts of ``part_pages``; seconds to re-index one part."""
    copy = WORK / f"parts-{part_pages}" / site.name
    if copy.parent.exists():
        shutil.rmtree(copy.parent)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(BUNDLE), copy_function=os.link)
    for script in ("search.js", "search-worker.js"):  # the search code as it is now, not as built
        target = copy / "theme" / "js" / script
        target.unlink()  # a link to the built site's file: replaced, never written through
        shutil.copy2(ROOT / "govsite" / "theme" / "static" / "js" / script, target)
    settings = SearchSettings.of({"part_pages": part_pages})
    index_site(copy, settings)
    part = [p for p in plan_parts(copy, indexed_pages(copy), part_pages) if p.directory][0] \
        if part_pages < len(indexed_pages(copy)) else None
    started = time.perf_counter()
    if part:
        run_pagefind(copy, settings, f"{BUNDLE}/reindex-test", list(part.globs))
        shutil.rmtree(copy / BUNDLE / "reindex-test")
    return copy, time.perf_counter() - started


def timed_search(driver, url: str) -> float:
    started = time.perf_counter()
    driver.get(url)
    while time.perf_counter() - started < 60:
        state = driver.execute_script("return document.querySelector('[data-search-page]').dataset.searchState")
        if state in ("done", "error"):
            if state == "error":
                raise SystemExit(f"search failed: {url}")
            return time.perf_counter() - started
        time.sleep(0.01)
    raise SystemExit(f"search did not finish in 60 s: {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = next((p for p in sorted((ROOT / "bench/out/build/output").glob("*")) if p.is_dir() and not p.name.startswith(".")), None)
    parser.add_argument("--site", type=Path, default=default)
    parser.add_argument("--parts", default="3000,1000")
    args = parser.parse_args()
    if args.site is None or not args.site.is_dir():
        raise SystemExit("no built site: run bench/build_group.py first or give --site")
    driver = start_chromium()
    try:
        for size in [int(x) for x in args.parts.split(",")]:
            copy, reindex = site_copy(args.site, size)
            parts = 1 + sum(1 for p in (copy / BUNDLE).glob("part-*"))
            server = make_server(copy.parent, port=0)  # the site by path: /<domain>/...
            threading.Thread(target=server.serve_forever, daemon=True).start()
            base = f"http://127.0.0.1:{server.server_address[1]}"
            first, again = [], []
            for query in QUERIES:
                url = f"{base}/{copy.name}/search.html?q={query}"
                driver.execute_cdp_cmd("Network.clearBrowserCache", {})
                first.append(timed_search(driver, url))   # fresh page, empty HTTP cache
                again.append(timed_search(driver, url))   # fresh page, files cached by the browser
            print(f"part_pages={size:>5}: {parts:>2} indexes; search, empty cache: median {statistics.median(first):.2f} s, "
                  f"max {max(first):.2f} s; browser cache warm: median {statistics.median(again):.2f} s, "
                  f"max {max(again):.2f} s; re-indexing one part: {reindex:.1f} s", flush=True)
            server.shutdown()
            server.server_close()
    finally:
        quit_chromium(driver)


if __name__ == "__main__":
    main()
