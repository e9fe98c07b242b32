"""政策礼包 (govsite/audiences.py, plugins/govsite_audiences): audience tags on policy documents and
interpretations, the settings, and real Pelican builds of the fixture group read back."""

from __future__ import annotations

import json

import pytest
from lxml import etree, html

from govsite.audiences import DEFAULTS, FOLDER, Audience, check_audience, foreign_tagged_files, load_audiences
from govsite.build import build_group
from govsite.errors import ContentInvalid, GroupInvalid
from govsite.registry import RESERVED_SLUGS, Column, load_group
from govsite.syndication import foreign_inputs

AUDIENCES = load_audiences(DEFAULTS)
POLICY_COLUMN = Column("zcwj", "政策文件", "政策文件", "规范性文件。", ())
NEWS_COLUMN = Column("news", "要闻动态", "要闻动态", "要闻。", ())
COLUMNS = ('[[columns]]\nslug = "zcwj"\nname = "政策文件"\ntype = "政策文件"\ndescription = "政策文件。"\n\n'
           '[[columns]]\nslug = "zcjd"\nname = "政策解读"\ntype = "政策解读"\ndescription = "政策解读。"')
#: A title with markup characters, kept exact on the page and in the feed.
TITLE = '澄湖市支持"小微企业"<发展> & 创新的若干措施'
POLICY = """Title: {title}
Date: 2026-11-03 10:00
Issued: 2026-11-02
Category: zcwj
Audience: {audience}
Source: 澄湖市人民政府办公室
Author: 周敏
Reviewer: 陈立
Summary: 市政府办公室印发支持小微企业发展的若干措施。
Keywords: 小微企业

现印发给你们，请认真贯彻执行。
"""
INTERPRETATION = """Title: {title}
Date: 2026-11-04 10:00
Category: zcjd
Policy: {policy}
Form: 图解
{audience}Source: {source}
Author: 吴桐
Reviewer: 陈立
Summary: 解读若干措施。
Keywords: 政策解读

一图读懂若干措施。
"""
DEPT_POLICY = """Title: 交通运输行业稳就业十条措施
Date: 2026-11-04 09:00
Issued: 2026-11-03
Category: zcwj
Audience: 就业、个人
Source: 澄湖市交通运输局
Author: 郑浩
Reviewer: 孙悦
Keywords: 稳就业

交通运输行业稳就业十条措施，见[动态]({filename}../20261105-dept-news.md)。
"""
SETTINGS = {"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": "2026-11-10"}
PORTAL, DEPT = "www.chenghu.gov.cn", "jtj.chenghu.gov.cn"
ATOM = "{http://www.w3.org/2005/Atom}"


def tagged_group(group):
    """The fixture group with policy columns on both sites and tagged items on each."""
    group.append("city", COLUMNS)
    group.append("dept", COLUMNS)
    group.write("city/articles/zcwj/20261103-xiaowei.md", POLICY.format(title=TITLE, audience="企业, 小微企业"))
    group.write("city/articles/zcjd/20261104-jiedu-xiaowei.md", INTERPRETATION.format(
        title="图解：支持小微企业发展的若干措施", policy="20261103-xiaowei", audience="Audience: 企业\n",
        source="澄湖市人民政府办公室"))
    group.write("dept/articles/zcwj/20261104-wen-jiuye.md", DEPT_POLICY)
    group.write("dept/articles/zcjd/20261105-jiedu-wen-jiuye.md", INTERPRETATION.format(
        title="图解：交通运输行业稳就业十条措施", policy="20261104-wen-jiuye", audience="", source="澄湖市交通运输局"))
    return group


def build(group, tmp_path, settings=SETTINGS):
    results = build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache",
                          reports_dir=tmp_path / "reports", settings=settings)
    return {r.site_id: r for r in results}


def page(tmp_path, domain, path):
    return html.fromstring((tmp_path / "output" / domain / path).read_bytes())


def feed_entries(tmp_path, slug):
    tree = etree.parse(str(tmp_path / "output" / PORTAL / FOLDER / slug / "atom.xml"))
    return [(e.findtext(f"{ATOM}title"), e.find(f"{ATOM}link").get("href"),
             sorted(c.get("term") for c in e.findall(f"{ATOM}category"))) for e in tree.iter(f"{ATOM}entry")]


# --- tags -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("企业, 小微企业", ("企业", "小微企业")),
    ("个人、就业；人才", ("个人", "就业", "人才")),
    ("招商引资，税务", ("招商引资", "税务")),
])
def test_tags_are_read_in_order_with_any_separator(value, expected):
    assert check_audience("a.md", POLICY_COLUMN, value, AUDIENCES) == (expected, [])


@pytest.mark.parametrize("value, field_value, expected", [
    ("企叶", "企叶", "did you mean '企业'?"),  # unknown, with the close match
    ("<b>企业</b>", "<b>企业</b>", "configured audiences (GOVSITE_AUDIENCES): 企业、个人"),  # markup is not a tag
    ("企业, 企业", "企业", "each tag once"),
    ("", "", "one or more audience tags"),
    ("企业,,个人", "企业,,个人", "an empty tag between separators"),
])
def test_bad_tags_name_the_file_the_field_and_the_configured_list(value, field_value, expected):
    tags, problems = check_audience("content/city/articles/a.md", POLICY_COLUMN, value, AUDIENCES)
    assert len(problems) == 1
    text = str(problems[0])
    assert problems[0].field == "Audience" and problems[0].value == field_value
    assert "content/city/articles/a.md" in text and expected in text


def test_a_tag_on_a_news_column_is_a_problem_naming_the_column_type():
    _, problems = check_audience("a.md", NEWS_COLUMN, "企业", AUDIENCES)
    assert len(problems) == 1 and "政策文件 or 政策解读" in str(problems[0]) and "要闻动态" in str(problems[0])
    assert check_audience("a.md", NEWS_COLUMN, None, AUDIENCES) == ((), [])  # no line, no problem


# --- settings -------------------------------------------------------------------------------


def test_default_audiences_are_the_eight_with_url_slugs():
    assert [a.tag for a in AUDIENCES] == ["企业", "个人", "教育", "人才", "就业", "税务", "小微企业", "招商引资"]
    assert Audience("企业", "qiye").page_path == "zclb/qiye/index.html"
    assert len({a.slug for a in AUDIENCES}) == 8


@pytest.mark.parametrize("value, expected", [
    (["企业", "个人"], "a dict of audience tag -> URL slug"),
    ({"企业": "qiye", "": "x"}, "non-empty text"),
    ({"企业,个人": "qy"}, "commas"),
    ({" 企业": "qiye"}, "leading or trailing spaces"),
    ({"企业": "Qi Ye"}, "a URL slug"),
    ({"企业": "../x"}, "a URL slug"),
    ({"企业": "qiye", "小微企业": "qiye"}, "a slug no other tag uses (also '企业')"),
])
def test_bad_settings_are_refused_naming_the_setting(value, expected):
    with pytest.raises(ContentInvalid) as raised:
        load_audiences(value)
    assert "GOVSITE_AUDIENCES" in str(raised.value) and expected in str(raised.value)


def test_a_build_with_a_bad_setting_fails_naming_it(group, tmp_path):
    results = build(group, tmp_path, {**SETTINGS, "GOVSITE_AUDIENCES": {"企业": "Qi Ye"}})
    assert not results["city"].ok and "GOVSITE_AUDIENCES" in results["city"].error


# --- builds ---------------------------------------------------------------------------------


def test_portal_pages_and_feeds_list_the_whole_groups_tagged_items(group, tmp_path):
    tagged_group(group)
    results = build(group, tmp_path)
    assert all(r.ok for r in results.values()), {k: r.error for k, r in results.items()}
    assert results["city"].warnings == []  # the department's {filename} link is not resolved on the portal
    dept_url = f"https://{DEPT}/zcwj/202611/20261104-wen-jiuye.html"
    assert (tmp_path / "output" / DEPT / "zcwj/202611/20261104-wen-jiuye.html").is_file()  # the link resolves

    qiye = page(tmp_path, PORTAL, "zclb/qiye/index.html")
    items = [(a.text_content(), a.get("href")) for a in qiye.xpath('//ul[@class="item-list"]/li/a')]
    assert items == [("图解：支持小微企业发展的若干措施", "../../zcjd/202611/20261104-jiedu-xiaowei.html"),
                     (TITLE, "../../zcwj/202611/20261103-xiaowei.html")]
    jiuye = page(tmp_path, PORTAL, "zclb/jiuye/index.html")
    assert [(a.text_content(), a.get("href")) for a in jiuye.xpath('//ul[@class="item-list"]/li/a')] == \
        [("交通运输行业稳就业十条措施", dept_url)]
    assert "澄湖市交通运输局" in jiuye.xpath('//ul[@class="item-list"]/li')[0].text_content()
    shuiwu = page(tmp_path, PORTAL, "zclb/shuiwu/index.html")
    assert "暂无" in shuiwu.find_class("empty-note")[0].text_content()

    index = page(tmp_path, PORTAL, "zclb/index.html")
    assert [a.text_content() for a in index.xpath('//ul[@class="audience-list"]/li/a')] == list(DEFAULTS)
    home = page(tmp_path, PORTAL, "index.html")
    assert home.xpath('//a[@href="./zclb/index.html"]') and home.xpath('//a[@href="./zclb/qiye/index.html"]')
    sitemap = (tmp_path / "output" / PORTAL / "sitemap.xml").read_text("utf-8")
    assert f"https://{PORTAL}/zclb/qiye/index.html" in sitemap

    portal_url = f"https://{PORTAL}/zcwj/202611/20261103-xiaowei.html"
    assert feed_entries(tmp_path, "qiye") == [
        ("图解：支持小微企业发展的若干措施", f"https://{PORTAL}/zcjd/202611/20261104-jiedu-xiaowei.html", ["企业"]),
        (TITLE, portal_url, ["企业", "小微企业"])]
    assert feed_entries(tmp_path, "jiuye") == [("交通运输行业稳就业十条措施", dept_url, ["个人", "就业"])]
    feed = etree.parse(str(tmp_path / "output" / PORTAL / FOLDER / "jiuye" / "atom.xml"))
    assert feed.findtext(f"{ATOM}entry/{ATOM}summary") == "交通运输行业稳就业十条措施，见动态。"  # no Summary: the body's text
    assert feed.findtext(f"{ATOM}entry/{ATOM}author/{ATOM}name") == "澄湖市交通运输局"
    assert feed_entries(tmp_path, "shuiwu") == []

    # On the department: the article's tags link to the portal's pages.
    article = page(tmp_path, DEPT, "zcwj/202611/20261104-wen-jiuye.html")
    tags = [(a.text_content(), a.get("href")) for a in article.xpath('//ul[@class="audience-tags"]/li/a')]
    assert tags == [("就业", f"https://{PORTAL}/zclb/jiuye/index.html"),
                    ("个人", f"https://{PORTAL}/zclb/geren/index.html")]
    own = page(tmp_path, PORTAL, "zcwj/202611/20261103-xiaowei.html")
    assert [a.get("href") for a in own.xpath('//ul[@class="audience-tags"]/li/a')] == \
        ["../../zclb/qiye/index.html", "../../zclb/xiaowei/index.html"]
    for domain in (PORTAL, DEPT):
        gate = json.loads((tmp_path / "reports" / domain / "report.json").read_text("utf-8"))
        assert gate["passed"] is True, domain
        links = json.loads((tmp_path / "reports" / domain / "links.json").read_text("utf-8"))
        assert links["passed"] is True, domain

    # A deleted tag drops the item on rebuild: the portal sees the department's change.
    source = group.root / "dept/articles/zcwj/20261104-wen-jiuye.md"
    source.write_text(source.read_text("utf-8").replace("Audience: 就业、个人\n", ""), "utf-8")
    results = build(group, tmp_path)
    assert all(r.ok for r in results.values()), {k: r.error for k, r in results.items()}
    assert feed_entries(tmp_path, "jiuye") == []
    assert "暂无" in page(tmp_path, PORTAL, "zclb/jiuye/index.html").find_class("empty-note")[0].text_content()


def test_foreign_inputs_of_the_portal_are_its_departments_tagged_files(group):
    tagged_group(group)
    loaded = load_group(group.root)
    assert [p.name for p in foreign_inputs(loaded, loaded.get("city"))] == ["20261104-wen-jiuye.md"]
    assert foreign_tagged_files(loaded, loaded.get("dept")) == []


def test_an_unknown_tag_fails_the_build_naming_the_file_and_field(group, tmp_path):
    group.append("city", COLUMNS)
    bad = group.write("city/articles/zcwj/20261103-xiaowei.md", POLICY.format(title="措施", audience="企叶"))
    results = build(group, tmp_path)
    assert not results["city"].ok
    assert str(bad) in results["city"].error and "Audience = '企叶'" in results["city"].error
    assert "did you mean '企业'?" in results["city"].error


def test_a_tag_on_a_news_article_fails_the_build(group, tmp_path):
    news = group.root / "dept/articles/20261105-dept-news.md"
    news.write_text(news.read_text("utf-8").replace("Category: news\n", "Category: news\nAudience: 企业\n"), "utf-8")
    results = build(group, tmp_path)
    assert not results["dept"].ok and str(news) in results["dept"].error and "要闻动态" in results["dept"].error


def test_a_departments_unknown_tag_fails_the_portal_build_too_naming_the_departments_file(group, tmp_path):
    tagged_group(group)
    source = group.root / "dept/articles/zcwj/20261104-wen-jiuye.md"
    source.write_text(source.read_text("utf-8").replace("Audience: 就业、个人", "Audience: 就业、市民"), "utf-8")
    results = build(group, tmp_path)
    for site in ("city", "dept"):
        assert not results[site].ok and str(source) in results[site].error, site
        assert "Audience = '市民'" in results[site].error


def test_the_pages_folder_is_a_reserved_column_slug(group):
    group.append("city", '[[columns]]\nslug = "zclb"\nname = "政策礼包"\ntype = "专题专栏"\ndescription = "专题。"')
    with pytest.raises(GroupInvalid) as raised:
        load_group(group.root)
    assert str(group.site_toml("city")) in str(raised.value) and "slug = 'zclb'" in str(raised.value)
    assert FOLDER in RESERVED_SLUGS
