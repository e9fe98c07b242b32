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
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

SUFFIX = ".folders"


def folders_path(staging_root: Path, domain: str) -> Path:
    """Where this process keeps the folders of ``domain``'s replaced output (``<domain>.<pid>.folders``)."""
    return staging_root / f"{domain}.{os.getpid()}{SUFFIX}"


def is_own(name: str) -> bool:
    """Whether ``name`` (in the staging root) holds folders kept by this process."""
    return name.endswith(f".{os.getpid()}{SUFFIX}")


def keep_folders(old: Path, kept: Path) -> None:
    """Remove every file (and symbolic link) under ``old``, then move its folders to ``kept``."""
    for entry in _entries(old):
        if not entry.is_dir(follow_symlinks=False):
            os.unlink(entry.path)
    if kept.exists():
        shutil.rmtree(kept)
    kept.parent.mkdir(parents=True, exist_ok=True)
    old.rename(kept)


def take_folders(kept: Path, staging: Path) -> bool:
    """Move the folders kept at ``kept`` to ``staging`` (which must not exist) when they hold nothing but
    folders; anything else there is removed. True when ``staging`` now holds them."""
    if not kept.is_dir() or kept.is_symlink():
        return False
    if any(not entry.is_dir(follow_symlinks=False) for entry in _entries(kept)):
        shutil.rmtree(kept)  # not what keep_folders left: never published
        return False
    kept.rename(staging)
    return True


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
