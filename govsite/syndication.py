"""Syndication (转载): portal items marked ``Syndicate: true`` reprinted on every department site.

Pelican-independent site-model logic: which portal files are syndicated, which column of a
department receives them, and which files of other sites a site's build reads
(:func:`foreign_inputs`, part of a site's build fingerprint). The Pelican side is
``plugins/govsite_syndication``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentInvalid, Problem
from .registry import Column, Site, SiteGroup

#: The column type that receives reprints on a department site.
NEWS_TYPE = "要闻动态"
#: Values accepted for ``Syndicate`` (case-insensitive).
TRUE_VALUES = frozenset({"true", "yes", "1", "是"})
FALSE_VALUES = frozenset({"false", "no", "0", "否", ""})
#: ``{filename}/articles/...md`` links inside a syndicated body (Pelican's intra-site links).
FILENAME_LINK = re.compile(r"\{filename\}/?([^)\s\"'#?]+\.md)")
META_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\s*:\s*(.*)$")


def read_header(path: Path) -> dict[str, str]:
    """The metadata block at the top of a Markdown file (``Key: value`` lines; keys lower case)."""
    header: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip():
                break
            match = META_LINE.match(line)
            if not match:
                break
            header[match.group(1).lower()] = match.group(2).strip()
    return header


def is_syndicated(path: Path, header: dict[str, str] | None = None) -> bool:
    """Whether a published article asks to be syndicated; a value that is not a yes/no is an error."""
    header = read_header(path) if header is None else header
    value = header.get("syndicate", "").strip().lower()
    if value not in TRUE_VALUES | FALSE_VALUES:
        raise ContentInvalid([Problem(path, "Syndicate", header.get("syndicate"),
                                      "true or false (true: reprinted on every department site)")])
    return value in TRUE_VALUES and header.get("status", "published").lower() == "published"


def article_files(site: Site) -> list[Path]:
    """A site's article sources (Markdown under ``articles/``), sorted."""
    return sorted((site.folder / "articles").rglob("*.md"))


def syndicated_files(portal: Site) -> list[Path]:
    """The portal's published articles marked ``Syndicate: true``."""
    return [path for path in article_files(portal) if is_syndicated(path)]


def linked_sources(portal: Site, path: Path) -> list[Path]:
    """Portal sources a syndicated article links to with ``{filename}`` (read to compute their URLs)."""
    text = path.read_text("utf-8")
    found = []
    for target in FILENAME_LINK.findall(text):
        file = (portal.folder / target.lstrip("/")) if target.startswith(("articles/", "/")) \
            else (path.parent / target)
        if file.is_file() and file not in found:
            found.append(file)
    return found


def foreign_inputs(group: SiteGroup, site: Site) -> list[Path]:
    """Files of OTHER sites that this site's build reads: for a department, its portal's
    syndicated articles and the portal articles they link to; nothing for a portal."""
    if site.kind != "department" or not site.parent:
        return []
    portal = group.portal_of(site)
    files: list[Path] = []
    for path in syndicated_files(portal):
        for file in [path, *linked_sources(portal, path)]:
            if file not in files:
                files.append(file)
    return files


def news_column(site: Site) -> Column:
    """The department column that receives reprints (the first of type 要闻动态)."""
    column = next((c for c in site.columns if c.type == NEWS_TYPE), None)
    if column is None:
        raise ContentInvalid([Problem(site.file, "columns", None,
                                      f"a column of type {NEWS_TYPE} to carry the portal's syndicated items "
                                      "(转载要闻)")])
    return column


@dataclass(frozen=True)
class Carriage:
    """One syndicated portal item and the department sites that carry it."""

    source: Path
    title: str
    date: str
    original_url: str
    departments: tuple[str, ...]
    missing: tuple[str, ...]


def original_url(portal: Site, path: str) -> str:
    """The portal article's absolute URL (``https://<portal domain>/<path>``)."""
    return portal.url + path.lstrip("/")


def carriage(group: SiteGroup) -> list[Carriage]:
    """For each portal's syndicated item: which department sites carry it (those with a news column)
    and which cannot (no news column). URLs are computed from the default ``ARTICLE_URL``."""
    rows = []
    for portal in (s for s in group if s.kind == "portal"):
        departments = group.departments_of(portal)
        for path in syndicated_files(portal):
            header = read_header(path)
            date = header.get("date", "")
            slug = header.get("slug") or path.stem
            url = f"{header.get('category', '')}/{date[:4]}{date[5:7]}/{slug}.html"
            carrying = tuple(d.id for d in departments if any(c.type == NEWS_TYPE for c in d.columns))
            rows.append(Carriage(path, header.get("title", ""), date, original_url(portal, url), carrying,
                                 tuple(d.id for d in departments if d.id not in carrying)))
    return rows
