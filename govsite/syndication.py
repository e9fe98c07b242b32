"""Syndication (转载): portal items marked ``Syndicate: true`` reprinted on every department site.

Pelican-independent site-model logic: which portal files are syndicated, which column of a
department receives them, and which files of other sites a site's build reads
(:func:`foreign_inputs`, part of a site's build fingerprint). The Pelican side is
``govsite/plugins/syndication.py``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import urljoin

from . import site_files
from .boundary import is_inside
from .errors import ContentInvalid, Problem
from .file_memo import ProcessFileMemo
from .registry import Column, Site, SiteGroup
from .service_guides import guide_files

#: The column type that receives reprints on a department site.
NEWS_TYPE = "要闻动态"
#: Values accepted for ``Syndicate`` (case-insensitive).
TRUE_VALUES = frozenset({"true", "yes", "1", "是"})
FALSE_VALUES = frozenset({"false", "no", "0", "否", ""})
#: ``{filename}``/``{static}``/``{attach}`` links inside a syndicated body (Pelican's intra-site links).
FILENAME_LINK = re.compile(r"\{(?:filename|static|attach)\}(/?[^)\s\"'#?]+)")
META_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\s*:\s*(.*)$")


def read_header(path: Path | str) -> dict[str, str]:
    """The metadata block at the top of a Markdown file (``Key: value`` lines; keys lower case).
    Remembered by the file's identity in this process (a portal's build reads every article's header
    for its carriage report, its yearly report and its audiences; a watch reads the changed ones)."""
    return dict(_headers(path, site_files.identity_of(path)))


def parse_header(path: Path) -> dict[str, str]:
    """:func:`read_header`, read from the file."""
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


_headers = ProcessFileMemo(parse_header)


def is_syndicated(path: Path | str, header: dict[str, str] | None = None) -> bool:
    """Whether a published article asks to be syndicated; a value that is not a yes/no is an error."""
    header = read_header(path) if header is None else header
    value = header.get("syndicate", "").strip().lower()
    if value not in TRUE_VALUES | FALSE_VALUES:
        raise ContentInvalid([Problem(path, "Syndicate", header.get("syndicate"),
                                      "true or false (true: reprinted on every department site)")])
    return value in TRUE_VALUES and header.get("status", "published").lower() == "published"


def article_files(site: Site) -> list[Path]:
    """A site's article sources (Markdown files under ``articles/``, linked folders not followed),
    sorted as ``Path`` objects sort."""
    return [Path(path) for path in article_paths(site)]


def article_paths(site: Site) -> list[str]:
    """:func:`article_files` as strings. Listed with ``os.walk`` and strings: ``rglob`` and sorting
    ``Path`` objects took 0.1 s for 10,000 articles, and several stages list them on every build."""
    seen = site_files.markdown_under(site.folder, "articles")  # during a build in this process
    if seen is not None:
        return seen
    root = str(site.folder / "articles")
    found = [os.path.join(folder, name) for folder, _, names in os.walk(root) for name in names if name.endswith(".md")]
    found.sort(key=lambda path: path.split(os.sep))
    return found


def syndicated_files(portal: Site) -> list[Path]:
    """The portal's published articles marked ``Syndicate: true``."""
    return [Path(path) for path in article_paths(portal) if is_syndicated(path)]


def linked_sources(portal: Site, path: Path) -> list[Path]:
    """Portal files a syndicated article links to with ``{filename}``/``{static}`` (read or linked)."""
    text = path.read_text("utf-8")
    found = []
    for target in FILENAME_LINK.findall(text):
        file = portal.folder / target.lstrip("/") if target.startswith("/") else path.parent / target
        if file.is_file() and file not in found and is_inside(portal.folder, file):  # outside: never read
            found.append(file)
    return found


#: Where a site keeps its letters (政民互动; govsite/interaction/records.py reads them).
LETTERS_FOLDER = "letters"


def group_letter_files(group: SiteGroup) -> list[Path]:
    """The letter data files of every site of the group: every site's build reads them (forwarded
    letters are checked against their origin; the portal publishes the group's statistics)."""
    return sorted(p for s in group for p in (s.folder / LETTERS_FOLDER).rglob("*.toml") if p.is_file())


def foreign_inputs(group: SiteGroup, site: Site) -> list[Path]:
    """Files of OTHER sites that this site's build reads: the service guides of its group (for the
    group catalogue and the comparison of guides across sites; on a department every guide of the
    group, its own included, so all departments of a portal read the same files); for a department,
    its portal's syndicated articles and the portal articles they link to; for a portal (a site
    leading a group), its departments' articles with audience tags (its 政策礼包 pages,
    govsite.audiences); for every site, the group's letters (the same list for every site, its own
    letters included)."""
    letters = group_letter_files(group)
    guides = guide_files(group, site)
    if site.kind != "department" or not site.parent:
        from .audiences import foreign_tagged_files  # audiences reads headers with this module

        own = [path for path in guides if not is_inside(site.folder, path)]
        return own + foreign_tagged_files(group, site) + letters
    portal = group.portal_of(site)
    files: list[Path] = list(guides)
    for path in syndicated_files(portal):
        for file in [path, *linked_sources(portal, path)]:
            if file not in files:
                files.append(file)
    return files + letters


def news_column(site: Site) -> Column:
    """The department column that receives reprints (the first of type 要闻动态)."""
    column = next((c for c in site.columns if c.type == NEWS_TYPE), None)
    if column is None:
        raise ContentInvalid([Problem(site.file, "columns", None,
                                      f"a column of type {NEWS_TYPE} to carry the portal's syndicated items "
                                      "(转载要闻)")])
    return column


def original_url(portal: Site, path: str) -> str:
    """The portal article's absolute URL (``https://<portal domain>/<path>``)."""
    return portal.url + path.lstrip("/")


LINK_ATTRIBUTE = re.compile(r'(\s(?:href|src))="([^"]*)"')
PLACEHOLDER = re.compile(r"^\{(filename|static|attach)\}(.*)$")


def absolutize_links(html: str, portal: Site, source: Path, url: str, article_url) -> tuple[str, list[str]]:
    """A syndicated body's links made absolute to the portal: ``{filename}`` links to the linked
    article's URL (``article_url(path)``), ``{static}``/``{attach}`` files and relative links to the
    portal's copy. Returns the HTML and the portal URLs it now links to; a missing target is an error."""
    linked, problems = [], []

    def replace(match: re.Match) -> str:
        attribute, value = match.groups()
        if not value or value.startswith(("#", "//")) or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value):
            return match.group(0)
        placeholder = PLACEHOLDER.match(value)
        if placeholder is None:
            return f'{attribute}="{urljoin(url, value)}"'
        kind, rest = placeholder.groups()
        target, hash_, fragment = rest.partition("#")
        file = portal.folder / target.lstrip("/") if target.startswith("/") else source.parent / target
        if not is_inside(portal.folder, file):
            problems.append(Problem(source, "{" + kind + "}", value, f"a file inside the portal's folder {portal.folder}"))
            return match.group(0)
        if not file.is_file():
            problems.append(Problem(source, "{" + kind + "}", value, f"a file of the portal (not found: {file})"))
            return match.group(0)
        absolute = article_url(file) if kind == "filename" and file.suffix == ".md" \
            else original_url(portal, file.resolve().relative_to(portal.folder.resolve()).as_posix())
        linked.append(absolute)
        return f'{attribute}="{absolute}{hash_}{fragment}"'

    result = LINK_ATTRIBUTE.sub(replace, html)
    if problems:
        raise ContentInvalid(problems)
    return result, linked


def reprint_note(portal: Site, url: str) -> str:
    """The visible 来源 and 原文链接 of a reprint (appended to its body)."""
    return (f'\n<p class="reprint-note">来源：{escape(portal.name)}（转载）<br>'
            f'原文链接：<a href="{escape(url)}">{escape(url)}</a></p>')


@dataclass(frozen=True)
class Carriage:
    """One syndicated portal item and the department sites that carry it."""

    source: Path
    title: str
    date: str
    departments: tuple[str, ...]
    missing: tuple[str, ...]


def carriage(group: SiteGroup, portal: Site) -> list[Carriage]:
    """For each of a portal's syndicated items: the department sites that carry it (those with a
    news column) and those that cannot (no column of type 要闻动态: their build fails)."""
    departments = group.departments_of(portal)
    carrying = tuple(d.id for d in departments if any(c.type == NEWS_TYPE for c in d.columns))
    missing = tuple(d.id for d in departments if d.id not in carrying)
    return [Carriage(path, (header := read_header(path)).get("title", ""), header.get("date", ""), carrying, missing)
            for path in syndicated_files(portal)]


def write_carriage_report(rows: list[Carriage], folder: Path, portal: Site) -> None:
    """``syndication.json`` and a readable ``syndication.html`` in a portal's report folder."""
    folder.mkdir(parents=True, exist_ok=True)
    data = [{"source": str(r.source), "title": r.title, "date": r.date, "departments": list(r.departments),
             "missing": list(r.missing)} for r in rows]
    (folder / "syndication.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    body = "".join(f"<tr><td>{escape(r.title)}</td><td>{escape(r.date)}</td><td>{escape('、'.join(r.departments)) or '无'}</td>"
                   f"<td>{escape('、'.join(r.missing)) or '无'}</td></tr>" for r in rows)
    (folder / "syndication.html").write_text(
        f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>转载情况 {escape(portal.name)}</title></head>"
        f"<body><main><h1>{escape(portal.name)}要闻转载情况</h1><p>标记 Syndicate: true 的条目在构建时自动转载到各部门网站的"
        f"要闻动态栏目，发布时间与门户一致（满足12小时内转载要求）。</p><table><caption>转载条目（{len(rows)} 条）</caption>"
        "<thead><tr><th scope='col'>标题</th><th scope='col'>发布时间</th><th scope='col'>已转载的部门网站</th>"
        f"<th scope='col'>无法转载（缺要闻动态栏目）</th></tr></thead><tbody>{body}</tbody></table></main></body></html>",
        "utf-8")
