"""Verification of a WACZ (or a bare WARC): every resource re-hashed, every WARC record's digests
checked with warcio, every CDXJ line checked against the record it points to, every page indexed.

Findings name the member and the record (number, offset, URL) so a damaged copy can be judged:
a flipped byte in one page, a truncated file, a removed member. ``verify_archive`` raises
ArchiveDamaged listing all of them; a clean archive returns its report.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from . import cdxj
from .errors import ArchiveDamaged, ArchiveUsageError
from .wacz import DATAPACKAGE, DIGEST, PAGES

_READ_ERRORS = (ArchiveLoadFailed, zlib.error, EOFError, zipfile.BadZipFile, ValueError, OSError)


@dataclass
class Record:
    number: int
    offset: int
    length: int
    kind: str
    url: str
    timestamp: str


@dataclass
class VerifyReport:
    path: Path
    records: int = 0
    index_lines: int = 0
    pages: int = 0
    resources: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {"schema": "govsite-archive-check/1", "path": str(self.path), "ok": self.ok, "records": self.records,
                "index_lines": self.index_lines, "pages": self.pages, "resources": self.resources,
                "problems": self.problems}


def _timestamp14(warc_date: str) -> str:
    return "".join(ch for ch in warc_date if ch.isdigit())[:14]


def check_warc(stream, name: str, report: VerifyReport, progress: Callable[[int], None] | None = None
               ) -> dict[int, Record]:
    """Read every record of one WARC with digest checking; returns records by offset."""
    records: dict[int, Record] = {}
    iterator = ArchiveIterator(stream, check_digests=True)
    number, last = 0, "the start of the file"
    try:
        for record in iterator:
            number += 1
            kind = record.rec_type
            if not kind or not record.rec_headers or not record.rec_headers.get_header("WARC-Type"):
                offset = iterator.get_record_offset()
                report.problems.append(f"{name}: record {number} at offset {offset}: no WARC header after "
                                       f"{last} (truncated or corrupted; {iterator.get_record_length()} bytes "
                                       "that are not a record)")
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            where = f"{name}: record {number} ({kind} {url or record.rec_headers.get_header('WARC-Record-ID')})"
            stream_in = record.content_stream()
            while stream_in.read(1024 * 1024):
                pass
            missing = getattr(record.raw_stream, "limit", 0)  # bytes of the block never delivered
            offset, length = iterator.get_record_offset(), iterator.get_record_length()
            where = f"{name}: record {number} at offset {offset} ({kind} {url or record.rec_headers.get_header('WARC-Record-ID')})"
            if missing:
                report.problems.append(f"{where}: truncated, {missing} of its {record.length} bytes are missing")
            if record.digest_checker.passed is False:
                report.problems += [f"{where}: {p}" for p in record.digest_checker.problems]
            elif kind in ("response", "resource") and record.digest_checker.passed is None:
                report.problems.append(f"{where}: no WARC-Block-Digest or WARC-Payload-Digest to check")
            records[offset] = Record(number, offset, length, kind, url,
                                     _timestamp14(record.rec_headers.get_header("WARC-Date") or ""))
            last = f"record {number} at offset {offset} ({url or kind})"
            if progress:
                progress(1)
    except _READ_ERRORS as exc:
        report.problems.append(f"{name}: cannot read past {last}: {type(exc).__name__}: {str(exc).strip() or 'damaged'}"
                               f" (truncated or corrupted; records after it were not checked)")
    if number and not any(r.kind == "warcinfo" for r in records.values()):
        report.problems.append(f"{name}: no warcinfo record")
    report.records += number
    return records


def _index_lines(zf: zipfile.ZipFile, names: set[str], report: VerifyReport) -> list[tuple[str, int, str]]:
    """``(member, line number, text)`` of every index line; ZipNum blocks checked against index.idx."""
    out = []
    for member in sorted(n for n in names if n.startswith("indexes/") and n.endswith((".cdx", ".cdxj", ".cdx.gz"))):
        try:
            data = zf.read(member)
        except _READ_ERRORS as exc:
            report.problems.append(f"{member}: cannot be read ({exc})")
            continue
        idx_name = member.rsplit("/", 1)[0] + "/index.idx" if member.endswith(".gz") else ""
        if member.endswith(".gz"):
            if idx_name in names:
                _check_idx(zf, idx_name, member, data, report)
            try:
                text = gzip.decompress(data).decode("utf-8")
            except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
                report.problems.append(f"{member}: cannot be decompressed ({exc}); the index was not checked")
                continue
        else:
            text = data.decode("utf-8", "replace")
        out += [(member, number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    return out


def _check_idx(zf, idx_name: str, member: str, data: bytes, report: VerifyReport) -> None:
    try:
        lines = zf.read(idx_name).decode("utf-8").splitlines()
    except (*_READ_ERRORS, UnicodeDecodeError) as exc:
        report.problems.append(f"{idx_name}: cannot be read ({exc})")
        return
    expected = 0
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("!meta"):
            continue
        key, _, rest = line.partition(" ")
        try:
            meta = json.loads(rest.partition(" ")[2])
            offset, length = int(meta["offset"]), int(meta["length"])
        except (ValueError, KeyError, TypeError):
            report.problems.append(f"{idx_name}: line {number}: not a block entry: {line[:100]!r}")
            continue
        block = data[offset:offset + length]
        where = f"{idx_name}: line {number} (block at {offset} in {member})"
        if offset != expected or len(block) != length:
            report.problems.append(f"{where}: does not match the blocks of {member} (expected offset {expected}, "
                                   f"{len(data)} bytes in all)")
        elif meta.get("digest") and meta["digest"] != "sha256:" + hashlib.sha256(block).hexdigest():
            report.problems.append(f"{where}: the block's SHA-256 differs")
        else:
            try:
                first = gzip.decompress(block).split(b"\n", 1)[0].decode("utf-8")
                if not first.startswith(key + " "):
                    report.problems.append(f"{where}: starts with {first.split(' ', 1)[0]!r}, not {key!r}")
            except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
                report.problems.append(f"{where}: cannot be decompressed ({exc})")
        expected = offset + length
    if expected != len(data):
        report.problems.append(f"{idx_name}: its blocks cover {expected} of the {len(data)} bytes of {member}")


def _check_index(lines, warcs: dict[str, dict[int, Record]], report: VerifyReport) -> set[str]:
    """Every line points at the start of a record with its URL, date and length; every response is indexed."""
    indexed: set[tuple[str, int]] = set()
    urls: set[str] = set()
    previous = None
    for member, number, text in lines:
        try:
            line = cdxj.parse_line(text, number)
        except ValueError as exc:
            report.problems.append(f"{member}: {exc}")
            continue
        report.index_lines += 1
        sort_key = (line.key, line.timestamp)
        if previous and sort_key < previous:
            report.problems.append(f"{member}: line {number}: out of order (replay looks URLs up by binary search)")
        previous = sort_key
        where = f"{member}: line {number} ({line.fields.get('url')})"
        records = warcs.get(line.fields["filename"])
        if records is None:
            report.problems.append(f"{where}: names {line.fields['filename']!r}, which is not in archive/")
            continue
        record = records.get(line.offset)
        if record is None:
            report.problems.append(f"{where}: offset {line.offset} in {line.fields['filename']} is not the start of a record")
            continue
        indexed.add((line.fields["filename"], line.offset))
        urls.add(line.fields["url"])
        if record.length != line.length:
            report.problems.append(f"{where}: length {line.length}, but the record at {line.offset} is {record.length} bytes")
        if record.url != line.fields["url"]:
            report.problems.append(f"{where}: the record at offset {line.offset} is for {record.url}")
        if record.timestamp and record.timestamp != line.timestamp:
            report.problems.append(f"{where}: timestamp {line.timestamp}, the record's date is {record.timestamp}")
        if line.key != cdxj.urlkey(line.fields["url"]):
            report.problems.append(f"{where}: key {line.key!r} is not the SURT of its URL")
    for filename, records in warcs.items():
        for record in records.values():
            if record.kind in ("response", "resource", "revisit") and (filename, record.offset) not in indexed:
                report.problems.append(f"archive/{filename}: record {record.number} at offset {record.offset} "
                                       f"({record.url}) is not in the index")
    return urls


def _check_pages(zf, names: set[str], urls: set[str], report: VerifyReport) -> None:
    try:
        text = zf.read(PAGES).decode("utf-8")
    except (*_READ_ERRORS, UnicodeDecodeError) as exc:
        report.problems.append(f"{PAGES}: cannot be read ({exc})")
        return
    lines = text.splitlines()
    try:
        header = json.loads(lines[0]) if lines else {}
    except json.JSONDecodeError:
        header = {}
    if header.get("format") != "json-pages-1.0":
        report.problems.append(f"{PAGES}: line 1: expected the header {{\"format\": \"json-pages-1.0\", ...}}")
    for number, line in enumerate(lines[1:], 2):
        try:
            page = json.loads(line)
            url, ts = page["url"], page["ts"]
        except (json.JSONDecodeError, KeyError, TypeError):
            report.problems.append(f"{PAGES}: line {number}: not a page with url and ts")
            continue
        report.pages += 1
        if url not in urls:
            report.problems.append(f"{PAGES}: line {number}: {url} is not in the index")


def _check_member_names(names: list[str], report: VerifyReport) -> None:
    for name in names:
        parts = name.split("/")
        if name.startswith("/") or "\\" in name or ".." in parts or (len(name) > 1 and name[1] == ":"):
            report.problems.append(f"member {name!r}: a path that escapes the package (never extract this file)")


def check_wacz(path: Path, progress: Callable[[int], None] | None = None) -> VerifyReport:
    report = VerifyReport(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        size = path.stat().st_size if path.exists() else 0
        report.problems.append(f"not a readable WACZ (ZIP) file: {exc} ({size} bytes: truncated or overwritten?)")
        return report
    with zf:
        names_list = zf.namelist()
        names = set(names_list)
        _check_member_names(names_list, report)
        for required in (DATAPACKAGE, DIGEST, PAGES):
            if required not in names:
                report.problems.append(f"{required}: missing (a required member was removed)")
        warc_members = sorted(n for n in names if n.startswith("archive/") and n.endswith((".warc", ".warc.gz")))
        if not warc_members:
            report.problems.append("archive/: no WARC file")
        if not any(n.startswith("indexes/") and n.endswith((".cdx", ".cdxj", ".cdx.gz")) for n in names):
            report.problems.append("indexes/: no CDXJ index")
        listed = _check_datapackage(zf, names, report)
        for name in sorted(names - listed - {DATAPACKAGE, DIGEST}):
            if not name.endswith("/"):
                report.problems.append(f"{name}: not listed in {DATAPACKAGE} (added after packaging?)")
        warcs = {}
        for member in warc_members:
            try:
                with zf.open(member) as stream:
                    warcs[member.rsplit("/", 1)[-1]] = check_warc(stream, member, report, progress)
            except _READ_ERRORS as exc:
                report.problems.append(f"{member}: cannot be opened ({exc})")
        urls = _check_index(_index_lines(zf, names, report), warcs, report)
        if PAGES in names:
            _check_pages(zf, names, urls, report)
    return report


def _check_datapackage(zf, names: set[str], report: VerifyReport) -> set[str]:
    """Check datapackage-digest.json and re-hash every listed resource; returns the listed paths."""
    if DATAPACKAGE not in names:
        return set()
    try:
        package_bytes = zf.read(DATAPACKAGE)
        package = json.loads(package_bytes)
        resources = package["resources"]
    except (*_READ_ERRORS, KeyError, TypeError, UnicodeDecodeError) as exc:
        report.problems.append(f"{DATAPACKAGE}: not a readable data package ({exc})")
        return set()
    if DIGEST in names:
        try:
            digest = json.loads(zf.read(DIGEST))
            if digest.get("path") != DATAPACKAGE or \
                    digest.get("hash") != "sha256:" + hashlib.sha256(package_bytes).hexdigest():
                report.problems.append(f"{DIGEST}: the hash of {DATAPACKAGE} differs (the resource list was changed)")
        except (*_READ_ERRORS, AttributeError) as exc:
            report.problems.append(f"{DIGEST}: not readable ({exc})")
    listed = set()
    for number, resource in enumerate(resources):
        try:
            name, expected, size = resource["path"], resource["hash"], int(resource["bytes"])
        except (KeyError, TypeError, ValueError):
            report.problems.append(f"{DATAPACKAGE}: resources[{number}]: needs path, hash and bytes")
            continue
        listed.add(name)
        if name not in names:
            report.problems.append(f"{name}: listed in {DATAPACKAGE} but missing from the package (removed?)")
            continue
        report.resources += 1
        algorithm, _, value = expected.partition(":")
        try:
            digest = hashlib.new(algorithm.replace("-", ""))
        except ValueError:
            report.problems.append(f"{name}: unknown hash algorithm {algorithm!r} in {DATAPACKAGE}")
            continue
        seen = 0
        try:
            with zf.open(name) as stream:
                while chunk := stream.read(1024 * 1024):
                    digest.update(chunk)
                    seen += len(chunk)
        except _READ_ERRORS as exc:
            report.problems.append(f"{name}: cannot be read ({exc})")
            continue
        if seen != size:
            report.problems.append(f"{name}: {seen} bytes, {DATAPACKAGE} says {size}")
        elif digest.hexdigest() != value:
            report.problems.append(f"{name}: {algorithm} differs from {DATAPACKAGE} (its content was changed)")
    return listed


def verify_archive(path: Path | str, progress: Callable[[int], None] | None = None) -> VerifyReport:
    """Verify a ``.wacz``, a ``.warc``/``.warc.gz``; raise ArchiveDamaged listing every problem.

    :param progress: called with 1 for every WARC record read.
    """
    path = Path(path)
    if not path.is_file():
        raise ArchiveUsageError(f"{path}: no such file")
    if path.name.endswith((".warc", ".warc.gz")):
        report = VerifyReport(path)
        try:
            with open(path, "rb") as stream:
                records = check_warc(stream, path.name, report, progress)
        except OSError as exc:
            raise ArchiveUsageError(f"{path}: cannot read ({exc.strerror})") from exc
        if not records and not report.problems:
            report.problems.append(f"{path.name}: no WARC records")
    else:
        report = check_wacz(path, progress)
    if report.problems:
        error = ArchiveDamaged(str(path), report.problems)
        error.report = report
        raise error
    return report


def archives_in(path: Path | str) -> list[Path]:
    """The archives a path names: the file itself, or every .wacz/.warc(.gz) under a folder."""
    path = Path(path)
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith((".wacz", ".warc", ".warc.gz"))
                       and not p.name.startswith("."))
        if not found:
            raise ArchiveUsageError(f"{path}: no .wacz or .warc files in this folder")
        return found
    if not path.exists():
        raise ArchiveUsageError(f"{path}: no such file or folder")
    return [path]
