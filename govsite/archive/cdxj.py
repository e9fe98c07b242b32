"""The CDXJ index of a WARC, and its compressed ZipNum form (``index.cdx.gz`` + ``index.idx``).

A line is ``<SURT key> <14-digit timestamp> {json}``, sorted, as pywb and ReplayWeb.page read it.
The compressed form splits the sorted lines into blocks of ``BLOCK_LINES``, each its own gzip
member; ``index.idx`` gives the first key, offset, length and SHA-256 of every block.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass

import surt

from .warc import Written

BLOCK_LINES = 1024  # as py-wacz and ArchiveWeb.page
IDX_META = '!meta 0 {"format": "cdxj-gzip-1.0", "filename": "index.cdx.gz"}'


def urlkey(url: str) -> str:
    """The SURT form pywb looks URLs up by (``cn,gov,example)/news/index.html``)."""
    return surt.surt(url)


def line_for(entry: Written, timestamp: str, filename: str, key: str = "") -> str:
    """One CDXJ line (no newline) for a record written to ``filename`` (``key``: its SURT, if known)."""
    fields = {"url": entry.url, "mime": entry.mime, "status": str(entry.status), "digest": entry.digest,
              "length": str(entry.length), "offset": str(entry.offset), "filename": filename}
    return f"{key or urlkey(entry.url)} {timestamp} {json.dumps(fields, ensure_ascii=False)}"


@dataclass(frozen=True)
class Line:
    """A parsed CDXJ line."""

    key: str
    timestamp: str
    fields: dict
    number: int  # 1-based line number in the (uncompressed) index

    @property
    def offset(self) -> int:
        return int(self.fields["offset"])

    @property
    def length(self) -> int:
        return int(self.fields["length"])


def parse_line(text: str, number: int) -> Line:
    """Parse one line; raises ValueError naming what is wrong."""
    key, _, rest = text.partition(" ")
    timestamp, _, body = rest.partition(" ")
    if not key or not timestamp.isdigit() or not body.startswith("{"):
        raise ValueError(f"line {number}: not a CDXJ line: {text[:120]!r}")
    try:
        fields = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ValueError(f"line {number}: bad JSON ({exc.msg})") from exc
    for name in ("url", "offset", "length", "filename"):
        if name not in fields:
            raise ValueError(f"line {number}: no {name!r} field")
    try:
        int(fields["offset"]), int(fields["length"])
    except (TypeError, ValueError):
        raise ValueError(f"line {number}: offset/length not integers") from None
    return Line(key, timestamp, fields, number)


def zipnum(lines: list[str]) -> tuple[bytes, str]:
    """``(index.cdx.gz bytes, index.idx text)`` for sorted lines: one gzip member per block."""
    data = bytearray()
    idx = [IDX_META]
    for start in range(0, len(lines), BLOCK_LINES):
        block = lines[start:start + BLOCK_LINES]
        member = gzip.compress(("\n".join(block) + "\n").encode("utf-8"), compresslevel=6, mtime=0)
        key, timestamp, _ = block[0].split(" ", 2)
        meta = {"offset": len(data), "length": len(member), "digest": "sha256:" + hashlib.sha256(member).hexdigest()}
        idx.append(f"{key} {timestamp} {json.dumps(meta)}")
        data += member
    return bytes(data), "\n".join(idx) + "\n"
