"""Internal links and anchors (checks/links.py), the CLI, settings, and the build failing on a broken link."""

from __future__ import annotations

from pathlib import Path

import pytest

from govsite.checks.links import check_links, read_scan_cache
from govsite.checks.links_cli import main as links_main
from govsite.checks.links_settings import LinksSettingsInvalid, load_link_settings
from govsite.build import build_group

PAGE = "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>t</title>{head}</head><body>{body}</body></html>"


def write(root: Path, name: str, body: str = "", head: str = "") -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE.format(head=head, body=body), "utf-8")


@pytest.fixture
def site(tmp_path) -> Path:
    """A small site with every kind of good link."""
    root = tmp_path / "out" / "www.example.gov.cn"
    write(root, "index.html", head="<link rel='stylesheet' href='theme/site.css'>",
          body="<a href='news/'>新闻</a><a href='news'>新闻</a><a href='news/202611/a.html?x=1#part'>a</a>"
               "<a href='%E6%96%87%E4%BB%B6.html'>文件</a><a href='#main'>跳到正文</a><main id='main'></main>"
               "<a href='#'>top</a><img src='images/p.png' srcset='images/p.png 1x, images/p@2x.png 2x' alt=''>"
               "<form action='search.html'></form><a href='mailto:a@example.gov.cn'>m</a>"
               "<a href='https://www.example.gov.cn/news/index.html'>abs</a><a href='//other.example.com/x'>ext</a>"
               "<script src='theme/t.js'></script><a href='news/202611/a.html#old'>named</a>")
    write(root, "news/index.html", body="<a href='../index.html#main'>home</a><a href='202611/a.html'>a</a>")
    write(root, "news/202611/a.html", body="<h2 id='part'>p</h2><a name='old'></a><a href='../../index.html'>h</a>"
                                           "<video src='../../media/v.mp4' poster='../../images/p.png'></video>")
    write(root, "文件.html", head="<meta http-equiv='refresh' content='0; url=news/index.html'>")
    write(root, "search.html")
    for name in ("theme/site.css", "theme/t.js", "images/p.png", "images/p@2x.png", "media/v.mp4"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x")
    (root / ".govsite").mkdir()
    write(root, ".govsite/ignored.html", body="<a href='nowhere.html'>x</a>")  # dot-folders are not the site
    return root


def test_every_kind_of_good_link_resolves(site):
    report = check_links(site, "www.example.gov.cn")
    assert report.passed, report.summary()
    assert report.pages == 5 and report.links >= 20
    assert list(report.external) == ["https://other.example.com/x"]


@pytest.mark.parametrize("body, code, fragment", [
    ("<a href='news/missing.html'>x</a>", "missing-file", "news/missing.html"),
    ("<img src='images/none.png' alt=''>", "missing-file", "images/none.png"),
    ("<img src='images/p.png' srcset='images/p.png 1x, images/p@3x.png 3x' alt=''>", "missing-file", "p@3x.png"),
    ("<link rel='stylesheet' href='theme/gone.css'>", "missing-file", "gone.css"),
    ("<iframe src='embed/map.html' title='m'></iframe>", "missing-file", "map.html"),
    ("<form action='cgi/post.html'></form>", "missing-file", "post.html"),
    ("<a href='#nowhere'>x</a>", "missing-anchor", "nowhere"),
    ("<a href='news/202611/a.html#nothing'>x</a>", "missing-anchor", "nothing"),
    ("<a href='?page=2#gone'>x</a>", "missing-anchor", "gone"),
    ("<a href='../../etc/passwd'>x</a>", "outside-site", "passwd"),
    ("<a href='https://www.example.gov.cn/nope/'>x</a>", "missing-file", "nope/index.html"),
    ("<a href='https://pos.baidu.com/x?ad=1'>广告</a>", "ad-domain", "pos.baidu.com"),
    ("<a href='https://ads.doubleclick.net/x'>广告</a>", "ad-domain", "doubleclick.net"),
])
def test_broken_links_are_found_with_page_line_and_reason(site, body, code, fragment):
    write(site, "bad.html", body=body)
    report = check_links(site, "www.example.gov.cn")
    assert not report.passed
    assert [(f.page, f.code) for f in report.broken] == [("bad.html", code)]
    finding = report.broken[0]
    assert fragment in finding.url + finding.detail and finding.line >= 1
    assert "bad.html" in report.summary() and code in report.summary()


def test_ad_domains_come_from_the_given_list(site):
    write(site, "bad.html", body="<a href='https://shop.example.com/'>商城</a>")
    assert check_links(site, "www.example.gov.cn").passed
    report = check_links(site, "www.example.gov.cn", ad_domains=("shop.example.com",))
    assert [f.code for f in report.broken] == ["ad-domain"]


def test_cross_site_links_are_checked_against_the_other_sites_output(site):
    other = site.parent / "jyj.example.gov.cn"
    write(other, "index.html", body="<h2 id='intro'>i</h2>")
    roots = {"jyj.example.gov.cn": other, "wjw.example.gov.cn": site.parent / "wjw.example.gov.cn"}
    write(site, "cross.html", body="<a href='https://jyj.example.gov.cn/'>ok</a>"
                                   "<a href='https://jyj.example.gov.cn/#intro'>ok</a>"
                                   "<a href='https://jyj.example.gov.cn/gone.html'>bad</a>"
                                   "<a href='https://jyj.example.gov.cn/#outro'>bad anchor</a>"
                                   "<a href='https://wjw.example.gov.cn/a.html'>no output yet</a>"
                                   "<a href='https://jyj.example.gov.cn/new.html'>known</a>")
    report = check_links(site, "www.example.gov.cn", roots, known_urls={"https://jyj.example.gov.cn/new.html"})
    assert sorted(f.code for f in report.broken) == ["cross-site-anchor", "cross-site-missing"]
    assert [f.code for f in report.unverifiable] == ["unverifiable"]
    strict = check_links(site, "www.example.gov.cn", roots, unverifiable_fails=True,
                         known_urls={"https://jyj.example.gov.cn/new.html"})
    assert len(strict.broken) == 3


def test_many_pages_in_parallel_processes(tmp_path):
    root = tmp_path / "big"
    for i in range(700):
        write(root, f"p/{i}.html", body=f"<h2 id='h'>x</h2><a href='{(i + 1) % 700}.html#h'>next</a>"
                                        + ("<a href='missing.html'>x</a>" if i == 350 else ""))
    report = check_links(root, workers=2)
    assert report.pages == 700 and [f.page for f in report.broken] == ["p/350.html"]


def test_settings_are_validated_naming_the_key():
    assert load_link_settings(None).fail is True
    with pytest.raises(LinksSettingsInvalid) as caught:
        load_link_settings({"cross_sit": True, "external_timeout": 0, "external_concurrency": "8"})
    text = str(caught.value)
    assert "GOVSITE_LINKS['cross_sit']" in text and "did you mean 'cross_site'" in text
    assert "external_timeout" in text and "external_concurrency" in text


def test_cli_exit_codes_and_report(site, tmp_path, capsys):
    assert links_main([str(site)]) == 0
    write(site, "bad.html", body="<a href='gone.html'>x</a>")
    assert links_main([str(site), "--report", str(tmp_path / "rep")]) == 1
    out = capsys.readouterr().out
    assert "bad.html" in out and "gone.html" in out
    html = (tmp_path / "rep" / "links.html").read_text("utf-8")
    assert "链接的文件不存在" in html and "未通过" in html
    assert links_main([str(tmp_path / "absent")]) == 2


def test_build_fails_on_a_broken_link_and_keeps_the_previous_output(group, tmp_path):
    def build():
        return {r.site_id: r for r in build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache",
                                                  reports_dir=tmp_path / "reports", site_ids=["dept"],
                                                  settings={"GOVSITE_A11Y": {"engine": "static"}})}
    first = build()
    assert first["dept"].ok, first["dept"].error
    index = tmp_path / "output" / "jtj.chenghu.gov.cn" / "index.html"
    before = index.read_bytes()
    group.write("dept/articles/20261106-broken-link.md",
                "Title: 含失效链接的动态\nDate: 2026-11-06 10:00\nCategory: news\nAuthor: 甲\nReviewer: 乙\n"
                "Summary: 摘要。\n\n见[通知](../../tzgg/none.html)和[本页锚点](#nowhere)。")
    second = build()["dept"]
    assert not second.ok
    assert "news/202611/20261106-broken-link.html" in second.error
    assert "tzgg/none.html" in second.error and "missing-file" in second.error and "missing-anchor" in second.error
    assert index.read_bytes() == before
    assert not (tmp_path / "output" / "jtj.chenghu.gov.cn" / "news" / "202611" / "20261106-broken-link.html").exists()
    assert "链接的文件不存在" in (tmp_path / "reports" / "jtj.chenghu.gov.cn" / "links.html").read_text("utf-8")


def test_an_unresolved_pelican_link_fails_the_build(group, tmp_path):
    group.write("city/articles/20261103-link.md",
                "Title: 链接\nDate: 2026-11-03\nCategory: news\n\n见[文件]({filename}/articles/missing.md)。")
    result = build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache", reports_dir=None,
                         site_ids=["city"], settings={"GOVSITE_A11Y": {"engine": "static"}})[0]
    assert not result.ok and "news/202611/20261103-link.html" in result.error and "missing.md" in result.error


def test_scans_of_unchanged_pages_are_reused_and_changes_still_break(site, tmp_path):
    cache = tmp_path / "links.pickle"
    first = check_links(site, "www.example.gov.cn", cache_path=cache)
    assert first.passed and cache.is_file()
    known, hashes = read_scan_cache(cache, site)
    assert set(known) == set(hashes) and len(known) == first.pages, "nothing changed: every scan reused"
    written = cache.stat().st_mtime_ns
    assert check_links(site, "www.example.gov.cn", cache_path=cache).passed
    assert cache.stat().st_mtime_ns == written, "every scan reused: the cache is not written again"
    write(site, "news/202611/a.html", body="<a href='../../index.html'>h</a>")  # the anchors #part and #old are gone
    known, _ = read_scan_cache(cache, site)
    assert "news/202611/a.html" not in known and len(known) == first.pages - 1
    second = check_links(site, "www.example.gov.cn", cache_path=cache)
    assert sorted((f.page, f.code) for f in second.broken) == [("index.html", "missing-anchor")] * 2
    assert second.links == first.links - 2, "the changed page was parsed again"
    cache.write_bytes(b"damaged")
    assert read_scan_cache(cache, site)[0] == {}, "a damaged cache only means scanning everything"
