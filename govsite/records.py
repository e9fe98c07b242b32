"""The public record of what each site has published: ``<content>/_records/<site-id>.json``.

A record lists the site's lifecycle events whose notice is out, the text of every notice as first
published, every URL the site ever published and the snapshots taken when it went offline. It is
the site's memory: later builds render published notices from it and fail when a published event
changed or a published URL would vanish. It lives in the content folder (``_records/``: a folder
``load_group`` does not take for a site) so that it is committed with the content and is there on
every fresh clone; only a publishing build writes it (``invoke build`` without ``--today``, into
the default output or with ``--pin-records``), a rehearsal only reads it.

A record that cannot be read or is not a record (truncated, not UTF-8, keys missing, wrong types)
stops the build with a message naming the file and how to get it back: never read as empty.
"""

from __future__ import annotations

import json
from pathlib import Path

from .errors import ContentInvalid, Problem
from .files import write_text_atomic

#: The records folder inside the group's content folder.
RECORDS_FOLDER = "_records"
#: Keys every record has, with the JSON type of their value. ``notices`` is optional: records
#: written before notices were pinned have none (their notices are pinned by the next build).
REQUIRED = {"site": str, "domain": str, "events": list, "urls": list, "archived": dict}
OPTIONAL = {"notices": list}
#: Settings through which the lifecycle plugin hands the build what it read and published: the
#: record as read at the start (None: none yet) and the notices published (``Notice.record()``).
RECORD_DATA = "GOVSITE_RECORD_DATA"
PUBLISHED_NOTICES = "GOVSITE_PUBLISHED_NOTICES"
NOTICE_KEYS = {"slug": str, "about": str, "title": str, "body": str, "date": str, "facts": dict}


def default_records_dir(content_dir: Path | str) -> Path:
    """Where the group's records live by default: ``<content>/_records``."""
    return Path(content_dir) / RECORDS_FOLDER


def record_file(records_dir: Path | str, site_id: str) -> Path:
    """The record of one site."""
    return Path(records_dir) / f"{site_id}.json"


def _damaged(path: Path, field: str, value, expected: str) -> ContentInvalid:
    fix = (f"; the record is the site's memory of what it published: restore it from git "
           f"(git checkout -- {path}, or git log -- {path} to find its last good version)")
    return ContentInvalid([Problem(path, field, value, expected + fix)])


def read_record(path: Path | str, site_id: str) -> dict | None:
    """The site's record (None when there is none yet); a damaged record raises ContentInvalid."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _damaged(path, "", None, f"a readable file ({exc.strerror})") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise _damaged(path, "", None, f"UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise _damaged(path, "", None, f"complete JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    check_record(path, data, site_id)
    return data


def check_record(path: Path, data, site_id: str) -> None:
    """Raise ContentInvalid naming the first key of ``data`` that is not as a record has it."""
    if not isinstance(data, dict):
        raise _damaged(path, "", type(data).__name__, "a JSON object (a site's record)")
    for key, kind in {**REQUIRED, **OPTIONAL}.items():
        if key not in data and key in REQUIRED:
            raise _damaged(path, key, None, f"a {kind.__name__} (every record has it)")
        if key in data and not isinstance(data[key], kind):
            raise _damaged(path, key, data[key], f"a JSON {_json_name(kind)}")
    if data["site"] != site_id:
        raise _damaged(path, "site", data["site"], f"the record of site {site_id!r} (the file's name)")
    for index, event in enumerate(data["events"]):
        if not isinstance(event, dict) or not isinstance(event.get("event"), str):
            raise _damaged(path, f"events[{index}]", event, "an object with an 'event' name")
    for index, url in enumerate(data["urls"]):
        if not isinstance(url, str):
            raise _damaged(path, f"urls[{index}]", url, "a path inside the site (text)")
    for slug, snapshot in data["archived"].items():
        if not isinstance(snapshot, str):
            raise _damaged(path, f"archived.{slug}", snapshot, "the path of a snapshot (text)")
    for index, notice in enumerate(data.get("notices", [])):
        for key, kind in NOTICE_KEYS.items():
            value = notice.get(key) if isinstance(notice, dict) else None
            if not isinstance(value, kind):
                raise _damaged(path, f"notices[{index}].{key}", value, f"a JSON {_json_name(kind)}")


def _json_name(kind: type) -> str:
    return {str: "string", list: "array", dict: "object"}[kind]


def write_record(path: Path, site_id: str, domain: str, events: list[dict], notices: list[dict],
                 pages: list[str], previous: dict | None, archived: dict[str, str] | None = None) -> None:
    """Write the record (atomic): the published events and notices, every URL ever built (the
    previous record's and ``pages``), the snapshots. Nothing in it depends on the build day, so an
    unchanged site leaves it byte for byte as it was."""
    previous = previous or {}
    known = {n["slug"]: n for n in previous.get("notices", [])}
    known.update({n["slug"]: n for n in notices if n["slug"] not in known})  # the first publication stands
    data = {"site": site_id, "domain": domain, "events": events,
            "notices": sorted(known.values(), key=lambda n: (n["date"], n["slug"])),
            "urls": sorted(set(previous.get("urls", [])) | set(pages)),
            "archived": archived if archived is not None else previous.get("archived", {})}
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if not path.is_file() or path.read_text("utf-8") != text:
        write_text_atomic(path, text)
