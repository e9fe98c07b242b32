"""One page at a time: facts from the tags, the CMS layouts and fixed blocks; clean bodies."""

import pytest

from govsite.migrate.extract import TOKEN_RE, Options, extract_page
from govsite.migrate.sources import Document, open_source
from migrate_helpers import BROWSER, MIRROR


@pytest.fixture(scope="module")
def mirror():
    source = open_source(MIRROR)
    docs = {d.key: d for d in source.documents()}
    return lambda key: extract_page(docs[key], source, Options())


def body_text(result):
    return TOKEN_RE.sub("", result.markdown)


def test_trs_article_tags_first_and_clean_body(mirror):
    r = mirror("xwzx/gzdt/202403/t20240305_1001.html")
    assert (r.kind, r.layout, r.extractor) == ("article", "trs", "meta+layout:trs")
    assert r.title == "枫岚市召开2024年一季度经济运行分析会"
    assert (r.pubdate, r.date_from) == ("2024-03-05 10:30", "PubDate tag")
    assert (r.source, r.author, r.column_name) == ("枫岚市发展和改革委员会", "陈立", "工作动态")
    assert r.keywords == "经济运行,一季度" and r.seo_keywords == "枫岚市,人民政府,政务公开"
    text = body_text(r)
    assert "3月5日，枫岚市召开" in text and "紧盯全年目标" in text
    for noise in ("分享到", "打印本页", "关闭窗口", "字体", "document.write", "font-size", "统计"):
        assert noise not in text
    assert "## 一、主要指标平稳增长" in text          # h3 became h2: the page's h1 is the title
    assert r.removed["scripts"] >= 1 and r.removed["event_handlers"] >= 2 and r.removed["styles"] >= 2
    assert ("img", "http://www.fenglan.gov.cn/xwzx/gzdt/202403/W020240305123.png") in r.refs
    assert r.images == [("http://www.fenglan.gov.cn/xwzx/gzdt/202403/W020240305123.png", "经济运行分析会现场")]


def test_hanweb_gbk_article(mirror):
    r = mirror("art/2024/4/8/art_2001_3001.html")
    assert r.encoding == "gb18030" and r.layout == "hanweb" and r.kind == "article"
    assert r.title == "关于做好2024年城乡居民医保参保缴费工作的通知"
    assert r.pubdate == "2024-04-08 09:15"          # 2024年04月08日 09:15 in the PubDate tag
    assert r.source == "枫岚市医疗保障局"
    text = body_text(r)
    assert "各县（区）人民政府" in text and "浏览次数" not in text and "ContentStart" not in text
    assert '<td rowspan="2">一档</td>' in text        # the table stays HTML, merged cells kept
    assert "枫岚市医疗保障局<br>\n2024年4月8日" in text


def test_ucap_article_flags_missing_alt_and_drops_iframe(mirror):
    r = mirror("zwgk/zcwj/content_4001.html")
    assert (r.layout, r.kind, r.pubdate) == ("ucap", "article", "2024-05-20 16:00:00")   # the PubDate tag gives seconds: kept
    assert r.images == [("http://www.fenglan.gov.cn/zwgk/zcwj/images/gaizao-liucheng.png", None)]
    text = body_text(r)
    assert '<img src="' in text and "alt" not in text       # never invented
    assert "iframe" not in text and "video.example.com" not in text and r.removed["iframes"] == 1
    assert "## 第一章 总则" in text and "showTip" not in text


def test_page_with_only_a_fixed_block_and_no_tags(mirror):
    r = mirror("bmdt/2024/0510/notice.html")
    assert r.kind == "article" and r.kind_why == "发布时间 block over a body"
    assert (r.title, r.pubdate, r.source, r.author) == ("市应急管理局开展防灾减灾宣传周活动", "2024-05-10 14:20",
                                                        "枫岚市应急管理局", "周敏")
    assert (r.column_name, r.column_url) == ("部门动态", "http://www.fenglan.gov.cn/bmdt/")
    assert body_text(r).startswith("5月10日，市应急管理局")     # 全角 indentation trimmed


def test_home_and_list_pages(mirror):
    home = mirror("index.html")
    assert home.kind == "home"
    assert home.footer["icp"] == "宁ICP备99990002号-1" and home.footer["police_filing"] == "宁公网安备 99020002000001号"
    assert home.footer["organizer"] == "枫岚市人民政府办公室" and home.footer["operator"] == "枫岚市信息中心"
    assert home.footer["phone"] == "0991-2345678" and home.footer["postcode"] == "999101"
    assert home.logo == ("http://www.fenglan.gov.cn/images/logo.png", "枫岚市人民政府")
    listing = mirror("col/col2001/index.html")
    assert listing.kind == "list" and listing.column_name == "通知公告"
    assert ("http://www.fenglan.gov.cn/art/2024/4/8/art_2001_3001.html",
            "关于做好2024年城乡居民医保参保缴费工作的通知") in listing.list_items


def test_redirect_stub_and_search_page_are_other(mirror):
    stub = mirror("old/notice.html")
    assert stub.kind == "other" and stub.redirect_to.endswith("/xwzx/gzdt/202403/t20240305_1001.html")
    assert mirror("search.html").kind == "other"


def test_browser_saved_page_keeps_its_old_url():
    source = open_source(BROWSER)
    r = extract_page(source.documents()[0], source, Options())
    assert r.old_url == "https://www.fenglan.gov.cn/xwzx/gzdt/202406/t20240601_1002.html"
    assert r.kind == "article" and r.pubdate == "2024-06-01 09:00"
    assert r.images[0][1] == "防汛工作会议现场" and "_files/fx.png" in r.images[0][0]


def test_unknown_layout_falls_back_to_trafilatura(tmp_path):
    paragraphs = "".join(f"<p>第{i}段：枫岚市持续推进城乡环境综合整治，改善人居环境，群众满意度稳步提升。</p>" for i in range(8))
    page = (f'<html><head><meta charset="utf-8"><title>环境整治成效明显</title></head><body>'
            f'<div class="menu"><a href="/">首页</a><a href="/x">栏目</a></div>'
            f'<div class="zhengwen-area"><h1>环境整治成效明显</h1><p>发布时间：2024-07-01</p>{paragraphs}</div>'
            f'<div class="links"><a href="/a">链接一</a> <a href="/b">链接二</a></div></body></html>')
    (tmp_path / "p.html").write_text(page, "utf-8")
    source = open_source(tmp_path)
    r = extract_page(source.documents()[0], source, Options())
    assert r.kind == "article" and r.pubdate == "2024-07-01 00:00"
    assert r.extractor == "trafilatura" and "第7段" in r.markdown and "链接一" not in r.markdown


def test_a_broken_page_fails_alone(tmp_path):
    (tmp_path / "empty.html").write_bytes(b"   ")
    source = open_source(tmp_path)
    r = extract_page(source.documents()[0], source, Options())
    assert r.error == "empty page"


def test_article_url_date_is_the_last_resort(tmp_path):
    doc = Document("t.html", "http://www.fenglan.gov.cn/xw/202401/t20240115_9.html", ("file", str(tmp_path / "t.html")))
    (tmp_path / "t.html").write_text('<html><body><div class="TRS_Editor"><p>正文内容正文内容正文内容</p></div>'
                                     "<h1>标题</h1></body></html>", "utf-8")
    r = extract_page(doc, open_source(tmp_path), Options())
    assert (r.kind, r.pubdate, r.date_from) == ("article", "2024-01-15 00:00", "URL")


def test_a_table_label_is_not_the_title_but_a_title_cell_is(tmp_path):
    """``<td class="title">采购项目名称</td><td>…</td>`` labels a value; a Hanweb title cell alone in its row is a title."""
    label = ('<html><head><meta charset="utf-8"><title>枫岚市道路养护项目结果公告</title></head><body>'
             '<table><tr><td class="title">采购项目名称</td><td>道路养护项目</td></tr></table>'
             '<p>发布时间：2024-07-01 08:00</p><p>枫岚市道路养护项目采购结果公告如下，中标供应商为枫岚市市政工程公司。</p>'
             '</body></html>')
    cell = ('<html><head><meta charset="utf-8"><title>x</title></head><body><table><tr>'
            '<td class="title">关于调整办公时间</td></tr></table><p>发布时间：2024-07-02</p>'
            '<p>自7月2日起，市政务服务中心夏季办公时间调整为上午8:30至12:00。</p></body></html>')
    (tmp_path / "a.html").write_text(label, "utf-8")
    (tmp_path / "b.html").write_text(cell, "utf-8")
    source = open_source(tmp_path)
    titles = {d.key: extract_page(d, source, Options()).title for d in source.documents()}
    assert titles == {"a.html": "枫岚市道路养护项目结果公告", "b.html": "关于调整办公时间"}
