"""A folder of saved pages: a CMS export, a wget mirror (``<host>/...``), or pages saved from a browser.

A browser's "complete web page" save writes ``name.html`` and ``name_files/`` with the page's
images; files under a ``*_files`` folder are resources, never pages, and the page's own
``<!-- saved from url=(NNNN)https://... -->`` mark (when present) gives its old URL.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from . import INDEX_NAMES, PAGE_EXTENSIONS, UNKNOWN_HOST, Document, Source, looks_like_host, quote_path, url_key

_SNIFF = (b"<!doctype html", b"<html", b"<head", b"<meta", b"<!--")


@dataclass
class FolderSource(Source):
    """Pages and resources below one folder; the site's URL space is mapped onto its paths."""

    root: Path = Path(".")
    files: dict[str, str] = field(default_factory=dict)        # url path key -> relative file path
    folded: dict[str, str] = field(default_factory=dict)       # lower-cased key -> relative path (IIS sites)
    page_files: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, path: Path, url_base: str | None) -> "FolderSource":
        root = path.resolve()
        host, scheme, base_path = UNKNOWN_HOST, "http", "/"
        entries = [e for e in os.scandir(root) if not e.name.startswith(".")]
        dirs = [e for e in entries if e.is_dir()]
        pages_at_top = [e for e in entries if e.is_file() and Path(e.name).suffix.lower() in PAGE_EXTENSIONS]
        source = cls(path=path)
        if len(dirs) == 1 and not pages_at_top and looks_like_host(dirs[0].name):
            root = Path(dirs[0].path).resolve()      # a wget mirror: <host>/...
            host = dirs[0].name.lower()
            source.notes.append(f"wget mirror of {host}")
        if url_base:
            parts = urlsplit(url_base)
            host, scheme = parts.netloc.lower(), parts.scheme or "http"
            base_path = parts.path if parts.path.endswith("/") else parts.path + "/"
        source.root, source.host, source.scheme, source.base_path = root, host, scheme, base_path
        source.hosts = {host}
        source._index()
        return source

    def _index(self) -> None:
        for folder, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            rel_folder = os.path.relpath(folder, self.root)
            rel_folder = "" if rel_folder == "." else rel_folder.replace(os.sep, "/")
            in_files_dir = any(part.endswith(("_files", "_files_")) or part.endswith(".files")
                               for part in rel_folder.split("/") if part)
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                rel = f"{rel_folder}/{name}" if rel_folder else name
                path_part, _, query = name.partition("?")       # wget: "page.php?id=3" (maybe + .html)
                url_path = "/" + (f"{rel_folder}/{path_part}" if rel_folder else path_part)
                key = self.base_path.rstrip("/") + url_path + (f"?{query}" if query else "")
                key = url_key(f"http://{self.host}{quote_path(key)}", self.hosts)
                self.files.setdefault(key, rel)
                if query.endswith(".html"):   # wget --adjust-extension on a query URL
                    self.files.setdefault(key[: -len(".html")], rel)
                self.folded.setdefault(key.lower(), rel)
                if not in_files_dir and self._is_page(rel, path_part):
                    self.page_files.append(rel)

    def _is_page(self, rel: str, name: str) -> bool:
        suffix = Path(name).suffix.lower()
        if suffix in PAGE_EXTENSIONS or rel.lower().endswith((".html", ".htm")):
            return True
        if suffix:
            return False
        with open(self.root / rel, "rb") as handle:      # extension-less wget files: sniff
            head = handle.read(512).lstrip().lower()
        return head.startswith(_SNIFF)

    def url_of(self, rel: str) -> str:
        if "?" in rel and rel.endswith(".html") and not rel.split("?", 1)[0].endswith(".html"):
            rel = rel[: -len(".html")]            # wget --adjust-extension: "page.php?id=3.html"
        path = self.base_path.rstrip("/") + "/" + rel
        return f"{self.scheme}://{self.host}{quote_path(path)}"

    def documents(self) -> list[Document]:
        return [Document(key=rel, url=self.url_of(rel), locator=("file", str(self.root / rel)))
                for rel in self.page_files]

    def lookup(self, url: str) -> tuple | None:
        key = self.key(url)
        if key.startswith("//"):
            return None                      # another host: not in this folder
        rel = self.files.get(key) or self.folded.get(key.lower())
        if rel is None and (key.endswith("/") or "." not in key.rsplit("/", 1)[-1]):
            base = key.rstrip("/")
            for name in INDEX_NAMES:
                rel = self.files.get(f"{base}/{name}") or self.folded.get(f"{base}/{name}".lower())
                if rel:
                    break
        if rel is None:
            return None
        full = (self.root / rel).resolve()
        if self.root not in full.parents or not full.is_file():
            return None                      # never read outside the source folder
        return ("file", str(full))

    def relative_path(self, url: str) -> str | None:
        """The source-relative file path a URL maps to (for the report), or None."""
        locator = self.lookup(url)
        return os.path.relpath(locator[1], self.root).replace(os.sep, "/") if locator else None
