"""Building a group with real Pelican (govsite/build.py): layout, staging swap, content errors."""

from pathlib import Path

import pytest
from lxml import html

from govsite.build import build_group
from govsite.errors import GroupInvalid, UsageError


STATIC_ONLY = {"GOVSITE_A11Y": {"engine": "static"}}


def build(group, tmp_path, **kwargs):
    """Build with the static gate only (the browser gate has its own tests in test_gate_build.py)."""
    kwargs.setdefault("settings", STATIC_ONLY)
    results = build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache",
                          reports_dir=tmp_path / "reports", **kwargs)
    return {r.site_id: r for r in results}


def test_output_layout_per_domain(built_fixture):
    assert sorted(p.name for p in built_fixture.iterdir()) == [".deploy", "jtj.chenghu.gov.cn", "www.chenghu.gov.cn"]
    site = built_fixture / "www.chenghu.gov.cn"
    for path in ["index.html", "404.html", "sitemap.html", "sitemap.xml", "robots.txt", "about.html",
                 "contact.html", "news/index.html", "notices/index.html", "news/atom.xml", "notices/atom.xml",
                 "feeds/all.atom.xml", "news/202611/20261101-first-news.html", "theme/css/site.css",
                 "images/logo.svg", "attachments/notice.pdf"]:
        assert (site / path).is_file(), path


def test_sitemap_xml_and_robots(built_fixture):
    site = built_fixture / "www.chenghu.gov.cn"
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert "<loc>https://www.chenghu.gov.cn/news/202611/20261101-first-news.html</loc>" in sitemap
    assert "<loc>https://www.chenghu.gov.cn/about.html</loc>" in sitemap
    assert "<lastmod>2026-11-01T09:30:00+08:00</lastmod>" in sitemap
    assert "Sitemap: https://www.chenghu.gov.cn/sitemap.xml" in (site / "robots.txt").read_text("utf-8")


def test_column_feed_is_absolute_atom(built_fixture):
    feed = (built_fixture / "www.chenghu.gov.cn" / "news" / "atom.xml").read_text("utf-8")
    assert 'xmlns="http://www.w3.org/2005/Atom"' in feed
    assert "https://www.chenghu.gov.cn/news/202611/20261101-first-news.html" in feed
    assert "关于做好冬季供暖工作的通知" not in feed, "a column feed holds only its own column"


def test_article_page_shows_facts_attachments_and_image(built_fixture):
    doc = html.parse(str(built_fixture / "www.chenghu.gov.cn" / "notices" / "202610" / "20261015-notice.html"))
    text = doc.getroot().text_content()
    for fact in ("2026-10-15 15:00", "澄湖市人民政府办公室", "周敏", "陈立"):
        assert fact in text
    link = doc.xpath('//section[@class="attachments"]//a')[0]
    assert link.get("href") == "../../attachments/notice.pdf" and "供暖工作方案" in link.text_content()
    news = html.parse(str(built_fixture / "www.chenghu.gov.cn" / "news" / "202611" / "20261101-first-news.html"))
    assert news.xpath('//figure[@class="lead-image"]/img/@alt') == ["柱状图：全市重点项目投资完成情况"]
    related = news.xpath('//section[@class="related"]//a/text()')
    assert related == ["澄湖市开展秋季植树活动"]


def test_column_page_lists_every_item_with_a_date(built_fixture):
    doc = html.parse(str(built_fixture / "www.chenghu.gov.cn" / "news" / "index.html"))
    items = doc.xpath('//ul[@class="item-list"]/li')
    assert len(items) == 2
    assert all(item.xpath("time/@datetime") for item in items)


def test_department_links_to_its_portal(built_fixture):
    doc = html.parse(str(built_fixture / "jtj.chenghu.gov.cn" / "index.html"))
    assert doc.xpath('//div[@class="topbar"]//a/@href') == ["https://www.chenghu.gov.cn/"]


def test_built_pages_request_nothing_from_other_hosts(built_fixture):
    for file in built_fixture.rglob("*.html"):
        doc = html.parse(str(file))
        resources = doc.xpath("//script/@src | //img/@src | //link[@rel='stylesheet' or @rel='icon']/@href"
                              " | //iframe/@src | //source/@src | //video/@src | //audio/@src")
        remote = [r for r in resources if "//" in r or r.startswith("data:")]
        assert not remote, f"{file}: {remote}"


def test_failing_site_keeps_previous_output_and_others_still_build(group, tmp_path):
    first = build(group, tmp_path)
    assert all(r.ok for r in first.values())
    old_index = tmp_path / "output" / "www.chenghu.gov.cn" / "index.html"
    old_bytes = old_index.read_bytes()
    old_files = sorted(p.relative_to(old_index.parent) for p in old_index.parent.rglob("*"))
    # Break the portal's content; change the department so its rebuild is visible.
    group.write("city/articles/broken.md", "Title: 坏文章\nDate: 2026-11-02\nCategory: nowhere\n\n正文")
    group.write("dept/articles/20261106-more.md",
                "Title: 新增动态\nDate: 2026-11-06 10:00\nCategory: news\nSummary: 摘要。\n\n正文")
    second = build(group, tmp_path)
    assert not second["city"].ok and second["dept"].ok
    assert "broken.md" in second["city"].error and "Category" in second["city"].error
    assert old_index.read_bytes() == old_bytes
    assert sorted(p.relative_to(old_index.parent) for p in old_index.parent.rglob("*")) == old_files
    assert "新增动态" in (tmp_path / "output" / "jtj.chenghu.gov.cn" / "index.html").read_text("utf-8")
    assert not (tmp_path / "output" / ".staging").exists(), "staging is cleaned up"


def test_rebuild_replaces_output_without_leftovers(group, tmp_path):
    build(group, tmp_path)
    stale = tmp_path / "output" / "www.chenghu.gov.cn" / "stale.html"
    stale.write_text("old")
    assert build(group, tmp_path)["city"].ok
    assert not stale.exists(), "a successful build replaces the whole site folder"
    assert not list((tmp_path / "output").glob(".*.old.*"))


@pytest.mark.parametrize("text, field", [
    ("Title: 无栏目\nDate: 2026-11-02\nCategory: nowhere\n\n正文", "Category = 'nowhere'"),
    ("Title: 缺栏目\nDate: 2026-11-02\n\n正文", "Category = (missing)"),
    ("Title: 错字\nDate: 2026-11-02\nCategory: news\nSoruce: 某单位\n\n正文", "did you mean 'Source'"),
    ("Title: 图片\nDate: 2026-11-02\nCategory: news\nImage: images/chart.png\n\n正文", "ImageAlt"),
    ("Title: 附件\nDate: 2026-11-02\nCategory: news\nAttachments: attachments/none.pdf | x\n\n正文", "not found"),
    ("Title: 日期\nDate: 2026-13-45\nCategory: news\n\n正文", "2026-13-45"),
    ("Date: 2026-11-02\nCategory: news\n\n正文", "title"),
])
def test_bad_article_metadata_is_an_error_naming_the_file(group, tmp_path, text, field):
    group.write("city/articles/bad.md", text)
    result = build(group, tmp_path)["city"]
    assert not result.ok
    assert "bad.md" in result.error and field in result.error
    assert not (tmp_path / "output" / "www.chenghu.gov.cn").exists()


def test_invalid_group_builds_nothing(group, tmp_path):
    group.set("dept", "domain", '"jtj.example.com"')
    with pytest.raises(GroupInvalid, match="jtj.example.com"):
        build(group, tmp_path)
    assert not (tmp_path / "output").exists()


def test_build_one_site_and_unknown_site(group, tmp_path):
    results = build(group, tmp_path, site_ids=["dept"])
    assert list(results) == ["dept"]
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == [".deploy", "jtj.chenghu.gov.cn"]
    with pytest.raises(UsageError, match="nope"):
        build(group, tmp_path, site_ids=["nope"])


def test_strict_mode_fails_on_warnings(group, tmp_path):
    group.write("city/articles/20261103-link.md",
                "Title: 链接\nDate: 2026-11-03\nCategory: news\n\n见[文件]({filename}/articles/missing.md)。")
    # The broken link itself fails every build (tests/test_links.py); here only Pelican's warning counts.
    reported_only = {**STATIC_ONLY, "GOVSITE_LINKS": {"fail": False}}
    lenient = build(group, tmp_path, settings=reported_only)["city"]
    assert lenient.ok and any("missing.md" in w for w in lenient.warnings)
    strict = build(group, tmp_path, strict=True, settings=reported_only)["city"]
    assert not strict.ok and "missing.md" in strict.error


def test_content_cache_is_kept_per_site(group, tmp_path):
    build(group, tmp_path)
    assert any((tmp_path / "cache" / "pelican" / "city").iterdir())
    assert build(group, tmp_path)["city"].ok, "a warm cache builds too"


def test_column_pagination_dates_every_item(group, tmp_path):
    for day in range(1, 26):
        group.write(f"dept/articles/202610{day:02d}-item.md",
                    f"Title: 第{day}条动态\nDate: 2026-10-{day:02d} 09:00\nCategory: news\nSummary: 摘要。\n\n正文")
    assert build(group, tmp_path, site_ids=["dept"])["dept"].ok
    column = tmp_path / "output" / "jtj.chenghu.gov.cn" / "news"
    first, second = html.parse(str(column / "index.html")), html.parse(str(column / "index_2.html"))
    assert len(first.xpath('//ul[@class="item-list"]/li')) == 20
    assert len(second.xpath('//ul[@class="item-list"]/li')) == 6
    assert all(li.xpath("time") for li in second.xpath('//ul[@class="item-list"]/li'))
    assert first.xpath('//nav[@class="pagination"]//a[@rel="next"]/@href') == ["../news/index_2.html"]
    assert second.xpath('//nav[@class="pagination"]//a[@rel="prev"]/@href') == ["../news/index.html"]
    assert "（第2页）" in second.xpath("string(//title)")


def test_a_column_without_items_has_its_page_and_feed(group, tmp_path):
    group.append("city", '[[columns]]\nslug = "jiaotong"\nname = "交通动态"\ntype = "要闻动态"\ndescription = "交通。"')
    result = build(group, tmp_path, site_ids=["city"])["city"]
    assert result.ok, result.error  # the navigation's link to the new column resolves (the link check passes)
    site = tmp_path / "output" / "www.chenghu.gov.cn"
    page = html.parse(str(site / "jiaotong" / "index.html"))
    assert page.xpath("string(//h1)") == "交通动态" and page.xpath('//p[@class="empty-note"]/text()') == ["本栏目暂无信息。"]
    assert (site / "jiaotong" / "atom.xml").is_file()
    assert any("jiaotong" in w for w in result.warnings), "a blank column is still a compliance warning"


#: What Pelican logs when it reads settings without SITEURL or FEED_DOMAIN (pelican.settings.configure_settings).
FEED_DOMAIN_WARNING = "Feeds generated without SITEURL or FEED_DOMAIN"


def test_no_feed_domain_warning_yet_pelican_warnings_show(group, tmp_path, caplog, capsys):
    """Every site's feeds have its FEED_DOMAIN, so Pelican's warning about it must never show (not even
    when nothing is built); a real Pelican warning (a broken {filename} link) still reaches the user."""
    group.write("city/articles/20261103-link.md",
                "Title: 链接\nDate: 2026-11-03\nCategory: news\n\n见[文件]({filename}/articles/missing.md)。")
    reported_only = {**STATIC_ONLY, "GOVSITE_LINKS": {"fail": False}}
    warnings = {}
    for status in ("built", "unchanged"):
        caplog.clear()
        results = build(group, tmp_path, settings=reported_only)
        assert {r.status for r in results.values()} == {status}
        warnings[status] = [w for r in results.values() for w in r.warnings]
        shown = [r.getMessage() for r in caplog.records] + warnings[status] + [capsys.readouterr().err]
        assert not [m for m in shown if FEED_DOMAIN_WARNING in m]
    assert any("missing.md" in w for w in warnings["built"])
    feed = (tmp_path / "output" / "www.chenghu.gov.cn" / "feeds" / "all.atom.xml").read_text("utf-8")
    assert "https://www.chenghu.gov.cn/news/202611/20261103-link.html" in feed


def test_a_list_of_problems_crosses_processes_whole():
    """A site's worker process that raises GroupInvalid hands the build its problems, not its
    message spelt out one character per problem."""
    import pickle

    from govsite.errors import Problem

    error = GroupInvalid([Problem("content/city/site.toml", "domain", None, "a domain")])
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is GroupInvalid and copy.problems == error.problems and str(copy) == str(error)
