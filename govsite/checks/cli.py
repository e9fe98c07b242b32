"""``govsite check [PATH...]`` (``python -m govsite.checks``): the accessibility gate on any folder of HTML.

Exit 0 when the policy is met, 1 when it is not, 2 on bad usage or unreadable input.
"""

from __future__ import annotations

import argparse
import runpy
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from govsite.errors import GovsiteError
from govsite.settings import platform_conf

from .gate import run_gate
from .html_page import UnreadableInput
from .links_cli import parse_site_paths
from .policy import MODE_ATTRIBUTES, SETTING, load_policy



def parser(prog: str = "python -m govsite.checks") -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0])
    p.add_argument("paths", nargs="*", type=Path,
                   help="folders (or files) of HTML to check (default: every built site in --output)")
    p.add_argument("--output", type=Path, default=Path("output"), metavar="DIR",
                   help="the built group whose sites are checked when no path is given (default: output)")
    p.add_argument("--engine", choices=("static", "axe", "keyboard", "both", "all"),
                   help="which engines run: both = static + axe, all = + keyboard (default: policy, both)")
    p.add_argument("--report", type=Path, metavar="DIR",
                   help="write report.json, junit.xml and index.html here (DIR/<name>/ for several paths)")
    p.add_argument("--baseline", metavar="FILE", help="accepted known findings (only new problems fail)")
    p.add_argument("--write-baseline", type=Path, metavar="FILE", help="record the current findings as a baseline")
    p.add_argument("--pages", choices=("smart", "all"), help="which pages the browser checks (default: smart)")
    p.add_argument("--state", type=Path, metavar="FILE", help="smart selection state (last passing check)")
    p.add_argument("--workers", type=int, help="browser sessions and static processes (default: cores)")
    p.add_argument("--remote", metavar="URL", help="a remote WebDriver (Selenium Grid) instead of local Chromium")
    p.add_argument("--modes", help="comma-separated modes: " + ",".join(MODE_ATTRIBUTES))
    p.add_argument("--axe-script", metavar="FILE", help="another axe.min.js instead of the vendored axe-core")
    p.add_argument("--axe-integrity", metavar="SHA512", help="the sha512-... the --axe-script file must match")
    p.add_argument("--profile", choices=("platform", "wcag"),
                   help="platform (default: every rule) or wcag (WCAG rules only, for HTML that is not a platform site)")
    p.add_argument("--settings", type=Path,
                   help=f"Python settings file whose {SETTING} dict is the policy "
                        "(default: ./pelicanconf.py, else the package defaults)")
    return p


def overrides_from(args) -> dict:
    values = {"engine": args.engine, "pages": args.pages, "workers": args.workers, "remote": args.remote,
              "baseline": args.baseline, "axe_script": args.axe_script, "axe_integrity": args.axe_integrity,
              "profile": args.profile,
              "modes": args.modes.split(",") if args.modes else None}
    return {key: value for key, value in values.items() if value is not None}


def progress_factory(bar: Progress):
    def start(label: str, total: int):
        task = bar.add_task(label, total=total)
        return lambda n=1: bar.update(task, advance=n)
    return start


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    args = parse_site_paths(parser(prog) if prog else parser(), argv)
    settings_file = args.settings or platform_conf()
    out, err = Console(highlight=False), Console(stderr=True, highlight=False)
    try:
        settings = runpy.run_path(str(settings_file)).get(SETTING) if settings_file.is_file() else None
        policy = load_policy(settings, overrides_from(args), source=str(settings_file))
        missing = [p for p in args.paths if not p.exists()]
        if missing:
            err.print(f"error: no such file or folder: {', '.join(map(str, missing))}", soft_wrap=True)
            return 2
        passed = True
        for path in args.paths:
            report = args.report / path.resolve().name if args.report and len(args.paths) > 1 else args.report
            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
            with Progress(*columns, console=err, transient=True) as bar:
                result = run_gate(path, policy, report_dir=report, state_path=args.state,
                                  baseline_out=args.write_baseline, progress=progress_factory(bar))
            out.print(result.summary(), soft_wrap=True, markup=False)
            for finding in result.failing[:50]:
                out.print(f"  {finding}", soft_wrap=True, markup=False)
            if report:
                out.print(f"reports: {report / 'index.html'} (also report.json, junit.xml)")
            passed = passed and result.passed
        return 0 if passed else 1
    except UnreadableInput as exc:
        err.print(f"error: {exc}", markup=False, soft_wrap=True)
        return 2
    except GovsiteError as exc:
        err.print(f"error: {exc}", markup=False, soft_wrap=True)
        return exc.exit_code
