"""Files the build writes and reads: atomic writes (a reader never sees half a file), listing a
folder's files, reading a JSON state file, hard links with a copy as fallback."""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator


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


def relative_files(root: Path | str, inodes: dict[str, int] | None = None) -> Iterator[str]:
    """Every file under the folder ``root`` as a relative POSIX path, dot-folders (such as staging)
    skipped, symbolic links to folders not followed, unreadable folders skipped; each folder's entries
    in name order, depth first: the order of sorted ``Path`` objects, without sorting every path.
    Strings, not ``pathlib``: ``pathlib`` took seconds for the 10,000 pages of a large site, and
    several checks list them on every build. ``inodes`` receives each file's inode as the folder's
    listing gives it (no ``stat``: ``file_memo.listed_as``)."""
    def walk(folder: str, prefix: str) -> Iterator[str]:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            return
        for entry in entries:
            if entry.is_dir():
                if not entry.name.startswith(".") and not entry.is_symlink():
                    yield from walk(entry.path, prefix + entry.name + "/")
            else:
                if inodes is not None:
                    inodes[prefix + entry.name] = entry.inode()
                yield prefix + entry.name

    yield from walk(os.fspath(root), "")


def file_identity(path: str | os.PathLike) -> tuple[int, int, int] | None:
    """``(inode, size, mtime_ns)`` of a file, by which the memos of a long-lived process know it is
    unchanged (None: it cannot be stat'ed)."""
    try:
        return stat_identity(os.stat(path))
    except OSError:
        return None


def stat_identity(info: os.stat_result) -> tuple[int, int, int]:
    """``(inode, size, mtime_ns)`` of a ``stat`` result (``file_identity``)."""
    return info.st_ino, info.st_size, info.st_mtime_ns


def is_plain_name(name: str) -> bool:
    """Whether ``name`` is a plain relative POSIX path: not absolute, no backslash, no empty, ``.`` or
    ``..`` part (joined to a folder, it names a file inside it)."""
    return bool(name) and name[0] != "/" and "\\" not in name and "//" not in name and name[-1] != "/" \
        and "/./" not in (framed := f"/{name}/") and "/../" not in framed


#: What a page's name ends with (any case).
PAGE_SUFFIXES = (".html", ".htm")


def is_page(name: str, suffixes: tuple[str, ...] = PAGE_SUFFIXES) -> bool:
    """Whether the relative name ``name`` is a page: one of ``suffixes``, not a dot-file."""
    return not name.rpartition("/")[2].startswith(".") and os.path.splitext(name)[1].lower() in suffixes


def page_names(root: Path | str, suffixes: tuple[str, ...] = PAGE_SUFFIXES,
               inodes: dict[str, int] | None = None) -> list[str]:
    """The files under ``root`` with one of ``suffixes`` (any case), dot-files and dot-folders skipped,
    in the order of sorted ``Path`` objects (``relative_files``, which fills ``inodes``)."""
    return [name for name in relative_files(root, inodes) if is_page(name, suffixes)]


def pages_among(names, suffixes: tuple[str, ...] = PAGE_SUFFIXES, ordered: bool = False) -> list[str]:
    """``page_names`` of a folder from its files already listed (any order; ``ordered``: in
    ``relative_files``' order, kept)."""
    pages = (name for name in names if is_page(name, suffixes))
    return list(pages) if ordered else sorted(pages, key=lambda name: name.split("/"))


@dataclass(frozen=True)
class Listing:
    """A folder's files as one ``relative_files`` walk found them: names in its order, their inodes.
    A build's output checks share one (``govsite.output_listing``)."""

    names: list[str]
    inodes: dict[str, int]

    @classmethod
    def of(cls, root: Path | str) -> "Listing":
        inodes: dict[str, int] = {}
        return cls(list(relative_files(root, inodes)), inodes)

    def pages(self, suffixes: tuple[str, ...] = PAGE_SUFFIXES) -> list[str]:
        """``page_names`` of the folder, from the listing."""
        return pages_among(self.names, suffixes, ordered=True)


#: The first words of the warning for a damaged state file (not a content problem: ``--strict``
#: does not fail a site for it, else a damaged cache would fail every later build).
DAMAGED_STATE = "damaged state file ignored"


def read_json(path: Path | str | None) -> dict:
    """A JSON object from a state file; {} when there is no path or file, or it is damaged (a state
    file only ever saves work: without it the work is done again). A damaged one (truncated, not
    UTF-8, not an object) is logged as a warning naming it."""
    if not path or not os.path.exists(path):
        return {}
    try:
        data = json.loads(Path(path).read_text("utf-8"))
        if isinstance(data, dict):
            return data
        reason = f"a JSON {type(data).__name__}, not an object"
    except (OSError, ValueError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        reason = str(exc)
    logging.getLogger(__name__).warning("%s: %s (%s); it is rebuilt", DAMAGED_STATE, path, reason)
    return {}


def describe_os_error(exc: OSError, where: Path | str | None = None) -> str:
    """A message for a failed read or write naming the path and the fix (a full disk, a read-only
    or unwritable folder, anything else with its system message)."""
    path = exc.filename or where or "(unknown path)"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"{path}: no space left on the device (or quota exceeded); free some space or build into "
                "another --output / --cache, then build again (the previous output is kept)")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"{path}: cannot write here ({exc.strerror}); make the folder writable for this user or build "
                "into another --output / --cache (the previous output is kept)")
    return f"{path}: {exc.strerror or exc}"


def link_tree(source: str | Path, target: str | Path, skip: Callable[[str], bool] = lambda name: False) -> bool:
    """Hard-link (where impossible, copy) every file under the folder ``source`` at the same place
    under ``target`` (folders made; a name ``skip`` accepts left out, at every level): ``shutil.copytree``
    with ``link_or_copy``, without its ``stat`` and ``copystat`` of every entry. False, and stopped,
    at anything that is neither a plain file nor a folder (a symbolic link is never followed out)."""
    os.makedirs(target, exist_ok=True)
    with os.scandir(source) as listing:
        entries = list(listing)
    for entry in entries:
        if skip(entry.name):
            continue
        path = os.path.join(target, entry.name)
        if entry.is_symlink():
            return False
        if entry.is_dir():
            if not link_tree(entry.path, path, skip):
                return False
        elif entry.is_file():
            link_or_copy(entry.path, path)
        else:
            return False
    return True


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
