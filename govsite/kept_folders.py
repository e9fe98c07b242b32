"""A watch's replaced output, emptied of its files, kept as the folders of the site's next staging.

Each build writes a whole site into a new staging folder; a publish at 10,000 articles makes its
800 folders again (the pages themselves are hard links) and, once it has reported, removes the
replaced output's 800. Creating a folder allocates a block, which on a file system mounted with
``discard`` (cloud disks) waits for the blocks just freed: 0.3–0.6 ms per folder on the benchmark's
VM, 0.25–0.4 s of a publish. A watching process (``govsite build --watch``) therefore removes the
replaced output's files but keeps its folders (:func:`keep_folders`), and its next build of the site
starts from them (:func:`take_folders`), once it has seen that they hold nothing but folders; the
folders that build leaves empty are removed before its output is checked or described
(:func:`remove_empty_folders`), so its output is the one a build into a new folder makes.

The folders also get the pages the next build will most likely keep: the new live output's pages
the writer wrote or kept (:func:`link_pages`, 0.1 s of a publish at 10,000 pages done while the
watch waits). :func:`take_folders` takes them only as linked (each file the inode it was linked
to); the writer keeps such a page without linking it while the live page is still that file,
unlinks it before writing that name, and unlinks the rest once the article pages are written
(``IncrementalWriter.drop_pages_linked_ahead``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from .files import is_plain_name, stat_identity

SUFFIX = ".folders"
#: ``{kept folders: {page name: (inode, size, mtime_ns)}}``: the live pages linked into them (``keep_folders``)
_linked: dict[str, dict[str, tuple[int, int, int]]] = {}


def folders_path(staging_root: Path, domain: str) -> Path:
    """Where this process keeps the folders of ``domain``'s replaced output (``<domain>.<pid>.folders``)."""
    return staging_root / f"{domain}.{os.getpid()}{SUFFIX}"


def is_own(name: str) -> bool:
    """Whether ``name`` (in the staging root) holds folders kept by this process."""
    return name.endswith(f".{os.getpid()}{SUFFIX}")


def keep_folders(old: Path, kept: Path, live: Path | None = None, pages=()) -> None:
    """Remove every file (and symbolic link) under ``old``, link the live output's ``pages`` into it
    (``link_pages``), then move its folders to ``kept``."""
    _linked.pop(str(kept), None)
    for entry in _entries(old):
        if not entry.is_dir(follow_symlinks=False):
            os.unlink(entry.path)
    linked = link_pages(live, old, pages) if live is not None else {}
    if kept.exists():
        shutil.rmtree(kept)
    kept.parent.mkdir(parents=True, exist_ok=True)
    old.rename(kept)
    if linked:
        _linked[str(kept)] = linked


def link_pages(live: Path, folder: Path, pages) -> dict[str, tuple[int, int, int]]:
    """Hard-link each of ``pages`` (plain relative names) of ``live`` at the same name in ``folder``;
    ``{name: identity}`` of those linked (a page gone from ``live`` is skipped)."""
    linked = {}
    for name in pages:
        if not is_plain_name(name):
            continue
        source, target = os.path.join(live, name), os.path.join(folder, name)
        try:
            try:
                os.link(source, target)
            except FileNotFoundError:
                if not os.path.isfile(source):
                    continue
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.link(source, target)
            linked[name] = stat_identity(os.lstat(target))
        except OSError:
            continue  # (a link across file systems: the build links it, or copies it)
    return linked


def take_folders(kept: Path, staging: Path, pages: bool = False) -> dict[str, tuple[int, int, int]] | None:
    """Move the folders kept at ``kept`` to ``staging`` (which must not exist) when they hold nothing but
    folders and the pages ``keep_folders`` linked, each still the file it linked; anything else there is
    removed. The linked pages (``{name: identity}``; with ``pages`` False, unlinked: {}), or None when
    ``staging`` does not hold them."""
    linked = _linked.pop(str(kept), {})
    if not kept.is_dir() or kept.is_symlink():
        return None
    top = os.path.join(str(kept), "")
    found = []
    for entry in _entries(kept):
        if entry.is_dir(follow_symlinks=False):
            continue
        identity = linked.get(entry.path[len(top):])
        if identity is None or entry.is_symlink() or entry.inode() != identity[0]:
            shutil.rmtree(kept)  # not what keep_folders left: never published
            return None
        found.append(entry.path)
    if len(found) != len(linked):
        linked = {}
        pages = False  # one is gone: none is taken as linked
    if not pages:
        for path in found:
            os.unlink(path)
        linked = {}
    kept.rename(staging)
    return linked


def unlink_pages(folder: Path, linked: dict) -> None:
    """Unlink the pages ``take_folders`` gave (a build that will not keep them as linked)."""
    for name in linked:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(folder, name))


def remove_empty_folders(root: Path) -> int:
    """Remove every folder under ``root`` left without files (deepest first); how many."""
    removed: set[str] = set()
    for folder, folders, files in os.walk(root, topdown=False):  # a folder's subfolders come before it
        if folder != str(root) and not files and all(os.path.join(folder, f) in removed for f in folders):
            os.rmdir(folder)
            removed.add(folder)
    return len(removed)


def _entries(root: Path):
    """Every entry under ``root``, depth first, without following symbolic links."""
    stack = [str(root)]
    while stack:
        with os.scandir(stack.pop()) as listing:
            for entry in listing:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                yield entry


def remove_own(staging_root: Path) -> None:
    """Remove the folders this process kept (a watch that ends), and the staging root if left empty."""
    if not staging_root.is_dir():
        return
    for entry in staging_root.iterdir():
        if is_own(entry.name):
            shutil.rmtree(entry, ignore_errors=True)
    with contextlib.suppress(OSError):
        staging_root.rmdir()  # only when empty
