"""The staged site's files at the end of a build, walked once and shared by the steps after the
last write into the staging folder: the site's page list, keeping the times of files whose bytes
did not change, the manifest (which takes the live entries of those files instead of hashing
them again) and the output digest recorded for the next build (``fingerprint.output_digest``).

Nothing may write into the staging folder between :func:`walk_staged` and the swap besides the
manifest, which :func:`output_digest_of` stats itself.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path

from govsite.files import pages_among

from .sitefiles import BUILD_ONLY, RESERVED, SiteFile, walk


@dataclasses.dataclass
class StagedFiles:
    """The walk of a staging folder (``archive.sitefiles.walk``) and what was learnt about its files."""

    root: Path
    files: list[SiteFile]
    #: Paths whose bytes are the live file's (kept by linking, or compared equal): ``keep_times``.
    same: set[str] = dataclasses.field(default_factory=set)
    #: Notes of ``walk`` (linked folders, special files): when there are any, the walk is not reused
    #: for the output digest.
    skipped: list[str] = dataclasses.field(default_factory=list)

    def pages(self, suffixes: tuple[str, ...] = (".html",)) -> list[str]:
        """``files.page_names`` of the folder, from the walk."""
        return pages_among((f.rel for f in self.files if not f.hidden), suffixes)


def walk_staged(staging: Path | str) -> StagedFiles:
    skipped: list[str] = []
    files = walk(staging, skipped)
    return StagedFiles(Path(staging), files, skipped=skipped)


def keep_times(staged: StagedFiles, live: Path, kept: dict[str, int] | None = None,
               live_files: dict[str, tuple[int, int, int]] | None = None) -> int:
    """Give every staged file whose bytes equal the live file's the live file's times (so rsync, and
    anyone looking at mtimes, sees only what changed), noting it in ``staged.same`` and updating its
    walk entry. Returns how many files are the same.

    :param kept: ``{path: inode}`` of pages linked from the live output (``incremental.kept_inodes``):
        while a staged file is still that inode it is the live file, which is not stat'ed.
    :param live_files: ``{path: (inode, size, mtime_ns)}`` of the live output as the build found it
        (``fingerprint.output_files``): a staged file that is one of those inodes is that file too."""
    kept = kept or {}
    live_files = live_files or {}
    if not live.is_dir():
        return 0
    for index, item in enumerate(staged.files):
        if item.link_outside:
            continue
        if kept.get(item.rel) == item.inode or ((known := live_files.get(item.rel)) and known[0] == item.inode):
            staged.same.add(item.rel)
            continue
        old = os.path.join(live, item.rel)
        try:
            before = os.stat(old)
        except OSError:
            continue
        if before.st_size != item.size:
            continue
        if before.st_mtime_ns != item.mtime_ns:  # equal: a kept page (the same file, linked)
            try:
                with open(old, "rb") as a, open(item.location, "rb") as b:
                    if a.read() != b.read():
                        continue
            except OSError:
                continue
            os.utime(item.location, ns=(before.st_atime_ns, before.st_mtime_ns))
            staged.files[index] = dataclasses.replace(item, mtime=before.st_mtime, mtime_ns=before.st_mtime_ns)
        staged.same.add(item.rel)
    return len(staged.same)


def _walk_order(name: str) -> tuple:
    """``fingerprint.sorted_files``' order: a folder's files (sorted), then its folders (sorted), depth first."""
    folder, _, base = name.rpartition("/")
    return tuple(folder.split("/")) if folder else (), base


def output_digest_of(staged: StagedFiles, folder: Path | str) -> str:
    """``fingerprint.output_digest(folder)`` for the folder the staging folder became (or is), from
    the walk: only the manifest files at its top are stat'ed. Computed afresh when the walk
    cannot stand for it (linked folders or special files skipped, a link leaving the folder, a
    folder among the names the walk leaves out)."""
    from govsite.fingerprint import output_digest

    folder = str(folder)
    if staged.skipped or any(f.link_outside for f in staged.files):
        return output_digest(Path(folder))
    stamps = {f.rel: (f.size, f.mtime_ns) for f in staged.files}
    for name in RESERVED | BUILD_ONLY:
        try:
            info = os.lstat(os.path.join(folder, name))
        except FileNotFoundError:
            continue
        if not os.path.isfile(os.path.join(folder, name)) or os.path.islink(os.path.join(folder, name)):
            return output_digest(Path(folder))
        stamps[name] = (info.st_size, info.st_mtime_ns)
    digest = hashlib.blake2b(digest_size=16)
    for name in sorted(stamps, key=_walk_order):
        size, mtime_ns = stamps[name]
        digest.update(f"{name}:{size}:{mtime_ns};".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()
