"""Syndication (govsite/syndication.py, plugins/govsite_syndication): portal items marked
``Syndicate: true`` reprinted on every department site, with real Pelican builds."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from lxml import html

from govsite.checks.browser import describe_violations, run_axe
from govsite.build import build_group
from govsite.errors import ContentInvalid
from govsite.registry import load_group
from govsite.syndication import foreign_inputs, news_column

SYNDICATED = """Title: 澄湖市部署冬季安全生产工作
Date: 2026-11-08 16:20
Category: news
Syndicate: true
Source: 澄湖市人民政府办公室
Author: 周敏
Reviewer: 陈立
Summary: 全市冬季安全生产工作会议召开。
Keywords: 安全生产

会议要求落实[重点项目推进会]({filename}20261101-first-news.md#top)部署，见[通知](../../notices/index.html)。
"""


def add_second_department(group) -> None:
    """A second department site (澄湖市水务局) copied from the fixture's department."""
    shutil.copytree(group.root / "dept", group.root / "water")
    for article in (group.root / "water" / "articles").glob("*.md"):
        article.unlink()
    for key, value in (("name", '"澄湖市水务局"'), ("organizer", '"澄湖市水务局"'), ("domain", '"slj.chenghu.gov.cn"'),
                       ("site_code", '"9902000003"'), ("icp", '"宁ICP备99980001号-3"'),
                       ("police_filing", '"宁公网安备 99020002000003号"')):
        group.set("water", key, value)


def build(group, tmp_path, settings):
    results = build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache",
                          reports_dir=tmp_path / "reports", settings=settings)
    return {r.site_id: r for r in results}


def test_syndicated_item_is_reprinted_on_every_department_and_passes_the_gates(group, tmp_path):
    """Real builds with the static gate (metadata, footer, static accessibility rules on every page);
    axe in Chromium on the demo's reprint pages is the next test."""
    add_second_department(group)
    group.write("city/articles/20261108-syndicated.md", SYNDICATED)
    settings = {"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": "2026-11-10"}
    results = build(group, tmp_path, settings)
    assert all(r.ok for r in results.values()), {k: r.error for k, r in results.items()}
    original = "https://www.chenghu.gov.cn/news/202611/20261108-syndicated.html"
    assert (tmp_path / "output" / "www.chenghu.gov.cn" / "news/202611/20261108-syndicated.html").is_file()
    for domain in ("jtj.chenghu.gov.cn", "slj.chenghu.gov.cn"):
        site = tmp_path / "output" / domain
        page = site / "news/202611/20261108-syndicated.html"
        tree = html.fromstring(page.read_bytes())
        meta = {m.get("name"): m.get("content") for m in tree.iter("meta") if m.get("name")}
        assert meta["ContentSource"] == "澄湖市人民政府" and meta["PubDate"] == "2026-11-08 16:20"
        assert meta["SiteDomain"] == domain and meta["ColumnType"] == "要闻动态"
        assert meta["Url"] == f"https://{domain}/news/202611/20261108-syndicated.html"
        note = tree.find_class("reprint-note")[0]
        assert "来源：澄湖市人民政府" in note.text_content() and "原文链接" in note.text_content()
        assert note.find("a").get("href") == original
        body = tree.find_class("article-body")[0]
        hrefs = [a.get("href") for a in body.iter("a")]
        assert "https://www.chenghu.gov.cn/news/202611/20261101-first-news.html#top" in hrefs
        assert "https://www.chenghu.gov.cn/notices/index.html" in hrefs
        assert "澄湖市部署冬季安全生产工作" in (site / "news/index.html").read_text("utf-8")
        assert "澄湖市部署冬季安全生产工作" in (site / "index.html").read_text("utf-8")
        gate = json.loads((tmp_path / "reports" / domain / "report.json").read_text("utf-8"))
        assert gate["passed"] is True
    carried = json.loads((tmp_path / "reports" / "www.chenghu.gov.cn" / "syndication.json").read_text("utf-8"))
    assert carried[0]["title"] == "澄湖市部署冬季安全生产工作" and carried[0]["departments"] == ["dept", "water"]


@pytest.mark.browser
def test_demo_reprint_pages_pass_axe_in_chromium(chromium, demo_server, built_demo):
    output, results = built_demo
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]  # the full gate passed too
    pages = sorted(p.relative_to(output).as_posix() for p in output.glob("*/*/202611/20261124-dongchun-anquan-shengchan.html"))
    assert [p.split("/")[0] for p in pages] == ["jyj.jichuan.gov.cn", "sthjj.jichuan.gov.cn", "wjw.jichuan.gov.cn",
                                                "www.jichuan.gov.cn"]
    failures = {}
    for page in pages:
        found = run_axe(chromium, f"{demo_server}/{page}")
        if found["violations"]:
            failures[page] = describe_violations(found)
    assert not failures, failures


def test_department_without_news_column_fails_naming_its_site_toml(group, tmp_path):
    group.write("city/articles/20261108-syndicated.md", SYNDICATED)
    toml = group.site_toml("dept")
    toml.write_text(toml.read_text("utf-8").replace('type = "要闻动态"', 'type = "通知公告"'), "utf-8")
    results = build(group, tmp_path, {"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": "2026-11-10"})
    assert results["city"].ok and not results["dept"].ok
    assert str(toml) in results["dept"].error and "要闻动态" in results["dept"].error
    carried = json.loads((tmp_path / "reports" / "www.chenghu.gov.cn" / "syndication.json").read_text("utf-8"))
    assert carried[0]["missing"] == ["dept"]


def test_foreign_inputs_are_the_portals_syndicated_files_and_what_they_link(group):
    group.write("city/articles/20261108-syndicated.md", SYNDICATED)
    group.write("city/articles/20261109-not-syndicated.md", SYNDICATED.replace("Syndicate: true", "Syndicate: false"))
    loaded = load_group(group.root)
    files = foreign_inputs(loaded, loaded.get("dept"))
    assert [f.name for f in files] == ["20261108-syndicated.md", "20261101-first-news.md"]
    assert foreign_inputs(loaded, loaded.get("city")) == []


def test_a_watching_process_sees_a_syndicate_flag_changed_since_its_last_build(group):
    """The headers are remembered in the process by file identity: an edit (a new mtime, even an old
    one, as a restored file has) is read again, an unchanged file is not."""
    import os
    import time

    path = group.write("city/articles/20261108-syndicated.md", SYNDICATED.replace("Syndicate: true", "Syndicate: yes"))
    os.utime(path, (time.time() - 60,) * 2)  # saved a minute ago: remembered
    loaded = load_group(group.root)
    assert [f.name for f in foreign_inputs(loaded, loaded.get("dept"))][:1] == ["20261108-syndicated.md"]
    path.write_text(SYNDICATED.replace("Syndicate: true", "Syndicate: 否"), "utf-8")  # the same size
    os.utime(path, (time.time() - 50,) * 2)
    assert foreign_inputs(loaded, loaded.get("dept")) == []


def test_syndicate_value_must_be_a_yes_or_no(group):
    group.write("city/articles/20261108-syndicated.md", SYNDICATED.replace("Syndicate: true", "Syndicate: maybe"))
    loaded = load_group(group.root)
    with pytest.raises(ContentInvalid, match=r"20261108-syndicated.md: Syndicate = 'maybe'"):
        foreign_inputs(loaded, loaded.get("dept"))


def test_news_column_is_the_first_of_type_news(group):
    loaded = load_group(group.root)
    assert news_column(loaded.get("dept")).slug == "news"
    assert re.search("要闻动态", str(pytest.raises(ContentInvalid, news_column, loaded.get("city").__class__(
        **{**loaded.get("dept").__dict__, "columns": ()})).value))


def test_article_files_are_the_markdown_files_rglob_finds_in_its_order(tmp_path):
    """``article_files`` lists with ``os.walk`` and strings; it must give what ``sorted(rglob)`` gives."""
    from govsite.syndication import article_files

    articles = tmp_path / "site" / "articles"
    for name in ("a-b.md", "a/x.md", "a/z/y.md", "a-c/y.md", ".draft.md", "b.md", "notes.txt", "a/Y.MD", "2026/01.md"):
        (articles / name).parent.mkdir(parents=True, exist_ok=True)
        (articles / name).write_text("Title: x\n", "utf-8")
    site = type("Site", (), {"folder": tmp_path / "site"})()
    assert article_files(site) == sorted(articles.rglob("*.md"))
