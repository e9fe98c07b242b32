"""One migration: read every page of the old site, decide where each goes, write content safely.

Phase 1 (worker processes): decode, classify, extract, sanitise, Markdown with URL placeholders.
Phase 2 (this process): the site's identity and columns, slugs and new URLs for every page, images
and attachments copied, links rewritten (old page -> ``{filename}``, column -> ``{category}``,
file -> ``{static}``), content files written under the safety rules, the redirect register merged,
the draft site.toml, the report.
"""

from __future__ import annotations

import os
import posixpath
import re
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Callable
from urllib.parse import quote, unquote, urlsplit

from govsite.compliance.config import load_config
from govsite import identity
from govsite.articles import ATTACHMENT_TYPES, IMAGE_TYPES
from govsite.errors import UsageError
from govsite.registry import SITE_FILE
from govsite.settings import platform_settings
from govsite.toml_files import read_toml

from . import edits, redirects, report
from .assets import Assets, kind_of
from .columns import ColumnResolver, load_mapping, pinyin_slug
from .content import PathEscape, SiteWriter, read_header, sha256
from .draft import DRAFT_MARK, draft_toml, existing_sites, read_columns, site_facts, validate
from .errors import Interrupted, SiteConfigUnreadable, SourceUnreadable
from .extract import TOKEN_RE, Options, PageResult, extract_page
from .sanitize import dropped_url, url_problem
from .sources import UNKNOWN_HOST, Source, open_source
from .values import header_value

Progress = Callable[[str, int, int], None]
#: Page slugs the platform's own templates use.
RESERVED_PAGES = frozenset({"index", "sitemap", "404", "accessibility", "search", "robots"})
#: An image or link whose target was left out (the URL was dropped): the image goes, the link's text stays.
_EMPTY_IMAGE = re.compile(r"!\[(?:\\.|[^\]\\])*\]\(\)")
_EMPTY_LINK = re.compile(r"(?<![!\\])\[((?:\\.|[^\]\\])*)\]\(\)")
_ABOUT = ("关于我们", "关于本站", "网站简介", "本站介绍", "网站介绍", "关于本网")
_CONTACT = ("联系我们", "联系方式")
#: Old file or folder names of the same pages (a page titled otherwise, e.g. 本站概况 at gywm.html).
_ABOUT_NAMES = frozenset({"about", "aboutus", "about-us", "gywm", "gybz", "wzjj", "wzjs", "bzjj", "bzjs"})
_CONTACT_NAMES = frozenset({"contact", "contactus", "contact-us", "lxwm", "lxfs"})
#: Every site links about.html and contact.html (the theme's footer): drafts when the old site had neither.
_DRAFT_PAGES = {
    "about": ("关于本站", "“关于我们”", "写明本站的主办单位、职能和主要栏目"),
    "contact": ("联系我们", "“联系我们”", "写明联系电话、电子邮箱、通讯地址和办公时间"),
}


@dataclass
class Settings:
    """What ``invoke migrate`` was asked to do."""

    source: str
    site_id: str
    content: str = "content"
    report: str = "reports"
    url_base: str | None = None
    dry_run: bool = False
    update: bool = False
    mapping: str | None = None
    workers: int | None = None
    trafilatura: bool = True


@dataclass
class Outcome:
    """What a migration did: the report's data and where the reports went."""

    data: dict
    json_path: Path
    html_path: Path
    draft_problems: list[str] = field(default_factory=list)


# -- phase 1 -----------------------------------------------------------------------------------------
_WORKER: dict = {}
#: Written pages per batch of body checks sent to a worker.
EDITS_BATCH = 64


def _init_worker(source: Source, options: Options) -> None:
    _WORKER["source"], _WORKER["options"] = source, options


def _work(doc) -> PageResult:
    return extract_page(doc, _WORKER["source"], _WORKER["options"])


def page_edits(batch: list[tuple[str, str, list]]) -> list[dict]:
    """The edits the build will demand of written pages ``(file, text, links outside the crawl)``."""
    found: list[dict] = []
    for file, text, outside in batch:
        found += edits.body_edits(file, text, outside) + edits.todo_edits(file, text)
    return found


class Workers:
    """The worker processes of one migration (none for a small site): they extract every page, then
    check the written pages for the edits the build will demand while the main process writes on."""

    def __init__(self, source: Source, options: Options, workers: int | None, pages: int):
        count = workers or os.cpu_count() or 1
        self.source, self.options = source, options
        self.pool = None
        if count > 1 and pages >= 200:
            self.pool = ProcessPoolExecutor(max_workers=count, mp_context=get_context("spawn"),
                                            initializer=_init_worker, initargs=(source, options))
        self._batch: list = []
        self._checked: list = []            # futures (or, without workers, lists) of edits

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def extract(self, docs: list, progress: Progress | None) -> list[PageResult]:
        """Every document's extraction, in document order."""
        if self.pool is None:
            mapped = (extract_page(doc, self.source, self.options) for doc in docs)
        else:
            mapped = self.pool.map(_work, docs, chunksize=32)
        results: list[PageResult] = []
        for index, result in enumerate(mapped, 1):
            results.append(result)
            if progress:
                progress("read", index, len(docs))
        return results

    def check(self, file: str, text: str, outside: list) -> None:
        """Queue one written page's checks (see :func:`page_edits`)."""
        self._batch.append((file, text, outside))
        if len(self._batch) >= EDITS_BATCH:
            self._send()

    def _send(self) -> None:
        batch, self._batch = self._batch, []
        if batch:
            self._checked.append(self.pool.submit(page_edits, batch) if self.pool else page_edits(batch))

    def edits(self) -> list[dict]:
        """The edits of every page queued so far (waits for the workers)."""
        self._send()
        found: list[dict] = []
        for checked in self._checked:
            found += checked.result() if self.pool else checked
        self._checked = []
        return found


# -- helpers -----------------------------------------------------------------------------------------
def platform_urls(conf: dict | None = None) -> dict:
    """The URL patterns of pelicanconf.py (so new paths match what the build writes)."""
    conf = platform_settings() if conf is None else conf
    defaults = {"ARTICLE_URL": "{slug}.html", "PAGE_URL": "pages/{slug}.html", "CATEGORY_URL": "category/{slug}.html",
                "INDEX_SAVE_AS": "index.html"}      # Pelican's own defaults
    return {key: conf.get(key) or default for key, default in defaults.items()}


def _slug_text(text: str) -> str:
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]+", "-", unquote(text).lower())).strip("-")


def article_slug(url: str, date: datetime) -> str:
    """``YYYYMMDD-<old id>`` from the old URL (TRS ``t20240305_123`` -> ``20240305-123``)."""
    parts = urlsplit(url)
    stem = posixpath.splitext(posixpath.basename(unquote(parts.path)))[0]
    stem = re.sub(r"^t\d{8}_", "", stem)
    stem = re.sub(r"^art_\d+_", "", stem)
    stem = re.sub(r"^(?:content|detail|show|view|article)[_-]?(?=\d)", "", stem)
    tail = _slug_text(stem)
    if parts.query:
        tail = "-".join(filter(None, [tail, _slug_text("-".join(v for _, _, v in (q.partition("=") for q in
                                                                                parts.query.split("&"))))]))
    day = date.strftime("%Y%m%d")
    if tail.startswith(day):
        tail = tail[len(day):].lstrip("-")
    if not tail or tail in ("index", "default"):
        tail = "p" + sha256(url.encode())[:6]
    return f"{day}-{tail}"[:80].rstrip("-")


def page_slug(url: str, title: str) -> str:
    """``about``/``contact`` for those pages (by title, then by the old file or folder name), else a slug."""
    path = unquote(urlsplit(url).path)
    stem = posixpath.splitext(posixpath.basename(path))[0]
    names = {stem.lower()} | ({posixpath.basename(posixpath.dirname(path)).lower()}
                              if stem.lower() in ("index", "default") else set())
    if any(word in title for word in _ABOUT):
        return "about"
    if any(word in title for word in _CONTACT):
        return "contact"
    if names & _ABOUT_NAMES:
        return "about"
    if names & _CONTACT_NAMES:
        return "contact"
    slug = _slug_text(stem)
    if not slug or slug in ("index", "default") or not slug[0].isalpha():
        slug = pinyin_slug(title) or "page-" + sha256(url.encode())[:6]
    return slug[:60]


def _label(value: str) -> str:
    return header_value(value).replace(";", "；").replace("|", "｜")


def _quote_url(url: str) -> str:
    """A URL for a Markdown link or an HTML attribute: unsafe characters percent-encoded, ``&`` as
    ``&amp;`` (Python-Markdown leaves an entity-like ``&...;`` as it is, and the browser would decode it)."""
    return quote(url, safe="/:@!$&'*+,;=-._~?%#[]").replace("&", "&amp;")


# -- phase 2 -----------------------------------------------------------------------------------------
class Migration:
    """Phase 2 state for one site."""

    def __init__(self, settings: Settings, progress: Progress | None):
        self.s = settings
        self.progress = progress
        if not identity.SITE_ID.match(settings.site_id):
            raise UsageError(f"--site {settings.site_id!r}: expected a site id: lower case, a letter, then "
                             "letters, digits or hyphens")
        self.content = Path(settings.content)
        if self.content.exists() and not self.content.is_dir():
            raise UsageError(f"--content {self.content}: not a folder")
        self.folder = self.content / settings.site_id
        self.mapping = load_mapping(settings.mapping)
        conf = platform_settings()
        self.urls = platform_urls(conf)
        self.grace_days = load_config(conf.get("GOVSITE_COMPLIANCE"))["freshness"]["migration_grace_days"]
        self.writer = SiteWriter(self.folder, settings.dry_run, settings.update)
        self.site_file = self.folder / SITE_FILE
        self.draft_owned = False
        existing = []
        if self.site_file.is_file():
            data = self.site_file.read_bytes()
            self.draft_owned = (self.writer.recorded.get(SITE_FILE) == sha256(data)
                                and data.decode("utf-8", "replace").startswith(DRAFT_MARK))
            try:
                existing = read_columns(self.site_file)
            except Exception as exc:  # noqa: BLE001 - any TOML/shape problem is reported with the file
                raise SiteConfigUnreadable(f"{self.site_file}: cannot be read ({exc})") from exc
            if self.draft_owned:
                for column in existing:
                    column.created = True
        self.can_create = not self.site_file.is_file() or self.draft_owned
        self.resolver = ColumnResolver(existing, self.mapping, self.can_create)
        self.entries: dict[str, dict] = {}
        self.redirect_rows: dict[str, str] = {}
        self.draft_problems: list[str] = []
        self.draft_todo: list[str] = []
        self.draft_action = ""
        self.edits: list[dict] = []            # what the first build will demand (migrate/edits.py)
        self.drafted_pages: list[dict] = []    # about/contact written as Todo drafts

    def run(self) -> Outcome:
        started = time.monotonic()
        source = open_source(self.s.source, self.s.url_base)
        try:
            docs = source.documents()
            if not docs:
                raise SourceUnreadable(f"--source {self.s.source}: no HTML pages found (expected saved pages: "
                                       ".html, .htm, .shtml, .jsp, .php, .asp(x) ...)")
            with Workers(source, Options(trafilatura=self.s.trafilatura), self.s.workers, len(docs)) as workers:
                results = workers.extract(docs, self.progress)
                self.source, self.workers = source, workers
                self.assets = Assets(source, self.writer)
                try:
                    self._plan(results)
                    self._write(results)
                except KeyboardInterrupt as exc:
                    self.writer.close()
                    raise Interrupted("interrupted: what was written is recorded in "
                                      f"{self.folder / '.migrate'}; run the same command again to continue") from exc
            data = report.build(self, results, time.monotonic() - started)
            json_path, html_path = report.write(data, Path(self.s.report), self.s.site_id, self.s.dry_run)
            return Outcome(data, json_path, html_path, self.draft_problems)
        finally:
            source.close()

    # -- planning ---------------------------------------------------------------------------------
    def _plan(self, results: list[PageResult]) -> None:
        s = self.source
        self.facts = site_facts(results)
        if self.facts.get("domain"):
            s.hosts.add(self.facts["domain"])
            s.hosts.update(h for r in results if self.facts["domain"] in r.site_domains for h in r.site_domains)
        for r in results:
            host = (urlsplit(r.old_url).hostname or "").lower()
            if host and (host == self.facts.get("domain") or host == s.host or s.host == UNKNOWN_HOST and
                         host.endswith(".gov.cn")):
                s.hosts.add(host)
        self.earlier: dict[str, str] = {}      # old URL key -> content file written by an earlier run
        for old, rel in self.writer.previous_state().get("pages", {}).items():
            if (self.folder / rel).is_file():
                self.earlier[s.key(old)] = rel
        self.by_key: dict[str, PageResult] = {}
        for r in sorted(results, key=lambda r: r.key):
            for url in (r.url, r.old_url):
                if url:
                    key = s.key(url)
                    self.by_key.setdefault(key, r)
                    base, _, name = key.rpartition("/")
                    if re.fullmatch(r"(?:index|default)\.s?html?", name):
                        self.by_key.setdefault(base + "/", r)
        articles = [r for r in results if r.kind == "article" and not r.error]
        self.sitewide = sitewide_values(results)
        # which list page lists each article
        self.listed_in: dict[str, PageResult] = {}
        lists = sorted((r for r in results if r.kind == "list" and not r.error), key=lambda r: r.key)
        for lst in lists:
            for url, _ in lst.list_items:
                self.listed_in.setdefault(s.key(url), lst)
        # columns: list pages first (they carry the column's tags), then articles
        self.column_of: dict[str, str | None] = {}
        self.column_why: dict[str, str] = {}
        self.old_column: dict[str, str] = {}
        for lst in lists:
            if lst.column_name:
                slug, why = self.resolver.resolve(lst.column_name, lst.url, "", lst.column_meta)
                self.column_of[lst.key], self.column_why[lst.key] = slug, why
                self.old_column[lst.key] = lst.column_name
        for r in sorted(articles, key=lambda r: r.key):
            name, column_url = r.column_name, r.column_url
            holder = self.listed_in.get(s.key(r.url)) or self.listed_in.get(s.key(r.old_url))
            if not name and holder is not None:
                name, column_url = holder.column_name, holder.url
            slug, why = self.resolver.resolve(name, r.old_url or r.url, column_url, r.column_meta)
            self.column_of[r.key], self.column_why[r.key] = slug, why
            self.old_column[r.key] = name
        for slug in set(filter(None, self.column_of.values())):
            column = self.resolver.columns.get(slug)
            if column:
                column.pages = sum(1 for r in articles if self.column_of.get(r.key) == slug)
        # slugs, files and new paths
        self.target: dict[str, dict] = {}
        # a slug must not repeat another article's; the same path is left to the safety rules (skip)
        taken: dict[str, set[str]] = {}
        if (self.folder / "articles").is_dir():
            for path in (self.folder / "articles").rglob("*.md"):
                rel = path.relative_to(self.folder).as_posix()
                if rel not in self.writer.recorded:
                    taken.setdefault(path.stem, set()).add(rel)
        used: set[str] = set()
        for r in sorted(articles, key=lambda r: r.key):
            slug = self.column_of.get(r.key)
            if not (r.title and r.pubdate and slug):
                continue
            date = datetime.strptime(r.pubdate[:16], "%Y-%m-%d %H:%M")
            base = article_slug(r.old_url or r.url, date)
            name, n = base, 2
            while name in used or taken.get(name, set()) - {f"articles/{slug}/{name}.md"}:
                name, n = f"{base}-{n}", n + 1
            used.add(name)
            rel = f"articles/{slug}/{name}.md"
            self.target[r.key] = {"rel": rel, "link": "{filename}/" + rel,
                                  "new_path": self.urls["ARTICLE_URL"].format(category=slug, date=date, slug=name)}
        page_used: set[str] = set()
        for r in sorted((r for r in results if r.kind == "page" and not r.error and r.title), key=lambda r: r.key):
            base = page_slug(r.old_url or r.url, r.title)
            if base in RESERVED_PAGES:
                continue
            name, n = base, 2
            while name in page_used:
                name, n = f"{base}-{n}", n + 1
            page_used.add(name)
            rel = f"pages/{name}.md"
            self.target[r.key] = {"rel": rel, "link": "{filename}/" + rel,
                                  "new_path": self.urls["PAGE_URL"].format(slug=name)}
        for lst in lists:
            slug = self.column_of.get(lst.key)
            if slug:
                self.target[lst.key] = {"link": "{category}" + slug,
                                        "new_path": self.urls["CATEGORY_URL"].format(slug=slug)}
        for r in results:
            if r.kind == "home" and not r.error:
                self.target[r.key] = {"link": "{index}", "new_path": self.urls["INDEX_SAVE_AS"]}

    # -- writing ---------------------------------------------------------------------------------
    def _write(self, results: list[PageResult]) -> None:
        self._write_draft()
        total = len(results)
        for index, r in enumerate(sorted(results, key=lambda r: r.key), 1):
            self.entries[r.key] = self._write_page(r)
            if self.progress:
                self.progress("write", index, total)
        self.edits += self.workers.edits()
        self._draft_pages()
        self._redirects(results)
        pages = dict(self.writer.previous_state().get("pages", {}))
        for r in results:
            entry = self.entries.get(r.key, {})
            if entry.get("status") == "imported" and r.old_url and self.target.get(r.key, {}).get("rel"):
                pages[r.old_url] = self.target[r.key]["rel"]
        redirect_rows = {**self.writer.previous_state().get("redirects", {}), **self.redirect_rows}
        self.writer.save_state({"source": str(self.s.source), "redirects": redirect_rows, "pages": pages,
                                "last_run": datetime.now().isoformat(timespec="seconds")})

    def _write_draft(self) -> None:
        if not self.can_create:
            return
        logo_rel, files = "", {}
        logo_url = self.facts.get("logo_url")
        if logo_url:
            asset = self.assets.get(logo_url, "images")
            if asset.rel and Path(asset.rel).suffix.lower() in (".svg", ".png"):
                logo_rel = asset.rel
                data = self.source.fetch(logo_url)
                if data is not None:
                    files[logo_rel] = data
        overrides = {}
        if self.draft_owned:      # keep what an earlier run found; new pages only fill gaps
            previous = read_toml(self.site_file)
            overrides = {k: v for k, v in previous.items() if v not in ("", None, {}, []) and k != "columns"}
            if logo_rel and "logo" in overrides:
                overrides.pop("logo")
            for table in ("contact", "badges"):
                if isinstance(previous.get(table), dict):
                    found = {k: v for k, v in previous[table].items() if v}
                    overrides[table] = {**{k: self.facts.get(k) for k in found if self.facts.get(k)}, **found}
            if "kind" in overrides and "kind" not in self.mapping.site:
                overrides.pop("kind")      # still a guess: re-guessed from the name
        overrides.update(self.mapping.site)
        columns = sorted(self.resolver.columns.values(), key=lambda c: c.slug)
        logo = overrides.get("logo") or logo_rel
        if isinstance(logo, str) and logo and logo not in files and (self.folder / logo).is_file():
            files[logo] = (self.folder / logo).read_bytes()
        text, self.draft_todo = draft_toml(self.s.site_id, self.facts, columns, overrides,
                                           existing_sites(self.content, self.s.site_id), logo_rel,
                                           Path(self.s.source).name, self.grace_days)
        problems = validate(self.content, self.s.site_id, text, files)
        self.draft_problems = [str(p) for p in problems]
        self.draft_text = text
        self.edits += edits.toml_edits(str(self.site_file), text, problems)
        data = text.encode("utf-8")
        if self.site_file.is_file() and sha256(self.site_file.read_bytes()) == sha256(data):
            self.draft_action = "unchanged"
            return
        self.draft_action = "write" if not self.site_file.exists() else "update"
        self.writer.write_owned(SITE_FILE, data)

    def _link(self, kind: str, url: str, r: PageResult, notes: dict) -> str:
        """The new target of one URL in a body."""
        inline = kind == "img" and url.startswith("data:")
        attribute = "href" if kind == "a" else "src"
        if not inline and (why := url_problem(url)):        # the extractor drops these; never let one through
            notes["dropped"].append(dropped_url(kind, attribute, url, why))
            return ""
        if url.startswith(("mailto:", "tel:")):
            return _quote_url(url)
        folder = kind_of(url) or ("images" if kind == "img" else "")
        key = self.source.key(url) if not url.startswith("data:") else ""
        page = self.by_key.get(key) if key else None
        if page is not None and not folder:
            target = self.target.get(page.key)
            if target:
                return target["link"]
            return _quote_url(self.source.public_url(url))
        if folder:
            asset = self.assets.get(url, folder)
            if asset.rel:
                notes["assets"].append(asset.rel)
                return "{static}/" + asset.rel
            if inline or asset.status == "refused":  # not a link to the old copy either
                notes["dropped"].append(dropped_url(kind, attribute, url, asset.reason))
                return ""
            written = _quote_url(self.source.public_url(url)) if not url.startswith("data:") else ""
            if kind == "a" and key and not key.startswith("//"):
                notes["broken"].append(self.source.public_url(url))
                notes["outside"].append((self.source.public_url(url), written))
            return written
        if key in self.earlier:
            return "{filename}/" + self.earlier[key]
        if key and not key.startswith("//"):
            notes["broken"].append(self.source.public_url(url))
            notes["outside"].append((self.source.public_url(url), _quote_url(self.source.public_url(url))))
            return _quote_url(self.source.public_url(url))
        return _quote_url(url)

    def _write_page(self, r: PageResult) -> dict:
        entry = report.entry(r, self)
        if r.error:
            entry.update(status="failed", reason=r.error)
            return entry
        if r.kind in ("list", "home", "other"):
            entry.update(status="skipped", reason=_not_content_reason(r, self),
                         new_path=self.target.get(r.key, {}).get("new_path", ""))
            return entry
        if r.kind == "article" and self.column_of.get(r.key) is None:
            why = self.column_why.get(r.key, "no column")
            status = "skipped" if "not imported" in why else "failed"
            entry.update(status=status, reason=why)
            return entry
        if r.kind == "page" and page_slug(r.old_url or r.url, r.title) in RESERVED_PAGES:
            entry.update(status="skipped", reason="the platform generates this page itself")
            return entry
        target = self.target.get(r.key)
        if target is None:
            missing = [what for what, value in (("title", r.title), ("publication date", r.pubdate)) if not value]
            entry.update(status="failed", reason="no " + " and no ".join(missing) + " found")
            return entry
        notes = {"assets": [], "broken": [], "dropped": [], "outside": []}

        def substitute(match):
            kind, url = r.refs[int(match.group(1))]
            return self._link(kind, url, r, notes)

        body = TOKEN_RE.sub(substitute, r.markdown)
        body = _EMPTY_IMAGE.sub("", body.replace('<img src="">', ""))
        body = _EMPTY_LINK.sub(r"\1", body)
        header = self._header(r, notes)
        text = "\n".join(f"{key}: {value}" for key, value in header if value) + "\n\n" + body.strip() + "\n"
        rel = target["rel"]
        entry["output_path"] = str(self.folder / rel)
        entry["new_path"] = target["new_path"]
        entry["assets"] = sorted(set(notes["assets"]))
        entry["broken_links"] = sorted(set(notes["broken"]))
        entry["dropped_urls"] = r.dropped_urls + notes["dropped"]
        try:
            decision = self.writer.decide(rel, text.encode("utf-8"))
            self.writer.write(rel, text.encode("utf-8"), decision)
        except PathEscape as exc:
            entry.update(status="failed", reason=str(exc), output_path="")
            return entry
        entry["action"] = decision.action
        built = text if decision.action != "skip" else self.writer.target(rel).read_text("utf-8", "replace")
        self.workers.check(str(self.folder / rel), built, notes["outside"])
        if decision.action == "skip":
            entry.update(status="skipped", reason=decision.reason)
            existing = read_header(self.writer.target(rel))
            entry["new_path"] = self._existing_new_path(existing, rel) or entry["new_path"]
        else:
            entry.update(status="imported", reason=decision.reason or ("would be written (dry run)"
                                                                       if self.s.dry_run else ""))
        return entry

    def _draft_pages(self) -> None:
        """about.md and contact.md as Todo drafts when no old page became them (the build refuses a
        Todo: the editor writes the page first); a page someone else wrote is left alone."""
        imported = {e.get("output_path") for e in self.entries.values() if e.get("status") in ("imported", "skipped")}
        for slug, (title, what, asks) in _DRAFT_PAGES.items():
            rel = f"pages/{slug}.md"
            if str(self.folder / rel) in imported or (self.writer.exists(rel) and rel not in self.writer.recorded):
                continue
            text = (f"Title: {title}\nTodo: 旧网站没有找到{what}页面，本页是迁移工具写的草稿：请在下面{asks}，"
                    "然后删除这一行\n\n")
            decision = self.writer.write(rel, text.encode("utf-8"))
            built = text if decision.action != "skip" else self.writer.target(rel).read_text("utf-8", "replace")
            self.edits += edits.todo_edits(str(self.folder / rel), built)
            self.drafted_pages.append({"file": str(self.folder / rel), "title": title, "action": decision.action,
                                       "new_path": self.urls["PAGE_URL"].format(slug=slug)})

    def _existing_new_path(self, header: dict, rel: str) -> str:
        try:
            slug = header.get("slug") or Path(rel).stem
            if rel.startswith("pages/"):
                return self.urls["PAGE_URL"].format(slug=slug)
            date = datetime.strptime(header["date"][:16], "%Y-%m-%d %H:%M")
            return self.urls["ARTICLE_URL"].format(category=header["category"], date=date, slug=slug)
        except (KeyError, ValueError):
            return ""

    def _header(self, r: PageResult, notes: dict) -> list[tuple[str, str]]:
        summary = r.summary if r.summary not in self.sitewide else ""
        if not summary and r.seo_description not in self.sitewide:
            summary = r.seo_description
        keywords = r.keywords if r.keywords not in self.sitewide else ""
        if not keywords and r.seo_keywords not in self.sitewide:
            keywords = r.seo_keywords
        if r.kind == "page":
            return [("Title", header_value(r.title)), ("Summary", header_value(summary)),
                    ("Keywords", header_value(keywords))]
        image = alt = ""
        if r.lead_image:
            asset = self.assets.get(r.lead_image[0], "images")
            if asset.rel and (r.lead_image[1] or "").strip() and Path(asset.rel).suffix.lower() in IMAGE_TYPES:
                image, alt = asset.rel, r.lead_image[1]
                notes["assets"].append(asset.rel)
            elif asset.rel:
                notes.setdefault("lead_not_kept", asset.rel)
        attachments = []
        for url, label in r.attachments:
            if kind_of(url) != "attachments" or Path(urlsplit(url).path).suffix.lower() not in ATTACHMENT_TYPES:
                continue
            asset = self.assets.get(url, "attachments")
            if asset.rel:
                notes["assets"].append(asset.rel)
                attachments.append(f"{asset.rel} | {_label(label) or Path(asset.rel).name}")
        return [("Title", header_value(r.title)), ("Date", r.pubdate), ("Category", self.column_of[r.key]),
                ("Source", header_value(r.source)), ("Author", header_value(r.author)),
                ("Reviewer", header_value(r.reviewer)), ("Summary", header_value(summary)), ("Keywords", header_value(keywords)), ("Image", image),
                ("ImageAlt", header_value(alt)), ("Attachments", "; ".join(attachments))]

    def _redirects(self, results: list[PageResult]) -> None:
        rows: dict[str, str] = {}
        s = self.source
        for r in sorted(results, key=lambda r: r.key):
            entry = self.entries.get(r.key, {})
            new_path = entry.get("new_path") or ""
            if not new_path and r.kind == "other" and not r.error:
                new_path = self._other_target(r)
                entry["new_path"] = new_path
            if not new_path or entry.get("status") == "failed":
                continue
            if r.old_url:
                rows.setdefault(r.old_url, new_path)
            key = s.key(r.url)
            base, _, name = key.rpartition("/")
            if re.fullmatch(r"(?:index|default)\.s?html?", name) and r.old_url:
                old = r.old_url
                rows.setdefault(old[: len(old) - len(name)] if old.endswith(name) else old, new_path)
        for old, target in s.redirects.items():       # 3xx captures in an archive
            page = self.by_key.get(s.key(target))
            new_path = self.target.get(page.key, {}).get("new_path") if page else ""
            if new_path:
                rows.setdefault(old, new_path)
        for key, asset in self.assets.by_key.items():
            if asset.rel and asset.old_url != "data:" and "_files/" not in unquote(asset.old_url):
                rows.setdefault(s.public_url(asset.old_url), asset.rel)
        path = self.writer.target(redirects.FILE)
        existing = redirects.read(path)
        before = self.writer.previous_state().get("redirects", {})
        merged, conflicts, added = redirects.merge(existing, rows, before)
        self.redirect_rows = rows
        self.redirect_summary = {"file": str(path), "rows": len(merged), "added": added, "conflicts": conflicts,
                                 "existing": len(existing)}
        if merged != existing or not path.exists():
            self.writer.write_owned(redirects.FILE, redirects.render(merged))

    def _other_target(self, r: PageResult) -> str:
        if r.redirect_to:
            page = self.by_key.get(self.source.key(r.redirect_to))
            if page is not None and page.key in self.target:
                return self.target[page.key]["new_path"]
        name = posixpath.basename(urlsplit(r.url).path).lower()
        if name.startswith(("sitemap", "wzdt")):
            return "sitemap.html"
        return self.urls["INDEX_SAVE_AS"]


#: The description and keyword values of a page (the article's tags, then the SEO metas).
_PAGE_VALUES = ("summary", "seo_description", "keywords", "seo_keywords")


def sitewide_values(results: list[PageResult]) -> set[str]:
    """Descriptions and keywords that are the site's, not a page's: those of the home and column list
    pages, and any value repeated on three pages or more (a template's); never copied into an article."""
    counts = Counter(v for r in results if not r.error for v in {getattr(r, a) for a in _PAGE_VALUES} if v)
    found = {v for v, n in counts.items() if n >= 3}
    for r in results:
        if r.kind in ("home", "list") and not r.error:
            found |= {getattr(r, a) for a in _PAGE_VALUES if getattr(r, a)}
    return found


def _not_content_reason(r: PageResult, m: Migration) -> str:
    if r.kind == "list":
        slug = m.column_of.get(r.key)
        return f"column list page (column {slug!r})" if slug else "column list page"
    if r.kind == "home":
        return "the home page (the platform builds its own)"
    if r.redirect_to:
        return f"a redirect to {m.source.public_url(r.redirect_to)}"
    return f"not content ({r.kind_why})"


def migrate(settings: Settings, progress: Progress | None = None) -> Outcome:
    """Run one migration (see the module docstring)."""
    return Migration(settings, progress).run()
