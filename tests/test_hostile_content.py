"""The hostile corpus: metadata and site.toml text that looks like markup, built for real and read back.

Every value stays text: no element, attribute or URL of the output comes from content, and each
value reads back exactly where the theme prints it (HTML text and attributes, <meta>, feeds,
sitemaps, JSON, the search index). A body with dangerous markup fails its site's build, naming the file.
"""

from __future__ import annotations

import html as html_text
import json
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from lxml import etree, html

from govsite.build import build_group
from govsite.errors import GroupInvalid
from govsite.registry import load_group
from govsite.serve import make_server

FIXTURES = Path(__file__).parent / "fixtures"
STATIC_ONLY = {"GOVSITE_A11Y": {"engine": "static"}}
PORTAL, DEPT = "www.chenghu.gov.cn", "jtj.chenghu.gov.cn"

#: Text that a template engine, an HTML or XML parser, or a feed reader could take for markup.
HOSTILE = {
    "script": '霁川<script>alert("T")</script>测试"><img src=x onerror=alert(1)>',
    "quotes": "引号' \" & < > 结束",
    "title": "</title><script>alert(3)</script>标题",
    "cdata": "]]><![CDATA[<b>x</b>]]>段落",
    "template": "{{ 7*7 }}{% raw %}模板{#",
    "entities": "&lt;b&gt;实体&amp;amp;&#x3C;i&#62;",
}
#: Keywords of every hostile article (without , ; 、, which separate keywords); "&amp" without its
#: semicolon is still a character reference to an HTML parser.
KEYWORDS = ["<b>关键</b>", '"引号"', "a&b", "{{ 7*7 }}", "&amp实体"]
#: A continued Summary line: plain text over two lines is one text.
SECOND_LINE = "第二行<i>继续</i>"
#: The script elements the theme itself writes (src suffixes); nothing else may run.
THEME_SCRIPTS = ("theme/js/a11y-early.js", "theme/js/toolbar.js", "theme/js/search.js")
#: site.toml text fields, as (site, the fixture's line, field, hostile value). The field is the
#: name validation reports; a value today's validation refuses is kept as the fixture's (or left out).
SITE_VALUES = [
    ("city", 'name = "澄湖市人民政府"', "name", '澄"湖&\'<i>市人民政府'),
    ("city", 'organizer = "澄湖市人民政府办公室"', "organizer", '澄湖市人民政府办公室"&\'<b>x</b>'),
    ("city", 'operator = "澄湖市信息中心"', "operator", '澄湖市信息中心</title><script>alert("O")</script>'),
    ("city", 'logo = "images/logo.svg"', "description", '门户"描述" onmouseover="alert(1)'),
    ("city", 'address = "澄湖市湖滨路1号"', "contact.address", '澄湖市湖滨路1号"><img src=x onerror=alert(2)>'),
    ("city", 'name = "要闻动态"', "columns[0].name", '要闻<动态>"&\''),
    ("city", 'description = "澄湖市政务要闻。"', "columns[0].description", "澄湖市政务要闻]]>{{ 7*7 }}&amp;"),
    ("dept", 'name = "交通动态"', "columns[0].name", "交通<i>动态</i>&lt;"),
    ("dept", 'operator = "澄湖市信息中心"', "operator", "澄湖市信息中心' onmouseover='alert(4)"),
]
#: Fields the fixture does not have: the hostile line is added after the fixture's line.
ADDED_FIELDS = {"description"}


def toml_string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def article_text(key: str, day: int) -> str:
    """A hostile article of the news column: every printed field carries the hostile text."""
    text = HOSTILE[key]
    return (f"Title: {text}\nDate: 2026-11-{day:02d} 09:00\nCategory: news\nSource: 来源{text}\n"
            f"Author: 作者{text}\nReviewer: 审核{text}\nSummary: 摘要{text}\n    {SECOND_LINE}\n"
            f"Keywords: {', '.join(KEYWORDS)}\nImage: images/chart.png\nImageAlt: 图{text}\n\n"
            f"正文 <b>粗体</b> &lt;script&gt;不是脚本&lt;/script&gt;。\n")


def summary_of(key: str) -> str:
    return f"摘要{HOSTILE[key]}\n{SECOND_LINE}"


def write_corpus(root: Path) -> dict[tuple[str, str], str]:
    """Write the hostile articles, page and site.toml values; the site values validation kept, by (site, field)."""
    for day, key in enumerate(HOSTILE, start=2):
        (root / "city" / "articles" / f"202611{day:02d}-hostile-{key}.md").write_text(article_text(key, day), "utf-8")
    (root / "city" / "articles" / "20261108-auto-summary.md").write_text(
        f"Title: 自动摘要{HOSTILE['script']}\nDate: 2026-11-08 09:00\nCategory: notices\nReviewer: 陈立\n\n"
        "自动摘要正文 &lt;b&gt;不是粗体&lt;/b&gt; <b>粗体</b>\n", "utf-8")
    (root / "city" / "pages" / "hostile.md").write_text(
        f"Title: 页面{HOSTILE['script']}\nSlug: hostile\nSummary: 页面摘要{HOSTILE['quotes']}\n\n页面正文。\n", "utf-8")
    for site, line, field, value in SITE_VALUES:
        replace_line(root / site / "site.toml", line, edited_line(line, field, value))
    refused = refused_fields(root)
    for site, line, field, value in SITE_VALUES:
        if (site, field) in refused:  # refused with a named problem: that is allowed too; keep the fixture's
            replace_line(root / site / "site.toml", edited_line(line, field, value), line)
    load_group(root)  # the rest is accepted
    return {(site, field): (original_value(line, field) if (site, field) in refused else value)
            for site, line, field, value in SITE_VALUES}


def edited_line(line: str, field: str, value: str) -> str:
    """The fixture's line with the field set to the hostile value (or the field added after it)."""
    key = field.rpartition(".")[2]
    assignment = f"{key} = {toml_string(value)}"
    return f"{line}\n{assignment}" if field in ADDED_FIELDS else assignment


def original_value(line: str, field: str) -> str:
    """The field's value in the fixture ('' for an added field)."""
    return "" if field in ADDED_FIELDS else json.loads(line.split(" = ", 1)[1])


def replace_line(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), "utf-8")


def refused_fields(root: Path) -> set[tuple[str, str]]:
    """The (site, field) pairs of SITE_VALUES that validation refuses, each with a problem naming its site.toml."""
    try:
        load_group(root)
    except GroupInvalid as error:
        ours = {field for _, _, field, _ in SITE_VALUES}
        found = {(Path(p.file).parent.name, p.field) for p in error.problems if p.field in ours}
        others = [p for p in error.problems if p.field not in ours]
        assert not others, others
        return found
    return set()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The fixture group with the hostile corpus, built once with the static gate; (output, reports, values)."""
    base = tmp_path_factory.mktemp("hostile")
    root = base / "content"
    shutil.copytree(FIXTURES / "group", root)
    values = write_corpus(root)
    results = build_group(root, base / "output", cache_dir=base / "cache", reports_dir=base / "reports",
                          records_dir=base / "records", settings=STATIC_ONLY)
    assert all(r.ok for r in results), [r.error for r in results]
    return base / "output", base / "reports", values


def files(folder: Path, suffix: str) -> list[Path]:
    found = sorted(p for p in folder.rglob(f"*{suffix}") if p.is_file())
    assert found, f"no {suffix} files in {folder}"
    return found


def parse(path: Path):
    return html.parse(str(path)).getroot()


def text_of(element) -> str:
    return element.text_content()


def page(hostile, domain: str, relative: str):
    output, _, _ = hostile
    return parse(output / domain / relative)


def meta_of(doc) -> dict[str, str]:
    return {m.get("name"): m.get("content") for m in doc.xpath("//head/meta[@name]")}


def article_path(key: str) -> str:
    day = list(HOSTILE).index(key) + 2
    return f"news/202611/202611{day:02d}-hostile-{key}.html"


# --- nothing injected, anywhere --------------------------------------------------------------------

def injected(doc) -> list[str]:
    """Elements, attributes and URLs in a parsed page that the theme does not write itself."""
    found = []
    for script in doc.iter("script"):
        src = script.get("src") or ""
        if not src.endswith(THEME_SCRIPTS) or (script.text or "").strip():
            found.append(f"<script src={src!r}>{(script.text or '')[:40]}")
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"<{element.tag} {name}={value!r}>")
            if re.sub(r"[\x00-\x20]", "", value).lower().startswith(("javascript:", "vbscript:", "data:")):
                found.append(f"<{element.tag} {name}={value!r}>")
    return found


def test_no_page_has_an_injected_script_handler_or_url(hostile):
    output, reports, _ = hostile
    pages = files(output, ".html") + files(reports, ".html")
    assert len(pages) > 30
    problems = {str(p): injected(parse(p)) for p in pages}
    assert not {p: found for p, found in problems.items() if found}


def test_the_injection_check_can_fail():
    doc = html.fromstring('<html><body><p>x</p><img src=x onerror=alert(1)><a href=" JavaScript:x">a</a>'
                          '<script>alert(1)</script><script src="theme/js/toolbar.js"></script></body></html>')
    assert len(injected(doc)) == 3


def test_every_feed_and_sitemap_is_well_formed_xml(hostile):
    output, reports, _ = hostile
    for path in files(output, ".xml") + files(reports, ".xml"):
        etree.parse(str(path))  # raises on anything that is not well-formed


def test_every_json_file_parses(hostile):
    output, reports, _ = hostile
    for path in files(output, ".json") + files(reports, ".json"):
        json.loads(path.read_text("utf-8"))


# --- text round-trips ------------------------------------------------------------------------------

@pytest.mark.parametrize("key", HOSTILE)
def test_article_page_shows_every_field_as_written(hostile, key):
    text, site_name = HOSTILE[key], hostile[2][("city", "name")]
    doc = page(hostile, PORTAL, article_path(key))
    meta = meta_of(doc)
    assert doc.findtext(".//title") == f"{text} - {site_name}"
    assert [text_of(h) for h in doc.iter("h1")] == [text]
    assert meta["ArticleTitle"] == text
    assert meta["ContentSource"] == f"来源{text}"
    assert meta["Author"] == f"作者{text}"
    assert meta["Description"] == meta["description"] == summary_of(key)
    assert meta["Keywords"] == ",".join(KEYWORDS)
    facts = {text_of(d.getparent().find("dt")): text_of(d) for d in doc.xpath("//dl[@class='article-facts']//dd")}
    assert (facts["来源"], facts["作者"], facts["审核"]) == (f"来源{text}", f"作者{text}", f"审核{text}")
    assert doc.xpath("//figure[@class='lead-image']/img/@alt") == [f"图{text}"]
    body = doc.xpath("//div[@class='article-body']")[0]
    assert text_of(body).strip() == "正文 粗体 <script>不是脚本</script>。"
    assert [text_of(b) for b in body.iter("b")] == ["粗体"], "the body's own markup is kept"


def test_lists_show_the_titles_as_written(hostile):
    titles = set(HOSTILE.values())
    home = page(hostile, PORTAL, "index.html")
    assert titles <= {text_of(a) for a in home.xpath("//section[@class='home-latest']//li/a")}
    column = page(hostile, PORTAL, "news/index.html")
    assert titles <= {text_of(a) for a in column.xpath("//ul[@class='item-list']/li/a")}
    related = page(hostile, PORTAL, article_path("script")).xpath("//section[@class='related']//li/a")
    assert {text_of(a) for a in related} == titles - {HOSTILE["script"]}


def test_automatic_summary_is_the_text_of_the_body(hostile):
    meta = meta_of(page(hostile, PORTAL, "notices/202611/20261108-auto-summary.html"))
    assert meta["Description"] == "自动摘要正文 <b>不是粗体</b> 粗体"


def test_page_title_and_site_map_entry(hostile):
    title = f"页面{HOSTILE['script']}"
    doc = page(hostile, PORTAL, "hostile.html")
    assert [text_of(h) for h in doc.iter("h1")] == [title]
    assert doc.findtext(".//title").startswith(title + " - ")
    sitemap = page(hostile, PORTAL, "sitemap.html")
    assert title in [text_of(a) for a in sitemap.xpath("//section[@aria-labelledby='sitemap-pages']//a")]


def test_site_toml_text_round_trips_on_every_page(hostile):
    output, _, values = hostile
    name, organizer, operator = values[("city", "name")], values[("city", "organizer")], values[("city", "operator")]
    address, column = values[("city", "contact.address")], values[("city", "columns[0].name")]
    for path in files(output / PORTAL, ".html"):
        if "search-index" in path.parts:
            continue
        doc = parse(path)
        footer = {d.get("data-footer-item"): d for d in doc.xpath("//*[@data-footer-item]")}
        assert text_of(footer["organizer"].find(".//dd")) == organizer, path
        assert text_of(footer["operator"].find(".//dd")) == operator, path
        assert address in text_of(footer["contact"]), path
        assert meta_of(doc)["SiteName"] == name, path
        assert column in [text_of(a) for a in doc.xpath("//nav[@class='site-nav']//a")], path
    home = page(hostile, PORTAL, "index.html")
    assert home.findtext(".//title") == name
    assert home.xpath("//img[@class='brand-logo']/@alt") == [name]
    assert meta_of(home).get("description", "") == values[("city", "description")]
    news = meta_of(page(hostile, PORTAL, "news/index.html"))
    assert news["ColumnName"] == news["ColumnKeywords"] == column  # keywords default to the name
    assert news["ColumnDescription"] == values[("city", "columns[0].description")]
    dept = page(hostile, DEPT, "index.html")
    assert [text_of(a) for a in dept.xpath("//div[@class='topbar']//a")] == [name]
    assert text_of(dept.xpath("//*[@data-footer-item='operator']//dd")[0]) == values[("dept", "operator")]
    assert values[("dept", "columns[0].name")] in [text_of(a) for a in dept.xpath("//nav[@class='site-nav']//a")]


def test_contact_links_are_quoted_urls(hostile):
    home = page(hostile, PORTAL, "index.html")
    links = home.xpath("//*[@data-footer-item='contact']//a/@href")
    assert links == ["tel:0991-7654321", "mailto:" + quote("office@chenghu.gov.cn", safe="@+")]


def atom(hostile, domain: str, relative: str):
    output, _, _ = hostile
    return etree.parse(str(output / domain / relative)).getroot()


ATOM = "{http://www.w3.org/2005/Atom}"


def test_feeds_carry_titles_and_summaries_as_written(hostile):
    name = hostile[2][("city", "name")]
    feed = atom(hostile, PORTAL, "feeds/all.atom.xml")
    assert feed.findtext(f"{ATOM}title") == name
    entries = {e.findtext(f"{ATOM}title"): e for e in feed.iter(f"{ATOM}entry")}
    for key, text in HOSTILE.items():
        entry = entries[text]
        summary = entry.find(f"{ATOM}summary")
        assert summary.get("type") == "html"
        assert html_text.unescape(summary.text) == summary_of(key), "a reader decoding the HTML shows the text"
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == f"作者{text}"
    assert atom(hostile, PORTAL, "news/atom.xml").findtext(f"{ATOM}title") == f"{name} - news"


def test_sitemap_lists_every_hostile_article(hostile):
    root = atom(hostile, PORTAL, "sitemap.xml")
    locs = {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {f"https://{PORTAL}/{article_path(key)}" for key in HOSTILE} <= locs


def test_search_index_keeps_the_titles_as_written(hostile):
    output, _, _ = hostile
    rows = json.loads((output / PORTAL / "search-index" / "pages.json").read_text("utf-8"))["pages"]
    titles = {row[0]: row[1] for row in rows}
    for key, text in HOSTILE.items():
        assert titles[article_path(key)] == text


# --- dangerous bodies fail the build ---------------------------------------------------------------

def test_a_dangerous_body_fails_the_build_naming_the_file(group, tmp_path):
    article = group.write("city/articles/20261102-scripted.md",
                          "Title: 正文带脚本\nDate: 2026-11-02 09:00\nCategory: news\nReviewer: 陈立\n\n"
                          "正文。\n\n<script>alert(1)</script>\n")
    page_file = group.write("dept/pages/linked.md", "Title: 链接\nSlug: linked\n\n"
                            '<a href="  JaVaScript:alert(1)">点击</a> <img src="x.png" alt="" onerror="alert(2)">\n')
    results = {r.site_id: r for r in build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache",
                                                 reports_dir=tmp_path / "reports", records_dir=tmp_path / "records",
                                                 settings=STATIC_ONLY)}
    city, dept = results["city"], results["dept"]
    assert not city.ok and not dept.ok
    assert f"{article}: body = '<script>': expected no <script> element: scripts are not allowed in content" \
        in city.error
    assert f"{page_file}: body = '<a href=javascript:...>': expected no javascript: URL in href" in dept.error
    assert f"{page_file}: body = '<img onerror=...>': expected no onerror attribute" in dept.error
    assert not (tmp_path / "output" / PORTAL).exists() and not (tmp_path / "output" / DEPT).exists()


# --- in a real browser -----------------------------------------------------------------------------

#: Records every dialog a page opens (window.alert, confirm, prompt, print) in window.__govsiteDialogs.
DIALOG_RECORDER = """
window.__govsiteDialogs = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (message) => { window.__govsiteDialogs.push(name + ": " + message); };
}
"""


@pytest.fixture
def recording(chromium):
    """The shared Chromium with the dialog recorder on every new document (removed after the test)."""
    added = chromium.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": DIALOG_RECORDER})
    yield chromium
    chromium.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": added["identifier"]})


@pytest.fixture
def hostile_server(hostile):
    server = make_server(hostile[0], port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def dialogs(driver, url: str) -> list[str]:
    """The dialogs a page opened while loading (an unexpected real one raises in Selenium)."""
    driver.get(url)
    driver.execute_script("return document.fonts.ready")
    return driver.execute_script("return window.__govsiteDialogs")


@pytest.mark.browser
def test_hostile_pages_open_no_dialog_in_chromium(recording, hostile_server, hostile):
    output, _, _ = hostile
    probe = output / PORTAL / "dialog-probe.html"
    probe.write_text("<!DOCTYPE html><html lang='zh-CN'><title>t</title><img src=x onerror=alert(1)>"
                     "<script>alert('probe')</script></html>", "utf-8")
    try:
        assert sorted(dialogs(recording, f"{hostile_server}/{PORTAL}/dialog-probe.html")) == \
            ["alert: 1", "alert: probe"], "the recorder sees dialogs"
    finally:
        probe.unlink()
    for relative in (f"{PORTAL}/index.html", f"{PORTAL}/news/index.html", f"{PORTAL}/{article_path('script')}",
                     f"{PORTAL}/hostile.html", f"{DEPT}/index.html"):
        assert dialogs(recording, f"{hostile_server}/{relative}") == [], relative
        assert recording.execute_script("return document.querySelectorAll('img[src=\"x\"]').length") == 0


def test_lifecycle_text_with_markup_is_refused_or_stays_text(group, tmp_path):
    """A lifecycle event's text becomes a notice: its markup either fails the build naming site.toml, or
    the notice is built with nothing injected."""
    group.append("city", '[[lifecycle]]\nevent = "info_change"\ndate = 2026-11-05\nfield = "operator"\n'
                         'old = "澄湖市<b>信息</b>中心"\nnew = "澄湖市大数据中心"\n'
                         'reason = "机构改革<script>alert(1)</script><img src=x onerror=alert(2)>"\n')
    results = {r.site_id: r for r in build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache",
                                                 reports_dir=tmp_path / "reports", records_dir=tmp_path / "records",
                                                 settings={**STATIC_ONLY, "GOVSITE_TODAY": "2026-11-06"})}
    city = results["city"]
    if not city.ok:
        assert f"{group.site_toml('city')}: lifecycle" in city.error and "scripts are not allowed" in city.error
        return
    pages = files(tmp_path / "output" / PORTAL, ".html")
    assert not {str(p): found for p in pages if (found := injected(parse(p)))}
