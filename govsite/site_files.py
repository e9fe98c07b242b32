"""The site folders' files as the build's fingerprint saw them, for the stages of a build in the same
process (``govsite build --watch``): they list a site's articles and know each file's identity without
walking or stat'ing its folder again (a publish at 10,000 articles walked and stat'ed it four times).

``build._build_sites`` records them (:func:`seen_during`) for the length of the build; outside a
build, and in worker processes (which are not given them), nothing is known and the folder is read.
The build is of the files as the fingerprint saw them: a file saved after it is the next build's (its
fingerprint differs), whichever version a stage read.
"""

from __future__ import annotations

import contextlib
import os

Identity = tuple[int, int, int]

#: ``{absolute site folder: {relative POSIX path: (inode, size, mtime_ns)}}`` during a build.
_seen: dict[str, dict[str, Identity]] = {}
#: ``{absolute site folder: its files that are symbolic links}`` during a build.
_links: dict[str, frozenset[str]] = {}
#: ``{absolute path: identity}`` of every file of ``_seen``, made when first asked.
_by_path: dict[str, Identity] = {}


@contextlib.contextmanager
def seen_during(folders: dict[str, tuple[dict[str, Identity], frozenset[str]]]):
    """Know ``{folder: (its files, those that are symbolic links)}`` (the fingerprint's ``FileMemo``
    identities and links: its walk does not enter linked folders) until the block ends."""
    _forget()
    _seen.update({os.path.abspath(folder): files for folder, (files, _) in folders.items()})
    _links.update({os.path.abspath(folder): links for folder, (_, links) in folders.items()})
    try:
        yield
    finally:
        _forget()


def _forget() -> None:
    _seen.clear()
    _links.clear()
    _by_path.clear()


def files_of(folder: str | os.PathLike) -> dict[str, Identity] | None:
    """The files of the site folder ``folder`` (relative POSIX paths) as the build saw them; None: unknown."""
    return _seen.get(os.path.abspath(folder)) if _seen else None


def plain_files(folder: str | os.PathLike) -> set[str] | None:
    """The files of ``folder`` known to lie inside it without a link on the way (None: unknown): the
    build's walk reached them through folders that are not links, and they are not links themselves."""
    folder = os.path.abspath(folder)
    files = _seen.get(folder) if _seen else None
    return None if files is None else files.keys() - _links.get(folder, frozenset())


def identity_of(path: str | os.PathLike) -> Identity | None:
    """The identity the build saw for the file at the absolute ``path`` (None: unknown, stat it)."""
    if not _seen:
        return None
    if not _by_path:
        _by_path.update((os.path.join(folder, name), identity)
                        for folder, files in _seen.items() for name, identity in files.items())
    return _by_path.get(os.fspath(path))


def markdown_under(folder: str | os.PathLike, top: str) -> list[str] | None:
    """The paths (``folder`` joined with each name) of the ``.md`` files under ``<folder>/<top>/`` as the
    build saw them (None: unknown), in the order of the path's parts."""
    files = files_of(folder)
    if files is None:
        return None
    base, prefix = os.fspath(folder), top.rstrip("/") + "/"
    found = [os.path.join(base, name) for name in files if name.startswith(prefix) and name.endswith(".md")]
    found.sort(key=lambda path: path.split(os.sep))
    return found
