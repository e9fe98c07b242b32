"""Site search (搜索即服务): settings, the index of a built site, and the group's bundles.

Each site's index (``search-index/``, written by ``govsite.search_index``) is static files the
theme's search worker fetches: exact substring search over the content region each article and
standalone page marks with ``data-search-body`` (``govsite.search_text``); home, column lists, the
site map and redirect pages carry no marker and are not indexed. A site is indexed in parts of at
most ``part_pages`` pages (whole folders): ``search-index/`` and ``search-index/part-N/``, listed in
``search-index/govsite-search.json``, which the search page merges. Indexing memory is set by the
part size, not the site size.
A rebuild re-indexes only the parts whose pages changed (``reuse``): each part's fingerprint, a
SHA-256 over its pages' paths and content regions, the index format and the options, is kept in
the same file, and an unchanged part is hard-linked from the previous bundle; a changed part whose
pages are the same is merged from the kept postings of its previous version (``govsite.search_merge``).

Settings: ``GOVSITE_SEARCH`` (keys and defaults in ``DEFAULTS``), validated once.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from .errors import Problem, ProblemsFound
from .file_memo import FileMemo, listed_as
from .files import Listing, link_tree, read_json
from .search_index import FORMAT, write_part
from .search_merge import forget_stale, index_part
from .search_text import PageRecord, SelectorUnsupported, read_record, region_digest, selector_xpath
from .workers import process_pool

SETTING = "GOVSITE_SEARCH"
BUNDLE = "search-index"
#: The fingerprint file written into the bundle (its parts, for the search page too).
STAMP = "govsite-search.json"
#: Extra parts of a large site's index: ``search-index/part-2/``, ... (listed in the stamp's "parts").
PART = "part-"

DEFAULTS = {
    "enabled": True,          # index every site and show the search form and page
    "group": True,            # the portal's search page can search every site of its group (全市)
    "reuse": True,            # keep the previous bundle's parts whose pages did not change
    "exclude_selectors": [],  # CSS selectors inside the content region that are not indexed
    "low_results": 5,         # fewer full matches than this: the page also lists partial matches
    "page_size": 10,          # results shown at a time (更多结果 shows the next ones)
    "part_pages": 1000,       # at most this many pages per part: bounds indexing memory and what one change re-indexes
}


class SearchSettingsInvalid(ProblemsFound):
    """GOVSITE_SEARCH has a wrong key or value."""

    what = "the search settings are invalid"


@dataclass(frozen=True)
class SearchSettings:
    """Validated GOVSITE_SEARCH."""

    enabled: bool
    group: bool
    reuse: bool
    exclude_selectors: tuple[str, ...]
    low_results: int
    page_size: int
    part_pages: int

    @classmethod
    def of(cls, value, source: str = "pelicanconf.py") -> "SearchSettings":
        """Validate ``value`` laid over DEFAULTS; every problem is reported at once."""
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise SearchSettingsInvalid([Problem(source, SETTING, value, "a dict of search settings")])
        problems = [Problem(source, f"{SETTING}[{key!r}]", value[key], f"one of the known keys {sorted(DEFAULTS)}")
                    for key in value if key not in DEFAULTS]
        merged = {**DEFAULTS, **{k: v for k, v in value.items() if k in DEFAULTS}}
        for key in ("enabled", "group", "reuse"):
            if not isinstance(merged[key], bool):
                problems.append(Problem(source, f"{SETTING}[{key!r}]", merged[key], "True or False"))
        for key, low in (("low_results", 0), ("page_size", 1), ("part_pages", 1)):
            if isinstance(merged[key], bool) or not isinstance(merged[key], int) or merged[key] < low:
                problems.append(Problem(source, f"{SETTING}[{key!r}]", merged[key], f"a whole number >= {low}"))
        selectors = merged["exclude_selectors"]
        if not isinstance(selectors, (list, tuple)) or not all(isinstance(s, str) and s.strip() for s in selectors):
            problems.append(Problem(source, f"{SETTING}['exclude_selectors']", selectors,
                                    "a list of CSS selectors (strings)"))
        else:
            try:
                selector_xpath(selectors)
            except SelectorUnsupported as error:
                problems.append(Problem(source, f"{SETTING}['exclude_selectors']", str(error),
                                        "simple CSS selectors: tag, .class, #id, [attr] or [attr=value], "
                                        "combined, separated by spaces (descendants) or commas"))
        if problems:
            raise SearchSettingsInvalid(problems)
        return cls(**{**merged, "exclude_selectors": tuple(selectors)})

    @property
    def excluded(self) -> str | None:
        """XPath of the excluded elements (None: nothing excluded)."""
        return selector_xpath(self.exclude_selectors)


def indexed_regions(site_dir: Path, memo: FileMemo | None = None,
                    linked: dict[str, tuple[int, int, int]] | None = None,
                    listing: Listing | None = None) -> dict[str, str]:
    """``{page name: region_digest}`` of the site's HTML pages that carry the content region (the ones
    indexed; names relative to ``site_dir``, POSIX), in path order; ``memo`` spares reading pages that
    are the same files as in the last build (``govsite.file_memo``), ``linked`` stat'ing the pages a
    build linked from the live output (``file_memo.listed_as``); ``listing``: the folder's, when the
    build has it (``files.Listing``)."""
    regions = {}
    listing = listing or Listing.of(site_dir)
    names, inodes = listing.pages((".html",)), listing.inodes
    identities = listed_as(linked, inodes) if memo else {}
    for name in names:
        if name.startswith(BUNDLE + "/"):
            continue
        digest = memo.value(site_dir, name, region_digest, identities.get(name)) if memo \
            else region_digest(site_dir / name)
        if digest is not None:
            regions[name] = digest
    return regions


def indexed_pages(site_dir: Path) -> list[Path]:
    """HTML pages of the site that carry the content region (the ones indexed), sorted."""
    site_dir = Path(site_dir)
    return [site_dir / name for name in indexed_regions(site_dir)]


@dataclass(frozen=True)
class Part:
    """Some whole folders of indexed pages, indexed together into ``directory``."""

    directory: str          # "" (the bundle itself) or "part-N/"
    pages: tuple[str, ...]  # page names relative to the site, POSIX (strings: pathlib took seconds at 10,000 pages)

    def fingerprint(self, settings: SearchSettings, regions: dict[str, str]) -> str:
        """SHA-256 over the part's pages (path + content region digest), the index format and options."""
        digest = hashlib.sha256(json.dumps({"format": FORMAT, "exclude": settings.exclude_selectors}).encode())
        for name in self.pages:
            digest.update(name.encode() + b"\0" + regions[name].encode())
        return digest.hexdigest()

    def index(self, site_dir: Path, bundle: Path, settings: SearchSettings, regions: dict[str, str] | None = None,
              known: dict[str, Path] | None = None, cache: Path | None = None, remember: bool = True) -> bool:
        """Write the part's index into ``bundle/directory``. With ``regions`` (the pages' region
        digests): a page read by an earlier build of this process is not read again, and a part kept
        with the same pages (in this process, or in ``cache``) is merged from it and its folder among
        ``known`` (``govsite.search_merge``; ``remember``: keep the result in this process too). True: merged."""
        excluded = settings.excluded
        if regions is None:
            records = [read_record(site_dir / name, name, excluded) for name in self.pages]
            write_part(bundle / self.directory, [r for r in records if r is not None])
            return False
        # a worker process reads without remembering: what it remembers is lost with it
        read = (lambda i: remembered_record(site_dir / self.pages[i], self.pages[i], regions[self.pages[i]], excluded)) \
            if remember else (lambda i: read_record(site_dir / self.pages[i], self.pages[i], excluded))
        return index_part(bundle / self.directory, self.fingerprint(settings, regions), self.pages,
                          [regions[name] for name in self.pages], excluded, read, known or {}, cache, remember)


@functools.lru_cache(maxsize=1 << 14)
def remembered_record(page: Path, path: str, region: str, excluded: str | None) -> PageRecord | None:
    """``read_record``, remembered by the page's path and region digest (the latest 16,384): a
    long-lived build (``govsite build --watch``) re-indexing a part reads only its changed pages."""
    return read_record(page, path, excluded)


def plan_parts(pages: list[str], limit: int) -> list[Part]:
    """Split the indexed pages (names, in path order) into parts of at most ``limit`` pages (whole
    folders, in path order; a folder larger than the limit is a part of its own). One part: the whole site."""
    folders: dict[str, list[str]] = {}
    for name in pages:
        folders.setdefault(name.rpartition("/")[0] or ".", []).append(name)
    groups: list[list[str]] = [[]]
    size = 0
    for folder in sorted(folders):
        if groups[-1] and size + len(folders[folder]) > limit:
            groups.append([])
            size = 0
        groups[-1].append(folder)
        size += len(folders[folder])
    if len(groups) == 1:
        return [Part("", tuple(pages))]
    return [Part("" if number == 1 else f"{PART}{number}/", tuple(p for f in group for p in folders[f]))
            for number, group in enumerate(groups, start=1)]


def index_parts(parts: list[Part], site_dir: Path, bundle: Path, settings: SearchSettings,
                workers: int | None = None, regions: dict[str, str] | None = None,
                known: dict[str, Path] | None = None, cache: Path | None = None) -> int:
    """Index ``parts`` into ``bundle``: in worker processes when there are several (each part writes
    its own folder); a part that fails raises here. ``regions``, ``known``, ``cache``: see
    ``Part.index`` (a worker keeps its part in ``cache`` only). The number of parts merged."""
    workers = min(workers or os.cpu_count() or 1, len(parts))
    if workers < 2:
        return sum(part.index(site_dir, bundle, settings, regions, known, cache) for part in parts)
    with process_pool(workers) as pool:
        return sum(pool.map(Part.index, parts, repeat(site_dir), repeat(bundle), repeat(settings), repeat(regions),
                            repeat(known), repeat(cache), repeat(False)))


def read_stamp(bundle: Path) -> dict:
    return read_json(Path(bundle) / STAMP)


@dataclass(frozen=True)
class IndexResult:
    """What one site's indexing did."""

    pages: int
    parts: int
    indexed: int            # parts indexed; the others were linked from the previous bundle
    seconds: float
    merged: int = 0         # of the parts indexed, those merged from the part this process wrote before

    @property
    def reused(self) -> bool:
        return self.parts > 0 and self.indexed == 0


def index_site(site_dir: Path | str, settings: SearchSettings, previous: Path | str | None = None,
               memo: Path | str | None = None, workers: int | None = None,
               cache: Path | str | None = None, linked: dict[str, tuple[int, int, int]] | None = None,
               listing: Listing | None = None) -> IndexResult:
    """Write ``<site_dir>/search-index/`` for the built site: every part whose fingerprint matches a
    part of the previous bundle (``<site_dir>/search-index`` itself, else ``previous/search-index``:
    the site's last published output when the build writes into a staging folder) is hard-linked,
    the others indexed.

    :param memo: a file remembering the pages' region digests (``govsite.file_memo.FileMemo``).
    :param workers: processes indexing several parts (default: one per core).
    :param cache: a folder keeping each part's postings for merging it later (``govsite.search_merge``).
    :param linked: pages the build linked from the live output (``indexed_regions``).
    :param listing: ``site_dir``'s files, when the build has them (``files.Listing``; not the bundle's)."""
    site_dir = Path(site_dir)
    start = time.perf_counter()
    bundle = site_dir / BUNDLE
    old = site_dir / (BUNDLE + ".previous")
    shutil.rmtree(old, ignore_errors=True)
    if bundle.is_dir():
        bundle.rename(old)
    sources = [b for b in (old, Path(previous) / BUNDLE if previous else None) if b is not None and b.is_dir()]
    known = {} if not settings.reuse else {
        entry["fingerprint"]: source / entry["directory"]
        for source in reversed(sources) for entry in read_stamp(source).get("index", [])}
    remembered = FileMemo(memo)
    regions = indexed_regions(site_dir, remembered, linked, listing)
    remembered.save()
    pages = list(regions)
    parts = plan_parts(pages, settings.part_pages) if pages else []
    index, todo = [], []
    for part in parts:
        stamp = part.fingerprint(settings, regions)
        # linked: bundle files are never written in place (a part holding anything but files is indexed)
        if stamp not in known:
            todo.append(part)
        elif not link_tree(known[stamp], bundle / part.directory, _not_the_parts_own):
            _remove_part(bundle / part.directory)  # what was linked of it: never written through
            todo.append(part)
        index.append({"directory": part.directory, "fingerprint": stamp, "pages": len(part.pages)})
    cache = Path(cache) if cache and settings.reuse else None  # kept parts only serve reuse
    merged = index_parts(todo, site_dir, bundle, settings, workers, regions, known, cache)
    indexed = len(todo)
    shutil.rmtree(old, ignore_errors=True)
    if parts:
        # No pages: no bundle; the search page says the site has nothing to search.
        (bundle / STAMP).write_text(json.dumps({
            "pages": len(pages), "format": FORMAT, "index": sorted(index, key=lambda e: e["directory"]),
            "parts": sorted(p.directory for p in parts if p.directory)}, ensure_ascii=False), "utf-8")
    forget_stale(cache, {entry["fingerprint"] for entry in index})
    return IndexResult(len(pages), len(parts), indexed, time.perf_counter() - start, merged)


def _remove_part(folder: Path) -> None:
    """Remove a part's files and folders from ``folder`` (other parts and the stamp left)."""
    if not folder.is_dir():
        return
    for entry in os.scandir(folder):
        if not _not_the_parts_own(entry.name):
            shutil.rmtree(entry.path) if entry.is_dir(follow_symlinks=False) else os.unlink(entry.path)


def _not_the_parts_own(name: str) -> bool:
    """Whether a bundle file is another part's or the stamp (left out when a part's files are linked)."""
    return name.startswith(PART) or name == STAMP


def previous_output(output_path: Path | str, domain: str) -> Path | None:
    """The published folder of the site being built into a staging folder (``<output>/.staging/...``)."""
    output_path = Path(output_path)
    if output_path.parent.name == ".staging":
        published = output_path.parent.parent / domain
        return published if published.is_dir() else None
    return None


def group_bundles(site, group, as_of=lambda s: s) -> list[dict]:
    """The other sites the portal's search page merges, in order: id, name and domain (``as_of``
    gives a site as it stands on the build's day: its domain after a domain change).

    Only a site leading a group (a portal, a national department leading its ministry's group) searches
    its department sites; a department searches itself.
    """
    if not site.leads_group or group is None:
        return []
    return [{"id": s.id, "name": s.name, "domain": as_of(s).domain} for s in group.departments_of(site)]


#: The word for the whole group when the leading site's name names no region (a ministry's group).
ALL_SITES = "全部网站"
#: The region suffixes of a portal's name and the word for "the whole region" (全市, 全县…).
_REGION_WORDS = (("自治州", "全州"), ("自治县", "全县"), ("自治区", "全区"), ("特别行政区", "全区"), ("地区", "全地区"),
                 ("省", "全省"), ("市", "全市"), ("县", "全县"), ("区", "全区"), ("旗", "全旗"), ("盟", "全盟"))


def group_scope_label(portal_name: str) -> str:
    """The scope selector's word for the whole group: 全市 for 霁川市人民政府, 全县 for a county."""
    region = portal_name.removesuffix("门户网站").removesuffix("人民政府")
    return next((word for suffix, word in _REGION_WORDS if region.endswith(suffix)), ALL_SITES)
