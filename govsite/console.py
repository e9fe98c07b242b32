"""Console front-ends for the tasks: progress bars, readable summaries, exit codes."""

from __future__ import annotations

import re
import sys
import time
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from . import kept_folders
from .build import DEFAULT_OUTPUT, STAGING, after_report, build_group, select_sites
from .errors import GovsiteError, UsageError
from .records import default_records_dir
from .registry import load_group
from .shard import in_shard

console = Console(stderr=False, highlight=False)
errors = Console(stderr=True, highlight=False)


def fail(exc: GovsiteError) -> int:
    """Print a user-facing error without a traceback; return its exit code."""
    errors.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, highlight=False, soft_wrap=True)
    return exc.exit_code


def data_file_problems(group) -> list:
    """Every problem of the group's data files, as the build checks them: letters (forwards resolved
    across the group), interviews, surveys, service guides (with the platform's ``code_pattern``) and
    the portal's frozen inspection notices."""
    from .compliance.config import load_config
    from .errors import ContentInvalid
    from .inspection_notice import read_notices
    from .interaction.records import group_letters, read_interviews, read_surveys
    from .service_guides import CODE_PATTERN, read_guides
    from .settings import platform_settings

    platform = platform_settings()
    options = platform.get("GOVSITE_SERVICE_GUIDES") or {}
    compliance = load_config(platform.get("GOVSITE_COMPLIANCE"))
    problems = []
    readers = [lambda: group_letters(group, date.today(), compliance)]
    for site in group:
        readers += [lambda site=site: read_interviews(site, compliance),
                    lambda site=site: read_surveys(site, compliance)]
    for reader in readers:
        try:
            reader()
        except ContentInvalid as exc:
            problems += exc.problems
    for site in group:
        problems += read_guides(site, options.get("code_pattern", CODE_PATTERN))[1]
        if group.portal_of(site).id == site.id:
            problems += read_notices(site, group)[1]
    return problems


def validate(content: str) -> int:
    """Validate the group's site.toml files and data files (letters, guides, notices...); print a summary."""
    from .errors import ContentInvalid

    try:
        group = load_group(content)
        problems = data_file_problems(group)
        if problems:
            raise ContentInvalid(problems)
    except GovsiteError as exc:
        return fail(exc)
    table = Table(title=f"{len(group)} site(s) in {content}: valid (site.toml and data files)")
    for column in ("id", "kind", "name", "domain", "site code", "columns"):
        table.add_column(column)
    for site in group:
        table.add_row(site.id, site.kind, site.name, site.domain, site.site_code, str(len(site.columns)))
    console.print(table)
    return 0


def build(content: str, output: str, site_ids: list[str] | None, cache: str | None,
          workers: int | None, strict: bool, reports: str = "reports", records: str | None = None,
          today: str | None = None, full: bool = False, shard: str | None = None, theme: str | None = None,
          pin_records: bool = False, watch: float | None = None) -> int:
    """Build the group with a progress bar; print where each site went and any failures.

    :param watch: keep running and build again, in this process, whenever the content, the theme or
        the settings file change (polled every ``watch`` seconds; ``govsite.watch``). Ctrl-C ends it."""
    settings = {**({"GOVSITE_TODAY": today} if today else {}),
                **({"THEME": str(Path(theme).resolve())} if theme else {})}
    records = records or str(default_records_dir(content))
    if watch is None:
        return build_once(content, output, site_ids, cache, workers, strict, reports, records, today, full, shard,
                          settings, pin_records)
    from . import watch as watching
    from .lifecycle import today_of
    from .settings import platform_conf, platform_theme

    conf = platform_conf()
    inputs = [content, conf, settings.get("THEME") or platform_theme(conf)]

    def scan():  # the build day too: banners, notices and freshness change at midnight
        return watching.tree_state(inputs, ignore=[records]), today_of(settings)

    console.print(f"watching {', '.join(map(str, inputs))} every {watch:g} s (Ctrl-C to stop)")
    try:
        watching.watch(lambda: build_once(content, output, site_ids, cache, workers, strict, reports, records, today,
                                          full, shard, settings, pin_records, in_process=True), scan, watch)
    finally:
        kept_folders.remove_own(Path(output) / STAGING)  # the folders its builds kept for the next
    return 0


def build_once(content, output, site_ids, cache, workers, strict, reports, records, today, full, shard, settings,
               pin_records, in_process: bool = False) -> int:
    """One build of :func:`build` (the sites in worker processes, or here for a watch)."""
    started = time.monotonic()
    try:
        pin = publishing_build(output, today, pin_records)
        group = load_group(content)
        total = len(in_shard(select_sites(group, site_ids), shard))
        columns = (TextColumn("[bold]building"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("{task.description}"))
        with Progress(*columns, console=console, transient=not console.is_terminal) as bar:
            task = bar.add_task("", total=total)

            def advance(result):
                bar.update(task, advance=1, description=f"{result.site_id} {result.status}")

            results = build_group(content, output, site_ids, cache, workers, strict, progress=advance,
                                  reports_dir=reports, records_dir=records, archives_dir="archives",
                                  settings=settings or None, full=full, shard=shard, pin_records=pin,
                                  in_process=in_process, defer_cleanup=in_process)
    except GovsiteError as exc:
        return fail(exc)
    console.print(BuildSummary(results, Path(output), Path(reports), Path(records), pin))
    if in_process:
        console.print(f"built in {time.monotonic() - started:.1f} s; watching")
    for r in results:
        for warning in r.warnings:
            errors.print(f"[yellow]warning[/] {r.site_id}: {warning}", soft_wrap=True)
        if not r.ok:
            errors.print(f"[bold red]error[/] {r.site_id} ({r.domain}): previous output kept\n{r.error}",
                         soft_wrap=True)
    if in_process:
        after_report(output, results)  # caches saved, replaced outputs removed, once the build has reported
    return 0 if all(r.ok for r in results) else 1


class BuildSummary:
    """The table of a build's results and where everything went (a rich renderable).

    Domains are never cut: in a narrow terminal the table leaves out its least needed columns
    (``NARROW_DROPS``, in that order) and says so. Each folder written for a domain a site left
    (``<output>/<old domain>/``) is explained below the table.
    """

    COLUMNS = ("site", "domain", "result", "pages", "rendered", "kept", "seconds", "warnings")
    NARROW_DROPS = ("seconds", "kept", "rendered", "pages")

    def __init__(self, results, output: Path, reports: Path, records: Path, pinned: bool):
        self.results, self.output, self.reports, self.records, self.pinned = results, output, reports, records, pinned

    def table(self, columns) -> Table:
        """The results with these columns only; no cell is cut or wrapped (the title wraps)."""
        where = f"built into {self.output.resolve()}; accessibility reports in {self.reports.resolve()}"
        table = Table(title=Text(where))
        for column in columns:
            table.add_column(column, no_wrap=True, overflow="fold")
        shown = {"built": "[green]ok[/]", "unchanged": "[green]unchanged[/]"}
        for r in self.results:
            cells = {"site": r.site_id, "domain": r.domain, "result": shown.get(r.status, "[red]FAILED[/]"),
                     "pages": str(r.pages), "rendered": str(r.rendered), "kept": str(r.kept),
                     "seconds": f"{r.seconds:.1f}", "warnings": str(len(r.warnings))}
            table.add_row(*(cells[c] for c in columns))
        return table

    def __rich_console__(self, console, options):
        for dropped in range(len(self.NARROW_DROPS) + 1):
            left_out = self.NARROW_DROPS[:dropped]
            table = self.table([c for c in self.COLUMNS if c not in left_out])
            if Measurement.get(console, options.update_width(10_000), table).maximum <= options.max_width:
                break
        yield table
        if left_out:
            yield Text(f"(left out to fit the terminal: {', '.join(left_out)})")
        for r in self.results:
            for old in r.old_domains:
                yield Text(f"{old}/ (an extra folder): the old domain of {r.site_id}, now {r.domain}; its pages "
                           "redirect to the new domain (the change announcement first, during the notice period). "
                           "Serve it at the old domain (docs/lifecycle.md).")
        state = "kept up to date (commit them with the content)" if self.pinned else \
            "read only (a rehearsal pins nothing)"
        yield Text(f"records in {self.records.resolve()}: {state}")


def option(parse, name: str, value):
    """``parse(name, value)`` for a task's option; bad usage prints the message and exits 2 (no traceback)."""
    try:
        return parse(name, value)
    except UsageError as exc:
        sys.exit(fail(exc))


def day(name: str, value) -> str | None:
    """A ``YYYY-MM-DD`` day (None when not given)."""
    if value is None or value == "":
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value), re.ASCII):
            raise ValueError("not of the form YYYY-MM-DD")
        return date.fromisoformat(str(value)).isoformat()
    except ValueError as exc:
        raise UsageError(f"{name} {value!r}: expected a day YYYY-MM-DD, e.g. {name} 2026-12-01 ({exc})") from None


def count(name: str, value, minimum: int = 1) -> int | None:
    """A whole number of at least ``minimum`` (None when not given)."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not re.fullmatch(r"\d+", text, re.ASCII) or int(text) < minimum:
        raise UsageError(f"{name} {value!r}: expected a whole number of at least {minimum}, e.g. {name} 2")
    return int(text)


def seconds(name: str, value) -> float | None:
    """A number of seconds above zero (None when not given)."""
    if value is None or value == "":
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        number = 0.0
    if not number > 0 or number == float("inf"):
        raise UsageError(f"{name} {value!r}: expected a number of seconds above 0, e.g. {name} 2")
    return number


def year(name: str, value) -> int:
    """A four-digit year."""
    text = str(value).strip()
    if not re.fullmatch(r"(19|20|21)\d{2}", text, re.ASCII):
        raise UsageError(f"{name} {value!r}: expected a four-digit year, e.g. {name} 2026")
    return int(text)


def quarter(name: str, value) -> str | None:
    """A quarter ``YYYYQN`` (None when not given)."""
    from .inspection import Quarter

    if value is None or value == "":
        return None
    try:
        return str(Quarter.parse(value))
    except UsageError:
        raise UsageError(f"{name} {value!r}: expected a quarter YYYYQN, e.g. {name} 2026Q4") from None


def port(name: str, value) -> int:
    """A TCP port 1..65535."""
    number = count(name, value)
    if number is None or number > 65535:
        raise UsageError(f"{name} {value!r}: expected a port number from 1 to 65535, e.g. {name} 8000")
    return number


def shard(name: str, value) -> str | None:
    """A ``K/N`` shard (checked by govsite.shard)."""
    from .shard import parse_shard

    if value is None or value == "":
        return None
    parse_shard(value)
    return str(value)


def publishing_build(output: str, today: str | None, pin_records: bool) -> bool:
    """Whether a build writes the records: one as of today into the default output, or one given
    ``--pin-records``. A rehearsal (``--today``, another ``--output``) only reads them."""
    if today and pin_records:
        raise UsageError(f"--pin-records with --today {today}: a record pinned as of another day would mark "
                         "notices as published that are not; rehearse without --pin-records")
    return pin_records or (not today and Path(output).resolve() == Path(DEFAULT_OUTPUT).resolve())


def serve(output: str, port: int) -> int:
    """Serve the built group on 127.0.0.1 until Ctrl-C."""
    from .serve import make_server, site_folders

    server = make_server(output, port)
    for domain in site_folders(Path(output)):
        print(f"  http://127.0.0.1:{port}/{domain}/")
    print("Ctrl-C stops the server.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


def lifecycle(content: str, site_id: str, event: str, fields: dict) -> int:
    """Append a validated lifecycle event to a site's site.toml; say how to publish its notice."""
    from .lifecycle_cli import append_event

    try:
        file = append_event(content, site_id, event, fields)
    except GovsiteError as exc:
        return fail(exc)
    print(f"appended a {event} event to {file}; run `govsite build` to publish its notice")
    return 0


def exit_with(code: int) -> None:
    """Exit the process with ``code`` when it is not zero."""
    if code:
        sys.exit(code)
