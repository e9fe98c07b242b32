"""Fingerprints of everything a site's build reads, so an unchanged site is not built again.

A site's fingerprint covers: the files of its folder, every ``site.toml`` of the group (the portal
carries the lifecycle notices of every site, a department shows its portal), ``pelicanconf.py``, the
theme folder, the platform's Python code (the ``govsite`` package) and the installed Pelican and Markdown versions, the build's setting overrides and
options, the environment variables the build reads (``GOVSITE_*``, ``SOURCE_DATE_EPOCH``), other
sites' files the site's build reads (``govsite.syndication.foreign_inputs``) and the build day.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path
from typing import Iterator

from .file_memo import FileMemo
from .files import stat_identity
from .registry import Site, SiteGroup

#: The platform's code (this package: the plugins, checks, compliance and archive code are in it),
#: whose Python files are part of every fingerprint.
CODE_FOLDERS = (Path(__file__).resolve().parent,)
#: Installed distributions whose versions are part of every fingerprint.
DISTRIBUTIONS = ("pelican", "markdown", "jinja2")
SKIPPED_NAMES = {"__pycache__", ".DS_Store"}
#: Site folders whose files only their own pages show (an article, the images and attachments it
#: names): left out of the render fingerprint, covered by each article page's key instead. Any other
#: file of the site (site.toml, pages, annual report data, redirects) may show on every page.
OWN_PAGE_FOLDERS = ("articles", "images", "attachments")


def file_digest(path: Path | str) -> str:
    """BLAKE2b of a file's bytes."""
    with open(path, "rb") as handle:
        return hashlib.blake2b(handle.read(), digest_size=16).hexdigest()


def sorted_files(folder: str, skipped: frozenset[str] | set[str] = frozenset(),
                 exclude: tuple[str, ...] = (), links: set[str] | None = None) -> Iterator[tuple[str, str]]:
    """``(relative POSIX path, path)`` of every file under ``folder`` in a stable order (sorted
    folder by folder), leaving out the names in ``skipped`` and the top-level folders in ``exclude``;
    ``links`` receives the relative paths that are symbolic links (``boundary.leaving``)."""
    for relative, entry in _entries(folder, skipped, exclude):
        if links is not None and entry.is_symlink():
            links.add(relative)
        yield relative, entry.path


def _entries(folder: str, skipped: frozenset[str] | set[str] = frozenset(),
             exclude: tuple[str, ...] = ()) -> Iterator[tuple[str, os.DirEntry]]:
    """``(relative POSIX path, entry)`` of every entry under ``folder`` that is not a folder, as
    ``os.walk`` finds them (folders linked are not entered, unreadable ones left out): a folder's
    entries sorted by name, then its folders, depth first."""
    def visit(path: str, prefix: str) -> Iterator[tuple[str, os.DirEntry]]:
        try:
            with os.scandir(path) as listing:
                entries = sorted(listing, key=_name)
        except OSError:
            return
        folders = []
        for entry in entries:
            if entry.name in skipped:
                continue
            if _is_folder(entry):
                if not (not prefix and entry.name in exclude) and not entry.is_symlink():
                    folders.append(entry)
                continue
            yield prefix + entry.name, entry
        for entry in folders:
            yield from visit(entry.path, prefix + entry.name + "/")

    yield from visit(folder, "")


def tree_digest(folder: Path, suffixes: tuple[str, ...] | None = None, exclude: tuple[str, ...] = (),
                memo: FileMemo | None = None) -> str:
    """One digest of every file under ``folder`` (relative paths and bytes; '' when it is missing),
    leaving out the top-level folders named in ``exclude``. ``memo`` (a ``FileMemo`` of this folder)
    spares reading files that are the same as when it was saved (a 100-site group has 100,000)."""
    folder = str(folder)
    if not os.path.exists(folder):
        return ""
    digest = hashlib.blake2b(digest_size=16)
    for relative, path in sorted_files(folder, SKIPPED_NAMES, exclude, memo.links if memo else None):
        if suffixes and not relative.endswith(suffixes):
            continue
        value = memo.value(folder, relative, file_digest) if memo else file_digest(path)
        digest.update(relative.encode("utf-8", "surrogateescape") + b"\0" + value.encode())
    return digest.hexdigest()


def output_digest(folder: Path) -> str:
    """A digest of a built site's files as they stand (paths, sizes, mtimes; no reading): a file
    added, removed or edited in the output since the build changes it ('' when it is missing)."""
    files = output_files(folder)
    return "" if files is None else digest_of_files(files)


def output_files(folder: Path | str) -> dict[str, tuple[int, int, int]] | None:
    """``{relative POSIX path: (inode, size, mtime_ns)}`` of every file under ``folder`` in
    ``sorted_files``' order (symbolic links followed, as ``os.stat`` does; None when it is missing):
    what ``output_digest`` describes, with the inodes (``incremental``: the pages a build links)."""
    folder = os.fspath(folder)
    if not os.path.isdir(folder):
        return None
    return {relative: stat_identity(entry.stat()) for relative, entry in _entries(folder)}


def _name(entry: os.DirEntry) -> str:
    return entry.name


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def digest_of_files(files: dict[str, tuple[int, int, int]]) -> str:
    """``output_digest`` of the files ``output_files`` found."""
    digest = hashlib.blake2b(digest_size=16)
    for relative, (_, size, mtime_ns) in files.items():
        digest.update(f"{relative}:{size}:{mtime_ns};".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    found = {}
    for name in DISTRIBUTIONS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = ""
    return found


def platform_digest(conf: Path, theme: Path) -> dict[str, str]:
    """What every site of the group shares: code, library versions, settings file, theme."""
    return {
        "code": hashlib.blake2b("".join(tree_digest(f, (".py",)) for f in CODE_FOLDERS).encode(),
                                digest_size=16).hexdigest(),
        "versions": json.dumps(_versions(), sort_keys=True),
        "conf": file_digest(conf) if conf.is_file() else "",
        "theme": tree_digest(theme),
    }


def group_digest(group: SiteGroup) -> str:
    """Every site.toml of the group (ids, bytes)."""
    return hashlib.blake2b("".join(f"{s.id}:{file_digest(s.file)};" for s in group).encode(),
                           digest_size=16).hexdigest()


def foreign_digest(group: SiteGroup, site: Site, memo: dict | None = None) -> str:
    """Other sites' files this site's build reads (none when the syndication module is absent).

    :param memo: digests by portal: every department of a portal reads the same portal files, so a
        group's fingerprints read the portal's article headers once, not once per department."""
    try:
        from .syndication import foreign_inputs
    except ImportError:
        return ""
    # every department of a portal reads the same portal files; a portal reads its own departments'
    key = f"reprints:{group.portal_of(site).id}" if site.kind == "department" and site.parent else f"site:{site.id}"
    if memo is not None and key in memo:
        return memo[key]
    files = [p for p in foreign_inputs(group, site) if p.is_file()]
    root = site.folder.parent
    value = hashlib.blake2b("".join(f"{os.path.relpath(p, root)}:{file_digest(p)};" for p in files).encode(),
                            digest_size=16).hexdigest()
    if memo is not None:
        memo[key] = value
    return value


def environment(environ=os.environ) -> dict[str, str]:
    """The environment variables a build reads (signing key, reproducible build time)."""
    return {k: v for k, v in sorted(environ.items()) if k.startswith("GOVSITE_") or k == "SOURCE_DATE_EPOCH"}


def render_fingerprint(group: SiteGroup, site: Site, shared: dict[str, str], options: dict,
                       memo: FileMemo | None = None, foreign: dict | None = None) -> str:
    """What every page of the site is rendered with, besides its own content: platform code, versions,
    settings file, theme, every site.toml, the site's files outside ``OWN_PAGE_FOLDERS``, other
    sites' files it reads, build options, environment.

    :param shared: ``platform_digest(...)`` plus ``{"group": group_digest(group)}``, computed once.
    :param options: the build's settings overrides and options, the build day (JSON-able).
    :param memo: the site folder's ``FileMemo``; ``foreign``: see ``foreign_digest``.
    """
    parts = {"shared": shared, "options": options, "environment": environment(), "site": site.id,
             "foreign": foreign_digest(group, site, foreign),
             "site_files": tree_digest(site.folder, exclude=OWN_PAGE_FOLDERS, memo=memo)}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def site_fingerprint(site: Site, render: str, memo: FileMemo | None = None) -> str:
    """The fingerprint of one site's build (its render fingerprint and every file of its folder):
    equal fingerprints mean the build would write the same output."""
    return hashlib.sha256(f"{render}:{tree_digest(site.folder, memo=memo)}".encode()).hexdigest()
