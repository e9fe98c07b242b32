"""Shared helpers for the importer tests: fixture paths, a migration runner, WARC/WACZ writers."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zipfile
from pathlib import Path

from govsite.migrate import Settings, migrate

FIXTURES = Path(__file__).parent / "fixtures" / "migrate"
MIRROR = FIXTURES / "mirror"
BROWSER = FIXTURES / "browser"


def run(source, content, reports=None, site="fenglan", **options):
    """One migration into ``content``; returns the Outcome."""
    reports = reports or Path(content).parent / "reports"
    return migrate(Settings(source=str(source), site_id=site, content=str(content), report=str(reports), **options))


def by_source(outcome) -> dict:
    return {p["source_path"]: p for p in outcome.data["pages"]}


def write_warc(path: Path, records: list[tuple]) -> Path:
    """A .warc.gz of (url, status, content_type, body bytes[, extra headers]) captures, written with warcio."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=str(path).endswith(".gz"))
        for url, status, ctype, body, *extra in records:
            headers = [("Content-Type", ctype)] + (list(extra[0]) if extra else [])
            http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
            writer.write_record(record)
    return path


def write_wacz(path: Path, warc: Path, pages: list[str], wrong_hash: bool = False) -> Path:
    """A minimal WACZ 1.1 around one WARC (stored, as the spec recommends)."""
    data = warc.read_bytes()
    pages_jsonl = "\n".join([json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})]
                            + [json.dumps({"url": u, "ts": "2024-06-01T00:00:00Z"}) for u in pages]) + "\n"
    resources = {f"archive/{warc.name}": data, "pages/pages.jsonl": pages_jsonl.encode()}
    package = {"profile": "data-package", "wacz_version": "1.1.1", "resources": [
        {"name": Path(n).name, "path": n, "bytes": len(b),
         "hash": "sha256:" + hashlib.sha256(b + (b"x" if wrong_hash else b"")).hexdigest()}
        for n, b in resources.items()]}
    with zipfile.ZipFile(path, "w") as archive:
        for name, body in resources.items():
            archive.writestr(zipfile.ZipInfo(name), body, compress_type=zipfile.ZIP_STORED)
        archive.writestr("datapackage.json", json.dumps(package))
    return path


def snapshot(folder: Path) -> dict:
    """Every file under a folder with its bytes' hash (to prove nothing changed)."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def gz(data: bytes) -> bytes:
    return gzip.compress(data)


def fixture_pages(extra: str) -> list[str]:
    """Every saved page of the migration fixtures as text (UTF-8 or GB18030), a generated TRS article
    and ``extra`` (a hand-made hard case): the pages a fast path is compared with its plain version on."""
    from bench.legacy_pages import trs_article

    pages = []
    for path in sorted(FIXTURES.rglob("*.htm*")):
        data = path.read_bytes()
        for encoding in ("utf-8", "gb18030"):
            try:
                pages.append(data.decode(encoding))
                break
            except UnicodeDecodeError:
                continue
    pages.append(trs_article(7, "工作动态", "gzdt", "2024-03-05", "/gzdt/images/gzdt.png", "")[1].decode("gbk"))
    return pages + [extra]
