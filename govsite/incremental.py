"""Render and write only the article pages whose inputs changed (a Pelican writer).

An article page's key is a hash of: the build's render fingerprint (theme, code, settings, every
site.toml, the build day — ``GOVSITE_INCREMENTAL["render"]``), the output name and template, the
article's source path, its body HTML, metadata and every public attribute (metadata, column, keywords,
attachments, related items and any other article an attribute refers to, by URL, title and date).
When the key equals the one recorded by the previous successful build and the previous output still
has the file, the writer hard-links that file into the staging folder instead of rendering it (same
bytes, same mtime, nothing copied; a copy where links are impossible). A column's list page
(``dependencies.SLICED`` templates) is kept the same way by its own key: the render fingerprint, the
write's arguments besides the article lists, its name, page number and page count, and what it shows
of each item it lists — URL, title and date, as an article page shows a related item; an edit
touches the list page holding the item, an added or re-dated item the pages after its place.
Everything else — home, feeds, pages — is rendered as usual.

In a watching process (``govsite build --watch``), when the only inputs changed since the site's last
build there are articles edited in place (``dependencies.edited_articles``: the same render
fingerprint, record and files; each edited article read again with the same URL, date, column,
status and language, ``dependencies.kept_in_place``), an article or list page whose entry in that
build's graph shows none of them is kept with its previous key, without computing it
(``keep_untouched``; counted as ``untouched``).

A kept page shares its inode with the live page until the swap, so nothing may write to it in place:
the writer unlinks a kept file before Pelican writes that name again, the platform's other writers
replace files (``govsite.files.write_text_atomic``), and ``check_kept`` fails the build if a kept
file changed anyway (something wrote through the link) — the previous output is then reported, not
silently served as new.

Settings (set by ``govsite.build``): ``GOVSITE_INCREMENTAL = {"previous": <live output folder>,
"state": <keys of the previous build (JSON)>, "render": <render fingerprint>, "edits", "graph",
"placements": <the in-place edits, the last build's graph and placements, in a watch>}``; absent or empty:
every page is rendered. The new keys are left in ``settings[KEYS]`` for the build to save once the
site has gone live.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import io
import json
import os
import re
from datetime import date
from pathlib import Path

from pelican import signals
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper
from pelican.utils import posixize_path, sanitised_join

from .dependencies import ALL, SHOWN, SLICED, kept_in_place, shown_by_article, shown_by_page, sources
from .errors import GovsiteError
from .feeds import TextFeedWriter
from .files import file_identity, is_plain_name, link_or_copy, read_json, stat_identity, write_text_atomic

SETTING = "GOVSITE_INCREMENTAL"
#: Where the writer leaves ``{output name: key}`` of every article page it wrote or kept.
KEYS = "GOVSITE_INCREMENTAL_KEYS"
#: Counts of pages rendered and kept, for the build's summary.
COUNTS = "GOVSITE_INCREMENTAL_COUNTS"
#: ``{staged path: (inode, size, mtime_ns)}`` of the kept pages, for ``check_kept``.
LINKED = "GOVSITE_INCREMENTAL_LINKED"
_ADDRESS = re.compile(r" at 0x[0-9a-f]+")
#: Attributes that are not inputs of the page (Pelican's plumbing) or are hashed separately.
_IGNORED = {"settings", "content", "metadata", "source_path"}


class Opaque(Exception):
    """A value without a stable representation: the page is always rendered."""


def stable(value, depth: int = 0):
    """A JSON-able, deterministic representation of a template input (raises Opaque)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Content):  # another article or page: what a link to it shows
        return ["content", value.url, str(getattr(value, "title", "")), stable(getattr(value, "date", None))]
    if isinstance(value, URLWrapper):
        return ["wrapper", type(value).__name__, value.name, value.slug]
    if depth > 4:
        raise Opaque(type(value).__name__)
    if isinstance(value, dict):
        return [[str(k), stable(v, depth + 1)] for k, v in sorted(value.items(), key=lambda item: str(item[0]))]
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [stable(v, depth + 1) for v in value]
        return sorted(items, key=json.dumps) if isinstance(value, (set, frozenset)) else items
    if dataclasses.is_dataclass(value):
        return [type(value).__name__, stable(dataclasses.asdict(value), depth + 1)]
    if isinstance(value, Path):
        return str(value)
    text = repr(value)
    if _ADDRESS.search(text):
        raise Opaque(type(value).__name__)
    return [type(value).__name__, text]


def _representation(value):
    """What :data:`_ENCODER` writes for a value JSON has no type for: as :func:`stable` represents it
    (raises Opaque)."""
    if isinstance(value, (date, Content, URLWrapper)):  # the most frequent: dates, related items, columns
        return stable(value)
    if isinstance(value, (set, frozenset)):
        return ["set", sorted(_ENCODER.encode(v) for v in value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        try:
            return _frozen_dataclass(value)
        except TypeError:  # not hashable: a mutable dataclass
            return [type(value).__name__, dataclasses.asdict(value)]
    return stable(value, 0)


@functools.lru_cache(maxsize=1 << 12)
def _frozen_dataclass(value) -> list:
    """A hashable (frozen) dataclass's representation, remembered: a column's ``Column`` is an
    attribute of each of its articles (equal values, equal representations)."""
    return [type(value).__name__, dataclasses.asdict(value)]


#: The JSON text of a template input, written by the C encoder where JSON has the type (dicts with
#: sorted keys, lists, tuples, strings, numbers) and by :func:`_representation` for the rest: the same
#: distinctions as :func:`stable` without a Python call per value (the key of every article page is
#: computed on every build).
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_representation)


def encoded(value) -> str:
    """A deterministic text of a template input (raises Opaque): JSON where every key is a string
    (or a number), else the ``repr`` of :func:`stable`'s representation."""
    try:
        return _ENCODER.encode(value)
    except (TypeError, ValueError, RecursionError):  # keys JSON cannot sort or hold, a cycle, a deep value
        return repr(stable(value))


def digest(parts: list) -> str:
    """The SHA-256 of a key's parts (their representation; lone surrogates kept)."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def article_key(render: str, name: str, template: str, article, extra: dict) -> str:
    """The key of one article page (raises Opaque when an input has no stable representation).

    The source file is covered by what Pelican read from it: the body HTML and the metadata."""
    attributes = {k: v for k, v in vars(article).items() if not k.startswith("_") and k not in _IGNORED}
    parts = [render, name, template, str(getattr(article, "relative_source_path", "")), article.content,
             encoded(article.metadata), encoded(attributes), encoded(extra)]
    return digest(parts)


def load_json(path: str | os.PathLike | None) -> dict[str, str]:
    """The keys recorded by the previous successful build ({} when there are none or unreadable)."""
    return read_json(path)


def save_json(path: str | os.PathLike, keys: dict[str, str]) -> None:
    """Record the keys (atomic)."""
    write_text_atomic(path, json.dumps(keys, ensure_ascii=False, separators=(",", ":")))


class Members(list):
    """A column's (author's, tag's) article list whose ``in`` is a set lookup by identity.

    Pelican builds each column page's ``dates`` as ``[a for a in self.dates if a in articles]``:
    a list scan per article, 10,000 x 10,000 comparisons for a 10,000-article site (about 1.3 s per
    list, for columns and again for authors). Articles compare by identity, so this is the same test."""

    def __init__(self, items=()):
        super().__init__(items)
        self._ids = frozenset(map(id, self))

    def __contains__(self, item) -> bool:
        return id(item) in self._ids


def index_memberships(generator) -> None:
    """Swap the article lists of the generator's columns and authors for ``Members`` in place (the
    template context shares these lists). Call once all content is read; the lists are not
    changed afterwards."""
    for name in ("categories", "authors", "tags"):
        groups = getattr(generator, name, None)
        if isinstance(groups, list):  # categories and authors: sorted (key, articles) pairs
            groups[:] = [(key, Members(items)) for key, items in groups]
        elif isinstance(groups, dict):  # tags
            for key, items in groups.items():
                groups[key] = Members(items)


class _Recording:
    """A template that records what each page rendered with it shows (``govsite.dependencies``); for
    the pages of a template that lists a slice (a column's list pages), with the writer's ``keyed``
    settings, a page whose key is the previous build's is kept instead of rendered."""

    def __init__(self, template, template_name: str | None, writer, keyed: str = ""):
        self._template, self._template_name, self._writer, self._keyed = template, template_name, writer, keyed

    def render(self, localcontext):
        name = localcontext["output_file"]
        writer = self._writer
        writer.shown[name] = shown_by_page(self._template_name, localcontext)
        if self._keyed and (writer.keep_untouched(name, page=False) or self._kept_by_key(name, localcontext)):
            writer._kept_now.add(writer._target(name))
            return ""  # not written: the writer's opener gives Pelican a sink for it
        return self._template.render(localcontext)

    def _kept_by_key(self, name: str, localcontext: dict) -> bool:
        """Record the list page's key; keep the previous output's page when the key is the one it had."""
        key = self._writer.list_key(self._keyed, localcontext)
        if key:
            self._writer.keys[name] = key
        return bool(key) and self._writer.old_keys.get(name) == key and self._writer._keep(name)

    def __getattr__(self, name):
        return getattr(self._template, name)


class IncrementalWriter(TextFeedWriter):
    """Pelican's writer (with text feeds: ``govsite.feeds``) that keeps unchanged article pages from the
    previous output."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        config = (settings or {}).get(SETTING) or {}
        self.previous = Path(config["previous"]) if config.get("previous") else None
        #: ``{name: (inode, size, mtime_ns)}`` of the previous output's files as the build found them
        #: (``fingerprint.output_files``): a page linked from there has that identity (``check_kept``)
        self.live_files: dict[str, tuple[int, int, int]] = config.get("live") or {}
        self.render = config.get("render", "")
        self.old_keys = load_json(config.get("state")) if self.previous and self.render else {}
        self.keys: dict[str, str] = settings.setdefault(KEYS, {}) if settings is not None else {}
        self.counts = settings.setdefault(COUNTS, {"rendered": 0, "kept": 0}) if settings is not None else {}
        self.linked: dict[str, tuple[int, int, int]] = settings.setdefault(LINKED, {}) if settings is not None else {}
        #: ``{output name: what the page shows}`` of every page and feed written (``govsite.dependencies``)
        self.shown: dict[str, frozenset[str]] = settings.setdefault(SHOWN, {}) if settings is not None else {}
        self._folders: set[str] = set()
        self._kept_now: set[str] = set()  # list pages just kept: Pelican's write of them goes to a sink
        #: ``{output name: what it showed}`` at the previous build, and the articles edited in place since
        #: (``govsite.dependencies``): a page showing none of them is kept without computing its key
        self.graph: dict[str, frozenset[str]] = (config.get("graph") or {}) if self.old_keys else {}
        self._edits = config.get("edits")
        self._placements: dict[str, str] = config.get("placements") or {}
        self._untouched: frozenset[str] | None | bool = False  # False: not decided yet
        self._resolved_output = sanitised_join(self.output_path)  # for ``_target``
        self._previous_folder = os.fspath(self.previous) if self.previous else ""  # for ``_keep``
        #: ``{output path: identity}`` of the live pages linked into the staging folder while the watch
        #: waited (``kept_folders.link_pages``): kept without linking, unlinked before written, and the
        #: ones left unlinked once the article pages are written (``drop_pages_linked_ahead``)
        self._ahead: dict[str, tuple[int, int, int]] = {
            self._target(name): identity for name, identity in (config.get("ahead") or {}).items()}

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None,
                   override_output=False, url=None, **kwargs):
        article = kwargs.get("article")
        if name and article is not None:
            if self._keep_page_untouched(name):
                return
            self.shown[name] = shown_by_article(article)
        if not name or article is None or not self.render:
            if name and article is None:
                template = _Recording(template, template_name, self,
                                      self.list_base(name, template, template_name, relative_urls, override_output,
                                                     kwargs))
            return super().write_file(name, template, context, relative_urls, paginated, template_name,
                                      override_output, url, **kwargs)
        extra = {k: v for k, v in kwargs.items() if k != "article"}
        try:
            key = article_key(self.render, name, getattr(template, "name", "") or "", article,
                              {**extra, "relative_urls": relative_urls, "override": override_output})
        except Opaque:
            key = ""
        if key and self.old_keys.get(name) == key and self._keep(name):
            self.counts["kept"] += 1
        else:
            super().write_file(name, template, context, relative_urls, paginated, template_name,
                               override_output, url, **kwargs)
            self.counts["rendered"] += 1
        if key:
            self.keys[name] = key

    def keep_untouched(self, name: str, page: bool = True) -> bool:
        """Keep ``name`` from the previous output with its previous key when it shows none of the articles
        edited in place since the previous build (nothing else having changed: the graph's claim,
        ``tests/test_dependencies.py``); False when it must be keyed as usual."""
        if not self.untouched(name) or not self._keep(name):
            return False
        self.keys[name] = self.old_keys[name]
        self.counts["kept"] += page  # article pages (list pages are not counted there)
        self.counts["untouched"] = self.counts.get("untouched", 0) + 1
        return True

    def edited_in_place(self) -> frozenset[str] | None:
        """The articles edited in place since the previous build (``dependencies.kept_in_place``): the
        pages showing none of them are kept untouched (:meth:`keep_untouched`); None: every page is keyed."""
        if self._untouched is False:
            self._untouched = kept_in_place(self._edits, self._placements, self.settings) if self.graph else None
        return self._untouched

    def keep_untouched_article(self, article) -> bool:
        """:meth:`keep_untouched` for an article's page, as :meth:`write_file` does it (without the
        write call Pelican makes for each article)."""
        return bool(article.save_as) and self._keep_page_untouched(article.save_as)

    def _keep_page_untouched(self, name: str) -> bool:
        """:meth:`keep_untouched` for an article page, which shows what it showed."""
        if not self.keep_untouched(name):
            return False
        self.shown[name] = self.graph[name]
        return True

    def untouched(self, name: str) -> bool:
        """Whether :meth:`keep_untouched` keeps ``name`` (unless the previous output lost it): it has a
        previous key and shows none of the articles edited in place."""
        return name in self.old_keys and self._shows_no_edit(name)

    def _shows_no_edit(self, name: str) -> bool:
        """Whether the previous build's graph has ``name`` showing none of the articles edited in place
        (nor every article); False when every page is keyed."""
        edited = self.edited_in_place()
        shown = self.graph.get(name) if edited is not None else None
        return shown is not None and ALL not in shown and shown.isdisjoint(edited)

    def list_base(self, name, template, template_name, relative_urls, override_output, kwargs) -> str:
        """What every page of a list write shares in its key ("": its pages are always rendered): the
        render fingerprint, the template, the write's arguments besides the listed articles."""
        if not (self.render and template_name in SLICED):
            return ""
        extra = {k: v for k, v in kwargs.items() if k not in ("articles", "dates", "all_articles")}  # SLICED: not read
        try:
            return encoded([self.render, name, getattr(template, "name", "") or "", relative_urls, override_output,
                            extra])
        except Opaque:
            return ""

    def list_key(self, base: str, localcontext: dict) -> str:
        """A list page's key: ``base``, its name, and for each paginator its page number, page count and
        what the page shows of each item it lists: URL, title and date (as for a related item)."""
        parts = [base, localcontext["output_file"]]
        for list_name in ("articles", "dates"):
            page = localcontext.get(f"{list_name}_page")
            if page is None:
                return ""
            parts.append([page.number, page.paginator.num_pages, [stable(item) for item in page.object_list]])
        return digest(parts)

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom", override_output=False,
                   feed_title=None):
        if path:
            if self._feed_untouched(path):
                self.shown[path] = self.graph[path]
                return None  # (Pelican's callers do not use the feed returned)
            self.shown[path] = frozenset(sources(elements))
        return super().write_feed(elements, context, path, url, feed_type, override_output, feed_title)

    def _feed_untouched(self, path: str) -> bool:
        """Keep the previous build's feed ``path`` when it lists none of the articles edited in place:
        a feed's bytes are its items' (and the settings', site's and build day's: the render
        fingerprint), and the items it lists are those it listed (dates, columns and status kept). Not
        when a plugin listens to the feed signals (it would miss this feed)."""
        if not self._shows_no_edit(path) or signals.feed_generated.receivers or signals.feed_written.receivers \
                or not self._keep(path):
            return False
        self.counts["untouched"] = self.counts.get("untouched", 0) + 1
        return True

    def _keep(self, name: str) -> bool:
        """Link the previous output's file into the new output; False when it is gone."""
        target = self._target(name)
        if target in self._written_files:
            return False  # written already in this run: let Pelican handle the overwrite rules
        ahead = self._ahead.pop(target, None)
        if ahead is not None:
            if self.live_files.get(name) == ahead:  # still the live page: kept as linked
                self.linked[target] = ahead
                self._written_files.add(target)
                return True
            os.unlink(target)  # the live output's file is another now
        source = os.path.join(self._previous_folder, name)
        folder = target.rpartition("/")[0] or "/"  # (os.path.dirname of the joined path)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        try:
            linked = link_or_copy(source, target)
        except FileNotFoundError:
            return False  # the previous output lost it: render
        except FileExistsError:
            return False  # something else put a file there: let Pelican handle the overwrite rules
        if linked:
            self.linked[target] = self.live_files.get(name) or stat_identity(os.stat(target))
        self._written_files.add(target)
        return True

    def _target(self, name: str) -> str:
        """``sanitised_join(self.output_path, name)`` (the same path, the same refusal), the output
        folder resolved once; a plain relative name (no empty, ``.`` or ``..`` part) is joined to it."""
        if is_plain_name(name):
            return self._resolved_output.rstrip("/") + "/" + name
        joined = posixize_path(os.path.abspath(os.path.join(self.output_path, name)))
        if not joined.startswith(self._resolved_output):
            return sanitised_join(self.output_path, name)  # raises as Pelican does
        return joined

    def _open_w(self, filename, encoding, override=False):
        """Pelican's opener; a kept (linked) file is unlinked first, so the live page is never written;
        a list page kept by its key is not written at all."""
        if filename in self._kept_now:
            self._kept_now.discard(filename)
            return contextlib.nullcontext(io.StringIO())
        if self._ahead.pop(filename, None) is not None:
            os.unlink(filename)  # linked ahead: never written through
        if filename in self.linked and filename not in self._overridden_files:
            os.unlink(filename)
            del self.linked[filename]
        return super()._open_w(filename, encoding, override)

    def drop_pages_linked_ahead(self) -> None:
        """Unlink the pages linked ahead that the build neither kept nor wrote (a copy onto one would
        write through the link into the live output); fail when one changed: it was written through."""
        changed = []
        for target, identity in self._ahead.items():
            try:
                if stat_identity(os.lstat(target)) != identity:
                    changed.append(target)
                os.unlink(target)
            except FileNotFoundError:
                pass
        self._ahead.clear()
        if changed:
            raise GovsiteError(f"{len(changed)} page(s) linked from the live output were written through the "
                               "link (the live output changed): " + ", ".join(sorted(changed)[:20]))


def linked_identities(settings: dict, staging: Path | str) -> dict[str, tuple[int, int, int]] | None:
    """``{path relative to staging: (inode, size, mtime_ns)}`` of the pages kept by linking them from the
    live output, as linked (None when the build did not run the incremental writer)."""
    linked = settings.get(LINKED)
    if linked is None:
        return None
    top = os.path.join(os.path.abspath(staging), "")
    return {(path[len(top):] if path.startswith(top) else os.path.relpath(path, staging)).replace(os.sep, "/"): info
            for path, info in linked.items()}


def kept_inodes(settings: dict, staging: Path | str) -> dict[str, int] | None:
    """``{path relative to staging: inode}`` of the pages kept by linking them from the live output
    (None when the build did not run the incremental writer)."""
    linked = linked_identities(settings, staging)
    return None if linked is None else {name: identity[0] for name, identity in linked.items()}


def check_kept(settings: dict, staging: Path | str | None = None,
               walked: dict[str, tuple[int, int, int]] | None = None) -> None:
    """Fail when a kept page changed after it was linked: something wrote it in place, i.e. through
    the link into the live output (which is then reported rather than replaced by the same bytes).

    :param walked: ``{path relative to staging: (inode, size, mtime_ns)}`` of the staged files as the
        build's last walk of ``staging`` found them (else each kept page is stat'ed)."""
    linked = settings.get(LINKED) or {}
    previous = (settings.get(SETTING) or {}).get("previous") if walked is not None else None
    if walked is None:
        recorded = linked
        walked = {path: file_identity(path) for path in linked}
    else:
        recorded = linked_identities(settings, staging) or {}
    changed = [name for name, identity in recorded.items()
               if (now := walked.get(name)) and now[0] == identity[0] and now != tuple(identity)]
    if changed:
        raise GovsiteError(f"{len(changed)} page(s) kept from the live output changed after the build linked "
                           f"them, which also changed the live copies (written in place through the link, or "
                           f"edited in the live output during the build): {', '.join(changed[:5])}. Every writer "
                           "must replace files (govsite.files.write_text_atomic); rebuild with --full.")
    # another inode: replaced by a new file (the live page untouched), unless that file is the live one,
    # replaced in the live output after the build looked at it and linked as it was then
    swapped = [name for name, identity in recorded.items() if previous
               and (now := walked.get(name)) and now[0] != identity[0]
               and (live := file_identity(os.path.join(previous, name))) and live[0] == now[0]]
    if swapped:
        raise GovsiteError(f"{len(swapped)} page(s) of the live output were replaced during the build: "
                           f"{', '.join(swapped[:5])}. Nothing but the build may write the output; build again.")
