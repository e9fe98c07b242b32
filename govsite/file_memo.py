"""Values computed from a folder's files, remembered between builds by each file's identity.

A file's identity is its inode, size and mtime in nanoseconds. An incremental build hard-links the
pages it keeps from the live output, so a kept page is the very same file as last time and its
remembered values (content hash, search region digest) are taken without reading it; a rendered
page is a new file and is read. A file rewritten with other bytes gets a new mtime (and, when
replaced, a new inode), so it never matches a stale entry. As git does with its index, a file
modified in the last ``RACY_SECONDS`` is not remembered: a second write within the file system's
clock tick, with the same size, could otherwise go unseen.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Callable

from .files import file_identity, read_json, stat_identity, write_text_atomic

RACY_SECONDS = 2
#: ``{memo file: (its identity, its values)}`` of the memo files this process read or wrote: a
#: watching build takes them from memory while the file is still that one (no JSON parsed again).
_SEEN: dict[str, tuple[tuple[int, int, int], dict[str, list]]] = {}


class FileMemo:
    """``memo.value(root, name, compute)``: ``compute(path)`` unless remembered for this file; ``save()``
    keeps the values of the files asked for in this run (and only writes when something changed)."""

    def __init__(self, path: Path | str | None):
        self.path = Path(path) if path else None
        self.old = self._read() if self.path else {}  # none: compute everything
        self.new: dict[str, list] = {}
        self.reused = 0  # entries of ``new`` that are ``old``'s, unchanged
        self.identities: dict[str, tuple[int, int, int]] = {}  # of every file asked for in this run
        self.links: set[str] = set()  # the files that are symbolic links, when the caller's walk notes them
        self.settled_before = time.time_ns() - RACY_SECONDS * 1_000_000_000

    def value(self, root: Path | str, name: str, compute: Callable[[Path], object],
              identity: tuple[int, int, int] | None = None):
        """The value for ``root/name`` (a JSON-able value); ``identity``: the file's, when the caller
        knows it (``listed_as``), else it is stat'ed."""
        if identity is None:
            identity = stat_identity(os.stat(os.path.join(root, name)))
        self.identities[name] = identity
        known = self.old.get(name)
        if known and known[0] == identity[0] and known[1] == identity[1] and known[2] == identity[2]:
            entry = known
        else:
            entry = [*identity, compute(Path(os.path.join(root, name)))]
        if identity[2] < self.settled_before:
            self.new[name] = entry
            self.reused += entry is known
        return entry[3]

    def _read(self) -> dict[str, list]:
        """The memo file's values: from memory while the file is the one this process last read or saved."""
        identity = file_identity(self.path)
        seen = _SEEN.get(str(self.path))
        if identity is not None and seen and seen[0] == identity:
            return seen[1]
        values = read_json(self.path).get("files") or {}
        if not isinstance(values, dict):
            return {}
        if identity is not None and file_identity(self.path) == identity:
            _SEEN[str(self.path)] = identity, values
        return values

    def save(self) -> None:
        if self.path and not (self.reused == len(self.new) == len(self.old)):
            write_text_atomic(self.path, json.dumps({"files": self.new}, ensure_ascii=False, separators=(",", ":")))
            identity = file_identity(self.path)
            if identity is not None:
                _SEEN[str(self.path)] = identity, self.new


def listed_as(linked: dict[str, tuple[int, int, int]] | None, inodes: dict[str, int]) -> dict[str, tuple[int, int, int]]:
    """The identities among ``linked`` (``{name: identity}`` of files a build hard-linked into a folder
    from the live output, ``incremental.linked_identities``) of the files that are still those: the
    folder's listing (``files.relative_files``' ``inodes``) gives them the same inode. Such a file is
    not stat'ed: it is the file linked (another file put there has another inode), and a write through
    the link fails the build (``incremental.check_kept``)."""
    return {name: identity for name, identity in (linked or {}).items() if inodes.get(name) == identity[0]}


class ProcessFileMemo:
    """``memo(path)``: ``compute(path)`` remembered in this process by the file's identity (as
    :class:`FileMemo`, racy files not remembered), for a long-lived ``govsite build --watch``: each
    build reads only the files that changed since the last. At most ``limit`` files are remembered
    (one entry per path, replaced when the file changes; emptied when full), so memory follows the
    size of the content, not the number of builds."""

    def __init__(self, compute: Callable[[Path], object], limit: int = 1 << 16):
        self.compute, self.limit = compute, limit
        self.values: dict[str, tuple[tuple[int, int, int], object]] = {}

    def __call__(self, path: Path | str, identity: tuple[int, int, int] | None = None):
        """The value for the file at ``path``; ``identity``: the file's, when the caller knows it."""
        key = os.fspath(path)
        if not os.path.isabs(key) or "/." in key or "//" in key:  # else already absolute and normal
            key = os.path.abspath(key)
        if identity is None:
            identity = stat_identity(os.stat(key))
        known = self.values.get(key)
        if known and known[0] == identity:
            return known[1]
        value = self.compute(Path(path))
        if identity[2] < time.time_ns() - RACY_SECONDS * 1_000_000_000:
            if len(self.values) >= self.limit:
                self.values.clear()
            self.values[key] = (identity, value)
        return value
