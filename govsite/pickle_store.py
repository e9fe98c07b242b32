"""A cache (a dict) pickled as a base file and a small delta beside it, so that a build which
changed a few of its entries writes those, not the whole cache (the link check's scan cache: 10,000
pages took 0.1 s to pickle on every one-article publish).

``save(path, data, tables)``: ``tables`` names the keys of ``data`` whose values are dicts compared
entry by entry with the base; every other key is written whole. The delta (``<path>.delta``)
names the base it applies to by the base file's identity (inode, size, mtime), so a base written
later (or by another process) makes an old delta void: what is read is then the base alone, an
older cache, which a cache of content-keyed entries may always be. Past ``DELTA_SHARE`` of the
entries changed, the base is written again and the delta removed. The data this process last
read or wrote is taken from memory while both files are still what it saw.

The files are pickles the build itself writes in its own cache folder (as Pelican's content cache
is); a missing or damaged one only means an empty cache.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from .files import file_identity, write_bytes_atomic

#: Past this share of a table's entries changed since the base, the base is written again.
DELTA_SHARE = 0.125
DELTA_SUFFIX = ".delta"
_ERRORS = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError, ImportError,
           IndexError, KeyError)

#: ``{path: (base identity, base data, delta identity, data)}`` of the stores this process read or wrote.
_MEMORY: dict[str, tuple[tuple, dict, tuple | None, dict]] = {}


def _read(path: str):
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except _ERRORS:
        return None


def _applied(base: dict, delta) -> dict:
    """``base`` with ``delta`` laid over it (``base`` itself is left as it is)."""
    data = dict(delta["whole"])
    for key, (changed, removed) in delta["tables"].items():
        table = {name: value for name, value in (base.get(key) or {}).items() if name not in removed}
        table.update(changed)
        data[key] = table
    return data


def load(path: Path | str) -> dict:
    """The cache as last saved ({} when missing or damaged)."""
    path = str(path)
    base_id, delta_id = file_identity(path), file_identity(path + DELTA_SUFFIX)
    if base_id is None:
        return {}
    known = _MEMORY.get(path)
    if known and known[0] == base_id and known[2] == delta_id:
        return known[3]
    base = known[1] if known and known[0] == base_id else _read(path)
    if not isinstance(base, dict):
        return {}
    data = base
    if delta_id is not None:
        delta = _read(path + DELTA_SUFFIX)
        if isinstance(delta, dict) and delta.get("base") == base_id:
            try:
                data = _applied(base, delta)
            except _ERRORS:
                data = base  # a damaged delta: the base alone
    _MEMORY[path] = (base_id, base, delta_id, data)
    return data


def _changes(old: dict, new: dict) -> tuple[dict, set]:
    changed = {name: value for name, value in new.items()
               if name not in old or (old[name] is not value and old[name] != value)}
    return changed, {name for name in old if name not in new}


def save(path: Path | str, data: dict, tables: tuple[str, ...]) -> None:
    """Keep ``data``: as a delta over the base this process knows when few entries changed, else whole."""
    path = str(path)
    base_id = file_identity(path)
    known = _MEMORY.get(path)
    if base_id is not None and known and known[0] == base_id:
        base = known[1]
        delta = {"base": base_id, "whole": {k: v for k, v in data.items() if k not in tables}, "tables": {}}
        small = True
        for key in tables:
            old, new = base.get(key) or {}, data.get(key) or {}
            changed, removed = _changes(old, new)
            if len(changed) + len(removed) > max(16, DELTA_SHARE * len(new)):
                small = False
                break
            delta["tables"][key] = (changed, removed)
        if small:
            write_bytes_atomic(path + DELTA_SUFFIX, pickle.dumps(delta, protocol=pickle.HIGHEST_PROTOCOL))
            _MEMORY[path] = (base_id, base, file_identity(path + DELTA_SUFFIX), data)
            return
    write_bytes_atomic(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    try:
        os.unlink(path + DELTA_SUFFIX)
    except FileNotFoundError:
        pass
    new_id = file_identity(path)
    if new_id is not None:
        _MEMORY[path] = (new_id, data, None, data)
