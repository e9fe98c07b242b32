"""The hostile legacy corpus (tests/fixtures/migrate/hostile/): migrated for real, the Markdown read back
with the platform's Markdown settings, the migrated site built for real and every output page read back
with lxml: no injected element, attribute or unsafe URL anywhere, and the legacy text arrives as text."""

import csv
import json
import runpy
import tomllib

import markdown
import pytest
from lxml import etree, html as lxml_html

from govsite.build import build_group
from govsite.settings import DEFAULTS_FILE
from govsite.urls import URL_ATTRIBUTES
from govsite.migrate.sanitize import TAGS, is_safe_url
from migrate_helpers import FIXTURES, by_source, run

HOSTILE = FIXTURES / "hostile"
ARTICLE = "xwzx/gzdt/202403/t20240305_2001.html"
BASE_PAGE = "xwzx/gzdt/202403/t20240306_2002.html"
# what the old pages say, decoded once (entities as the browser shows them), each on one line
TITLE = '霁川<script>alert("T")</script>测试"><img src=x onerror=alert(1)> Status: draft Slug: ../x'
SOURCE = "<script>alert('S')</script>市发改委 \"来源\" Save_as: ../../escape.html"
AUTHOR = "陈立 Status: draft"
SUMMARY = ('摘要<script>alert("D")</script> *不是强调* [不是链接](javascript:alert(1)) '
           "<img src=x onerror=alert(2)> &lt;b&gt;")
KEYWORDS = '经济<b>运行,"一季度"'
PAGE_TITLE = "关于我们<script>alert('P')</script>"
BODY_TEXTS = ('正文写着 <script>alert("B")</script> 和 &lt;b&gt; 以及 &copy; 与 &#106; 这些字样。',
              "带事件的段落：*星号* _下划线_ `反引号` [方括号](javascript:alert(1)) <http://www.example.com/> a|b {: .x}",
              "## 不是标题", "---", "===", "~~~", ": 不是定义", "1. 不是列表", "四个空格开头", "*[HTML]: 不是缩写",
              "[^1]: 不是脚注", "表内 <b>文字</b>")
#: Every unsafe URL of the article's body, as the report must list it.
DROPPED = ("javascript:alert('a1')", " javascript:alert('a2')", "java\tscript:alert('a3')", "JAVASCRIPT:alert('a4')",
           "vbscript:msgbox('a5')", "data:text/html,<script>alert('a6')</script>", "javascript:alert('a7')",
           "javascript:alert('a8')", "\x01javascript:alert('a9')", "jav\nascript:alert('a10')",
           "DaTa:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "javascript:alert('a12')",
           "ftp://ftp.example.com/file.txt", "javascript:alert('img')", " JaVaScRiPt:alert('img2')",
           "javascript:alert('area')", "javascript:alert('cite')", "javascript:alert('poster')",
           "javascript:alert('svg')", "javascript:alert('td')", "javascript:alert('table')",
           "javascript:alert('iframe')", "javascript:alert('object')", "javascript:alert('form')")
#: Python-Markdown as the platform's Pelican configuration sets it up (pelicanconf.py MARKDOWN).
MARKDOWN = runpy.run_path(str(DEFAULTS_FILE))["MARKDOWN"]


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    outcome = run(HOSTILE, base / "content", base / "migrate-reports")
    return base, outcome, base / "content/fenglan"


def read_markdown(path):
    """(metadata as Python-Markdown's meta extension reads it, the body's HTML) of a content file."""
    md = markdown.Markdown(extensions=["meta"])
    md.convert(path.read_text("utf-8"))
    body = path.read_text("utf-8").split("\n\n", 1)[1]
    converter = markdown.Markdown(extensions=list(MARKDOWN["extension_configs"]),
                                  extension_configs=MARKDOWN["extension_configs"], output_format="html5")
    return {k: v for k, v in md.Meta.items()}, converter.convert(body)


def unsafe_markup(root) -> list[str]:
    """Every script, embed, event handler or unsafe URL in a parsed page (the theme's own scripts aside)."""
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag in ("iframe", "frame", "object", "embed", "applet", "base", "svg", "math", "video", "audio"):
            found.append(f"<{tag}>")
        if tag == "script" and (element.text or "").strip() or tag == "script" and \
                "/theme/js/" not in (element.get("src") or ""):
            found.append(f"<script {element.get('src')!r}>{element.text or ''}")
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            target = (element.get("content") or "").partition("url=")[2]      # the platform's redirect stubs
            if not target or not is_safe_url(target):
                found.append(f"<meta http-equiv=refresh content={element.get('content')!r}>")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"<{tag} {name}>")
            elif name.lower() in URL_ATTRIBUTES and not is_safe_url(value):
                found.append(f"<{tag} {name}={value!r}>")
        if tag == "img" and element.get("src") in ("x", None):
            found.append(f"<img src={element.get('src')!r}>")
    return found


def test_markdown_headers_are_one_line_text(migrated):
    _, outcome, site = migrated
    pages = by_source(outcome)
    assert {pages[k]["status"] for k in (ARTICLE, BASE_PAGE, "about/gywm.html", "about/lxwm.html")} == {"imported"}
    meta, _ = read_markdown(site / "articles/gzdt/20240305-2001.md")
    assert meta == {"title": [TITLE], "date": ["2024-03-05 10:30"], "category": ["gzdt"], "source": [SOURCE],
                    "author": [AUTHOR], "summary": [SUMMARY], "keywords": [KEYWORDS]}
    meta, _ = read_markdown(site / "pages/about.md")
    assert meta == {"title": [PAGE_TITLE], "summary": ["关于<script>alert('PD')</script>"],
                    "keywords": ["关于 Template: ../../evil"]}


def test_markdown_bodies_render_the_legacy_text_and_nothing_else(migrated):
    _, _, site = migrated
    for path in [*site.glob("articles/*/*.md"), *site.glob("pages/*.md")]:
        _, body = read_markdown(path)
        root = lxml_html.fragment_fromstring(body, create_parent="div")
        assert unsafe_markup(root) == [], path
        assert {e.tag for e in root.iter() if isinstance(e.tag, str)} <= TAGS, path
    _, body = read_markdown(site / "articles/gzdt/20240305-2001.md")
    root = lxml_html.fragment_fromstring(body, create_parent="div")
    paragraphs = [p.text_content() for p in root.iter("p", "td")]
    for text in BODY_TEXTS:
        assert text in paragraphs or any(text in p for p in paragraphs), text
    assert [e.tag for e in root if e.tag not in ("p",)] == ["blockquote", "table"]      # no heading, rule, list
    links = {a.text_content(): a.get("href") for a in root.iter("a") if a.get("href") is not None}
    assert links["外部好链接"] == "https://www.example.com/ok?a=1&b=2" and links["写信"] == "mailto:zfb@fenglan.gov.cn"
    assert links["站内链接"] == "{filename}/articles/gzdt/20240306-2002.md"
    assert "链接一" not in links and "链接六" not in links and "文件服务器" not in links and "表内坏链接" not in links


def test_base_href_javascript_is_ignored(migrated):
    _, outcome, site = migrated
    entry = by_source(outcome)[BASE_PAGE]
    assert entry["dropped_urls"] == [{"element": "base", "attribute": "href", "url": "javascript:alert('base')//",
                                      "why": entry["dropped_urls"][0]["why"]}]
    text = (site / "articles/gzdt/20240306-2002.md").read_text("utf-8")
    assert "[上一篇文章]({filename}/articles/gzdt/20240305-2001.md)" in text
    assert "![会议现场]({static}/images/xwzx/gzdt/202403/W020240305123.png)" in text


def test_inline_images_raster_extracted_svg_and_html_dropped(migrated):
    _, outcome, site = migrated
    inline = sorted(p.name for p in (site / "images/inline").iterdir())
    assert len(inline) == 1 and inline[0].endswith(".png")
    text = (site / "articles/gzdt/20240305-2001.md").read_text("utf-8")
    assert f"![内嵌图]({{static}}/images/inline/{inline[0]})" in text
    assert f'<img src="{{static}}/images/inline/{inline[0]}" alt="表内内嵌图">' in text
    assert "data:" not in text.split("\n\n", 1)[1]
    dropped = by_source(outcome)[ARTICLE]["dropped_urls"]
    svg = [d for d in dropped if d["url"].startswith("data:image/svg+xml")]
    assert len(svg) == 1 and "SVG" in svg[0]["why"]


def test_every_dropped_url_is_in_the_report(migrated):
    base, outcome, _ = migrated
    dropped = by_source(outcome)[ARTICLE]["dropped_urls"]
    urls = [d["url"] for d in dropped]
    for url in DROPPED:
        assert url in urls, url
    assert all(d["why"] for d in dropped)
    data = json.loads(outcome.json_path.read_text("utf-8"))
    assert data["totals"]["dropped_urls"] == sum(len(p["dropped_urls"]) for p in data["pages"]) >= len(DROPPED)
    report = lxml_html.parse(str(outcome.html_path)).getroot()
    assert unsafe_markup(report) == []
    shown = " ".join(c.text_content() for c in report.iter("code"))
    assert "vbscript:msgbox('a5')" in shown and "data:text/html,<script>alert('a6')</script>" in shown


def test_draft_site_toml_and_redirects_read_back(migrated):
    _, outcome, site = migrated
    draft = tomllib.loads((site / "site.toml").read_text("utf-8"))
    assert draft["name"] == "枫岚市人民政府" and outcome.data["site"]["draft"]["problems"] == []
    with open(site / "redirects.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["old_url", "new_path"]
    assert ["http://www.fenglan.gov.cn/xwzx/gzdt/202403/t20240305_2001.html", "gzdt/202403/20240305-2001.html"] in rows


def test_migrated_site_builds_and_every_page_shows_text_only(migrated):
    base, _, _ = migrated
    results = build_group(base / "content", base / "output", cache_dir=base / "cache", reports_dir=base / "reports",
                          settings={"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": "2024-03-20"})
    assert [(r.ok, r.error) for r in results] == [(True, "")]
    out = base / "output/www.fenglan.gov.cn"
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 8
    for path in pages:
        root = lxml_html.parse(str(path)).getroot()
        assert unsafe_markup(root) == [], path
    article = lxml_html.parse(str(out / "gzdt/202403/20240305-2001.html")).getroot()
    assert article.find(".//h1").text_content() == TITLE
    assert article.find(".//title").text_content().startswith(TITLE)
    assert article.xpath("string(//meta[@name='ArticleTitle']/@content)") == TITLE
    assert article.xpath("string(//meta[@name='description']/@content)") == SUMMARY
    assert SOURCE in [dd.text_content() for dd in article.iter("dd")]
    assert AUTHOR in [dd.text_content() for dd in article.iter("dd")]
    body = [p.text_content() for p in article.xpath("//*[contains(@class,'article-body')]//*[self::p or self::td]")]
    for text in BODY_TEXTS:
        assert any(text in p for p in body), text
    for listing in ("index.html", "gzdt/index.html"):
        root = lxml_html.parse(str(out / listing)).getroot()
        assert TITLE in [a.text_content() for a in root.iter("a")], listing
    about = lxml_html.parse(str(out / "about.html")).getroot()
    assert about.find(".//h1").text_content() == PAGE_TITLE
    feed = etree.parse(str(out / "feeds/all.atom.xml"))
    titles = feed.xpath("//a:entry/a:title/text()", namespaces={"a": "http://www.w3.org/2005/Atom"})
    assert TITLE in titles
