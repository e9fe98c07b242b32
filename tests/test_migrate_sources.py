"""Readers: a wget mirror, browser-saved pages, WARC and WACZ files (written with warcio here)."""

import pytest

from govsite.migrate.errors import SourceUnreadable
from govsite.migrate.sources import open_source, url_key
from migrate_helpers import BROWSER, MIRROR, write_wacz, write_warc

PAGE = '<html><head><meta charset="gbk"><title>测试</title></head><body><p>枫岚市</p></body></html>'.encode("gbk")


def test_wget_mirror_is_recognised_by_its_host_folder():
    source = open_source(MIRROR)
    assert source.host == "www.fenglan.gov.cn"
    keys = {d.key for d in source.documents()}
    assert "xwzx/gzdt/202403/t20240305_1001.html" in keys and "index.html" in keys
    assert not any(k.endswith((".png", ".pdf")) for k in keys)
    doc = next(d for d in source.documents() if d.key == "index.html")
    assert doc.url == "http://www.fenglan.gov.cn/index.html"


def test_folder_lookup_by_absolute_root_relative_and_directory_urls():
    source = open_source(MIRROR)
    assert source.lookup("http://www.fenglan.gov.cn/images/logo.png")
    assert source.lookup("http://www.fenglan.gov.cn/xwzx/gzdt/")[1].endswith("xwzx/gzdt/index.html")
    assert source.lookup("http://www.fenglan.gov.cn/xwzx/gzdt/202403/../202403/W020240305123.png")
    assert source.lookup("https://other.example.com/images/logo.png") is None
    assert source.lookup("http://www.fenglan.gov.cn/../../../../etc/passwd") is None


def test_url_base_sets_host_and_path_prefix(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "p.html").write_bytes(PAGE)
    source = open_source(tmp_path, "https://www.fenglan.gov.cn/old/")
    doc = source.documents()[0]
    assert doc.url == "https://www.fenglan.gov.cn/old/a/p.html"
    assert source.lookup("https://www.fenglan.gov.cn/old/a/p.html")


def test_browser_saved_page_files_folder_is_not_pages():
    source = open_source(BROWSER)
    assert [d.key for d in source.documents()] == ["枫岚市召开防汛工作会议.html"]
    doc = source.documents()[0]
    assert source.lookup(source.absolute("./枫岚市召开防汛工作会议_files/fx.png", doc.url))


def test_extensionless_and_query_named_wget_files(tmp_path):
    site = tmp_path / "www.fenglan.gov.cn"
    site.mkdir()
    (site / "detail.jsp?id=7.html").write_bytes(PAGE)
    (site / "about").write_bytes(PAGE)
    (site / "data.bin").write_bytes(b"\x00\x01")
    source = open_source(tmp_path)
    assert sorted(d.key for d in source.documents()) == ["about", "detail.jsp?id=7.html"]
    assert source.lookup("http://www.fenglan.gov.cn/detail.jsp?id=7")


def test_warc_pages_resources_redirects_and_revisits(tmp_path):
    warc = write_warc(tmp_path / "site.warc.gz", [
        ("https://www.fenglan.gov.cn/a.html", "200 OK", "text/html; charset=gbk", PAGE),
        ("https://www.fenglan.gov.cn/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\nxx"),
        ("https://www.fenglan.gov.cn/old.html", "301 Moved Permanently", "text/html", b"",
         [("Location", "/a.html")]),
        ("https://www.fenglan.gov.cn/gone.html", "404 Not Found", "text/html", b"nope"),
    ])
    source = open_source(warc)
    docs = source.documents()
    assert [d.url for d in docs] == ["https://www.fenglan.gov.cn/a.html"]
    assert docs[0].key == "site.warc.gz#https://www.fenglan.gov.cn/a.html"
    assert docs[0].load() == PAGE and "gbk" in docs[0].content_type
    assert source.fetch("https://www.fenglan.gov.cn/logo.png").startswith(b"\x89PNG")
    assert source.redirects == {"https://www.fenglan.gov.cn/old.html": "https://www.fenglan.gov.cn/a.html"}
    assert source.lookup("https://www.fenglan.gov.cn/gone.html") is None


def test_wacz_is_read_in_place_and_its_hashes_checked(tmp_path):
    warc = write_warc(tmp_path / "data.warc.gz", [
        ("https://www.fenglan.gov.cn/a.html", "200 OK", "text/html", PAGE)])
    wacz = write_wacz(tmp_path / "site.wacz", warc, ["https://www.fenglan.gov.cn/a.html"])
    source = open_source(wacz)
    assert source.listed_pages == ["https://www.fenglan.gov.cn/a.html"]
    assert [d.load() for d in source.documents()] == [PAGE]
    assert not any("sha256" in n for n in source.notes)
    damaged = write_wacz(tmp_path / "damaged.wacz", warc, [], wrong_hash=True)
    assert any("does not match its sha256" in n for n in open_source(damaged).notes)


@pytest.mark.parametrize("name,content,message", [
    ("missing", None, "no such file"),
    ("notes.txt", b"hello", "expected a folder"),
    ("bad.warc.gz", b"not a warc at all", "not a readable WARC"),
    ("bad.wacz", b"PK no zip", "not a readable WACZ"),
])
def test_unreadable_sources_are_named(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SourceUnreadable, match=message) as info:
        open_source(path)
    assert str(path) in str(info.value) or name in str(info.value)


def test_url_key_normalisation():
    hosts = {"www.fenglan.gov.cn"}
    assert url_key("http://www.fenglan.gov.cn/a/./b/../c.html#top", hosts) == "/a/c.html"
    assert url_key("https://www.fenglan.gov.cn/%E6%9E%AB.html", hosts) == "/枫.html"
    assert url_key("https://other.example.com/x?y=1", hosts) == "//other.example.com/x?y=1"
