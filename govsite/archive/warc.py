"""WARC writing with warcio: deterministic record ids and dates, SHA-256 digests, one gzip member per record.

Nothing here reads a clock: the date of every record is given by the caller (the build time), and
record ids are UUIDs derived from the record's type, URL, date and payload digest (or given by an
injected ``make_id``). So the same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import uuid
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from io import BytesIO
from typing import BinaryIO, Callable

from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from .hashing import warc_digest

WARC_VERSION = "1.1"
GZIP_LEVEL = 1  # warcio's default is 9: level 1 is about 4x faster, the WARC about 10 % larger
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:govsite:archive")

REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found"}


def warc_date(moment: datetime) -> str:
    """``2026-11-27T09:30:00Z`` (UTC, whole seconds)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def timestamp14(moment: datetime) -> str:
    """``20261127093000``: the CDXJ and replay-URL form of a date."""
    return moment.astimezone(timezone.utc).strftime("%Y%m%d%H%M%S")


def derived_id(*parts: str) -> str:
    """A WARC-Record-ID that depends only on ``parts``."""
    return f"<urn:uuid:{uuid.uuid5(_NAMESPACE, chr(31).join(parts))}>"


class CountingWriter:
    """A write-only stream that counts and SHA-256-hashes what passes through it."""

    def __init__(self, out: BinaryIO):
        self.out = out
        self.count = 0
        self.sha256 = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.out.write(data)
        self.count += len(data)
        self.sha256.update(data)
        return len(data)

    def flush(self) -> None:
        pass


class _GzipMember:
    """Compresses one record into its own gzip member (so each record can be read on its own)."""

    def __init__(self, out, level: int):
        self.out = out
        self.compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS + 16)

    def write(self, data: bytes) -> None:
        self.out.write(self.compressor.compress(data))

    def flush(self) -> None:
        self.out.write(self.compressor.flush())


@dataclass(frozen=True)
class Written:
    """Where a record went in the WARC, and what the index needs to know about it."""

    url: str
    offset: int
    length: int
    status: int
    mime: str
    digest: str  # WARC-Payload-Digest, "sha256:<hex>"
    record_id: str
    sha256: str = ""  # the payload's SHA-256 in hex


class SnapshotWriter(WARCWriter):
    """warcio's WARCWriter with SHA-256 digests, a fixed date, derived ids and per-record gzip.

    :param out: the stream the WARC goes to (it is wrapped to count offsets).
    :param date: the WARC-Date of every record (the build time).
    :param make_id: ``(record type, url, payload digest) -> WARC-Record-ID``; default: derived.
    """

    def __init__(self, out: BinaryIO, date: datetime, make_id: Callable[[str, str, str], str] | None = None,
                 gzip_level: int = GZIP_LEVEL, on_written: Callable[[Written], None] | None = None):
        super().__init__(out, gzip=False, warc_version=WARC_VERSION)
        self.counter = CountingWriter(out)
        self.date = warc_date(date)
        self.level = gzip_level
        self.make_id = make_id or (lambda kind, url, digest: derived_id(kind, url, self.date, digest))
        self.on_written = on_written

    @staticmethod
    def _create_digester():
        return Digester("sha256")  # in case warcio has to compute a digest itself

    def reset(self, out: BinaryIO) -> None:
        """Write further records to another stream, counting from 0 (a worker reuses one writer)."""
        self.counter = CountingWriter(out)

    def _put(self, record, url: str, status: int, mime: str, sha256_hex: str = "") -> Written:
        """Write a record as its own gzip member; report it to ``on_written``."""
        offset = self.counter.count
        self._write_warc_record(_GzipMember(self.counter, self.level), record)
        written = Written(url, offset, self.counter.count - offset, status, mime,
                          record.rec_headers.get_header("WARC-Payload-Digest") or "",
                          record.rec_headers.get_header("WARC-Record-ID"), sha256_hex)
        if self.on_written:
            self.on_written(written)
        return written

    def write_prepared(self, member: bytes, url: str, fields: tuple) -> Written:
        """Append a record another writer compressed: a complete gzip member, and the Written fields
        after url, offset and length (status, mime, digest, record id, sha256).

        Records are independent gzip members, so records prepared in worker processes and appended
        in order give the same bytes as writing them here.
        """
        placed = Written(url, self.counter.count, len(member), *fields)
        self.counter.write(member)
        if self.on_written:
            self.on_written(placed)
        return placed

    def write_warcinfo(self, filename: str, fields: list[tuple[str, str]]) -> Written:
        """The warcinfo record: ``name: value`` lines (empty values left out)."""
        body = "".join(f"{name}: {' '.join(str(value).split())}\r\n" for name, value in fields if value)
        payload = body.encode("utf-8")
        headers = {"WARC-Record-ID": self.make_id("warcinfo", filename, hashlib.sha256(payload).hexdigest()),
                   "WARC-Date": self.date, "WARC-Filename": filename,
                   "WARC-Block-Digest": warc_digest(hashlib.sha256(payload).digest())}
        record = self.create_warc_record("", "warcinfo", payload=BytesIO(payload), length=len(payload),
                                         warc_content_type="application/warc-fields", warc_headers_dict=headers)
        return self._put(record, "", 0, "application/warc-fields")

    def write_response(self, url: str, payload: BinaryIO, length: int, content_type: str, status: int = 200,
                       extra_headers: list[tuple[str, str]] | None = None) -> Written:
        """A ``response`` record: an HTTP/1.1 response with the file's bytes as its payload.

        ``payload`` must be seekable (digests are computed in a first pass, then it is written).
        """
        http = StatusAndHeaders(f"{status} {REASONS.get(status, 'OK')}",
                                [("Content-Type", content_type), ("Content-Length", str(length)),
                                 *(extra_headers or [])], protocol="HTTP/1.1")
        http.compute_headers_buffer(self.header_filter)
        sha, block = hashlib.sha256(), hashlib.sha256(http.headers_buff)
        start = payload.tell()
        while chunk := payload.read(1024 * 1024):
            sha.update(chunk)
            block.update(chunk)
        payload.seek(start)
        digest = warc_digest(sha.digest())
        # both digests in one pass (warcio would read the payload again for the block digest)
        headers = {"WARC-Record-ID": self.make_id("response", url, digest), "WARC-Date": self.date,
                   "WARC-Payload-Digest": digest, "WARC-Block-Digest": warc_digest(block.digest())}
        record = self.create_warc_record(url, "response", payload=payload, length=length, http_headers=http,
                                         warc_headers_dict=headers)
        return self._put(record, url, status, content_type.split(";")[0].strip(), sha.hexdigest())

    def write_redirect(self, url: str, location: str) -> Written:
        """A ``response`` record holding a 301 to ``location`` (with a small HTML body linking to it)."""
        from html import escape

        body = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>301</title></head>'
                f'<body><p>本页已移至 <a href="{escape(location)}">{escape(location)}</a></p></body></html>\n'
                ).encode("utf-8")
        return self.write_response(url, BytesIO(body), len(body), "text/html; charset=utf-8", status=301,
                                   extra_headers=[("Location", location)])
