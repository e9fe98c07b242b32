"""archive.snapshot: a built site or a legacy folder as a WACZ, straight from the files, byte-identical."""

import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from govsite.archive.errors import ArchiveError, ArchiveUsageError, TamperDetected
from govsite.archive.manifest import load_manifest
from govsite.archive.snapshot import read_redirects, snapshot_site
from archive_fixtures import CITY, members, site_copy, snapshot_of_city  # noqa: F401 (fixtures)


def _records(path: Path):
    with zipfile.ZipFile(path) as zf:
        name = next(n for n in zf.namelist() if n.startswith("archive/"))
        with zf.open(name) as stream:
            out = []
            for record in ArchiveIterator(stream, check_digests=True):
                body = record.content_stream().read()
                assert record.digest_checker.passed is not False, record.digest_checker.problems
                out.append((record, body))
            return out


def test_every_file_is_a_response_with_its_bytes_and_type(built_fixture, snapshot_of_city):
    site = built_fixture / CITY
    records = _records(snapshot_of_city.path)
    responses = {r.rec_headers.get_header("WARC-Target-URI"): (r, body) for r, body in records
                 if r.rec_type == "response" and r.http_headers.get_statuscode() == "200"}
    served = [p for p in site.rglob("*") if p.is_file() and not any(x.startswith(".") for x in p.relative_to(site).parts)]
    assert len(responses) == len(served) == snapshot_of_city.files
    for path in served:
        record, body = responses[f"https://{CITY}/{path.relative_to(site).as_posix()}"]
        assert body == path.read_bytes()
    types = {url.rsplit("/", 1)[-1]: r.http_headers.get_header("Content-Type") for url, (r, _) in responses.items()}
    assert types["index.html"] == "text/html; charset=utf-8"
    assert types["chart.png"] == "image/png" and types["logo.svg"].startswith("image/svg+xml")
    assert types["notice.pdf"] == "application/pdf" and types["all.atom.xml"].startswith("application/atom+xml")
    assert not any(".htaccess" in url or ".govsite" in url for url in responses)


def _newest_lastmod(site: Path) -> datetime:
    text = (site / "sitemap.xml").read_text("utf-8")
    stamps = [datetime.fromisoformat(part.split("</lastmod>")[0]) for part in text.split("<lastmod>")[1:]]
    return max(stamps).astimezone(timezone.utc)


def test_warcinfo_carries_the_identity_commit_and_content_time(built_fixture, snapshot_of_city):
    manifest = load_manifest(built_fixture / CITY / ".govsite-manifest.json")
    info, body = _records(snapshot_of_city.path)[0]
    text = body.decode()
    assert info.rec_type == "warcinfo"
    assert "site-name: 澄湖市人民政府" in text and "site-code: 9902000001" in text
    assert f"build-commit: {manifest.document['commit']}" in text
    lines = [json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in manifest.document["files"]]
    assert "build-manifest-files-sha256: " + hashlib.sha256("\n".join(lines).encode()).hexdigest() in text
    newest = _newest_lastmod(built_fixture / CITY)  # the newest change the content records, not the build clock
    assert f"snapshot-time: {newest:%Y-%m-%dT%H:%M:%SZ}" in text and "build-time" not in text
    assert info.rec_headers.get_header("WARC-Date") == f"{newest:%Y-%m-%dT%H:%M:%SZ}"
    assert snapshot_of_city.path.name == newest.strftime("%Y%m%d%H%M%S") + ".wacz"
    assert snapshot_of_city.path.parent.name == CITY


def _rebuilt(site: Path, at: datetime) -> None:
    """What a clean rebuild of the same content at another time changes: every file's mtime and the
    manifest's build time."""
    from govsite.archive.manifest import make_manifest, write_manifest

    old = load_manifest(site / ".govsite-manifest.json")
    for path in site.rglob("*"):
        os.utime(path, (at.timestamp(), at.timestamp()), follow_symlinks=False)
    write_manifest(site, make_manifest(site, old.site, at, old.document["commit"], old.document["dirty"]))


def test_the_same_content_built_at_other_times_gives_the_same_bytes(site_copy, snapshot_of_city, tmp_path,
                                                                     monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    _rebuilt(site_copy, datetime(2027, 3, 4, 5, 6, 7, tzinfo=timezone.utc))
    assert load_manifest(site_copy / ".govsite-manifest.json").document["built"] == "2027-03-04T05:06:07Z"
    later = snapshot_site(site_copy, CITY, tmp_path / "later")
    assert later.path.read_bytes() == snapshot_of_city.path.read_bytes()
    # a content change: an article modified later than anything else changes the date and the bytes
    sitemap = site_copy / "sitemap.xml"
    sitemap.write_text(re.sub("<lastmod>[^<]+</lastmod>", "<lastmod>2027-01-02T03:04:05+08:00</lastmod>",
                              sitemap.read_text("utf-8"), count=1), "utf-8")
    _rebuilt(site_copy, datetime(2027, 3, 4, 5, 6, 7, tzinfo=timezone.utc))
    changed = snapshot_site(site_copy, CITY, tmp_path / "changed")
    assert changed.timestamp == "20270101190405" and changed.path.read_bytes() != snapshot_of_city.path.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # still wins when set
    assert snapshot_site(site_copy, CITY, tmp_path / "epoch").timestamp == "20231114221320"


def test_folder_urls_are_301_redirects_to_their_index(snapshot_of_city):
    redirects = {r.rec_headers.get_header("WARC-Target-URI"): r.http_headers.get_header("Location")
                 for r, _ in _records(snapshot_of_city.path) if r.http_headers and r.http_headers.get_statuscode() == "301"}
    assert redirects[f"https://{CITY}/"] == f"https://{CITY}/index.html"
    assert redirects[f"https://{CITY}/news/"] == f"https://{CITY}/news/index.html"


def test_wacz_layout_pages_and_datapackage(snapshot_of_city):
    files = members(snapshot_of_city.path)
    assert {"datapackage.json", "datapackage-digest.json", "pages/pages.jsonl", "indexes/index.cdx.gz",
            "indexes/index.idx"} <= set(files)
    with zipfile.ZipFile(snapshot_of_city.path) as zf:
        kinds = {i.filename: i.compress_type for i in zf.infolist()}
    assert kinds[next(n for n in files if n.startswith("archive/"))] == zipfile.ZIP_STORED
    assert kinds["indexes/index.cdx.gz"] == zipfile.ZIP_STORED and kinds["pages/pages.jsonl"] == zipfile.ZIP_DEFLATED
    pages = [json.loads(line) for line in files["pages/pages.jsonl"].decode().splitlines()]
    assert pages[0]["format"] == "json-pages-1.0"
    titles = {p["url"].rsplit("/", 1)[-1]: p["title"] for p in pages[1:]}
    assert titles["20261101-first-news.html"] == "澄湖市召开全市重点项目推进会 - 澄湖市人民政府"
    assert all(p["ts"].endswith("Z") for p in pages[1:]) and len(pages) - 1 == snapshot_of_city.pages
    package = json.loads(files["datapackage.json"])
    assert package["wacz_version"] == "1.1.1" and package["mainPageUrl"] == f"https://{CITY}/index.html"
    for resource in package["resources"]:
        data = files[resource["path"]]
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest() and resource["bytes"] == len(data)
    digest = json.loads(files["datapackage-digest.json"])
    assert digest["hash"] == "sha256:" + hashlib.sha256(files["datapackage.json"]).hexdigest()
    assert gzip.decompress(files["indexes/index.cdx.gz"]).decode().count("\n") == snapshot_of_city.records - 1


def test_warcio_check_accepts_the_warc(snapshot_of_city, tmp_path):
    with zipfile.ZipFile(snapshot_of_city.path) as zf:
        name = next(n for n in zf.namelist() if n.startswith("archive/"))
        zf.extract(name, tmp_path)
    done = subprocess.run([str(Path(sys.executable).with_name("warcio")), "check", "-v", str(tmp_path / name)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("digest pass") == snapshot_of_city.records


def test_same_input_gives_a_byte_identical_snapshot_and_none_is_overwritten(built_fixture, snapshot_of_city, tmp_path):
    again = snapshot_site(built_fixture / CITY, CITY, tmp_path / "a")
    assert again.path.read_bytes() == snapshot_of_city.path.read_bytes()
    assert not os.access(again.path, os.W_OK) or os.geteuid() == 0  # written read-only
    same = snapshot_site(built_fixture / CITY, CITY, tmp_path / "a")
    assert same.existed and same.path == again.path
    later = snapshot_site(built_fixture / CITY, CITY, tmp_path / "a", identity={"name": "另一个名称"})
    assert not later.existed and later.path.name == again.path.stem + "-2.wacz"
    assert again.path.read_bytes() == snapshot_of_city.path.read_bytes()
    assert not list((tmp_path / "a" / CITY).glob(".*"))  # no partial files left


def test_altered_output_is_refused_unless_told(site_copy, tmp_path):
    (site_copy / "about.html").write_text("<p>篡改</p>", "utf-8")
    (site_copy / "contact.html").unlink()
    (site_copy / "images" / "extra.png").write_bytes(b"\x89PNG")
    with pytest.raises(TamperDetected) as caught:
        snapshot_site(site_copy, CITY, tmp_path / "out")
    assert {"changed: about.html (SHA-256 differs from the build manifest)", "removed: contact.html",
            "added: images/extra.png"} == set(caught.value.problems)
    assert not list((tmp_path / "out").rglob("*.wacz")) and not list((tmp_path / "out").rglob(".*"))
    forced = snapshot_site(site_copy, CITY, tmp_path / "out", check_manifest=False)
    site_files = [p for p in site_copy.rglob("*") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(site_copy).parts)]
    assert forced.files == len(site_files) > 20, "every file of the altered site, the added one included"


def _legacy(tmp_path) -> Path:
    root = tmp_path / "oldsite"
    (root / "art" / "2019" / "5" / "6").mkdir(parents=True)
    (root / "index.htm").write_bytes('<html><head><meta charset="gbk"><title>旧门户网站</title></head>'
                                     '<body>欢迎</body></html>'.encode("gbk"))
    (root / "art" / "2019" / "5" / "6" / "art_12_345.html").write_bytes(
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>旧文章</title>'.encode("gb2312"))
    (root / "附件 1.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (root / ".DS_Store").write_bytes(b"junk")
    when = datetime(2019, 6, 1, 12, 0, tzinfo=timezone.utc).timestamp()
    for path in root.rglob("*"):
        os.utime(path, (when, when))
    return root


def test_a_legacy_folder_with_gbk_pages_and_redirects(tmp_path):
    root = _legacy(tmp_path)
    csv = tmp_path / "redirects.csv"
    csv.write_text("old_url,new_url\n/col/col12/index.html,https://www.chenghu.gov.cn/news/index.html\n"
                   "https://*.old.gov.cn/*,https://www.chenghu.gov.cn/\n", "utf-8")
    result = snapshot_site(root, "http://www.old.gov.cn/", tmp_path / "archives", redirects=read_redirects(csv))
    assert result.path == tmp_path / "archives" / "www.old.gov.cn" / "20190601120000.wacz"
    assert any("whole-domain" in w for w in result.warnings)
    records = {r.rec_headers.get_header("WARC-Target-URI"): r for r, _ in _records(result.path)}
    home = records["http://www.old.gov.cn/index.htm"]
    assert home.http_headers.get_header("Content-Type") == "text/html; charset=gbk"
    assert records["http://www.old.gov.cn/"].http_headers.get_header("Location") == "http://www.old.gov.cn/index.htm"
    moved = records["http://www.old.gov.cn/col/col12/index.html"]
    assert moved.http_headers.get_statuscode() == "301"
    assert "http://www.old.gov.cn/%E9%99%84%E4%BB%B6%201.doc" in records
    assert not any("DS_Store" in (url or "") for url in records)
    pages = [json.loads(line) for line in members(result.path)["pages/pages.jsonl"].decode().splitlines()[1:]]
    assert sorted(p["title"] for p in pages) == ["旧文章", "旧门户网站"]
    assert json.loads(members(result.path)["datapackage.json"])["created"] == "2019-06-01T12:00:00Z"


def test_build_redirects_csv_wins_over_the_static_redirect_page(tmp_path):
    root = tmp_path / "out" / CITY
    root.mkdir(parents=True)
    (root / "index.html").write_text("<title>首页</title>", "utf-8")
    (root / "old.html").write_text('<meta http-equiv="refresh" content="0; url=index.html">', "utf-8")
    deploy = tmp_path / "out" / ".deploy" / CITY
    deploy.mkdir(parents=True)
    (deploy / "redirects.csv").write_text(f"old_url,new_url,reason\nhttps://{CITY}/old.html,https://{CITY}/index.html,"
                                          "migration\n", "utf-8")
    result = snapshot_site(root, CITY, tmp_path / "archives")
    records = {r.rec_headers.get_header("WARC-Target-URI"): r for r, _ in _records(result.path)}
    assert records[f"https://{CITY}/old.html"].http_headers.get_statuscode() == "301"
    assert result.files == 1


def test_bad_input_is_named(tmp_path):
    with pytest.raises(ArchiveUsageError, match="not a folder"):
        snapshot_site(tmp_path / "missing", CITY, tmp_path / "a")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / ".hidden").write_text("x")
    with pytest.raises(ArchiveUsageError, match="no files to archive"):
        snapshot_site(tmp_path / "empty", CITY, tmp_path / "a")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("x")
    os.symlink("/etc/passwd", site / "passwd.html")
    with pytest.raises(ArchiveError, match="passwd.html -> /etc/passwd"):
        snapshot_site(site, CITY, tmp_path / "a")
    with pytest.raises(ArchiveUsageError, match="--domain"):
        snapshot_site(site, "not a host", tmp_path / "a")
    bad = tmp_path / "bad.csv"
    bad.write_text("/a.html\n", "utf-8")
    with pytest.raises(ArchiveUsageError, match="bad.csv:1"):
        read_redirects(bad)


def test_timestamps_never_come_from_the_clock(tmp_path, monkeypatch):
    root = _legacy(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert snapshot_site(root, "www.old.gov.cn", tmp_path / "a").timestamp == "20231114221320"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    fixed = datetime(2020, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert snapshot_site(root, "www.old.gov.cn", tmp_path / "b", built=fixed).timestamp == "20200102030405"


def test_records_prepared_in_worker_processes_give_the_same_bytes(built_fixture, snapshot_of_city, tmp_path,
                                                                 monkeypatch):
    from govsite.archive import snapshot

    monkeypatch.setattr(snapshot, "PARALLEL_FROM", 1)
    pooled = snapshot_site(built_fixture / CITY, CITY, tmp_path / "pooled", workers=2)
    assert pooled.path.read_bytes() == snapshot_of_city.path.read_bytes()
