"""Append a lifecycle event to a site's site.toml: validated, and never rewriting earlier events."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from .errors import UsageError
from .lifecycle import DATE_FIELDS, EVENT_FIELDS
from .registry import SITE_FILE, load_group


def toml_value(name: str, value: str) -> str:
    """A TOML literal for a command-line value: dates unquoted, booleans as such, text quoted."""
    if name in DATE_FIELDS:
        return date.fromisoformat(value).isoformat()
    if value.lower() in ("true", "false"):
        return value.lower()
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def append_event(content: Path | str, site_id: str, event: str, fields: dict[str, str]) -> Path:
    """Append ``[[lifecycle]]`` to the site's site.toml; the whole group is validated with it first.

    :raises UsageError: unknown site or event, or a value that is not a date where one is needed.
    :raises GroupInvalid: when the group with the new event breaks a rule (nothing is written).
    """
    if event not in EVENT_FIELDS:
        raise UsageError(f"unknown event {event!r}; expected one of: {', '.join(EVENT_FIELDS)}")
    file = Path(content) / site_id / SITE_FILE
    if not file.is_file():
        raise UsageError(f"{file}: no such site")
    try:
        lines = [f"{name} = {toml_value(name, value)}" for name, value in fields.items() if value is not None]
    except ValueError as exc:
        raise UsageError(f"{event}: a date must look like 2026-12-01 ({exc})") from None
    original = file.read_text("utf-8")
    addition = "\n[[lifecycle]]\n" + f'event = "{event}"\n' + "\n".join(lines) + "\n"
    candidate = file.with_name(SITE_FILE + f".new{os.getpid()}")
    candidate.write_text(original.rstrip("\n") + "\n" + addition, "utf-8")
    backup = file.with_name(SITE_FILE + f".old{os.getpid()}")
    os.replace(file, backup)
    os.replace(candidate, file)
    try:
        load_group(content)
    except Exception:
        os.replace(backup, file)  # the group is invalid with the event: leave site.toml as it was
        raise
    backup.unlink()
    return file
