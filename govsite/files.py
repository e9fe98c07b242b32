"""Files the build writes and reads: atomic writes (a reader never sees half a file), listing a
folder's files, reading a JSON state file, hard links with a copy as fallback."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Iterator


def write_bytes_atomic(path: Path | str, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path`` (a new file: never
    written in place, so a hard link to the old file keeps the old bytes)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + f".tmp{os.getpid()}")
    temporary.write_bytes(data)
    temporary.replace(path)


def write_text_atomic(path: Path | str, text: str) -> None:
    """``write_bytes_atomic`` for UTF-8 text."""
    write_bytes_atomic(path, text.encode("utf-8", "surrogateescape"))


def relative_files(root: Path | str) -> Iterator[str]:
    """Every file under the folder ``root`` as a relative POSIX path, dot-folders (such as staging)
    skipped, in ``os.walk`` order. Strings, not ``pathlib``: ``pathlib`` took seconds for the
    10,000 pages of a large site, and several checks list them on every build."""
    top = len(str(root)) + 1
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        prefix = folder[top:].replace(os.sep, "/")
        prefix = prefix + "/" if prefix else ""
        for name in files:
            yield prefix + name


def page_names(root: Path | str, suffixes: tuple[str, ...] = (".html", ".htm")) -> list[str]:
    """The files under ``root`` with one of ``suffixes`` (any case), dot-files skipped
    (``relative_files``), sorted by path segments (the order of sorted ``Path`` objects)."""
    found = [name for name in relative_files(root)
             if not name.rpartition("/")[2].startswith(".") and os.path.splitext(name)[1].lower() in suffixes]
    return sorted(found, key=lambda name: name.split("/"))


def read_json(path: Path | str | None) -> dict:
    """A JSON object from a state file; {} when there is no path or file, or it is damaged (a state
    file only ever saves work: without it the work is done again)."""
    try:
        data = json.loads(Path(path).read_text("utf-8")) if path else {}
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def link_or_copy(source: str | Path, target: str | Path) -> bool:
    """Hard-link ``source`` at ``target`` (True), or copy its bytes and times where links are
    impossible, e.g. across file systems (False). A missing source or an existing target raises."""
    try:
        os.link(source, target)
        return True
    except (FileNotFoundError, FileExistsError):
        raise
    except OSError:
        shutil.copy2(source, target)
        return False
