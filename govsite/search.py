"""Site search (搜索即服务): settings, the Pagefind run over a built site, and the group's bundles.

Pagefind (the extended binary, which segments Chinese with jieba) indexes only the content
region each article and standalone page marks with ``data-pagefind-body`` (see the theme), so
home, column lists, the site map and redirect pages are not indexed and indexing memory stays
small. Pagefind keeps a whole index in memory (about 150 KB per Chinese article page), so a large
site is indexed in parts of at most ``part_pages`` pages (whole folders): ``pagefind/`` and
``pagefind/part-N/``, which the search page merges (``parts`` in ``pagefind/govsite-search.json``);
the ``part-N`` runs go side by side, one per core.
A rebuild re-indexes only the parts whose pages changed (``reuse``): each part's fingerprint, a
SHA-256 over its pages' paths and content regions, the Pagefind version and the options, is kept in
the same file, and an unchanged part is copied from the previous bundle.

Settings: ``GOVSITE_SEARCH`` (keys and defaults in ``DEFAULTS``), validated once.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .errors import GovsiteError, Problem, ProblemsFound
from .file_memo import FileMemo
from .files import link_or_copy, page_names, read_json

SETTING = "GOVSITE_SEARCH"
BUNDLE = "pagefind"
#: The fingerprint file written into the bundle.
STAMP = "govsite-search.json"
#: Extra parts of a large site's index: ``pagefind/part-2/``, ... (listed in the stamp's "parts").
PART = "part-"
#: The attribute marking the indexed region (the theme sets it; pages without it are not indexed).
BODY_ATTRIBUTE = b"data-pagefind-body"

DEFAULTS = {
    "enabled": True,          # index every site and show the search form and page
    "group": True,            # the portal's search page can search every site of its group (全市)
    "reuse": True,            # keep the previous bundle when no indexed page changed
    "timeout": 1800,          # seconds allowed for one Pagefind run
    "exclude_selectors": [],  # CSS selectors inside the content region that are not indexed
    "low_results": 5,         # fewer full matches than this: the page also lists partial matches
    "page_size": 10,          # results shown at a time (更多结果 shows the next ones)
    "part_pages": 1000,       # at most this many pages per Pagefind run: bounds its memory and what one change re-indexes
}


class SearchSettingsInvalid(ProblemsFound):
    """GOVSITE_SEARCH has a wrong key or value."""

    what = "the search settings are invalid"


class IndexingFailed(GovsiteError):
    """Pagefind could not index the site."""


@dataclass(frozen=True)
class SearchSettings:
    """Validated GOVSITE_SEARCH."""

    enabled: bool
    group: bool
    reuse: bool
    timeout: int
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
        for key, low in (("timeout", 1), ("low_results", 0), ("page_size", 1), ("part_pages", 1)):
            if isinstance(merged[key], bool) or not isinstance(merged[key], int) or merged[key] < low:
                problems.append(Problem(source, f"{SETTING}[{key!r}]", merged[key], f"a whole number >= {low}"))
        selectors = merged["exclude_selectors"]
        if not isinstance(selectors, (list, tuple)) or not all(isinstance(s, str) and s.strip() for s in selectors):
            problems.append(Problem(source, f"{SETTING}['exclude_selectors']", selectors,
                                    "a list of CSS selectors (strings)"))
        if problems:
            raise SearchSettingsInvalid(problems)
        return cls(**{**merged, "exclude_selectors": tuple(selectors)})


def executable() -> Path:
    """The pinned Pagefind binary (the extended build, which segments Chinese)."""
    from pagefind_bin_extended import get_executable
    return get_executable()


def pagefind_version() -> str:
    from importlib.metadata import version
    return version("pagefind_bin_extended")


def indexed_regions(site_dir: Path, memo: FileMemo | None = None) -> dict[Path, str]:
    """``{page: region_digest}`` of the site's HTML pages that carry the content region (the ones
    Pagefind indexes), in path order; ``memo`` spares reading pages that are the same files as in
    the last build (``govsite.file_memo``)."""
    regions = {}
    for name in page_names(site_dir, (".html",)):
        if name.startswith(BUNDLE + "/"):
            continue
        digest = memo.value(site_dir, name, region_digest) if memo else region_digest(site_dir / name)
        if digest is not None:
            regions[site_dir / name] = digest
    return regions


def indexed_pages(site_dir: Path) -> list[Path]:
    """HTML pages of the site that carry the content region (the ones Pagefind indexes), sorted."""
    return list(indexed_regions(Path(site_dir)))


def region_digest(page: Path) -> str | None:
    """SHA-256 of what Pagefind reads from a page: from the ``data-pagefind-body`` element to the
    last ``</article>`` (the theme's content region; the whole page when that shape is not found).
    A related-items list or navigation that changes around it does not count. None: no such region."""
    data = page.read_bytes()
    marker = data.find(BODY_ATTRIBUTE)
    if marker < 0:
        return None
    start, end = data.rfind(b"<", 0, marker), data.rfind(b"</article>")
    return hashlib.sha256(data[start:end] if 0 <= start < end else data).hexdigest()


@dataclass(frozen=True)
class Part:
    """Some whole folders of indexed pages, indexed in one Pagefind run into ``directory``."""

    directory: str          # "" (the bundle itself) or "part-N/"
    globs: tuple[str, ...]
    pages: tuple[Path, ...]

    def fingerprint(self, site_dir: Path, settings: SearchSettings, regions: dict[Path, str]) -> str:
        """SHA-256 over the part's pages (path + content region digest), the Pagefind version and options."""
        digest = hashlib.sha256(json.dumps({"pagefind": pagefind_version(), "globs": self.globs,
                                            "exclude": settings.exclude_selectors}).encode())
        for page in self.pages:
            digest.update(page.relative_to(site_dir).as_posix().encode() + b"\0" + regions[page].encode())
        return digest.hexdigest()


def plan_parts(site_dir: Path, pages: list[Path], limit: int) -> list[Part]:
    """Split the indexed pages into parts of at most ``limit`` pages (whole folders, in path order; a
    folder larger than the limit is a part of its own). One part: the whole site, no globs."""
    folders: dict[str, list[Path]] = {}
    for page in pages:
        folders.setdefault(page.parent.relative_to(site_dir).as_posix(), []).append(page)
    groups: list[list[str]] = [[]]
    size = 0
    for folder in sorted(folders):
        if groups[-1] and size + len(folders[folder]) > limit:
            groups.append([])
            size = 0
        groups[-1].append(folder)
        size += len(folders[folder])
    if len(groups) == 1:
        return [Part("", (), tuple(pages))]
    return [Part("" if number == 1 else f"{PART}{number}/",
                 tuple("*.html" if f == "." else f"{f}/*.html" for f in group),
                 tuple(p for f in group for p in folders[f])) for number, group in enumerate(groups, start=1)]


def read_stamp(bundle: Path) -> dict:
    return read_json(Path(bundle) / STAMP)


@dataclass(frozen=True)
class IndexResult:
    """What one site's indexing did."""

    pages: int
    parts: int
    indexed: int            # parts Pagefind indexed; the others were copied from the previous bundle
    seconds: float

    @property
    def reused(self) -> bool:
        return self.parts > 0 and self.indexed == 0


def index_site(site_dir: Path | str, settings: SearchSettings, previous: Path | str | None = None,
               memo: Path | str | None = None) -> IndexResult:
    """Write ``<site_dir>/pagefind/`` for the built site: every part whose fingerprint matches a part
    of the previous bundle (``<site_dir>/pagefind`` itself, else ``previous/pagefind``: the site's
    last published output when the build writes into a staging folder) is copied, the others indexed.

    :param memo: a file remembering the pages' region digests (``govsite.file_memo.FileMemo``)."""
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
    regions = indexed_regions(site_dir, remembered)
    remembered.save()
    pages = list(regions)
    parts = plan_parts(site_dir, pages, settings.part_pages) if pages else []
    index, changed = [], []
    # pagefind/part-N/ first: the main part's run into pagefind/ leaves them in place.
    for part in sorted(parts, key=lambda p: p.directory == ""):
        stamp = part.fingerprint(site_dir, settings, regions)
        if stamp in known:
            # linked: bundle files are never written in place
            shutil.copytree(known[stamp], bundle / part.directory, dirs_exist_ok=True, copy_function=link_or_copy,
                            ignore=shutil.ignore_patterns(f"{PART}*", STAMP))
        else:
            changed.append(part)
        index.append({"directory": part.directory, "fingerprint": stamp, "pages": len(part.pages)})
    run_part = lambda part: run_pagefind(site_dir, settings, f"{BUNDLE}/{part.directory}".rstrip("/"),  # noqa: E731
                                         list(part.globs) or None)
    extra = [part for part in changed if part.directory]
    with ThreadPoolExecutor(max_workers=max(1, min(len(extra), os.cpu_count() or 1))) as pool:
        list(pool.map(run_part, extra))  # one Pagefind per part at a time per core; raises the first failure
    for part in changed:
        if not part.directory:
            run_part(part)
    indexed = len(changed)
    shutil.rmtree(old, ignore_errors=True)
    if parts:
        # No pages: no bundle (Pagefind would index whole pages instead); the search page says so.
        (bundle / STAMP).write_text(json.dumps({
            "pages": len(pages), "pagefind": pagefind_version(), "index": sorted(index, key=lambda e: e["directory"]),
            "parts": sorted(p.directory for p in parts if p.directory)}, ensure_ascii=False), "utf-8")
    return IndexResult(len(pages), len(parts), indexed, time.perf_counter() - start)


def pagefind_command(site_dir: Path, settings: SearchSettings, subdir: str = BUNDLE,
                     globs: list[str] | None = None) -> list[str]:
    command = [str(executable()), "--site", str(site_dir), "--output-subdir", subdir, "--quiet"]
    if globs:
        command += ["--glob", "{" + ",".join(globs) + "}"]
    if settings.exclude_selectors:
        command += ["--exclude-selectors", ", ".join(settings.exclude_selectors)]
    return command


def run_pagefind(site_dir: Path, settings: SearchSettings, subdir: str = BUNDLE,
                 globs: list[str] | None = None) -> None:
    """Run the Pagefind binary on the site (or the pages matching ``globs``) into ``subdir``;
    IndexingFailed with its output on failure."""
    try:
        done = subprocess.run(pagefind_command(site_dir, settings, subdir, globs), capture_output=True, text=True,
                              timeout=settings.timeout, env={**os.environ, "NO_COLOR": "1"})
    except subprocess.TimeoutExpired:
        raise IndexingFailed(f"Pagefind did not finish indexing {site_dir} within {settings.timeout} s "
                             f"({SETTING}['timeout'])") from None
    if done.returncode != 0:
        raise IndexingFailed(f"Pagefind failed on {site_dir} (exit {done.returncode}):\n"
                             f"{(done.stderr or done.stdout).strip()[-2000:]}")


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
