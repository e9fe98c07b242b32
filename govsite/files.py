"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import os
from pathlib import Path


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


def page_names(root: Path | str, suffixes: tuple[str, ...] = (".html", ".htm")) -> list[str]:
    """Every file under the folder ``root`` with one of ``suffixes`` (any case), as a relative POSIX
    path, dot-folders and dot-files (such as staging) skipped, sorted by path segments (the order
    of sorted ``Path`` objects). ``os.walk`` on strings: ``pathlib`` took seconds for the 10,000
    pages of a large site, and the link check, the gate and the search list them on every build."""
    found, top = [], len(str(root)) + 1
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        prefix = folder[top:].replace(os.sep, "/")
        prefix = prefix + "/" if prefix else ""
        found.extend(prefix + f for f in files if not f.startswith(".") and os.path.splitext(f)[1].lower() in suffixes)
    return sorted(found, key=lambda name: name.split("/"))
