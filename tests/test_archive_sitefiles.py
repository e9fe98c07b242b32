"""archive.sitefiles: walking a folder safely, URLs, content types, charsets and titles."""

import os

import pytest

from govsite.archive.errors import ArchiveUsageError
from govsite.archive.sitefiles import (base_url, content_type, directory_url, http_content_type, page_title, sniff_charset,
                               url_for, walk)


def test_walk_is_sorted_and_skips_the_manifest_and_deploy_files(tmp_path):
    for rel in ("b.html", "a/z.css", "a/index.html", ".htaccess", ".govsite-manifest.json", ".govsite/nginx.conf"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    files = walk(tmp_path)
    assert [f.rel for f in files] == [".htaccess", "a/index.html", "a/z.css", "b.html"]
    assert [f.hidden for f in files] == [True, False, False, False]


def test_walk_flags_links_leaving_the_folder_and_skips_linked_folders(tmp_path):
    site, outside = tmp_path / "site", tmp_path / "secret"
    (site / "real").mkdir(parents=True)
    outside.mkdir()
    (outside / "passwd").write_text("root")
    (site / "real" / "page.html").write_text("x")
    os.symlink(outside / "passwd", site / "leak.html")
    os.symlink(site / "real", site / "alias")
    os.symlink(site / "real" / "page.html", site / "same.html")
    skipped = []
    files = {f.rel: f for f in walk(site, skipped)}
    assert files["leak.html"].link_outside == str(outside / "passwd")
    assert files["same.html"].link_outside == "" and files["same.html"].size == 1
    assert "alias" not in files and any("alias" in note for note in skipped)


def test_walk_of_a_missing_folder_is_a_usage_error(tmp_path):
    with pytest.raises(ArchiveUsageError, match="not a folder"):
        walk(tmp_path / "nope")


def test_urls_are_percent_encoded_utf8_and_folders_map_to_their_index():
    base = base_url("WWW.Chenghu.gov.cn")
    assert base == "https://www.chenghu.gov.cn/"
    assert url_for(base, "attachments/通知 1.pdf") == \
        "https://www.chenghu.gov.cn/attachments/%E9%80%9A%E7%9F%A5%201.pdf"
    assert directory_url(base, "index.html") == base
    assert directory_url(base, "news/index.html") == base + "news/"
    assert directory_url(base, "news/a.html") is None
    assert base_url("http://old.chenghu.gov.cn/site") == "http://old.chenghu.gov.cn/site/"
    for bad in ("ftp://x.gov.cn", "a b", "x.gov.cn/path"):
        with pytest.raises(ArchiveUsageError):
            base_url(bad)


def test_content_types_come_from_a_fixed_table():
    assert content_type("a/b.html") == "text/html"
    assert content_type("feeds/all.atom.xml") == "application/atom+xml"
    assert content_type("x.ofd") == "application/ofd"
    assert content_type("x.PNG") == "image/png"
    assert content_type("x.docx").endswith("wordprocessingml.document")
    assert content_type("noextension") == "application/octet-stream"


def test_charset_is_declared_or_sniffed():
    gbk = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>旧站</title>'
    assert http_content_type("old.htm", gbk.encode("gb2312"), True) == "text/html; charset=gb2312"
    assert http_content_type("a.css", b"body{}", True) == "text/css; charset=utf-8"
    assert http_content_type("a.png", b"\x89PNG", True) == "image/png"
    assert sniff_charset("text/html", "<p>澄湖</p>".encode("gbk"), True) == ""  # not UTF-8, not declared
    assert sniff_charset("text/html", "<p>澄湖</p>".encode() + "澄".encode()[:2], False) == "utf-8"  # cut sample
    assert sniff_charset("application/xml", b'<?xml version="1.0" encoding="GB18030"?><a/>', True) == "gb18030"
    assert sniff_charset("text/html", b"\xef\xbb\xbf<p>x</p>", True) == "utf-8"


def test_page_title_decodes_entities_and_collapses_spaces():
    head = "<title>\n  澄湖市 &amp; <b>交通</b>\n</title>".encode("gb2312")
    assert page_title(head, "gb2312") == "澄湖市 & 交通"
    assert page_title(b"<p>no title</p>", "utf-8") == ""


@pytest.mark.parametrize("rel, head, expected", [
    ("xxgk/detail.jsp", b"\r\n\r\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\"><html>", "text/html; charset=utf-8"),
    ("news/show.asp", '<html><head><meta charset="gb2312"><title>旧闻</title>'.encode("gb2312"),
     "text/html; charset=gb2312"),
    ("list.aspx", b"<!-- TRS -->\n<html lang=\"zh\">", "text/html; charset=utf-8"),
    ("detail.php?id=3", b"<HTML><HEAD><TITLE>x</TITLE>", "text/html; charset=utf-8"),   # wget's query name
    ("pages/old.shtml", b"<p>no html tag</p>", "text/html; charset=utf-8"),             # by extension, as before
    ("api/data.php", b'{"items": []}', "application/octet-stream"),                     # not HTML: not called HTML
    ("download.jsp", b"%PDF-1.7", "application/octet-stream"),
])
def test_server_pages_whose_bytes_are_html_are_text_html(rel, head, expected):
    assert http_content_type(rel, head, True) == expected


def test_a_jsp_site_archived_from_a_folder_replays_as_html(tmp_path):
    """``invoke archive --from-dir`` on a saved JSP site: the pages are text/html responses and pages."""
    import json
    import zipfile

    from warcio.archiveiterator import ArchiveIterator

    from govsite.archive.snapshot import snapshot_site

    root = tmp_path / "oldsite"
    (root / "xxgk").mkdir(parents=True)
    (root / "index.jsp").write_text("<!DOCTYPE html><html><head><title>旧门户</title></head><body>首页</body></html>",
                                    "utf-8")
    (root / "xxgk" / "detail.jsp").write_bytes('<html><head><meta charset="gbk"><title>旧文件</title></head>'
                                               "<body>正文</body></html>".encode("gbk"))
    result = snapshot_site(root, "http://www.old.gov.cn/", tmp_path / "archives")
    with zipfile.ZipFile(result.path) as zf:
        warc = next(n for n in zf.namelist() if n.startswith("archive/"))
        with zf.open(warc) as stream:
            types = {r.rec_headers.get_header("WARC-Target-URI"): r.http_headers.get_header("Content-Type")
                     for r in ArchiveIterator(stream) if r.rec_type == "response"}
        pages = [json.loads(line) for line in zf.read("pages/pages.jsonl").decode().splitlines()[1:]]
    assert types["http://www.old.gov.cn/index.jsp"] == "text/html; charset=utf-8"
    assert types["http://www.old.gov.cn/xxgk/detail.jsp"] == "text/html; charset=gbk"
    assert sorted(p["title"] for p in pages) == ["旧文件", "旧门户"]
