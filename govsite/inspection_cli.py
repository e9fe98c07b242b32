"""``govsite inspect``: the quarterly inspection of the group as JSON, CSV and HTML, and its publication.

It reads what the last build left (``<reports>/<domain>/``, ``<output>/<domain>/``; ``--build`` builds
first), writes ``<reports>/inspection-<quarter>.{json,csv,html}`` and the year's
``<reports>/supervision-report-<year>.csv``; ``--publish`` freezes the result as the portal's notice
``content/<portal>/inspections/<quarter>.toml`` (never over an existing one). CSV files are UTF-8 with a
byte-order mark, which Excel needs to read UTF-8 (as ``govsite annual-report`` writes them).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from . import console
from .annual_report import rows_csv
from .errors import ContentInvalid, GovsiteError, UsageError
from .files import write_text_atomic
from .inspection import SETTING, Quarter, inspect_group, inspection_data, load_settings
from .inspection_notice import csv_text, frozen_form, notice_page, notices_folder, read_notices, toml_text
from .lifecycle import today_of
from .registry import SiteGroup, load_group
from .settings import platform_conf, platform_settings
from .supervision_report import supervision_rows

BOM = "\ufeff"


def portal_of(group: SiteGroup, portal_id: str | None):
    """The site that publishes the notice: the one named, else the only site leading a group (a portal,
    or a national department leading its ministry's group)."""
    leaders = [s for s in group if s.leads_group]
    if portal_id:
        site = group.get(portal_id)
        if site is None or not site.leads_group:
            raise UsageError(f"--portal {portal_id!r}: not a site leading the group; those are: "
                             + ", ".join(s.id for s in leaders))
        return site
    if len(leaders) != 1:
        raise UsageError(f"the group has {len(leaders)} portals ({', '.join(s.id for s in leaders)}): "
                         "name the one that publishes the notice with --portal ID")
    return leaders[0]


def run(content: str = "content", output: str = "output", reports: str = "reports", quarter: str | None = None,
        today: str | None = None, build: bool = False, publish: bool = False, portal: str | None = None,
        cache: str | None = None) -> int:
    """Inspect, write the reports, publish on request; exit 1 on missing or bad inputs, 2 on bad usage."""
    if build:
        code = console.build(content, output, None, cache, None, False, reports, today=today)
        if code:
            console.errors.print("[yellow]note[/] some sites failed to build: their reports describe the "
                                 "failing content, their previous output stays published")
    try:
        conf = platform_conf()
        options = platform_settings(conf)
        settings = load_settings(options.get(SETTING), str(conf))
        group = load_group(content)
        publisher = portal_of(group, portal)
        day = date.fromisoformat(today) if today else today_of(None)
        period = Quarter.parse(quarter) if quarter else Quarter.of(day)
        columns = (TextColumn("[bold]inspecting"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"))
        with Progress(*columns, console=console.console, transient=not console.console.is_terminal) as bar:
            task = bar.add_task("", total=len(group))
            inspection = inspect_group(group, period, day, output, reports, settings, options.get("GOVSITE_LIFECYCLE"),
                                       progress=lambda site_id: bar.update(task, advance=1, description=site_id))
        data = inspection_data(inspection, f"关于{period.label}政府网站检查情况的通报", publisher.organizer)
        frozen = frozen_form(data, inspection.day)
        folder = Path(reports)
        folder.mkdir(parents=True, exist_ok=True)
        base = folder / f"inspection-{period}"
        write_text_atomic(base.with_suffix(".json"), json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        write_text_atomic(base.with_suffix(".csv"), BOM + csv_text(data))
        write_text_atomic(base.with_suffix(".html"), notice_page(frozen))
        published = publish_notice(publisher, group, frozen) if publish else None
        notices, problems = read_notices(publisher, group)
        if problems:
            raise ContentInvalid(problems)
        rows = supervision_rows(group, notices, period.year, inspection.day, options.get("GOVSITE_LIFECYCLE"))
        supervision = folder / f"supervision-report-{period.year}.csv"
        write_text_atomic(supervision, BOM + rows_csv(rows))
    except GovsiteError as exc:
        return console.fail(exc)
    summary(data)
    console.console.print(f"written: {base}.json, .csv and .html; {supervision}", markup=False, soft_wrap=True)
    if published:
        console.console.print(f"published: {published} (review and commit it; the portal's next build shows the "
                              "notice)", markup=False, soft_wrap=True)
    return 0


def publish_notice(portal, group: SiteGroup, frozen: dict) -> Path:
    """Write the frozen notice once; read it back through the schema reader (it must be what the portal reads)."""
    path = notices_folder(portal) / f"{frozen['quarter']}.toml"
    if path.exists():
        raise GovsiteError(f"{path}: the {frozen['quarter']} notice is already published (a public record, never "
                           "rewritten); to correct it, publish a correction notice, or remove the file through a "
                           "reviewed commit if it was never deployed")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, toml_text(frozen))
    return path


def summary(data: dict) -> None:
    table = Table("site", "domain", "state", "score", "verdict", "problems", title=data["title"])
    for site in data["sites"]:
        score = "—" if site["score"] is None else f"{site['score']:g}"
        table.add_row(site["id"], site["domain"], site["state"], score, site["verdict"], str(len(site["problems"])))
    console.console.print(table)
