"""archive.wacz: deterministic members, STORED vs DEFLATED, the datapackage and its digest."""

import hashlib
import io
import json
import zipfile
from datetime import datetime, timezone

from govsite.archive.wacz import Package, member_info, pages_jsonl

BUILT = datetime(2026, 11, 20, 8, 30, 5, tzinfo=timezone.utc)


def _package() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        package = Package(zf, BUILT)
        with package.open_stream("archive/a.warc.gz") as stream:
            stream.write(b"warc bytes")
        package.add_resource("archive/a.warc.gz", 10, hashlib.sha256(b"warc bytes").hexdigest())
        package.write("pages/pages.jsonl", pages_jsonl("全部页面", [{"url": "https://x.gov.cn/", "ts": "t"}]))
        package.finish({"title": "测试", "created": "2026-11-20T08:30:05Z"})
    return buffer.getvalue()


def test_packages_are_byte_identical_and_members_fixed():
    data = _package()
    assert data == _package()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = {i.filename: i for i in zf.infolist()}
        assert infos["archive/a.warc.gz"].compress_type == zipfile.ZIP_STORED
        assert infos["pages/pages.jsonl"].compress_type == zipfile.ZIP_DEFLATED
        assert {i.date_time for i in infos.values()} == {(2026, 11, 20, 8, 30, 4)}
        package = json.loads(zf.read("datapackage.json"))
        digest = json.loads(zf.read("datapackage-digest.json"))
    assert package["profile"] == "data-package" and package["wacz_version"] == "1.1.1" and package["title"] == "测试"
    assert [r["path"] for r in package["resources"]] == ["archive/a.warc.gz", "pages/pages.jsonl"]
    assert digest == {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(
        zipfile.ZipFile(io.BytesIO(data)).read("datapackage.json")).hexdigest()}


def test_pages_header_line():
    lines = pages_jsonl("全部页面", []).decode().splitlines()
    assert json.loads(lines[0]) == {"format": "json-pages-1.0", "id": "pages", "title": "全部页面"}


def test_member_info_has_no_host_or_clock():
    info = member_info("x", BUILT, stored=True)
    assert info.create_system == 3 and info.external_attr == 0o100644 << 16 and info.date_time[0] == 2026
