"""Government metadata tags and footer items on every page type, as built by the theme."""

import pytest
from lxml import html

from govsite.vocabulary import COLUMN_TAGS, CONTENT_TAGS, FOOTER_ITEMS, SITE_TAGS

PAGES = {
    "home": "index.html",
    "column": "news/index.html",
    "article": "news/202611/20261101-first-news.html",
    "page": "about.html",
    "sitemap": "sitemap.html",
    "error": "404.html",
}


def meta_of(doc):
    return {m.get("name"): m.get("content") for m in doc.xpath("//head/meta[@name]")}


@pytest.fixture(scope="module")
def portal(built_fixture):
    return built_fixture / "www.chenghu.gov.cn"


@pytest.mark.parametrize("page_type", PAGES)
def test_site_tags_on_every_page_type(portal, page_type):
    doc = html.parse(str(portal / PAGES[page_type]))
    meta = meta_of(doc)
    assert doc.getroot().get("lang") == "zh-CN"
    assert doc.xpath("string(//body/@data-page-type)") == page_type
    assert {t: meta.get(t) for t in SITE_TAGS} == {
        "SiteName": "澄湖市人民政府", "SiteDomain": "www.chenghu.gov.cn", "SiteIDCode": "9902000001"}


@pytest.mark.parametrize("page_type", PAGES)
def test_column_and_content_tags_only_where_they_belong(portal, page_type):
    meta = meta_of(html.parse(str(portal / PAGES[page_type])))
    has_column = page_type in ("column", "article")
    assert all((t in meta) == has_column for t in COLUMN_TAGS)
    assert all((t in meta) == (page_type == "article") for t in CONTENT_TAGS)


def test_column_tag_values(portal):
    meta = meta_of(html.parse(str(portal / "notices/index.html")))
    assert meta["ColumnName"] == "通知公告" and meta["ColumnType"] == "通知公告"
    assert meta["ColumnDescription"] == "通知和公告。" and meta["ColumnKeywords"] == "通知,公告"


def test_content_tag_values(portal):
    meta = meta_of(html.parse(str(portal / PAGES["article"])))
    assert meta["ArticleTitle"] == "澄湖市召开全市重点项目推进会"
    assert meta["PubDate"] == "2026-11-01 09:30"
    assert meta["ContentSource"] == "澄湖市人民政府办公室"
    assert meta["Keywords"] == "重点项目,推进会"
    assert meta["Author"] == "周敏"
    assert meta["Description"] == "会议听取了全市重点项目进展情况汇报。"
    assert meta["Image"] == "https://www.chenghu.gov.cn/images/chart.png"
    assert meta["Url"] == "https://www.chenghu.gov.cn/news/202611/20261101-first-news.html"


def test_defaults_when_article_omits_source_and_keywords(built_fixture):
    meta = meta_of(html.parse(str(built_fixture / "jtj.chenghu.gov.cn/news/202611/20261105-dept-news.html")))
    assert meta["ContentSource"] == "澄湖市交通运输局" and meta["Image"] == ""


@pytest.mark.parametrize("page_type", PAGES)
def test_footer_items_on_every_page_type(portal, page_type):
    doc = html.parse(str(portal / PAGES[page_type]))
    footer = doc.xpath("//footer")[0]
    for item in FOOTER_ITEMS:
        assert footer.xpath(f'.//*[@data-footer-item="{item.key}"]'), item.key
    text = footer.text_content()
    for fact in ("澄湖市人民政府办公室", "澄湖市信息中心", "0991-7654321", "office@chenghu.gov.cn", "澄湖市湖滨路1号",
                 "9902000001", "宁ICP备99980001号-1", "宁公网安备 99020002000001号", "网站地图", "我为政府网站找错",
                 "本网站支持IPv6"):
        assert fact in text, fact
    links = footer.xpath(".//a/@href")
    assert "https://beian.miit.gov.cn/" in links
    assert "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=99020002000001" in links
    assert "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=9902000001" in links
    assert "https://bszs.conac.cn/sitename?method=show&id=CH0000000001" in links


def test_header_logo_alt_is_site_name_and_nav_lists_columns(portal):
    doc = html.parse(str(portal / "index.html"))
    assert doc.xpath('//header//img[@class="brand-logo"]/@alt') == ["澄湖市人民政府"]
    assert doc.xpath('//nav[@class="site-nav"]//a/text()') == ["首页", "要闻动态", "通知公告"]
    assert doc.xpath('//a[@class="skip-link"]/@href') == ["#main"] and doc.xpath('//main[@id="main"]')


def test_breadcrumbs_on_article(portal):
    doc = html.parse(str(portal / PAGES["article"]))
    assert [t.strip() for t in doc.xpath('//nav[@class="breadcrumbs container"]//li//text()') if t.strip()] == [
        "首页", "要闻动态", "正文"]


def test_department_without_badge_keeps_an_empty_slot(built_fixture):
    doc = html.parse(str(built_fixture / "jtj.chenghu.gov.cn/index.html"))
    slot = doc.xpath('//*[@data-footer-item="conac"]')[0]
    assert not slot.xpath(".//a") and not slot.xpath(".//script")


def test_sitemap_page_lists_columns_pages_and_related_sites(portal):
    doc = html.parse(str(portal / "sitemap.html"))
    links = doc.xpath("//main//a/text()")
    for label in ("要闻动态", "通知公告", "首页", "关于本站", "联系我们", "澄湖市交通运输局"):
        assert label in links, label
