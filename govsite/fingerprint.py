"""Fingerprints of everything a site's build reads, so an unchanged site is not built again.

A site's fingerprint covers: the files of its folder, every ``site.toml`` of the group (the portal
carries the lifecycle notices of every site, a department shows its portal), ``pelicanconf.py``, the
theme folder, the platform's Python code (``govsite/``, ``plugins/``, ``checks/``, ``archive/``,
``compliance/``) and the installed Pelican and Markdown versions, the build's setting overrides and
options, the environment variables the build reads (``GOVSITE_*``, ``SOURCE_DATE_EPOCH``), other
sites' files the site's build reads (``govsite.syndication.foreign_inputs``) and the build day.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

from .registry import Site, SiteGroup

ROOT = Path(__file__).resolve().parent.parent
#: The platform's code folders whose Python files are part of every fingerprint.
CODE_FOLDERS = ("govsite", "plugins", "checks", "archive", "compliance")
#: Installed distributions whose versions are part of every fingerprint.
DISTRIBUTIONS = ("pelican", "markdown", "jinja2", "pagefind")
SKIPPED_NAMES = {"__pycache__", ".DS_Store"}
#: Site folders whose files only their own pages show (an article, the images and attachments it
#: names): left out of the render fingerprint, covered by each article page's key instead. Any other
#: file of the site (site.toml, pages, annual report data, redirects) may show on every page.
OWN_PAGE_FOLDERS = ("articles", "images", "attachments")


def file_digest(path: Path) -> str:
    """BLAKE2b of a file's bytes."""
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def tree_digest(folder: Path, suffixes: tuple[str, ...] | None = None, exclude: tuple[str, ...] = ()) -> str:
    """One digest of every file under ``folder`` (relative paths and bytes; '' when it is missing),
    leaving out the top-level folders named in ``exclude``."""
    folder = Path(folder)
    if not folder.exists():
        return ""
    digest = hashlib.blake2b(digest_size=16)
    for dirpath, dirnames, filenames in os.walk(folder):
        top = dirpath == str(folder)
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_NAMES and not (top and d in exclude))
        for name in sorted(filenames):
            if name in SKIPPED_NAMES or (suffixes and not name.endswith(suffixes)):
                continue
            path = Path(dirpath, name)
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + file_digest(path).encode())
    return digest.hexdigest()


def output_digest(folder: Path) -> str:
    """A digest of a built site's files as they stand (paths, sizes, mtimes; no reading): a file
    added, removed or edited in the output since the build changes it ('' when it is missing)."""
    folder = Path(folder)
    if not folder.is_dir():
        return ""
    digest = hashlib.blake2b(digest_size=16)
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            info = os.stat(os.path.join(dirpath, name))
            digest.update(f"{os.path.relpath(os.path.join(dirpath, name), folder)}:{info.st_size}:"
                          f"{info.st_mtime_ns};".encode("utf-8", "surrogateescape"))
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
        "code": hashlib.blake2b("".join(tree_digest(ROOT / f, (".py",)) for f in CODE_FOLDERS).encode(),
                                digest_size=16).hexdigest(),
        "versions": json.dumps(_versions(), sort_keys=True),
        "conf": file_digest(conf) if conf.is_file() else "",
        "theme": tree_digest(theme),
    }


def group_digest(group: SiteGroup) -> str:
    """Every site.toml of the group (ids, bytes)."""
    return hashlib.blake2b("".join(f"{s.id}:{file_digest(s.file)};" for s in group).encode(),
                           digest_size=16).hexdigest()


def foreign_digest(group: SiteGroup, site: Site) -> str:
    """Other sites' files this site's build reads (none when the syndication module is absent)."""
    try:
        from .syndication import foreign_inputs
    except ImportError:
        return ""
    files = [p for p in foreign_inputs(group, site) if p.is_file()]
    root = site.folder.parent
    return hashlib.blake2b("".join(f"{os.path.relpath(p, root)}:{file_digest(p)};" for p in files).encode(),
                           digest_size=16).hexdigest()


def environment(environ=os.environ) -> dict[str, str]:
    """The environment variables a build reads (signing key, reproducible build time)."""
    return {k: v for k, v in sorted(environ.items()) if k.startswith("GOVSITE_") or k == "SOURCE_DATE_EPOCH"}


def render_fingerprint(group: SiteGroup, site: Site, shared: dict[str, str], options: dict) -> str:
    """What every page of the site is rendered with, besides its own content: platform code, versions,
    settings file, theme, every site.toml, the site's files outside ``OWN_PAGE_FOLDERS``, other
    sites' files it reads, build options, environment.

    :param shared: ``platform_digest(...)`` plus ``{"group": group_digest(group)}``, computed once.
    :param options: the build's settings overrides and options, the build day (JSON-able).
    """
    parts = {"shared": shared, "options": options, "environment": environment(), "site": site.id,
             "foreign": foreign_digest(group, site), "site_files": tree_digest(site.folder, exclude=OWN_PAGE_FOLDERS)}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def site_fingerprint(site: Site, render: str) -> str:
    """The fingerprint of one site's build (its render fingerprint and every file of its folder):
    equal fingerprints mean the build would write the same output."""
    return hashlib.sha256(f"{render}:{tree_digest(site.folder)}".encode()).hexdigest()
