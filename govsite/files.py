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
