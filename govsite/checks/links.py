"""Links of built HTML (链接可用): every internal link and resource resolves to a file of the output,
every ``#anchor`` to an element id (or ``<a name>``); links to other sites of the group are checked
against that site's output folder; links to advertising domains fail; other external links are
only collected (checked on request by ``checks.external_links``).

``check_links(root, ...)`` returns a :class:`LinkReport`; usable on any folder of HTML
(``python -m govsite.checks.links PATH``) and by ``govsite/plugins/links.py`` at the end of every build.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from sys import intern
from urllib.parse import unquote, urlsplit

from lxml import etree

from govsite import pickle_store
from govsite.file_memo import listed_as
from govsite.files import Listing, page_names as html_page_names, relative_files
from govsite.workers import process_pool

from . import links_memo
from .html_page import _parser, decode_html
from .platform_rules import DEFAULT_AD_DOMAINS, ad_host
from .selection import page_hashes

#: The setting where other plugins list absolute group URLs this build knows exist (e.g. the
#: portal originals of syndicated reprints, which the portal's parallel build is writing).
KNOWN_URLS_SETTING = "GOVSITE_LINKS_KNOWN"
#: The scan cache's keys saved entry by entry (``pickle_store``): a publish writes the pages that changed.
SCAN_TABLES = ("pages", "outcomes")
#: Below this many pages one process is faster than starting a pool.
PARALLEL_THRESHOLD = 600
#: Every attribute that links to or loads something, as one XPath (run in C by lxml).
LINK_XPATH = etree.XPath(
    "//a/@href | //area/@href | //link/@href | //img/@src | //img/@srcset | //script/@src"
    " | //iframe/@src | //frame/@src | //embed/@src | //source/@src | //source/@srcset | //audio/@src"
    " | //video/@src | //video/@poster | //track/@src | //input/@src | //object/@data | //form/@action"
    " | //meta[translate(@http-equiv,'REFSH','refsh')='refresh']/@content")
ANCHOR_XPATH = etree.XPath("//@id | //a/@name")
#: Schemes that are not fetched from a site (never checked).
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "about:", "blob:")
#: Fragments every HTML page has (HTML: "#" and "#top" go to the top of the page).
IMPLICIT_ANCHORS = frozenset({"", "top"})
HTML_SUFFIXES = (".html", ".htm")

#: What is wrong, in Chinese, for reports (the code is in every finding).
MESSAGES_ZH = {
    "missing-file": "链接的文件不存在",
    "missing-anchor": "页面内锚点不存在",
    "outside-site": "链接超出网站根目录",
    "ad-domain": "链接到商业广告域名",
    "cross-site-missing": "站群内其他网站的页面不存在",
    "cross-site-anchor": "站群内其他网站页面的锚点不存在",
    "unverifiable": "站群内其他网站尚无输出，无法核验",
}


@dataclass(frozen=True)
class PageScan:
    """One page's anchors and links (``(tag, attribute, url, line)``)."""

    name: str
    anchors: frozenset[str]
    links: tuple[tuple[str, str, str, int], ...]


#: What a link's outcome depends on besides the page's bytes: ``(path looked up in the site's own files
#: or None, page of the site whose anchors were consulted or None, whether it links to another site)``.
Dependency = tuple[str | None, str | None, bool]
NO_DEPENDENCY: Dependency = (None, None, False)
OTHER_SITE: Dependency = (None, None, True)


@dataclass(frozen=True)
class PageOutcome:
    """One page's links resolved: how many, the ones that do not simply resolve (``(line, tag, url, code,
    detail)``: broken, unverifiable or external, in the page's order), and what that depends on besides
    the page's own bytes (``links_memo`` decides from it whether the outcome still holds)."""

    links: int
    problems: tuple[tuple[int, str, str, str, str], ...]
    lookups: frozenset[str]  # site-relative paths looked up in the site's own files
    anchor_pages: frozenset[str]  # pages of the site whose anchors were consulted
    cross_site: bool  # links to another site of the group, whose output changes without this one's


@dataclass(frozen=True)
class LinkFinding:
    """One link that does not resolve: which page, where, which URL, what is wrong."""

    page: str
    line: int
    tag: str
    url: str
    code: str
    detail: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: <{self.tag}> {self.url} — {self.code}: {self.detail}"

    def as_dict(self) -> dict:
        return {"page": self.page, "line": self.line, "tag": self.tag, "url": self.url, "code": self.code,
                "detail": self.detail, "message_zh": MESSAGES_ZH[self.code]}


@dataclass
class LinkReport:
    """The result for one folder: broken links, unverifiable cross-site links, external URLs found."""

    root: Path
    pages: int = 0
    links: int = 0
    broken: list[LinkFinding] = field(default_factory=list)
    unverifiable: list[LinkFinding] = field(default_factory=list)
    external: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def passed(self) -> bool:
        return not self.broken

    def summary(self, limit: int = 30) -> str:
        lines = [f"links: {len(self.broken)} broken link(s) on {self.pages} page(s) of {self.root}"]
        lines += [f"  - {finding}" for finding in self.broken[:limit]]
        if len(self.broken) > limit:
            lines.append(f"  … and {len(self.broken) - limit} more")
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {"root": str(self.root), "pages": self.pages, "links": self.links, "passed": self.passed,
                "broken": [f.as_dict() for f in self.broken],
                "unverifiable": [f.as_dict() for f in self.unverifiable],
                "external": {url: pages for url, pages in sorted(self.external.items())}}


def scan_page(file: Path, name: str) -> PageScan:
    """Parse one page (lxml) and collect its anchors and links."""
    data, encoding, _ = decode_html(file.read_bytes())
    root = etree.fromstring(data, _parser(encoding)) if data.strip() else None
    if root is None:
        return PageScan(name, frozenset(), ())
    anchors = frozenset(intern(str(value)) for value in ANCHOR_XPATH(root))
    links = []
    for value in LINK_XPATH(root):
        element = value.getparent()
        attribute = value.attrname
        text = str(value).strip()
        if element.tag == "meta":  # <meta http-equiv="refresh" content="0; url=...">
            text = _refresh_url(text)
            attribute = "content"
        urls = _srcset_urls(text) if attribute == "srcset" else [text]
        for url in urls:
            if url:
                # interned: the same navigation links on every page are one object each, which
                # keeps the scan cache small (pickle stores a shared object once)
                links.append((intern(element.tag), intern(attribute), intern(url), element.sourceline or 0))
    return PageScan(name, anchors, tuple(links))


def _refresh_url(content: str) -> str:
    _, _, rest = content.partition(";")
    rest = rest.strip()
    if rest[:4].lower() == "url=":
        return rest[4:].strip().strip("'\"")
    return ""


def _srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset`` (``url 2x, url 640w``)."""
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def scan_files(root: str, names: list[str]) -> list[PageScan]:
    """Scan a batch of pages (a worker's unit of work)."""
    base = Path(root)
    return [scan_page(base / name, name) for name in names]


def page_names(root: Path) -> list[str]:
    """Every page under ``root``, relative, as the reports name them."""
    return html_page_names(root, HTML_SUFFIXES)


def scan_folder(root: Path, workers: int | None = None, progress=None,
                known: dict[str, PageScan] | None = None, all_names: list[str] | None = None) -> dict[str, PageScan]:
    """Every page of a folder (``all_names``, default: all of them) scanned, in parallel processes
    for large folders (``known``: scans to reuse instead of parsing those pages again)."""
    known = known or {}
    all_names = page_names(root) if all_names is None else all_names
    names = [name for name in all_names if name not in known]
    result: dict[str, PageScan] = {name: known[name] for name in all_names if name in known}
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(names) < PARALLEL_THRESHOLD:
        result.update((s.name, s) for s in scan_files(str(root), names))
        if progress:
            progress(len(names))
        return result
    size = max(100, len(names) // (workers * 6))
    batches = [names[i:i + size] for i in range(0, len(names), size)]
    with process_pool(workers) as pool:
        for batch in pool.map(scan_files, [str(root)] * len(batches), batches):
            result.update((s.name, s) for s in batch)
            if progress:
                progress(len(batch))
    return result


def _scan_version() -> str:
    """Changes with this module's and the memo's code (then every page is scanned again)."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(Path(links_memo.__file__).read_bytes())
    return digest.hexdigest()[:16]


def load_scan_cache(path: Path) -> dict:
    """The scan cache as written (``{}`` when missing, damaged or of other code). It is a pickle the
    build itself wrote in its own cache folder (as Pelican's content cache is): JSON took 3 s per
    build for 10,000 pages. A base and a delta (``govsite.pickle_store``): a publish writes the
    pages that changed; the data this process last read or wrote is taken from memory while the
    files are still what it saw."""
    cached = pickle_store.load(path)
    if cached.get("version") != _scan_version():
        return {}
    return cached


def read_scan_cache(path: Path, root: Path, names: list[str] | None = None, hash_memo: Path | None = None,
                    cached: dict | None = None, identities: dict | None = None
                    ) -> tuple[dict[str, PageScan], dict[str, str]]:
    """Scans of pages whose bytes are unchanged since the cache was written, and every page's hash
    (``hash_memo``, ``identities``: see ``selection.page_hashes``; ``cached``: the cache already loaded)."""
    hashes = page_hashes(root, page_names(root) if names is None else names, hash_memo, identities)
    pages = (load_scan_cache(path) if cached is None else cached).get("pages", {})
    known = {name: PageScan(name, pages[name][1], pages[name][2]) for name, digest in hashes.items()
             if name in pages and pages[name][0] == digest}
    return known, hashes


def write_scan_cache(path: Path, scans: dict[str, PageScan], hashes: dict[str, str],
                     known: dict[str, PageScan] | None = None, memo: dict | None = None,
                     cached: dict | None = None) -> None:
    """Keep every page's scan under its content hash, with the link outcomes to remember (``memo``:
    ``links_memo.memo_entries``) (atomic write); nothing is written when what would be written is
    what ``cached`` (the cache as read) holds: every scan from the cache, no page added or removed,
    the same files and outcomes."""
    memo = memo or {}
    unchanged = known is not None and len(known) == len(scans) == len(hashes) and known.keys() == scans.keys()
    if unchanged and all((cached or {}).get(key) == value for key, value in memo.items()):
        return
    data = {"version": _scan_version(), "pages": {name: (hashes[name], scan.anchors, scan.links)
                                                  for name, scan in scans.items() if name in hashes}, **memo}
    pickle_store.save(path, data, SCAN_TABLES)


def list_files(root: Path) -> frozenset[str]:
    """Every file under ``root`` as a relative POSIX path (dot-folders skipped)."""
    return frozenset(relative_files(root))


class _Site:
    """A site's output folder: its files, and the anchors of pages parsed on demand."""

    def __init__(self, root: Path, scans: dict[str, PageScan] | None = None, files: frozenset[str] | None = None):
        self.root = root
        self.files = list_files(root) if files is None else files
        self.dirs = frozenset(posixpath.dirname(f) for f in self.files)
        self.scans = dict(scans or {})

    def target(self, path: str) -> str | None:
        """The file a site-relative path is served from (``x/`` and folder ``x`` → ``x/index.html``)."""
        if path == "" or path.endswith("/"):
            candidate = path + "index.html"
            return candidate if candidate in self.files else None
        if path in self.files:
            return path
        if path in self.dirs and path + "/index.html" in self.files:
            return path + "/index.html"
        return None

    def anchors(self, name: str) -> frozenset[str]:
        if name not in self.scans:
            self.scans[name] = scan_page(self.root / name, name)
        return self.scans[name].anchors


def _has_anchor(anchors: frozenset[str], fragment: str) -> bool:
    return fragment in anchors or unquote(fragment) in anchors or fragment.lower() in IMPLICIT_ANCHORS


class LinkChecker:
    """Resolves the links of one site's pages against its output and the group's other outputs."""

    def __init__(self, root: Path, scans: dict[str, PageScan], domain: str = "",
                 group_roots: dict[str, Path] | None = None, ad_domains=DEFAULT_AD_DOMAINS,
                 known_urls=(), unverifiable_fails: bool = False, files: frozenset[str] | None = None):
        self.site = _Site(root, scans, files)
        self.unverifiable_fails = unverifiable_fails
        self.domain = domain.lower()
        self.group_roots = {d.lower(): Path(p) for d, p in (group_roots or {}).items() if d.lower() != self.domain}
        self.others: dict[str, _Site | None] = {}
        self.ad_domains = frozenset(ad_domains)
        self.known = frozenset(known_urls)
        self._resolved: dict[tuple[str, str], tuple[tuple[str, str] | None, Dependency]] = {}

    def check(self, report: LinkReport, remembered: dict[str, PageOutcome] | None = None) -> LinkReport:
        """Resolve every page's links (``remembered``: outcomes still valid, taken instead of resolving
        those pages again; ``links_memo.reusable_outcomes``). ``self.outcomes`` keeps every page's."""
        remembered = remembered or {}
        self.outcomes = {}
        for name, scan in sorted(self.site.scans.items()):
            outcome = remembered.get(name) or self.check_page(name, scan)
            self.outcomes[name] = outcome
            report.pages += 1
            report.links += outcome.links
            for line, tag, url, code, detail in outcome.problems:
                if code == "external":  # protocol-relative URLs are fetched over https
                    report.external["https:" + url if url.startswith("//") else url].append(name)
                    continue
                finding = LinkFinding(name, line, tag, url, code, detail)
                soft = code == "unverifiable" and not self.unverifiable_fails
                (report.unverifiable if soft else report.broken).append(finding)
        return report

    def check_page(self, name: str, scan: PageScan) -> PageOutcome:
        """One page's links resolved, with what their outcome depends on besides the page's bytes."""
        folder = posixpath.dirname(name)
        problems, lookups, anchor_pages, cross_site = [], set(), set(), False
        for tag, _, url, line in scan.links:
            outcome, (lookup, anchor_page, other_site) = self._resolve(folder, url, scan.anchors)
            if lookup is not None:
                lookups.add(lookup)
            if anchor_page is not None:
                anchor_pages.add(anchor_page)
            cross_site = cross_site or other_site
            if outcome is not None:
                problems.append((line, tag, url, *outcome))
        return PageOutcome(len(scan.links), tuple(problems), frozenset(lookups), frozenset(anchor_pages), cross_site)

    def _resolve(self, folder: str, url: str, own_anchors) -> tuple[tuple[str, str] | None, Dependency]:
        """``(None or (code, detail), dependency)``: ``None`` when the link resolves; cached per folder and
        URL (same-page fragments are checked against the page itself, not cached)."""
        if url.startswith("#"):
            fragment = url[1:]
            return (None if _has_anchor(own_anchors, fragment) else
                    ("missing-anchor", f"no id {unquote(fragment)!r} on this page")), NO_DEPENDENCY
        key = (folder, url)
        if key not in self._resolved:
            self._resolved[key] = self._resolve_url(folder, url)
        outcome, dependency = self._resolved[key]
        if outcome and outcome[0] == "self":  # only a query and/or fragment: this page
            fragment = outcome[1]
            return (None if _has_anchor(own_anchors, fragment) else
                    ("missing-anchor", f"no id {unquote(fragment)!r} on this page")), NO_DEPENDENCY
        return outcome, dependency

    def _resolve_url(self, folder: str, url: str) -> tuple[tuple[str, str] | None, Dependency]:
        lowered = url.lower()
        if lowered.startswith(SKIPPED_SCHEMES):
            return None, NO_DEPENDENCY
        parts = urlsplit(url)
        if parts.scheme and parts.scheme not in ("http", "https"):
            return None, NO_DEPENDENCY  # ftp:, weixin: … not ours to check
        if parts.netloc:
            host = (parts.hostname or "").lower()
            if ad_host(host, self.ad_domains):
                return ("ad-domain", f"{host} is an advertising domain (GOVSITE_A11Y['ad_domains'])"), NO_DEPENDENCY
            path = unquote(parts.path).lstrip("/")
            if host == self.domain:
                return self._in_own_site(path, parts.fragment, url)
            if host in self.group_roots:
                if url in self.known or url.split("#")[0] in self.known:
                    return None, OTHER_SITE
                other = self._other(host)
                if other is None:
                    return ("unverifiable", f"{host} has no output folder at {self.group_roots[host]}"), OTHER_SITE
                return self._in_site(other, path, parts.fragment, "cross-site-missing", "cross-site-anchor",
                                     url)[0], OTHER_SITE
            return ("external", ""), NO_DEPENDENCY
        if not parts.path:
            return ("self", parts.fragment), NO_DEPENDENCY
        raw = unquote(parts.path)
        joined = raw.lstrip("/") if raw.startswith("/") else posixpath.join(folder, raw)
        normal = posixpath.normpath(joined) if joined else ""
        if normal.startswith("..") or normal.startswith("/"):
            return ("outside-site", "the path leaves the site's root folder"), NO_DEPENDENCY
        if normal == ".":
            normal = ""
        if raw.endswith("/") and normal:
            normal += "/"
        return self._in_own_site(normal, parts.fragment, url)

    def _in_own_site(self, path: str, fragment: str, url: str) -> tuple[tuple[str, str] | None, Dependency]:
        outcome, anchor_page = self._in_site(self.site, path, fragment, "missing-file", "missing-anchor", url)
        return outcome, (intern(path), anchor_page and intern(anchor_page), False)

    def _in_site(self, site: _Site, path: str, fragment: str, missing: str, bad_anchor: str,
                 url: str) -> tuple[tuple[str, str] | None, str | None]:
        """The outcome, and the page whose anchors were consulted (None: none)."""
        target = site.target(path)
        if target is None:
            shown = path + "index.html" if path == "" or path.endswith("/") else path
            return (missing, f"no file {shown!r} in {site.root}"), None
        if fragment and target.endswith(HTML_SUFFIXES):
            if not _has_anchor(site.anchors(target), fragment):
                return (bad_anchor, f"no id {unquote(fragment)!r} in {target}"), target
            return None, target
        return None, None

    def _other(self, host: str) -> _Site | None:
        if host not in self.others:
            root = self.group_roots[host]
            self.others[host] = _Site(root) if root.is_dir() else None
        return self.others[host]


def check_links(root: Path | str, domain: str = "", group_roots: dict[str, Path] | None = None,
                ad_domains=DEFAULT_AD_DOMAINS, known_urls=(), workers: int | None = None,
                progress=None, unverifiable_fails: bool = False, cache_path: Path | str | None = None,
                hash_memo: Path | str | None = None,
                linked: dict[str, tuple[int, int, int]] | None = None, listing: Listing | None = None) -> LinkReport:
    """Check every page under ``root``; ``domain`` is the site's own host (absolute links to it are
    internal), ``group_roots`` maps the group's other domains to their output folders;
    ``cache_path`` keeps each page's links and anchors by content hash, so a rebuild parses only
    the pages that changed, and their outcomes, so it resolves only the links of the pages whose
    bytes changed or that point at a file added or removed or at changed anchors (``links_memo``); ``hash_memo``
    spares reading pages that are the same files as last time (``selection.page_hashes``), ``linked``
    stat'ing the pages a build linked from the live output (``file_memo.listed_as``); ``listing``: the
    folder's, when the build has it (``files.Listing``)."""
    root = Path(root)
    listing = listing or Listing.of(root)  # one walk: the pages to check and the files links may point at
    listed, inodes = listing.names, listing.inodes
    files = frozenset(listed)
    names = listing.pages(HTML_SUFFIXES)
    memo = Path(hash_memo) if hash_memo else None
    cached = load_scan_cache(Path(cache_path)) if cache_path else {}
    known, hashes = read_scan_cache(Path(cache_path), root, names, memo, cached, listed_as(linked, inodes)) \
        if cache_path else ({}, {})
    scans = scan_folder(root, workers, progress, known, names)
    checker = LinkChecker(root, scans, domain, group_roots, ad_domains, known_urls, unverifiable_fails, files)
    context = links_memo.context_key(checker.domain, checker.group_roots, checker.ad_domains, unverifiable_fails)
    remembered = links_memo.reusable_outcomes(cached, context, files, scans, hashes) if cache_path else {}
    report = checker.check(LinkReport(root), remembered)
    if cache_path:
        write_scan_cache(Path(cache_path), scans, hashes, known, links_memo.memo_entries(context, files, checker.outcomes),
                         cached)
    return report


def group_roots_of(group, output_root: Path) -> dict[str, Path]:
    """``{domain: <output_root>/<domain>}`` for every site of a group."""
    return {site.domain: Path(output_root) / site.domain for site in group}
