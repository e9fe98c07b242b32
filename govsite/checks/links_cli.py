"""``govsite check-links [PATH...]`` (``python -m govsite.checks.links_cli``): the link check on any folder of HTML.

Each PATH is one site's output. Its own domain is ``--domain`` or the folder's name when that is a
host name; the sibling folders named like hosts are the group's other sites (cross-site links are
checked against them). ``--external`` also checks external links (cache, pacing, timeout).
Exit 0 when every link resolves, 1 when one does not, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import re
import runpy
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from govsite.errors import GovsiteError
from govsite.settings import platform_conf

from .external_links import ExternalChecker
from .links import check_links
from .links_report import write_reports
from .links_settings import SETTING, load_link_settings
from .policy import SETTING as A11Y_SETTING
from .policy import load_policy
from .static_engine import list_pages

HOST = re.compile(r"^[a-z0-9\u4e00-\u9fff-]+(\.[a-z0-9\u4e00-\u9fff-]+)+$")


def parser(prog: str = "python -m govsite.checks.links_cli") -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0])
    p.add_argument("paths", nargs="*", type=Path, help="site output folders to check (default: every built site "
                                                       "in --output)")
    p.add_argument("--output", type=Path, default=Path("output"), metavar="DIR",
                   help="the built group whose sites are checked when no path is given (default: output)")
    p.add_argument("--domain", help="the site's own host (default: the folder name when it is a host)")
    p.add_argument("--external", action="store_true", help="also check external links (network)")
    p.add_argument("--cache", type=Path, metavar="FILE", help="external results cache (default: setting)")
    p.add_argument("--report", type=Path, metavar="DIR", help="write links.json and links.html (DIR/<name>/ for several)")
    p.add_argument("--workers", type=int, help="parsing processes (default: cores)")
    p.add_argument("--settings", type=Path,
                   help=f"Python settings file with {SETTING} and {A11Y_SETTING} "
                        "(default: ./pelicanconf.py, else the package defaults)")
    return p


def siblings(path: Path) -> dict[str, Path]:
    """The group's other sites: folders beside ``path`` named like hosts."""
    parent = path.resolve().parent
    return {p.name: p for p in parent.iterdir() if p.is_dir() and HOST.match(p.name)}


def site_folders(output: Path | str) -> list[str]:
    """Every built site folder of a group output (the default paths of ``check`` and ``check-links``)."""
    root = Path(output)
    return [str(p) for p in sorted(root.iterdir()) if p.is_dir() and HOST.match(p.name)] if root.is_dir() else []


def _progress(bar: Progress, label: str, total: int):
    task = bar.add_task(label, total=total)
    return lambda n=1: bar.update(task, advance=n)


def parse_site_paths(p: argparse.ArgumentParser, argv: list[str] | None):
    """``p``'s arguments, with ``paths`` defaulting to every built site of ``--output`` (exit 2 when
    there is none)."""
    args = p.parse_args(argv)
    args.paths = args.paths or [Path(folder) for folder in site_folders(args.output)]
    if not args.paths:
        p.error(f"no path given and no built site in {args.output}/ (build first, or name a folder of HTML)")
    return args


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    args = parse_site_paths(parser(prog) if prog else parser(), argv)
    settings_file = args.settings or platform_conf()
    out, err = Console(highlight=False), Console(stderr=True, highlight=False)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        conf = runpy.run_path(str(settings_file)) if settings_file.is_file() else {}
        options = load_link_settings(conf.get(SETTING), source=str(settings_file))
        ads = load_policy(conf.get(A11Y_SETTING), source=str(settings_file)).ad_domains
        missing = [p for p in args.paths if not p.is_dir()]
        if missing:
            err.print(f"error: no such folder: {', '.join(map(str, missing))}", soft_wrap=True, markup=False)
            return 2
        passed, reports = True, {}
        for path in args.paths:
            name = path.resolve().name
            domain = args.domain or (name if HOST.match(name) else "")
            with Progress(*columns, console=err, transient=True) as bar:
                report = check_links(path, domain, siblings(path), ads, workers=args.workers,
                                     progress=_progress(bar, f"links {name}", len(list_pages(path))),
                                     unverifiable_fails=options.unverifiable_fails)
            reports[path] = report
            out.print(f"{name}: {report.pages} pages, {report.links} links, {len(report.broken)} broken, "
                      f"{len(report.unverifiable)} unverifiable, {len(report.external)} external", markup=False)
            for finding in report.broken[:100]:
                out.print(f"  {finding}", soft_wrap=True, markup=False)
            passed = passed and report.passed
        results = None
        if args.external:
            urls = {url for report in reports.values() for url in report.external}
            checker = ExternalChecker(options, args.cache)
            with Progress(*columns, console=err, transient=True) as bar:
                results = checker.check(urls, progress=_progress(bar, "external links", len(urls)))
            bad = {url: r for url, r in results.items() if not r["ok"]}
            out.print(f"external: {len(results)} checked ({len(checker.requested)} requested, "
                      f"{len(results) - len(checker.requested)} from the cache), {len(bad)} broken", markup=False)
            for url, result in sorted(bad.items()):
                pages = sorted({p for r in reports.values() for p in r.external.get(url, ())})
                out.print(f"  {url} — {result['error']} (on {', '.join(pages[:5])})", soft_wrap=True, markup=False)
            passed = passed and not bad
        if args.report:
            for path, report in reports.items():
                folder = args.report / path.resolve().name if len(reports) > 1 else args.report
                mine = {u: results[u] for u in report.external} if results is not None else None
                write_reports(report, folder, path.resolve().name, mine)
                out.print(f"report: {folder / 'links.html'}", markup=False)
        return 0 if passed else 1
    except GovsiteError as exc:
        err.print(f"error: {exc}", markup=False, soft_wrap=True)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
