"""Benchmark archives: snapshot and verify a generated ~10,000-page site, against `wget --mirror
--warc-file` crawling the same site from a loopback server in the same run. Prints figures.

    python bench/archive_speed.py [--articles 9500] [--skip-wget]

The site (one portal, ARTICLES articles) is generated and built once into bench/out/archive/
(static gate only). Each measured step runs in its own process; peak memory is that process's
maximum resident set size (wait4), so it includes the interpreter and the libraries.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from govsite.archive.replay import free_port  # noqa: E402
from bench.make_group import make_group  # noqa: E402
from govsite.build import build_group  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "archive"
DOMAIN = "www.yangli.gov.cn"


def built_site(articles: int) -> Path:
    """The generated one-site group, built once (reused while the article count matches)."""
    site = OUT / "output" / DOMAIN
    stamp = OUT / f"built-{articles}"
    if site.is_dir() and stamp.exists():
        return site
    shutil.rmtree(OUT, ignore_errors=True)
    content = make_group(OUT / "content", 1, articles)
    print(f"building a site of {articles} articles (once; not timed) ...", flush=True)
    results = build_group(content, OUT / "output", cache_dir=OUT / "cache", reports_dir=None,
                          settings={"GOVSITE_A11Y": {"engine": "static"}})
    if not all(r.ok for r in results):
        raise SystemExit(results[0].error)
    stamp.touch()
    return site


def measured(argv: list[str], **kwargs) -> tuple[float, float, float]:
    """Run a command; ``(seconds, CPU seconds, peak RSS in MB)`` of that process."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, **kwargs)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 8):  # wget: 8 = some URL answered an error (the site's 404 test links)
        raise SystemExit(f"{argv[:3]} failed with exit code {process.returncode}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def python_step(code: str) -> tuple[float, float, float]:
    return measured([sys.executable, "-c", "import sys; sys.path.insert(0, %r)\n" % str(OUT.parent.parent.parent)
                     + code])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=9500)
    parser.add_argument("--skip-wget", action="store_true")
    args = parser.parse_args()
    site = built_site(args.articles)
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = sum(1 for p in files if p.suffix == ".html")
    size = sum(p.stat().st_size for p in files) / 1e6
    print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"site: {pages} pages, {len(files)} files, {size:.0f} MB")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    work = Path(tempfile.mkdtemp(prefix="archive-bench-"))
    rows = []
    try:
        seconds, cpu, rss = python_step(f"from govsite.archive import snapshot_site\n"
                                   f"r = snapshot_site({str(site)!r}, {DOMAIN!r}, {str(work / 'archives')!r})\n"
                                   f"print(r.path)")
        wacz = next((work / "archives").rglob("*.wacz"))
        rows.append(("snapshot (WACZ, manifest checked)", seconds, cpu, rss, f"{wacz.stat().st_size / 1e6:.0f} MB WACZ"))
        seconds, cpu, rss = python_step(f"from govsite.archive import verify_archive\nr = verify_archive({str(wacz)!r})\n"
                                   "print(r.records, 'records')")
        rows.append(("verify-archive", seconds, cpu, rss, ""))
        seconds, cpu, rss = python_step(f"from govsite.archive import verify_deploy\nverify_deploy({str(site)!r})")
        rows.append(("verify-deploy (SHA-256 + SM3)", seconds, cpu, rss, ""))
        seconds, cpu, rss = python_step(f"from govsite.archive.manifest import make_manifest\nmake_manifest({str(site)!r}, {{}})")
        rows.append(("build manifest (added to each build)", seconds, cpu, rss, ""))
        if not args.skip_wget and shutil.which("wget"):
            port = free_port()
            server = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port),
                                       "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                time.sleep(1.0)
                crawl = work / "wget"
                crawl.mkdir()
                seconds, cpu, rss = measured(["wget", "--mirror", "--warc-file=crawl", "--no-verbose", "-e", "robots=off",
                                         "--no-host-directories", "-P", str(crawl / "files"),
                                         f"http://127.0.0.1:{port}/"], cwd=crawl, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
            finally:
                server.terminate()
                _, _, served = os.wait4(server.pid, 0)
            warc = crawl / "crawl.warc.gz"
            fetched = sum(1 for p in (crawl / "files").rglob("*") if p.is_file())
            rows.append(("wget --mirror --warc-file (crawl)", seconds, cpu, rss,
                         f"{warc.stat().st_size / 1e6:.0f} MB WARC, {fetched} files fetched; the loopback "
                         f"server used {served.ru_utime + served.ru_stime:.1f} CPU s more"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average before the run: {load}")
    print(f"{'step':<40} {'seconds':>8} {'CPU s':>7} {'peak MB':>8}  notes")
    for label, seconds, cpu, rss, note in rows:
        print(f"{label:<40} {seconds:8.1f} {cpu:7.1f} {rss:8.0f}  {note}")
    if len(rows) == 5:
        print(f"snapshot is {rows[4][1] / rows[0][1]:.1f}x faster than the wget crawl (wall clock), "
              f"{rows[4][2] / rows[0][2]:.1f}x less CPU (wget alone, without its server)")


if __name__ == "__main__":
    main()
