"""The ``invoke migrate`` front-end: a progress bar, a summary, exit codes."""

from __future__ import annotations

from collections import Counter

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from govsite.console import console, errors, fail
from govsite.errors import GovsiteError

from .run import Settings, migrate

_PHASES = {"read": "reading pages", "write": "writing content"}


def run(settings: Settings) -> int:
    """Migrate with a progress bar; print the totals and where the report is. Returns the exit code."""
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console, transient=not console.is_terminal) as bar:
            tasks: dict[str, int] = {}

            def progress(phase: str, done: int, total: int) -> None:
                if phase not in tasks:
                    tasks[phase] = bar.add_task(_PHASES.get(phase, phase), total=total)
                bar.update(tasks[phase], completed=done)

            outcome = migrate(settings, progress)
    except GovsiteError as exc:
        return fail(exc)
    data = outcome.data
    t = data["totals"]
    table = Table(title=f"{settings.site_id}: {t['pages']} source pages"
                  + (" (dry run: nothing written)" if settings.dry_run else ""))
    for name in ("imported", "skipped", "failed", "images without alt", "broken links", "assets", "pages/s"):
        table.add_column(name)
    table.add_row(str(t["imported"]), str(t["skipped"]), str(t["failed"]), str(t["images_missing_alt"]),
                  str(t["broken_links"]), str(t["assets"]), str(data["pages_per_second"]))
    console.print(table)
    console.print(f"report: {outcome.json_path} and {outcome.html_path}")
    draft = data["site"].get("draft")
    if draft and draft["problems"]:
        errors.print(f"[yellow]review[/] {data['site']['site_toml']} is a DRAFT ({draft['action'] or 'not written'}); "
                     f"the group does not validate until these {len(draft['problems'])} problem(s) are fixed:",
                     soft_wrap=True)
        for problem in draft["problems"]:
            errors.print(f"  - {problem}", soft_wrap=True, markup=False)
    elif draft:
        errors.print(f"[yellow]review[/] {data['site']['site_toml']} is a DRAFT ({draft['action'] or 'unchanged'}): "
                     "it validates; check every value, then delete its DRAFT lines", soft_wrap=True)
    if data["edits"]:
        by_rule = ", ".join(f"{n} {rule}" for rule, n in sorted(Counter(e["rule"] for e in data["edits"]).items()))
        errors.print(f"[yellow]before the first build[/] {len(data['edits'])} edit(s) to make ({by_rule}): each with "
                     f"its file and line in the report (\"edits\", 首次构建前必须完成的修改)", soft_wrap=True)
    migration = data["site"].get("migration")
    if migration:
        errors.print(f"freshness: migrated {migration['migrated']}, grace until {migration['grace_until']} "
                     f"({migration['grace_days']} days); publish new items before then", soft_wrap=True)
    if data["unmapped_columns"]:
        errors.print("[yellow]unmapped old columns[/] (see the suggested mapping file next to the report): "
                     + ", ".join(data["unmapped_columns"]), soft_wrap=True)
    return 0
