"""WACZ files (a ZIP of ``archive/*.warc.gz`` with ``datapackage.json``), read through the WARC reader.

WARCs stored uncompressed in the ZIP (as the WACZ spec recommends) are read in place through a
byte window; compressed members are extracted to a temporary file first. Each resource listed in
``datapackage.json`` is re-hashed (sha256) and a mismatch is reported: py-wacz's own validation
cannot fail, so it is not relied on.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SourceUnreadable
from .warc import WarcSource


def _data_offset(path: Path, info: zipfile.ZipInfo) -> int:
    """Where a stored member's bytes start: after its local header, name and extra field."""
    with open(path, "rb") as handle:
        handle.seek(info.header_offset)
        header = handle.read(30)
        name_len = int.from_bytes(header[26:28], "little")
        extra_len = int.from_bytes(header[28:30], "little")
        return info.header_offset + 30 + name_len + extra_len


@dataclass
class WaczSource(WarcSource):
    """All WARCs of one WACZ."""

    tempdir: str = ""
    listed_pages: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, path: Path, url_base: str | None) -> "WaczSource":
        source = cls(path=path)
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise SourceUnreadable(f"--source {path}: not a readable WACZ (ZIP) file ({exc})") from exc
        with archive:
            names = archive.namelist()
            warcs = sorted(n for n in names if n.startswith("archive/") and n.endswith((".warc", ".warc.gz")))
            if not warcs:
                raise SourceUnreadable(f"--source {path}: archive/*.warc.gz: no WARC in this WACZ")
            source._check_datapackage(archive, names)
            if "pages/pages.jsonl" in names:
                for line in archive.read("pages/pages.jsonl").decode("utf-8", "replace").splitlines()[1:]:
                    try:
                        source.listed_pages.append(json.loads(line)["url"])
                    except (ValueError, KeyError, TypeError):
                        source.notes.append("pages/pages.jsonl: a line is not a page record")
            for name in warcs:
                info = archive.getinfo(name)
                if info.compress_type == zipfile.ZIP_STORED:
                    source.add_warc(str(path), label=f"{path.name}/{name}", base=_data_offset(path, info),
                                    length=info.file_size)
                else:
                    source.tempdir = source.tempdir or tempfile.mkdtemp(prefix="migrate-wacz-")
                    target = Path(source.tempdir) / Path(name).name
                    with archive.open(name) as member, open(target, "wb") as out:
                        shutil.copyfileobj(member, out)
                    source.add_warc(str(target), label=f"{path.name}/{name}")
        source.finish(url_base)
        return source

    def _check_datapackage(self, archive: zipfile.ZipFile, names: list[str]) -> None:
        if "datapackage.json" not in names:
            self.notes.append("datapackage.json missing: archive integrity not verified")
            return
        try:
            package = json.loads(archive.read("datapackage.json"))
        except ValueError as exc:
            self.notes.append(f"datapackage.json is not JSON ({exc})")
            return
        for resource in package.get("resources", []):
            name, expected = resource.get("path", ""), str(resource.get("hash", ""))
            if name not in names or not expected.startswith("sha256:"):
                continue
            digest = hashlib.sha256()
            with archive.open(name) as member:
                for chunk in iter(lambda: member.read(1 << 20), b""):
                    digest.update(chunk)
            if "sha256:" + digest.hexdigest() != expected:
                self.notes.append(f"datapackage.json: {name} does not match its sha256 (damaged archive?)")

    def close(self) -> None:
        if self.tempdir:
            shutil.rmtree(self.tempdir, ignore_errors=True)
