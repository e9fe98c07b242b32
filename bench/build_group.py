"""Benchmark the group build against plain Pelican: wall time and peak memory of every step.

    python bench/build_group.py [--sites 4] [--articles 500] [--workers N] [--sample 200] [--skip ...]

Generates a group (bench/make_group.py; committed to its own git repository, as content is in
production: the compliance rules read first-commit dates) and measures, each step in a fresh child process:
plain Pelican (same content, its default theme, no plugins, sites in parallel like ours); the
platform's full build (cold: no output, no cache; the gate's static engine, search, every plugin);
a rebuild with nothing changed; a rebuild after one article changed; one article published by a
running ``govsite build --watch`` (its builds in one process, warm; the median of three publishes); a rebuild after the theme
changed (a CSS edit in a copy of the theme, given with the THEME setting); the static checks of
every page; the browser checks (axe, smart selection on the first site and every page of a
``--sample`` of pages); an archive snapshot of the first site. "peak MB" is the largest resident
set of any one process of the step (``getrusage``: the step's process or one of its workers).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: BENCH_OUT: where the steps work (set for the steps, which run from a snapshot of the code).
OUT = Path(os.environ.get("BENCH_OUT") or Path(__file__).resolve().parent / "out" / "build")
#: The platform's files the build reads, copied once so that edits made while the benchmark runs
#: (which change every site's fingerprint) do not disturb it.
SNAPSHOT = ("govsite", "pelican", "bench", "pelicanconf.py")
CONTENT, OUTPUT, CACHE = OUT / "content", OUT / "output", OUT / "cache"
THEME_COPY = OUT / "theme"
DAY = "2026-11-27"
#: Set by ``--profile``: the group's builds run in the step's own process, so cProfile sees them.
PROFILING = False
STEPS = ("plain", "plain-rebuild", "full", "unchanged", "one-article", "publish", "theme", "static", "browser-all",
         "browser-smart", "archive")


def peak_mb() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def settings(theme: Path | None = None) -> dict:
    values = {"GOVSITE_TODAY": DAY, "GOVSITE_A11Y": {"engine": "static"}}  # browser checks are their own step
    return {**values, "THEME": str(theme)} if theme else values


def group_build(workers, theme=None, full=False, in_process=False, watching=None) -> dict:
    """One group build; ``watching``: a list to which, as ``govsite build --watch`` does, the build
    leaves the replaced outputs to remove and Pelican's caches to save after it has reported
    (``build.after_report``)."""
    from govsite.build import build_group

    results = build_group(CONTENT, OUTPUT, cache_dir=CACHE, workers=workers, reports_dir=OUT / "reports",
                          settings=settings(theme), records_dir=OUT / "records", full=full,
                          in_process=in_process or PROFILING, defer_cleanup=watching is not None)
    failed = [r for r in results if not r.ok]
    if failed:
        raise SystemExit(f"{failed[0].site_id} failed: {failed[0].error[:2000]}")
    if watching is not None:
        watching += results
    return {"pages": sum(r.pages for r in results), "rendered": sum(r.rendered for r in results),
            "kept": sum(r.kept for r in results), "untouched": sum(r.untouched for r in results), "built": sum(r.status == "built" for r in results),
            "unchanged": sum(r.status == "unchanged" for r in results)}


def watched_build() -> tuple[dict, float]:
    """A build as ``govsite build --watch`` runs it: the figures, then the seconds of what follows the
    report (the garbage collection, removing the replaced output: not part of the publish)."""
    from govsite.build import after_report
    from govsite.watch import collector_paused

    results = []
    with collector_paused():  # as the watch runs its builds: the collection after the report is not timed
        figures = group_build(None, in_process=True, watching=results)
        started = time.perf_counter()
    after_report(OUTPUT, results)
    return figures, time.perf_counter() - started


def plain(workers) -> dict:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from bench.plain_pelican import build

    sites = sorted(p for p in CONTENT.iterdir() if p.is_dir())
    with ProcessPoolExecutor(workers or os.cpu_count(), mp_context=get_context("spawn"),
                             max_tasks_per_child=1) as pool:
        pages = pool.map(build, sites, [OUT / "plain" / s.name for s in sites],
                         [OUT / "plain-cache" / s.name for s in sites])
        return {"pages": sum(pages)}


def sites_built() -> list[Path]:
    return sorted(p for p in OUTPUT.iterdir() if p.is_dir() and not p.name.startswith("."))


def static_checks() -> dict:
    from govsite.checks.cli import main

    folders = sites_built()
    code = main([*map(str, folders), "--engine", "static"])
    return {"pages": sum(1 for f in folders for _ in f.rglob("*.html")), "exit": code}


def browser(pages: str, sample: int) -> dict:
    """axe on a sample of the first site's pages: every page (which records the smart state), then
    smart selection with nothing changed."""
    from govsite.checks.cli import main

    first, folder, state = sites_built()[0], OUT / "sample", OUT / "sample-state.json"
    if pages == "all":
        state.unlink(missing_ok=True)
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(first, folder, ignore=shutil.ignore_patterns("*.html"))
        for page in sorted(first.rglob("*.html"))[:sample]:
            target = folder / page.relative_to(first)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(page, target)
    code = main([str(folder), "--engine", "axe", "--pages", pages, "--state", str(state)])
    return {"pages": sum(1 for _ in folder.rglob("*.html")), "exit": code}


def archive() -> dict:
    from govsite.archive import snapshot_site

    first = sites_built()[0]
    target = OUT / "archives"
    if target.exists():
        shutil.rmtree(target)
    result = snapshot_site(first, first.name, target)
    return {"path": str(result.path), "pages": sum(1 for _ in first.rglob("*.html"))}


def change_one_article(position: float = 0.5) -> None:
    """Retitle one news article of the first site (the one at ``position`` of the sorted list)."""
    news = sorted(CONTENT.glob("s000/articles/news/*.md"))
    article = news[int(len(news) * position)]
    article.write_text(article.read_text("utf-8").replace("Title: ", "Title: 修订：", 1), "utf-8")


#: Publishes timed one after another (the median is the figure: one varies by about 0.3 s on a 2-core VM).
PUBLISHES = 3


def publish() -> dict:
    """One article published by a running ``govsite build --watch``: its builds run in its own process,
    so the first save after it started (untimed here) loads what the next ones find loaded; then one
    article changed and built, timed, ``PUBLISHES`` times (another article each time): the median, and
    each (``runs_s``)."""
    from govsite.plugins import search

    indexing = []  # the search stage's seconds per build (another part of the platform): reported apart
    index_output = search.index_output

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return index_output(*args, **kwargs)
        finally:
            indexing.append(time.perf_counter() - started)
    search.index_output = timed  # the stage registers the module's function at each build's start

    change_one_article(0.25)
    started = time.perf_counter()
    watched_build()
    first = time.perf_counter() - started
    runs, searches, cleanups = [], [], []
    for number in range(PUBLISHES):
        change_one_article(0.75 - 0.4 * number / PUBLISHES)
        started = time.perf_counter()
        figures, cleanup = watched_build()
        runs.append(time.perf_counter() - started - cleanup)
        searches.append(indexing[-1] if indexing else None)
        cleanups.append(cleanup)
    middle = sorted(range(PUBLISHES), key=runs.__getitem__)[PUBLISHES // 2]  # the median publish's figures
    return {**figures, "seconds": runs[middle], "runs_s": [round(r, 2) for r in runs], "first_save_s": round(first, 2),
            "search_s": round(searches[middle], 2) if searches[middle] is not None else None,
            "cleanup_after_s": round(cleanups[middle], 2)}


def change_theme() -> Path:
    from pelicanconf import THEME

    if THEME_COPY.exists():
        shutil.rmtree(THEME_COPY)
    shutil.copytree(THEME, THEME_COPY)
    css = THEME_COPY / "static" / "css" / "site.css"
    css.write_text(css.read_text("utf-8") + "\n.article h1 { letter-spacing: .01em; }\n", "utf-8")
    return THEME_COPY


def run_step(step: str, args) -> dict:
    """Run one step in this process (called in a fresh child)."""
    started = time.perf_counter()
    if step == "plain":
        for folder in ("plain", "plain-cache"):
            shutil.rmtree(OUT / folder, ignore_errors=True)
        figures = plain(args.workers)
    elif step == "plain-rebuild":
        figures = plain(args.workers)
    elif step == "full":
        for folder in (OUTPUT, CACHE, OUT / "reports", OUT / "records"):
            shutil.rmtree(folder, ignore_errors=True)
        figures = group_build(args.workers, full=True)
    elif step == "unchanged":
        figures = group_build(args.workers)
    elif step == "one-article":
        change_one_article()
        figures = group_build(args.workers)
    elif step == "publish":
        return {**publish(), "peak_mb": peak_mb()}
    elif step == "theme":
        figures = group_build(args.workers, theme=change_theme())
    elif step == "static":
        figures = static_checks()
    elif step in ("browser-smart", "browser-all"):
        figures = browser(step.split("-")[1], args.sample)
    elif step == "archive":
        figures = archive()
    else:
        raise SystemExit(f"unknown step {step}")
    return {"seconds": time.perf_counter() - started, **figures, "peak_mb": peak_mb()}


def profiled(step: str, args) -> dict:
    """``run_step``, under cProfile when ``--profile DIR`` is given (``DIR/<step>.prof``, for pstats)."""
    if not args.profile:
        return run_step(step, args)
    import cProfile

    global PROFILING
    PROFILING = True
    profile = cProfile.Profile()
    try:
        return profile.runcall(run_step, step, args)
    finally:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
        profile.dump_stats(str(Path(args.profile) / f"{step}.prof"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=4)
    parser.add_argument("--articles", type=int, default=500, help="articles per site")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--sample", type=int, default=200, help="pages for the browser check of every page")
    parser.add_argument("--skip", default="", help="comma-separated steps to skip: " + ",".join(STEPS))
    parser.add_argument("--profile", type=Path, help="run each step under cProfile: DIR/<step>.prof")
    parser.add_argument("--step", help=argparse.SUPPRESS)  # internal: run one step, print JSON
    args = parser.parse_args()
    if args.step:
        print("RESULT " + json.dumps(profiled(args.step, args), ensure_ascii=False), flush=True)
        return
    from bench.make_group import make_group

    make_group(CONTENT, args.sites, args.articles)
    # Content lives in git, as in production (the compliance rules read first-commit dates from it).
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
                                                    "commit", "-q", "-m", "generated group"]):
        subprocess.run(["git", "-C", str(CONTENT), *command], check=True,  # dated before the oldest article
                       env={**os.environ, "GIT_AUTHOR_DATE": "2019-01-01T09:00:00+08:00",
                            "GIT_COMMITTER_DATE": "2019-01-01T09:00:00+08:00"})
    print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{args.sites} sites x {args.articles} articles, workers={args.workers or 'cores'}", flush=True)
    code = OUT / "code"
    if code.exists():
        shutil.rmtree(code)
    for name in SNAPSHOT:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, code / name, ignore=shutil.ignore_patterns("__pycache__", "out"))
        elif (ROOT / name).is_file():
            shutil.copy2(ROOT / name, code / name)
    environment = {**os.environ, "BENCH_OUT": str(OUT)}
    figures = {}
    for step in STEPS:
        if step in args.skip.split(","):
            continue
        command = [sys.executable, str(code / "bench" / "build_group.py"), "--step", step, "--sites", str(args.sites), "--articles",
                   str(args.articles), "--sample", str(args.sample)] + (["--workers", str(args.workers)]
                                                                       if args.workers else []) + (
                   ["--profile", str(args.profile.resolve())] if args.profile else [])
        done = subprocess.run(command, capture_output=True, text=True, cwd=code, env=environment)
        line = next((l for l in done.stdout.splitlines() if l.startswith("RESULT ")), None)
        if line is None:
            print(f"{step}: FAILED\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}", flush=True)
            continue
        result = figures[step] = json.loads(line[7:])
        load = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else []
        result["load"] = " ".join(load)
        extra = {k: v for k, v in result.items() if k not in ("seconds", "peak_mb", "load")}
        print(f"{step:<14} {result['seconds']:8.2f} s  peak {result['peak_mb']:7.0f} MB  load {result['load']}  "
              f"{extra}", flush=True)
    if "plain" in figures and "full" in figures:
        print(f"full build / plain Pelican: {figures['full']['seconds'] / figures['plain']['seconds']:.2f}x")
    if "full" in figures and "one-article" in figures:
        print(f"one-article rebuild / full build: {figures['one-article']['seconds'] / figures['full']['seconds']:.1%}")
    if "full" in figures and "publish" in figures:
        print(f"one-article publish (warm watch) / full build: "
              f"{figures['publish']['seconds'] / figures['full']['seconds']:.1%}")
    if "plain" in figures and "plain-rebuild" in figures:
        print(f"plain Pelican rebuild (its cache) / its full build: "
              f"{figures['plain-rebuild']['seconds'] / figures['plain']['seconds']:.1%}")
    (OUT / "figures.json").write_text(json.dumps(figures, indent=1, ensure_ascii=False), "utf-8")


if __name__ == "__main__":
    main()
