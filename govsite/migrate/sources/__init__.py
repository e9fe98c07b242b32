"""Readers for the legacy site: a folder (CMS export, wget mirror, browser-saved pages), WARC, WACZ.

Every reader gives the same view: :class:`Document` references for the HTML pages (cheap, picklable,
loaded in worker processes), ``fetch(url)`` for any resource by URL, and the redirects the crawl
recorded. URLs are normalised by :func:`url_key` so that a link written as an absolute URL, a
root-relative path or a relative path finds the same file.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit, urlunsplit

from ..errors import SourceUnreadable

#: File name extensions of pages (wget keeps server-side extensions when not told --adjust-extension).
PAGE_EXTENSIONS = frozenset({".html", ".htm", ".shtml", ".shtm", ".xhtml", ".jsp", ".php", ".asp", ".aspx", ".do"})
#: Index documents a directory URL may stand for.
INDEX_NAMES = ("index.html", "index.htm", "index.shtml", "default.html", "default.htm", "index.jsp",
               "index.php", "default.aspx", "index.aspx", "main.htm", "main.html")
#: Placeholder host for sources whose host is unknown (a reserved TLD: never resolves).
UNKNOWN_HOST = "legacy.invalid"
_HOST = re.compile(r"^(?=.{3,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d+)?$", re.I)


def looks_like_host(name: str) -> bool:
    """True for a folder name like ``www.example.gov.cn`` (wget's top folder)."""
    return bool(_HOST.match(name)) and not Path(name).suffix.lower() in PAGE_EXTENSIONS


@dataclass(frozen=True)
class Document:
    """One HTML page of the source: where it is (``key``), its URL, and how to load its bytes."""

    key: str                 # shown in the report as source_path: a relative path, or archive#URL
    url: str                 # absolute URL used to resolve the page's relative links
    locator: tuple           # reader-specific, picklable: ("file", path) or ("warc", path, offset, base)
    content_type: str = ""   # HTTP Content-Type when known (archives)
    old_url: str = ""        # the URL on the old site when the reader knows it (archives)

    def load(self) -> bytes:
        """The page's bytes (works in a worker process)."""
        return load_locator(self.locator)


def load_locator(locator: tuple) -> bytes:
    """Read the bytes a locator points at."""
    kind = locator[0]
    if kind == "file":
        return Path(locator[1]).read_bytes()
    if kind == "warc":
        from .warc import read_payload
        return read_payload(*locator[1:])
    raise ValueError(f"unknown locator {locator!r}")


def url_key(url: str, hosts: frozenset[str] | set[str]) -> str:
    """A normalised lookup key: host dropped when it is the site's own, path unquoted, no fragment."""
    host, rest = _host_and_path(url)
    if not host or host in hosts:
        return rest
    return f"//{host}{rest}"


@lru_cache(maxsize=1 << 16)
def _host_and_path(url: str) -> tuple[str, str]:
    """The lowered host (with a port other than 80/443) and the normalised path and query of a URL:
    the part of its key that does not depend on the site's hosts (links repeat: remembered)."""
    url, _ = urldefrag(url.strip())
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = unquote(parts.path or "/")
    path = posixpath.normpath(path) + ("/" if path.endswith("/") and path != "/" else "")
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    path = "/" if path in (".", "") else path
    query = f"?{parts.query}" if parts.query else ""
    return host, path + query


def quote_path(path: str) -> str:
    """Percent-encode a file path for use in a URL (keeps ``/``)."""
    return quote(path, safe="/:@!$&'()*+,;=-._~?")


@dataclass
class Source:
    """Base class: a set of documents and resources addressed by URL."""

    path: Path
    host: str = UNKNOWN_HOST
    scheme: str = "http"
    hosts: set[str] = field(default_factory=set)
    redirects: dict[str, str] = field(default_factory=dict)   # old URL -> target URL (archives)
    notes: list[str] = field(default_factory=list)            # reader warnings for the report
    base_path: str = "/"                                      # the site's path prefix (from --url-base)

    @property
    def kind(self) -> str:
        return type(self).__name__.replace("Source", "").lower()

    def documents(self) -> list[Document]:
        raise NotImplementedError

    def lookup(self, url: str) -> tuple | None:
        """The locator of a resource by absolute URL, or None when the source does not hold it."""
        raise NotImplementedError

    def fetch(self, url: str) -> bytes | None:
        locator = self.lookup(url)
        return load_locator(locator) if locator else None

    def key(self, url: str) -> str:
        return url_key(url, self.hosts)

    def absolute(self, url: str, base: str) -> str:
        """``url`` resolved against ``base`` (a page URL)."""
        return urljoin(base, url.strip())

    def public_url(self, url: str) -> str:
        """The URL as the old site's public address: absolute when the host is known, else root-relative."""
        parts = urlsplit(url)
        if (parts.hostname or "") == UNKNOWN_HOST or not parts.hostname:
            return urlunsplit(("", "", parts.path or "/", parts.query, ""))
        return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))

    def close(self) -> None:
        pass


def open_source(path: Path | str, url_base: str | None = None) -> Source:
    """Open a folder, ``.warc``/``.warc.gz`` or ``.wacz`` as a :class:`Source`."""
    path = Path(path)
    if not path.exists():
        raise SourceUnreadable(f"--source {path}: no such file or folder")
    if path.is_dir():
        from .folder import FolderSource
        return FolderSource.open(path, url_base)
    name = path.name.lower()
    if name.endswith(".wacz"):
        from .wacz import WaczSource
        return WaczSource.open(path, url_base)
    if name.endswith((".warc", ".warc.gz", ".arc", ".arc.gz")):
        from .warc import WarcSource
        return WarcSource.open(path, url_base)
    raise SourceUnreadable(f"--source {path}: expected a folder of saved pages, a .warc/.warc.gz or a .wacz file")
