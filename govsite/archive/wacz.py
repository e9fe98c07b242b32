"""WACZ 1.1.1 packaging: a deterministic ZIP with the WARC, CDXJ index, pages and datapackage.

Members are written in a fixed order with fixed dates (the build time) and permissions; WARC and
the compressed index are STORED (already gzip), JSON and JSON lines DEFLATED, as the spec asks.
``datapackage.json`` lists the SHA-256 and size of every other member, and
``datapackage-digest.json`` the SHA-256 of ``datapackage.json``.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import datetime, timezone

WACZ_VERSION = "1.1.1"
DATAPACKAGE = "datapackage.json"
DIGEST = "datapackage-digest.json"
PAGES = "pages/pages.jsonl"
INDEX = "indexes/index.cdx.gz"
INDEX_IDX = "indexes/index.idx"
REQUIRED = (DATAPACKAGE, PAGES)


def member_info(name: str, moment: datetime, stored: bool) -> zipfile.ZipInfo:
    """A ZipInfo that depends only on its arguments (no clock, no host)."""
    utc = moment.astimezone(timezone.utc)
    info = zipfile.ZipInfo(name, date_time=(max(utc.year, 1980), utc.month, utc.day, utc.hour, utc.minute,
                                            utc.second - utc.second % 2))
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    return info


class Package:
    """Collects members' digests while they are written into an open ``zipfile.ZipFile``."""

    def __init__(self, zf: zipfile.ZipFile, moment: datetime):
        self.zf = zf
        self.moment = moment
        self.resources: list[dict] = []

    def add_resource(self, name: str, size: int, sha256_hex: str) -> None:
        self.resources.append({"name": name.rsplit("/", 1)[-1], "path": name, "hash": f"sha256:{sha256_hex}",
                               "bytes": size})

    def open_stream(self, name: str):
        """An open writable member for large STORED data (ZIP64-ready); call ``add_resource`` after."""
        return self.zf.open(member_info(name, self.moment, stored=True), "w", force_zip64=True)

    def write(self, name: str, data: bytes, stored: bool = False, listed: bool = True) -> None:
        self.zf.writestr(member_info(name, self.moment, stored), data)
        if listed:
            self.add_resource(name, len(data), hashlib.sha256(data).hexdigest())

    def finish(self, metadata: dict) -> None:
        """Write datapackage.json (resources sorted by path) and datapackage-digest.json."""
        document = {"profile": "data-package", "wacz_version": WACZ_VERSION, **metadata,
                    "resources": sorted(self.resources, key=lambda r: r["path"])}
        data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        self.write(DATAPACKAGE, data, listed=False)
        digest = {"path": DATAPACKAGE, "hash": "sha256:" + hashlib.sha256(data).hexdigest()}
        self.write(DIGEST, (json.dumps(digest, indent=2) + "\n").encode("ascii"), listed=False)


def pages_jsonl(header_title: str, pages: list[dict]) -> bytes:
    """``pages/pages.jsonl``: the json-pages-1.0 header line, then one page per line."""
    lines = [json.dumps({"format": "json-pages-1.0", "id": "pages", "title": header_title}, ensure_ascii=False)]
    lines += [json.dumps(page, ensure_ascii=False) for page in pages]
    return ("\n".join(lines) + "\n").encode("utf-8")
