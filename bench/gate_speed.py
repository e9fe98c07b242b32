"""Benchmark the accessibility gate: static rules on ~10,000 pages, axe on 200 pages, and
@axe-core/cli on the same 200 pages in the same run. Prints figures.

    python bench/gate_speed.py [--pages 10000] [--axe-pages 200] [--skip-cli]

@axe-core/cli is installed with npm into bench/.axe-cli/ on first use
(CHROMEDRIVER_SKIP_DOWNLOAD=true; it is pointed at Debian's chromium and chromedriver).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lxml import html  # noqa: E402

from bench.make_group import make_group  # noqa: E402
from govsite.checks.axe_engine import PageServer, run_axe_pages  # noqa: E402
from govsite.checks.browser import CHROMEDRIVER, CHROMIUM  # noqa: E402
from govsite.checks.policy import load_policy  # noqa: E402
from govsite.checks.static_engine import list_pages, run_static  # noqa: E402
from govsite.build import build_group  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "gate"
CLI_DIR = Path(__file__).resolve().parent / ".axe-cli"


def generated_site(pages: int) -> Path:
    """A built group of about ``pages`` pages (built once, static gate only)."""
    output = OUT / "output"
    if output.is_dir() and len(list_pages(output)) >= pages * 0.95:
        return output
    sites = max(1, pages // 1000)
    content = make_group(OUT / "content", sites, int(pages / sites / 1.05))
    results = build_group(content, output, cache_dir=OUT / "cache", reports_dir=None,
                          settings={"GOVSITE_A11Y": {"engine": "static"}})
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    return output


def axe_cli() -> Path:
    binary = CLI_DIR / "node_modules" / ".bin" / "axe"
    if not binary.exists():
        CLI_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--prefix", str(CLI_DIR), "@axe-core/cli@4"], check=True,
                       env={**os.environ, "CHROMEDRIVER_SKIP_DOWNLOAD": "true"})
    return binary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--axe-pages", type=int, default=200)
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()
    print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}")
    root = generated_site(args.pages)
    files = list_pages(root)
    print(f"{len(files)} pages under {root}")

    started = time.perf_counter()
    for file in files:
        html.document_fromstring(file.read_bytes())
    parse = time.perf_counter() - started
    print(f"lxml parsing alone, 1 process:        {len(files) / parse:8.0f} pages/s")
    for workers in (1, 2):
        started = time.perf_counter()
        findings = run_static(root, files, load_policy(None).static_options, workers=workers)
        seconds = time.perf_counter() - started
        print(f"static rules, {workers} process(es):           {len(files) / seconds:8.0f} pages/s "
              f"({len(findings)} findings)")

    sample = [f.relative_to(root).as_posix() for f in files[:: max(1, len(files) // args.axe_pages)]][:args.axe_pages]
    for workers in (1, 2):
        policy = load_policy({"modes": ["normal"], "workers": workers, "screenshots": 0})
        started = time.perf_counter()
        run = run_axe_pages(root, sample, policy)
        seconds = time.perf_counter() - started
        print(f"axe engine, {workers} session(s), normal mode: {len(sample) / seconds:8.2f} pages/s "
              f"({seconds / len(sample):.3f} s/page, {run.checked} checked, {len(run.unchecked)} unchecked)")
    policy = load_policy({"workers": 2, "screenshots": 0})
    started = time.perf_counter()
    run = run_axe_pages(root, sample[:50], policy)
    seconds = time.perf_counter() - started
    print(f"axe engine, 2 sessions, 3 modes:      {50 / seconds:8.2f} pages/s ({seconds / 50:.3f} s/page)")

    if not args.skip_cli:
        binary = axe_cli()
        with PageServer(root) as server:
            urls = [server.url(page) for page in sample]
            started = time.perf_counter()
            subprocess.run([str(binary), *urls, "--chromedriver-path", CHROMEDRIVER, "--chrome-path", CHROMIUM,
                            "--chrome-options", "no-sandbox,disable-gpu,disable-dev-shm-usage",
                            "--tags", "wcag2a,wcag2aa,wcag21a,wcag21aa,wcag22aa", "--no-reporter"],
                           check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            seconds = time.perf_counter() - started
        print(f"@axe-core/cli (sequential):           {len(sample) / seconds:8.2f} pages/s ({seconds / len(sample):.3f} s/page)")


if __name__ == "__main__":
    main()
