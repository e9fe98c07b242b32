"""Render and write only the article pages whose inputs changed (a Pelican writer).

An article page's key is a hash of: the build's render fingerprint (theme, code, settings, every
site.toml, the build day — ``GOVSITE_INCREMENTAL["render"]``), the output name and template, the
article's source path, its body HTML, metadata and every public attribute (metadata, column, keywords,
attachments, related items and any other article an attribute refers to, by URL, title and date).
When the key equals the one recorded by the previous successful build and the previous output still
has the file, the writer copies that file (bytes and mtime) into the staging folder instead of
rendering it. Everything else — list pages, home, feeds, pages — is rendered as usual.

Settings (set by ``govsite.build``): ``GOVSITE_INCREMENTAL = {"previous": <live output folder>,
"state": <keys of the previous build (JSON)>, "render": <render fingerprint>}``; absent or empty:
every page is rendered. The new keys are left in ``settings[KEYS]`` for the build to save once the
site has gone live.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
from datetime import date
from pathlib import Path

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper
from pelican.utils import sanitised_join
from pelican.writers import Writer

from .files import write_text_atomic

SETTING = "GOVSITE_INCREMENTAL"
#: Where the writer leaves ``{output name: key}`` of every article page it wrote or kept.
KEYS = "GOVSITE_INCREMENTAL_KEYS"
#: Counts of pages rendered and kept, for the build's summary.
COUNTS = "GOVSITE_INCREMENTAL_COUNTS"
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


def article_key(render: str, name: str, template: str, article, extra: dict) -> str:
    """The key of one article page (raises Opaque when an input has no stable representation).

    The source file is covered by what Pelican read from it: the body HTML and the metadata."""
    attributes = {k: v for k, v in vars(article).items() if not k.startswith("_") and k not in _IGNORED}
    parts = [render, name, template, str(getattr(article, "relative_source_path", "")), article.content,
             stable(article.metadata), stable(attributes), stable(extra)]
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def load_json(path: str | os.PathLike | None) -> dict[str, str]:
    """The keys recorded by the previous successful build ({} when there are none or unreadable)."""
    try:
        return json.loads(Path(path).read_text("utf-8")) if path else {}
    except (OSError, ValueError):
        return {}


def save_json(path: str | os.PathLike, keys: dict[str, str]) -> None:
    """Record the keys (atomic)."""
    write_text_atomic(path, json.dumps(keys, ensure_ascii=False, separators=(",", ":")))


def freeze_urls(contents) -> None:
    """Fix ``url`` of finished articles and pages: Pelican formats it from the settings (dates, slugs,
    relative source paths) on every access, about 16 times per article in a build.
    ``override_url`` is where Pelican itself keeps a fixed URL (``save_as`` is left alone: an
    ``override_save_as`` would change Pelican's overwrite rules)."""
    for content in contents:
        if not hasattr(content, "override_url"):
            content.override_url = content.url


class IncrementalWriter(Writer):
    """Pelican's writer that keeps unchanged article pages from the previous output."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        config = (settings or {}).get(SETTING) or {}
        self.previous = Path(config["previous"]) if config.get("previous") else None
        self.render = config.get("render", "")
        self.old_keys = load_json(config.get("state")) if self.previous and self.render else {}
        self.keys: dict[str, str] = settings.setdefault(KEYS, {}) if settings is not None else {}
        self.counts = settings.setdefault(COUNTS, {"rendered": 0, "kept": 0}) if settings is not None else {}

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None,
                   override_output=False, url=None, **kwargs):
        article = kwargs.get("article")
        if not name or article is None or not self.render:
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

    def _keep(self, name: str) -> bool:
        """Copy the previous output's file (bytes and times) into the new output; False when it is gone."""
        source = self.previous / name
        if not source.is_file():
            return False
        target = Path(sanitised_join(self.output_path, name))
        if target.exists() or str(target) in self._written_files:
            return False  # written already in this run: let Pelican handle the overwrite rules
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)  # a copy, never a link: the live output is never written through
        self._written_files.add(str(target))
        return True
