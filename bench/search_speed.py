"""Benchmark site search indexing (govsite/search.py): wall time, peak memory and index size.

    python bench/search_speed.py [--articles 10000] [--demo DIR] [--keep] [--reuse-build]

1. The demo group: every built site in DIR (default ``output/``, after ``make demo``) indexed afresh.
2. A generated site of N articles (bench/make_group.py, built with the platform's theme and the
   static gate, the search index included; its search page is what bench/search_query_speed.py
   times), then: indexed as the build does (parts of ``part_pages``); 15,000 pages
   (article folders copied again); a rebuild with no indexed page changed (fingerprints only: the
   previous parts are linked); a rebuild after one article changed (only its part is indexed again).
Every indexing runs in a fresh Python process; its peak memory is that process's maximum resident set
size (``getrusage``: the process or its largest worker, parts being indexed in workers; a process that
only imports the indexer is shown for reference).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pelicanconf  # noqa: E402
from bench.make_group import make_group  # noqa: E402
from govsite.build import build_group  # noqa: E402
from govsite.search import BUNDLE, DEFAULTS, indexed_pages  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "search"
ROOT = Path(__file__).resolve().parent.parent
MEASURE = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from govsite.search import SearchSettings, index_site
start = time.perf_counter()
result = None if sys.argv[2] == "-" else index_site(sys.argv[2], SearchSettings.of(json.loads(sys.argv[3])),
                                                    previous=sys.argv[4] or None)
peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({"seconds": time.perf_counter() - start, "peak_mb": peak / 1024,
                  "parts": result and result.parts, "indexed": result and result.indexed}))
"""


def measure(site: Path | None, part_pages: int = DEFAULTS["part_pages"], previous: Path | None = None,
            fresh: bool = True) -> dict:
    """Index ``site`` as the platform does in a fresh process (``fresh``: its bundle removed first):
    wall time, peak RSS, parts and parts indexed. ``site`` None: a process that only imports."""
    if site is not None and fresh:
        shutil.rmtree(site / BUNDLE, ignore_errors=True)
    done = subprocess.run([sys.executable, "-c", MEASURE, str(ROOT), str(site) if site else "-",
                           json.dumps({"part_pages": part_pages}), str(previous or "")],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"indexing failed on {site}: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def bundle_size(site: Path) -> tuple[int, float]:
    files = [p for p in (site / BUNDLE).rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files) / 1e6


def html_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html"))


def row(label: str, pages: int, figures: dict) -> None:
    parts = f"  ({figures['indexed']} of {figures['parts']} parts indexed)" if figures.get("parts") else ""
    print(f"{label:<48} {pages:7d} pages  {figures['seconds']:7.2f} s  {figures['peak_mb']:7.0f} MB peak{parts}",
          flush=True)


def demo(folder: Path, scratch: Path) -> None:
    sites = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) if folder.is_dir() else []
    if not sites:
        print(f"(no built demo in {folder}: run `make demo` first)")
        return
    total = 0.0
    for site in sites:
        copy = scratch / site.name
        shutil.copytree(site, copy, ignore=shutil.ignore_patterns(BUNDLE))
        figures = measure(copy)
        total += figures["seconds"]
        row(f"demo {site.name}", len(indexed_pages(copy)), figures)
    print(f"{'demo, all sites (one after another)':<48} {'':7s}        {total:7.2f} s")


def generated(articles: int, keep: bool, reuse_build: bool) -> None:
    output = OUT / "output"
    built = [p for p in output.iterdir() if p.is_dir() and not p.name.startswith(".")] if output.is_dir() else []
    if reuse_build and built:
        site = built[0]
        print(f"{'generated site (built earlier, --reuse-build)':<48} {html_pages(site):7d} pages")
    else:
        site = build_generated(articles, output)
    row("a process that only imports the indexer", 0, measure(None))
    part_pages = DEFAULTS["part_pages"]
    row(f"content region, parts of {part_pages} (the build)", len(indexed_pages(site)), measure(site, part_pages))
    files, megabytes = bundle_size(site)
    print(f"{'index on disk':<48} {files:7d} files  {megabytes:7.1f} MB")
    big = OUT / "pages-15000"
    indexed = grow(site, big, 15000)
    row(f"{indexed} pages (copies of articles), parts of {part_pages}", indexed, measure(big, part_pages))
    files, megabytes = bundle_size(big)
    print(f"{'index on disk (15,000 pages)':<48} {files:7d} files  {megabytes:7.1f} MB")
    shutil.rmtree(big)
    # Rebuilds: the plugin's own path (fingerprint, then reuse or index), into a staging copy.
    staging = OUT / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(site, staging, ignore=shutil.ignore_patterns(BUNDLE), copy_function=os.link)
    unchanged = measure(staging, previous=site)
    assert unchanged["indexed"] == 0, "an unchanged site should keep its parts"
    row("rebuild, no indexed page changed (linked)", len(indexed_pages(staging)), unchanged)
    page = next(p for p in sorted(staging.rglob("*.html")) if b"data-search-body" in p.read_bytes())
    data = page.read_bytes().replace("</article>".encode(), "<p>补充说明。</p></article>".encode(), 1)
    page.unlink()  # a hard link to the built page: replaced, never written through
    page.write_bytes(data)
    changed = measure(staging, previous=site, fresh=False)
    assert changed["indexed"] == 1, changed
    row("rebuild, one article changed", len(indexed_pages(staging)), changed)
    shutil.rmtree(staging)
    if not keep:
        shutil.rmtree(OUT)


def grow(site: Path, target: Path, pages: int) -> int:
    """A copy of ``site`` with article folders copied again (``more-N/...``) up to ``pages`` indexed pages."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(site, target, ignore=shutil.ignore_patterns(BUNDLE))
    count, copy = len(indexed_pages(target)), 0
    folders = sorted({p.parent for p in indexed_pages(site) if p.parent != site})
    while count < pages:
        copy += 1
        for folder in folders:
            if count >= pages:
                break
            destination = target / f"more-{copy}" / folder.relative_to(site)
            shutil.copytree(folder, destination, ignore=shutil.ignore_patterns("index*.html"), copy_function=os.link)
            count += sum(1 for _ in destination.glob("*.html"))
    return len(indexed_pages(target))


def build_generated(articles: int, output: Path) -> Path:
    """One generated site of ``articles`` articles built with the platform (search on); its folder."""
    content = make_group(OUT / "content", 1, articles)
    for folder in (output, OUT / "cache"):
        shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    # Generated text does not follow the publishing rules (issue 8): that plugin is left out here.
    plugins = [p for p in pelicanconf.PLUGINS if p != "govsite.plugins.compliance"]
    results = build_group(content, output, cache_dir=OUT / "cache", reports_dir=None,
                          settings={"GOVSITE_A11Y": {"engine": "static"},
                                    "GOVSITE_TODAY": "2026-11-27", "PLUGINS": plugins})
    if not all(r.ok for r in results):
        raise SystemExit(f"build failed: {results[0].error}")
    build_seconds = time.perf_counter() - started
    site = output / results[0].domain
    print(f"{'generated site build (search on)':<48} {html_pages(site):7d} pages  {build_seconds:7.2f} s")
    return site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--demo", type=Path, default=ROOT / "output", help="the built demo group")
    parser.add_argument("--keep", action="store_true", help=f"keep {OUT}")
    parser.add_argument("--reuse-build", action="store_true", help="reuse the site built by an earlier --keep run")
    args = parser.parse_args()
    print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="govsite-search-bench-") as scratch:
        demo(args.demo, Path(scratch))
    generated(args.articles, args.keep or args.reuse_build, args.reuse_build)


if __name__ == "__main__":
    main()
