"""Verification of a WACZ (or a bare WARC): every resource re-hashed, every WARC record's digests
checked with warcio, every CDXJ line checked against the record it points to, every page indexed.

Findings name the member and the record (number, offset, URL) so a damaged copy can be judged:
a flipped byte in one page, a truncated file, a removed member. ``verify_archive`` raises
ArchiveDamaged listing all of them; a clean archive returns its report.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable

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
    damaged: dict[str, list] = field(default_factory=dict)  # WARC file name -> its Damage list
    unreadable: set[str] = field(default_factory=set)  # members reported as unreadable (reported once)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {"schema": "govsite-archive-check/1", "path": str(self.path), "ok": self.ok, "records": self.records,
                "index_lines": self.index_lines, "pages": self.pages, "resources": self.resources,
                "problems": self.problems}


def _timestamp14(warc_date: str) -> str:
    return "".join(ch for ch in warc_date if ch.isdigit())[:14]


@dataclass
class Damage:
    """Where the records of one WARC could not be read: the damaged record and where reading resumed."""

    offset: int  # the start of the damaged record (the end of the last intact one)
    resumed: int | None  # the next record found after it; None: nothing after it could be read


def _printable(text: str, limit: int = 80) -> str:
    """An error message fit for one line of a report (a garbled "first line" shown as ``?``)."""
    text = " ".join("".join(ch if ch.isprintable() and ord(ch) < 128 else "?" for ch in text).split())
    return text[:limit] + ("..." if len(text) > limit else "")


def _next_record_start(open_at: Callable[[int], BinaryIO], after: int, gz: bool) -> int | None:
    """The offset of the first WARC record starting after ``after`` (a gzip member that opens with
    ``WARC/``, or a ``WARC/1.`` line), or None: how reading resumes past a damaged record."""
    marker = b"\x1f\x8b\x08" if gz else b"WARC/1."
    with open_at(after) as stream:
        position, tail = after, b""
        while chunk := stream.read(1024 * 1024):
            data = tail + chunk
            found = data.find(marker)
            while found >= 0:
                candidate = position - len(tail) + found
                if not gz and (candidate == 0 or data[found - 2:found] == b"\n\n" or data[found - 4:found] == b"\r\n\r\n"):
                    return candidate
                if gz:
                    try:
                        head = zlib.decompressobj(31).decompress(data[found:found + 4096], 16)
                    except zlib.error:
                        head = b""
                    if head.startswith(b"WARC/1."):
                        return candidate
                found = data.find(marker, found + 1)
            tail = data[-4096:]
            position += len(chunk)
    return None


def check_warc(open_at: Callable[[int], BinaryIO], name: str, report: VerifyReport,
               progress: Callable[[int], None] | None = None, indexed: dict[int, str] | None = None
               ) -> dict[int, Record]:
    """Read every record of one WARC with digest checking; returns records by offset.

    :param open_at: opens the WARC positioned at an offset (a context manager).
    :param indexed: the URL the index gives for each offset (names a record too damaged to read).

    A record that cannot be read is reported once, with its offset and URL; reading resumes at the
    next record found after it (records are independent gzip members), so one damaged record does
    not hide the others. What could not be read at all is in ``report.unread`` for the index check.
    """
    records: dict[int, Record] = {}
    start, number, damages = 0, 0, []
    while True:
        state = {"number": number, "url": "", "end": start}
        try:
            with open_at(start) as stream:
                _read_records(stream, name, report, records, state, progress)
                size = stream.seek(0, 2)
            number = state["number"]
            if name.endswith(".gz") and state["end"] < size:  # a cut gzip member warcio took for the end
                number += 1
                what = f"record {number} at offset {state['end']}"
                url = (indexed or {}).get(state["end"], "")
                report.problems.append(f"{name}: {what}{f' ({url})' if url else ''} is damaged: the last "
                                       f"{size - state['end']} bytes are not a complete record; nothing after it "
                                       "could be read (truncated)")
                damages.append(Damage(state["end"], None))
            break
        except _READ_ERRORS as exc:
            number = state["number"] + 1  # the damaged record
            offset = state["end"]
            resumed = _next_record_start(open_at, offset + 1, name.endswith(".gz"))
            url = state["url"] or (indexed or {}).get(offset, "")
            what = f"record {number} at offset {offset}" + (f" ({url})" if url else "")
            after = (f"reading resumed at the next record, offset {resumed}" if resumed is not None else
                     "nothing after it could be read (truncated or corrupted)")
            report.problems.append(f"{name}: {what} is damaged: {type(exc).__name__}: "
                                   f"{_printable(str(exc)) or 'unreadable'}; {after}")
            damages.append(Damage(offset, resumed))
            if resumed is None:
                break
            start = resumed
    report.damaged[name.rsplit("/", 1)[-1]] = damages
    report.records += number
    return records


def _read_records(stream, name: str, report: VerifyReport, records: dict[int, Record], state: dict,
                  progress) -> None:
    """warcio's reading of the records from the stream's position; ``state`` follows the progress
    (records counted, the URL of the record being read, the end of the last intact record)."""
    iterator = ArchiveIterator(stream, check_digests=True)
    for record in iterator:
        state["url"] = ""
        kind = record.rec_type
        if not kind or not record.rec_headers or not record.rec_headers.get_header("WARC-Type"):
            raise ArchiveLoadFailed("no WARC header")
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        state["url"] = url
        stream_in = record.content_stream()
        while stream_in.read(1024 * 1024):
            pass
        missing = getattr(record.raw_stream, "limit", 0)  # bytes of the block never delivered
        if missing:  # its gzip member ended early (a cut file, or a flipped byte): what follows is out of step
            raise ArchiveLoadFailed(f"truncated, {missing} of its {record.length} bytes are missing")
        offset, length = iterator.get_record_offset(), iterator.get_record_length()
        state["number"] += 1
        where = (f"{name}: record {state['number']} at offset {offset} "
                 f"({kind} {url or record.rec_headers.get_header('WARC-Record-ID')})")
        if record.digest_checker.passed is False:
            report.problems += [f"{where}: {p}" for p in record.digest_checker.problems]
        elif kind in ("response", "resource") and record.digest_checker.passed is None:
            report.problems.append(f"{where}: no WARC-Block-Digest or WARC-Payload-Digest to check")
        records[offset] = Record(state["number"], offset, length, kind, url,
                                 _timestamp14(record.rec_headers.get_header("WARC-Date") or ""))
        state["end"], state["url"] = offset + length, ""
        if progress:
            progress(1)


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


def _in_damage(offset: int, damages: list) -> Damage | None:
    """The damage an offset falls in: the damaged record itself, or the part read past (unread)."""
    for damage in damages:
        if damage.offset <= offset and (damage.resumed is None or offset < damage.resumed):
            return damage
    return None


def _check_index(lines, warcs: dict[str, dict[int, Record]], report: VerifyReport) -> set[str]:
    """Every line points at the start of a record with its URL, date and length; every response is indexed.

    Lines pointing into a damaged part of a WARC (already reported with the record) are counted and
    summarised in one line per WARC, not reported one by one."""
    indexed: set[tuple[str, int]] = set()
    urls: set[str] = set()
    previous = None
    in_damage: dict[tuple[str, str], list[int]] = {}
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
            damage = _in_damage(line.offset, report.damaged.get(line.fields["filename"], []))
            if damage is not None:
                urls.add(line.fields["url"])
                if line.offset != damage.offset:  # the damaged record itself is reported already
                    in_damage.setdefault((member, line.fields["filename"]), []).append(line.offset)
                continue
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
    for (member, filename), offsets in in_damage.items():
        report.problems.append(f"{member}: {len(offsets)} more line(s) point into the unreadable part of {filename} "
                               f"(offsets {min(offsets)} to {max(offsets)}): those records were not checked")
    for filename, records in warcs.items():
        for record in records.values():
            if record.kind in ("response", "resource", "revisit") and (filename, record.offset) not in indexed:
                report.problems.append(f"archive/{filename}: record {record.number} at offset {record.offset} "
                                       f"({record.url}) is not in the index")
    return urls


def _indexed_urls(lines) -> dict[str, dict[int, str]]:
    """``{WARC file name: {offset: URL}}`` from the index lines that parse (names damaged records)."""
    out: dict[str, dict[int, str]] = {}
    for _, number, text in lines:
        try:
            line = cdxj.parse_line(text, number)
            out.setdefault(line.fields["filename"], {})[line.offset] = line.fields["url"]
        except (ValueError, KeyError):
            continue
    return out


def _read_member(zf: zipfile.ZipFile, name: str, report: VerifyReport) -> bytes | None:
    """A member's bytes, or None after reporting it unreadable (once, whoever asks first)."""
    try:
        return zf.read(name)
    except _READ_ERRORS as exc:
        if name not in report.unreadable:
            report.unreadable.add(name)
            report.problems.append(f"{name}: cannot be read ({exc})")
        return None


class _Window(io.RawIOBase):
    """A read-only view of ``size`` bytes from ``start`` of a file: a STORED ZIP member read without
    zipfile's CRC check (which fails only at the member's end; the member's hash is checked apart)."""

    def __init__(self, path: Path, start: int, size: int):
        super().__init__()
        self.file, self.start, self.size, self.position = open(path, "rb"), start, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = max(0, min(self.size, offset if whence == 0 else
                                   (self.position if whence == 1 else self.size) + offset))
        return self.position

    def readinto(self, buffer) -> int:
        self.file.seek(self.start + self.position)
        data = self.file.read(min(len(buffer), self.size - self.position))
        buffer[:len(data)] = data
        self.position += len(data)
        return len(data)

    def close(self) -> None:
        self.file.close()
        super().close()


def _member_opener(path: Path, zf: zipfile.ZipFile, member: str) -> Callable[[int], BinaryIO]:
    """Opens a WARC member at an offset: a window on the file when STORED, else zipfile's stream."""
    info = zf.getinfo(member)
    start = None
    if info.compress_type == zipfile.ZIP_STORED:
        with open(path, "rb") as handle:
            handle.seek(info.header_offset)
            header = handle.read(30)
        if len(header) == 30 and header[:4] == b"PK\x03\x04":
            start = info.header_offset + 30 + int.from_bytes(header[26:28], "little") + \
                int.from_bytes(header[28:30], "little")

    def open_at(offset: int):
        stream = _Window(path, start, info.file_size) if start is not None else zf.open(member)
        stream.seek(offset)
        return io.BufferedReader(stream) if start is not None else stream

    return open_at


def _check_pages(zf, names: set[str], urls: set[str], report: VerifyReport) -> None:
    data = _read_member(zf, PAGES, report)
    if data is None:
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        report.problems.append(f"{PAGES}: not UTF-8 ({exc})")
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
        lines = _index_lines(zf, names, report)
        indexed = _indexed_urls(lines)
        warcs = {}
        for member in warc_members:
            filename = member.rsplit("/", 1)[-1]
            try:
                warcs[filename] = check_warc(_member_opener(path, zf, member), member, report, progress,
                                             indexed.get(filename))
            except _READ_ERRORS as exc:
                report.problems.append(f"{member}: cannot be opened ({exc})")
        urls = _check_index(lines, warcs, report)
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
            report.unreadable.add(name)
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
        def open_at(offset: int):
            stream = open(path, "rb")
            stream.seek(offset)
            return stream

        try:
            records = check_warc(open_at, path.name, report, progress)
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
