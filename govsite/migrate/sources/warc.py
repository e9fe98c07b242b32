"""WARC files (``.warc``, ``.warc.gz``) read with warcio: an index of records by URL, payloads by offset.

Only successful captures (``response`` 200 and ``resource`` records) are documents or resources;
3xx responses are kept as redirects (their old URLs go into the redirect register); a ``revisit``
record points at the capture it repeats. The last capture of a URL wins.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import SourceUnreadable
from . import Document, Source

_HTML_TYPES = ("text/html", "application/xhtml+xml")


class _Window(io.RawIOBase):
    """A read-only view of ``length`` bytes of a file starting at ``base`` (a WARC stored in a ZIP)."""

    def __init__(self, handle, base: int, length: int | None):
        self.handle, self.base, self.length, self.pos = handle, base, length, 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.pos

    def seek(self, offset, whence=0):
        self.pos = offset if whence == 0 else self.pos + offset if whence == 1 else (self.length or 0) + offset
        return self.pos

    def readinto(self, buffer):
        remaining = len(buffer) if self.length is None else max(0, min(len(buffer), self.length - self.pos))
        self.handle.seek(self.base + self.pos)
        data = self.handle.read(remaining)
        buffer[: len(data)] = data
        self.pos += len(data)
        return len(data)


def _open(path: str, base: int = 0, length: int | None = None):
    handle = open(path, "rb")
    if base == 0 and length is None:
        return handle
    return io.BufferedReader(_Window(handle, base, length), buffer_size=1 << 16)


def read_payload(path: str, offset: int, base: int = 0, length: int | None = None) -> bytes:
    """The HTTP payload (body, de-chunked and decompressed) of the record at ``offset``."""
    with _open(path, base, length) as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        return record.content_stream().read()


@dataclass
class WarcSource(Source):
    """Every capture of one or more WARC files (a WACZ is several)."""

    index: dict[str, tuple] = field(default_factory=dict)       # url key -> locator
    types: dict[str, str] = field(default_factory=dict)         # url key -> content type
    urls: dict[str, str] = field(default_factory=dict)          # url key -> captured URL
    pages: list[str] = field(default_factory=list)              # url keys of HTML captures, in order

    @classmethod
    def open(cls, path: Path, url_base: str | None) -> "WarcSource":
        source = cls(path=path)
        source.add_warc(str(path), label=path.name)
        source.finish(url_base)
        return source

    def add_warc(self, path: str, label: str, base: int = 0, length: int | None = None) -> None:
        """Index one WARC (optionally a window of a bigger file) without reading payloads."""
        self._captures = getattr(self, "_captures", [])
        digests: dict[str, tuple] = getattr(self, "_digests", {})
        self._digests = digests
        try:
            with _open(path, base, length) as stream:
                iterator = ArchiveIterator(stream)
                seen = 0
                for record in iterator:
                    uri = record.rec_headers.get_header("WARC-Target-URI") or record.rec_headers.get_header("uri") or ""
                    if record.format.startswith("warc") or uri.startswith(("http:", "https:")):
                        seen += 1
                    kind = record.rec_type
                    if kind not in ("response", "resource", "revisit"):
                        continue
                    url = uri.strip("<>")
                    if not url.startswith(("http:", "https:")):
                        continue
                    status = record.http_headers.get_statuscode() if record.http_headers else "200"
                    ctype = (record.http_headers.get_header("Content-Type") if record.http_headers
                             else record.rec_headers.get_header("Content-Type")) or ""
                    digest = record.rec_headers.get_header("WARC-Payload-Digest") or ""
                    if kind == "revisit":
                        refers = record.rec_headers.get_header("WARC-Refers-To-Target-URI") or ""
                        self._captures.append(("revisit", url, refers.strip("<>"), digest, ctype))
                        continue
                    if status and status.startswith("3") and record.http_headers:
                        location = record.http_headers.get_header("Location")
                        if location:
                            self.redirects[url] = urljoin(url, location)
                        continue
                    if status != "200":
                        continue
                    offset = iterator.get_record_offset()
                    locator = ("warc", path, offset, base, length)
                    self._captures.append(("capture", url, locator, digest, ctype))
                    if digest:
                        digests[digest] = (locator, ctype)
        except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
            raise SourceUnreadable(f"--source {label}: not a readable WARC ({exc})") from exc
        if not seen:
            raise SourceUnreadable(f"--source {label}: not a readable WARC (no WARC records in it)")

    def finish(self, url_base: str | None) -> None:
        """Resolve revisits, pick the site's host, and build the page list."""
        hosts: dict[str, int] = {}
        for kind, url, target, digest, ctype in self._captures:
            host = (urlsplit(url).hostname or "").lower()
            if kind == "capture" and ctype.split(";")[0].strip().lower() in _HTML_TYPES:
                hosts[host] = hosts.get(host, 0) + 1
        if url_base:
            parts = urlsplit(url_base)
            self.host, self.scheme = parts.netloc.lower(), parts.scheme or "http"
        elif hosts:
            self.host = max(hosts, key=hosts.get)
        self.hosts = {self.host}
        for kind, url, target, digest, ctype in self._captures:
            key = self.key(url)
            if kind == "revisit":
                original = self.index.get(self.key(target)) if target else None
                found = (original, self.types.get(self.key(target), ctype)) if original else self._digests.get(digest)
                if not found:
                    self.notes.append(f"revisit of {url} refers to a capture not in the archive")
                    continue
                locator, ctype = found
            else:
                locator = target
            self.index[key], self.types[key], self.urls[key] = locator, ctype, url
        self.pages = [k for k, t in self.types.items() if t.split(";")[0].strip().lower() in _HTML_TYPES]
        if len(hosts) > 1:
            self.notes.append("captures of several hosts: " + ", ".join(sorted(hosts)) + f"; the site is {self.host}")

    def documents(self) -> list[Document]:
        label = self.path.name
        return [Document(key=f"{label}#{self.urls[k]}", url=self.urls[k], locator=self.index[k],
                         content_type=self.types[k], old_url=self.urls[k])
                for k in self.pages if not self.urls[k].startswith(("dns:", "urn:"))]

    def lookup(self, url: str) -> tuple | None:
        key = self.key(url)
        found = self.index.get(key)
        if found is None:
            alt = key.rstrip("/") if key.endswith("/") and len(key) > 1 else key + "/"
            found = self.index.get(alt)
        if found is None:
            # the same URL over the other scheme / with "www." is the same site's resource
            parts = urlsplit(url)
            if parts.hostname and parts.hostname.lower() not in self.hosts:
                return None
        return found

    def public_url(self, url: str) -> str:
        return url
