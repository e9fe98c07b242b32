"""Benchmark the importer on realistic legacy pages: pages per second (target >= 150 on 2 cores).

    python bench/migrate_speed.py [--pages 2000] [--workers N] [--keep] [--profile N]

The mirror (bench/out/legacy/www.qinglan.gov.cn/, fictional 青岚市) is made of pages shaped like
real saved TRS pages (``bench/legacy_pages.py``): GBK, 100–200 KB each (about 130 KB on average),
a mega menu of about 300 links in layout tables, inline styles on every cell, inline ``<style>``
and ``<script>`` blocks, a side bar of 40 dated links, a Word-pasted body with a data table, and a
footer listing 90 department sites. One column list page per 50 articles, a shared image per
column and a PDF per 20 articles. The whole migration is timed: reading, decoding, extraction,
writing content, assets, redirects and the report, into a fresh content folder.

``--profile N`` migrates the first N pages in this process under cProfile and prints the top
functions by own time and by cumulative time (the figures in bench/RESULTS.md).

It prints the machine (cores), the date and the load average, pages/s (wall clock) and pages per
CPU-second (the main process and the workers), and how the time splits between extraction and the
rest; on a shared machine only the CPU figures compare.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.legacy_pages import HOST, home_page, list_page, trs_article  # noqa: E402
from govsite.migrate import Settings, migrate  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
COLUMNS = [("gzdt", "工作动态", "要闻动态"), ("tzgg", "通知公告", "通知公告"), ("zcwj", "政策文件", "政策文件"),
           ("zcjd", "政策解读", "政策解读"), ("rsxx", "人事信息", "人事信息")]
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00"
       b"\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


def make_mirror(root: Path, pages: int) -> tuple[int, int]:
    """Write the legacy mirror; returns (HTML pages, their bytes)."""
    site = root / HOST
    shutil.rmtree(root, ignore_errors=True)
    count, size, listed = 0, 0, {s: [] for s, _, _ in COLUMNS}
    for slug, _, _ in COLUMNS:
        (site / slug / "images").mkdir(parents=True, exist_ok=True)
        (site / slug / "images" / f"{slug}.png").write_bytes(PNG)
        (site / slug / "files").mkdir(exist_ok=True)
    (site / "images").mkdir(exist_ok=True)
    (site / "images" / "logo.png").write_bytes(PNG)
    n_articles = pages - pages // 51 - 1
    for i in range(n_articles):
        slug, name, _ = COLUMNS[i % len(COLUMNS)]
        date = f"20{20 + i % 5}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        pdf = f'<p>附件：<a href="/{slug}/files/f{i}.pdf">第{i}号附件.pdf</a></p>' if i % 20 == 0 else ""
        path, data = trs_article(i, name, slug, date, f"/{slug}/images/{slug}.png", pdf)
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
        listed[slug].append((path, f"青岚市{name}第{i}号信息", date))
        if i % 20 == 0:
            (site / slug / "files" / f"f{i}.pdf").write_bytes(b"%PDF-1.4\n%fictional\n%%EOF\n")
        count, size = count + 1, size + len(data)
    for slug, name, column_type in COLUMNS:
        items = listed[slug]
        for page in range(0, len(items), 50):
            data = list_page(name, column_type, items[page:page + 50])
            (site / slug / ("index.html" if page == 0 else f"index_{page // 50}.html")).write_bytes(data)
            count, size = count + 1, size + len(data)
    data = home_page(COLUMNS, f"/{COLUMNS[0][0]}/images/{COLUMNS[0][0]}.png")
    (site / "index.html").write_bytes(data)
    return count + 1, size + len(data)


def profile(root: Path, pages: int, top: int = 15) -> None:
    """cProfile of the extraction of the first ``pages`` pages in this process (what the workers do)."""
    from govsite.migrate.extract import Options, extract_page
    from govsite.migrate.sources import open_source

    source = open_source(str(root))
    docs = [d for d in source.documents() if d.key.endswith(".html")][:pages]
    profiler = cProfile.Profile(time.process_time)  # CPU time: figures that hold on a shared machine
    started = time.process_time()
    profiler.enable()
    for doc in docs:
        extract_page(doc, source, Options())
    profiler.disable()
    cpu = time.process_time() - started
    print(f"profile: {len(docs)} pages extracted in one process, {cpu:.2f} CPU s under cProfile "
          f"({len(docs) / cpu:.0f} pages per CPU-second with the profiler's overhead)")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
        print(f"--- top {top} by {order} ---")
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[-(top + 2) * 200:])


def _load() -> str:
    """The 1-minute load average (other processes on the machine inflate wall-clock figures)."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the generated mirror and content")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile the extraction of N pages in this process instead of timing the migration")
    args = parser.parse_args(argv)
    root = OUT / "legacy"
    started = time.perf_counter()
    pages, size = make_mirror(root, args.pages)
    generated = time.perf_counter() - started
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"generated {pages} legacy pages ({size / pages / 1024:.0f} KB per page on average, GBK) in {generated:.1f} s")
    if args.profile:
        profile(root, args.profile)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
        return 0
    content = OUT / "legacy-content"
    shutil.rmtree(content, ignore_errors=True)
    print(f"started {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {_load()} on {os.cpu_count()} cores")
    read: dict = {}

    def progress(stage: str, index: int, total: int) -> None:
        if stage == "read" and index == total:          # phase 1 (extraction, in worker processes) done
            read.update(seconds=time.perf_counter() - started, cpu=os.times().user + os.times().system)

    started, cpu = time.perf_counter(), os.times()
    outcome = migrate(Settings(source=str(root), site_id="qinglan", content=str(content),
                               report=str(OUT / "legacy-reports"), workers=args.workers), progress)
    seconds, after = time.perf_counter() - started, os.times()
    used = (after.user - cpu.user) + (after.system - cpu.system) + (after.children_user - cpu.children_user) + \
        (after.children_system - cpu.children_system)
    t = outcome.data["totals"]
    print(f"migrated {t['pages']} pages in {seconds:.1f} s: {t['pages'] / seconds:.0f} pages/s, "
          f"{t['pages'] / used:.0f} pages per CPU-second ({used:.1f} CPU s, the workers' included) "
          f"({t['imported']} imported, {t['skipped']} skipped, {t['failed']} failed; {t['assets']} assets; "
          f"extractors {t['by_extractor']}; encodings {t['by_encoding']})")
    if read:
        main_cpu = after.user + after.system - read["cpu"]
        print(f"  reading and extraction (workers started, all pages): {read['seconds']:.1f} s; planning, writing "
              f"and the reports (main process): {seconds - read['seconds']:.1f} s, {main_cpu:.1f} CPU s "
              f"({main_cpu / t['pages'] * 1000:.1f} ms per page)")
    print(f"ended {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {_load()}")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(content, ignore_errors=True)
    return 0 if t["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
