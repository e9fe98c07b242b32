"""Snapshots: a site folder (a build's output or any legacy folder of HTML) as a WACZ, no crawl.

``snapshot_site(folder, domain, out_dir=...)`` writes ``<out_dir>/<host>/<timestamp>.wacz``:
one ``response`` record per file (its bytes untouched, the right Content-Type), a 301 for every
folder URL with an index page and for each given redirect, a CDXJ index, pages with their titles,
and the datapackage. The timestamp is a property of the content, never of the clock
(``snapshot_time``), so the same content gives the same bytes, and a snapshot is never overwritten. When the folder carries a build manifest, every file is checked
against it while it is archived: altered output is refused, not preserved.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import Callable, Iterable, Mapping
from urllib.parse import urljoin, urlsplit

from . import cdxj
from .errors import ArchiveError, ArchiveUsageError, TamperDetected
from .hashing import file_digests
from .manifest import Manifest, build_time, files_digest, load_manifest
from .sitefiles import (MANIFEST_NAME, SiteFile, base_url, directory_url, http_content_type, page_title, url_for,
                        walk)
from .wacz import INDEX, INDEX_IDX, PAGES, Package, pages_jsonl
from .warc import SnapshotWriter, timestamp14, warc_date

IN_MEMORY = 8 * 1024 * 1024  # files up to this size are read once; larger ones are streamed twice
TITLE_BYTES = 256 * 1024
SOFTWARE = "govsite-archive/1"


@dataclass
class SnapshotResult:
    path: Path
    domain: str
    timestamp: str
    existed: bool = False  # an identical snapshot was already there; nothing new written
    pages: int = 0
    records: int = 0
    files: int = 0
    bytes: int = 0  # size of the WACZ
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


def read_redirects(path: Path | str) -> list[tuple[str, str]]:
    """``old,new`` pairs from a CSV (a header row is skipped); old is a URL or a path, new a URL or relative.

    :raises ArchiveUsageError: naming the file and line of a bad row.
    """
    path = Path(path)
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ArchiveUsageError(f"{path}: cannot read the redirects file ({exc})") from None
    pairs = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), 1):
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise ArchiveUsageError(f"{path}:{number}: expected 'old URL or path,new URL', got {row!r}")
        if number == 1 and "/" not in cells[0] and "." not in cells[0]:
            continue  # a header such as old_url,new_url
        pairs.append((cells[0], cells[1]))
    return pairs


def _resolve_redirects(base: str, redirects: Iterable[tuple[str, str]] | Mapping[str, str] | None) -> list[tuple[str, str]]:
    if not redirects:
        return []
    items = redirects.items() if isinstance(redirects, Mapping) else redirects
    resolved = []
    for old, new in items:
        old_url = old if "://" in old else url_for(base, old.lstrip("/"))
        resolved.append((old_url, urljoin(old_url, new)))
    return resolved


def default_redirects(folder: Path, host: str) -> list[tuple[str, str]]:
    """The build's redirects CSV: ``<folder>/.govsite/redirects.csv`` (staging) or
    ``<output>/.deploy/<host>/redirects.csv`` (after the swap); none for other folders."""
    for candidate in (folder / ".govsite" / "redirects.csv", folder.parent / ".deploy" / host / "redirects.csv"):
        if candidate.is_file():
            return read_redirects(candidate)
    return []


_LASTMOD = re.compile(rb"<lastmod>\s*([^<\s]+)\s*</lastmod>")


def sitemap_time(folder: Path) -> datetime | None:
    """The newest ``<lastmod>`` of the folder's ``sitemap.xml`` (whole seconds, UTC), or None.

    For a built site that is the newest change its content records: every article's ``modified``,
    else its ``date`` (``plugins/govsite_sitemap``). A value without a zone is taken as UTC; values
    that are not ISO 8601 dates are ignored."""
    try:
        data = (folder / "sitemap.xml").read_bytes()
    except OSError:
        return None
    newest = None
    for match in _LASTMOD.finditer(data):
        try:
            moment = datetime.fromisoformat(match.group(1).decode("ascii"))
        except (ValueError, UnicodeDecodeError):
            continue
        moment = (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
        newest = max(newest or moment, moment)
    return newest.replace(microsecond=0) if newest else None


def snapshot_time(folder: Path, files: list[SiteFile], manifest: Manifest | None, environ=os.environ) -> datetime:
    """The date of a snapshot when the caller gives none: ``SOURCE_DATE_EPOCH`` when set, else the
    newest change the content records (``sitemap_time``), else the build manifest's time (a built
    site with no dated content), else the newest file's mtime (a legacy folder as it was saved).

    So two builds of the same content, at any wall-clock times, give the same snapshot bytes."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return sitemap_time(folder) or (manifest.built if manifest else build_time(files, environ))


def _identity_fields(identity: dict, host: str, built: datetime, manifest: Manifest | None, source: str,
                     commit: str) -> list[tuple[str, str]]:
    name = identity.get("name", "")
    return [
        ("software", f"{SOFTWARE} (warcio {version('warcio')})"),
        ("format", "WARC File Format 1.1"),
        ("conformsTo", "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"),
        ("isPartOf", host),
        ("description", f"{name or host} 网站归档快照：取自{source}，未经爬取"),
        ("site-name", name), ("site-domain", identity.get("domain") or host),
        ("site-code", identity.get("site_code", "")), ("organizer", identity.get("organizer", "")),
        ("operator", identity.get("operator", "")), ("icp", identity.get("icp", "")),
        ("police-filing", identity.get("police_filing", "")), ("site-id", identity.get("id", "")),
        ("snapshot-time", warc_date(built)), ("build-commit", commit),
        ("build-manifest-files-sha256", files_digest(manifest.document) if manifest else ""),
        ("source", source),
    ]


def _place(temp: Path, final: Path) -> tuple[Path, bool]:
    """Link ``temp`` to ``final`` without ever replacing a file: an identical one is reused, else -2, -3..."""
    digest = None
    candidate, number = final, 1
    while True:
        try:
            os.link(temp, candidate)
            return candidate, False
        except FileExistsError:
            if candidate.stat().st_size == temp.stat().st_size:
                digest = digest or file_digests(temp, sm3=False)[1]
                if file_digests(candidate, sm3=False)[1] == digest:
                    return candidate, True
            number += 1
            candidate = final.with_name(f"{final.stem}-{number}{final.suffix}")


def snapshot_site(site_output_dir: Path | str, domain: str, out_dir: Path | str = "archives", *,
                  identity: dict | None = None, built: datetime | None = None, commit: str | None = None,
                  redirects: Iterable[tuple[str, str]] | Mapping[str, str] | None = None,
                  check_manifest: bool = True, source: str | None = None,
                  progress: Callable[[SiteFile], None] | None = None,
                  make_id: Callable[[str, str, str], str] | None = None, workers: int | None = None
                  ) -> SnapshotResult:
    """Snapshot a folder of a site as ``<out_dir>/<host>/<timestamp>.wacz`` (never overwriting one).

    :param site_output_dir: a built site (``output/<domain>``) or any folder of HTML (a legacy site).
    :param domain: the site's host (``www.example.gov.cn``) or base URL (``http://old.example.gov.cn/``).
    :param out_dir: the archives root; the snapshot goes to ``<out_dir>/<host>/``.
    :param identity: warcinfo identity (name, site_code, organizer, ...); default: the build manifest's.
    :param built: the snapshot's date; default: ``snapshot_time`` (SOURCE_DATE_EPOCH, else the newest
        change the content records, never the current time).
    :param commit: the source commit; default: the manifest's.
    :param redirects: extra ``old -> new`` URLs recorded as 301 responses (old may be a path).
    :param check_manifest: refuse (TamperDetected) when files differ from the folder's build manifest.
    :param progress: called with each file as it is archived.
    :param make_id: ``(record type, url, payload digest) -> WARC-Record-ID`` (tests); default: derived.
    :param workers: processes preparing records for sites of PARALLEL_FROM files or more (default:
        cores); the bytes written do not depend on it.
    :returns: SnapshotResult (``existed`` when an identical snapshot was already there).
    :raises ArchiveUsageError: no such folder, nothing to archive, a bad domain.
    :raises TamperDetected: the files differ from the build manifest.
    """
    started = time.monotonic()
    folder = Path(site_output_dir)
    base = base_url(domain)
    host = urlsplit(base).hostname
    skipped: list[str] = []
    files = walk(folder, skipped)
    escaping = [f"{f.rel} -> {f.link_outside}" for f in files if f.link_outside]
    if escaping:
        raise ArchiveError(f"{folder}: symbolic links leave the folder (not archived, check them): "
                           + ", ".join(escaping))
    served = [f for f in files if not f.hidden]
    if not served:
        raise ArchiveUsageError(f"{folder}: no files to archive")
    manifest = load_manifest(folder / MANIFEST_NAME) if (folder / MANIFEST_NAME).exists() else None
    identity = dict(identity or (manifest.site if manifest else {}) or {})
    built = built or snapshot_time(folder, files, manifest)
    commit = commit if commit is not None else (manifest.document.get("commit", "") if manifest else "")
    source = source or ("构建输出（build output）" if manifest else "网站文件夹（site folder）")
    timestamp = timestamp14(built)
    result = SnapshotResult(Path(), host, timestamp, warnings=list(skipped))
    if manifest and identity.get("domain") and identity["domain"] != host:
        result.warnings.append(f"the build manifest is for {identity['domain']}, archived as {host}")

    if redirects is None:
        redirects = default_redirects(folder, host)
    explicit = []
    for old, new in _resolve_redirects(base, redirects):
        if "*" in old:
            result.warnings.append(f"redirect {old} -> {new}: a whole-domain rule, not recordable as one URL")
        elif not old.startswith(base):
            result.warnings.append(f"redirect {old} -> {new}: not under {base}, not recorded")
        else:
            explicit.append((old, new))
    # A redirect wins over a file at the same URL, as the server configuration does (the static
    # redirect page is the fallback for hosting without one).
    redirected = {old for old, _ in explicit}
    target_dir = Path(out_dir) / host
    target_dir.mkdir(parents=True, exist_ok=True)
    temp = target_dir / f".{timestamp}.wacz.partial.{os.getpid()}"
    warc_name = f"{host}-{timestamp}.warc.gz"
    ts_iso = warc_date(built)
    lines: list[str] = []
    pages: list[dict] = []
    tampered: list[str] = []
    file_urls = set()
    try:
        with zipfile.ZipFile(temp, "w", allowZip64=True) as zf:
            package = Package(zf, built)
            with package.open_stream(f"archive/{warc_name}") as member:
                by_url: dict[str, SiteFile] = {}

                keys: dict[str, str] = {}  # SURT keys computed by the workers

                def record_written(written) -> None:  # called in WARC order, as each record is written
                    result.records += 1
                    if written.url:
                        lines.append(cdxj.line_for(written, timestamp, warc_name, keys.pop(written.url, "")))
                    item = by_url.pop(written.url, None)
                    if item is not None and manifest and check_manifest:
                        _check_against(manifest, item, written.sha256, tampered)

                writer = SnapshotWriter(member, built, make_id=make_id, on_written=record_written)
                writer.write_warcinfo(warc_name, _identity_fields(identity, host, built, manifest, source, commit))
                index_urls: list[tuple[str, str]] = []
                tasks = []
                for item in files:
                    url = url_for(base, item.rel)
                    if item.hidden or url in redirected:
                        if manifest and check_manifest:
                            _check_against(manifest, item, file_digests(item.path, sm3=False)[1], tampered)
                        continue
                    by_url[url] = item
                    tasks.append((str(item.path), item.rel, item.size, url))
                for (_, _, _, url), (member_bytes, fields, title, content_type, key) in \
                        zip(tasks, _prepared(tasks, built, workers, make_id)):
                    item = by_url[url]
                    if member_bytes is None:  # a large file: streamed here
                        title, content_type = _archive_file(writer, url, item)
                    else:
                        keys[url] = key
                        writer.write_prepared(member_bytes, url, fields)
                    result.files += 1
                    file_urls.add(url)
                    if content_type.startswith(("text/html", "application/xhtml+xml")):
                        pages.append({"id": hashlib.sha256(url.encode()).hexdigest()[:16], "url": url,
                                      "ts": ts_iso, "title": title or item.rel, "size": item.size})
                    folder_url = directory_url(base, item.rel)
                    if folder_url and folder_url not in file_urls:
                        index_urls.append((folder_url, url))
                    if progress:
                        progress(item)
                seen = set(file_urls)
                for old, new in sorted(set(index_urls)) + explicit:
                    if old in seen and old not in redirected:
                        continue
                    seen.add(old)
                    redirected.discard(old)
                    writer.write_redirect(old, new)
            if manifest and check_manifest:
                present = {f.rel for f in files}
                tampered += [f"removed: {rel}" for rel in sorted(manifest.files) if rel not in present]
                if tampered:
                    raise TamperDetected(str(folder), tampered)
            package.add_resource(f"archive/{warc_name}", writer.counter.count, writer.counter.sha256.hexdigest())
            lines.sort()
            data, idx = cdxj.zipnum(lines)
            package.write(INDEX, data, stored=True)
            package.write(INDEX_IDX, idx.encode("utf-8"))
            name = identity.get("name") or host
            package.write(PAGES, pages_jsonl(f"{name}（{host}）全部页面", pages))
            main = url_for(base, "index.html") if url_for(base, "index.html") in file_urls else \
                (pages[0]["url"] if pages else "")
            package.finish({
                "title": f"{name}（{host}）网页归档 {ts_iso}",
                "description": f"{name}（{host}）在 {ts_iso} 的完整快照，取自{source}：{result.files} 个文件，"
                               f"{len(pages)} 个页面。" + (f"源提交 {commit}。" if commit else ""),
                "created": ts_iso, "modified": ts_iso, "software": f"{SOFTWARE} (warcio {version('warcio')})",
                **({"mainPageUrl": main, "mainPageDate": ts_iso} if main else {}),
                "govsite": {"site": identity, "domain": host, "built": ts_iso, "commit": commit,
                            "build_manifest_files_sha256": files_digest(manifest.document) if manifest else ""},
            })
        os.chmod(temp, 0o444)
        result.path, result.existed = _place(temp, target_dir / f"{timestamp}.wacz")
    finally:
        if temp.exists():
            temp.unlink()
    result.pages = len(pages)
    result.bytes = result.path.stat().st_size
    result.seconds = time.monotonic() - started
    return result


def _check_against(manifest: Manifest, item: SiteFile, sha256_hex: str, problems: list[str]) -> None:
    entry = manifest.files.get(item.rel)
    if entry is None:
        problems.append(f"added: {item.rel}")
    elif entry["sha256"] != sha256_hex:
        problems.append(f"changed: {item.rel} (SHA-256 differs from the build manifest)")


PARALLEL_FROM = 400  # files; a smaller site is archived in this process (starting workers costs ~0.4 s)


def _prepare(task: tuple, built: datetime | None = None, make_id=None) -> tuple:
    """One file's response record as a complete gzip member, written at offset 0 of a scratch buffer.

    Runs in worker processes: records are independent gzip members, so appending them in order gives
    the same WARC whatever the number of workers. Tasks and results are plain tuples (cheap to pass
    between processes). Files over IN_MEMORY return ``(None, ...)``: the main process streams those.

    :returns: ``(gzip member, Written fields after url and offset, title, Content-Type, SURT key)``.
    """
    path, rel, size, url = task
    if size > IN_MEMORY:
        return None, None, "", "", ""
    built = built or _WORKER["built"]
    buffer = io.BytesIO()
    written: list = []
    writer = _WRITERS.get((built, make_id))
    if writer is None:
        writer = _WRITERS[(built, make_id)] = SnapshotWriter(buffer, built, make_id=make_id)
    writer.reset(buffer)
    writer.on_written = written.append
    title, content_type = _archive_file(writer, url, SiteFile(rel, str(path), size, 0.0))
    writer.reset(io.BytesIO())
    w = written[0]
    return buffer.getvalue(), (w.status, w.mime, w.digest, w.record_id, w.sha256), title, content_type, \
        cdxj.urlkey(url)


_WRITERS: dict = {}  # one scratch writer per build time (and id maker) in each process
_WORKER: dict = {}  # what every task of a pool shares (the build time)


def _init_worker(built: datetime) -> None:
    _WORKER["built"] = built


def _prepared(tasks: list, built: datetime, workers: int | None, make_id) -> Iterable[tuple]:
    """The prepared records, in order: from a pool of processes for large sites, else from here."""
    workers = workers or os.cpu_count() or 1
    pool = None
    if workers > 1 and len(tasks) >= PARALLEL_FROM and make_id is None:
        pool = _start_pool(min(workers, 8), built)
    if pool is None:
        for task in tasks:
            yield _prepare(task, built, make_id)
        return
    with pool:
        for results in pool.imap(_prepare_batch, _batches(tasks)):
            yield from results


CHUNK_FILES, CHUNK_BYTES = 256, 16 * 1024 * 1024  # one worker task: up to 256 files or 16 MiB


def _batches(tasks: list) -> Iterable[list]:
    """Consecutive tasks grouped by count and bytes (fewer messages between processes, bounded memory)."""
    batch, size = [], 0
    for task in tasks:
        if batch and (len(batch) == CHUNK_FILES or size + task[2] > CHUNK_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(task)
        size += task[2]
    if batch:
        yield batch


def _prepare_batch(batch: list) -> list:
    return [_prepare(task) for task in batch]


def _start_pool(workers: int, built: datetime):
    """A process pool: forked when this process has no other thread, else spawned; None when this
    process cannot start one (a daemonic worker, or a script without the ``__main__`` guard)."""
    import multiprocessing
    import threading

    if multiprocessing.current_process().daemon:
        return None
    method = "fork" if threading.active_count() == 1 and os.name == "posix" else "spawn"
    try:
        return multiprocessing.get_context(method).Pool(workers, _init_worker, (built,))
    except (RuntimeError, OSError):
        return None


def _archive_file(writer: SnapshotWriter, url: str, item: SiteFile) -> tuple[str, str]:
    """Write one file's response record; returns (page title, Content-Type)."""
    try:
        with open(item.path, "rb") as handle:
            if item.size <= IN_MEMORY:
                data = handle.read()
                if len(data) != item.size:
                    raise ArchiveError(f"{item.path}: changed while it was being archived")
                head, complete, payload = data[:TITLE_BYTES], True, io.BytesIO(data)
            else:
                head, complete = handle.read(TITLE_BYTES), False
                handle.seek(0)
                payload = handle
            content_type = http_content_type(item.rel, head, complete)
            writer.write_response(url, payload, item.size, content_type)
    except OSError as exc:
        raise ArchiveError(f"{item.path}: cannot read ({exc.strerror})") from exc
    title = ""
    if content_type.startswith(("text/html", "application/xhtml+xml")):
        charset = content_type.partition("charset=")[2]
        title = page_title(head, charset)
    return title, content_type


snapshot_folder = snapshot_site  # the same function, for legacy folders: snapshot_folder(dir, domain, out_dir)
