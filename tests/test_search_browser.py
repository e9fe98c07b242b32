"""Site search in real headless Chromium on a built group served over loopback (govsite.serve):
Chinese queries find the right articles, the recall fix matters (plain Pagefind misses a
compound our search finds), group-wide search on the portal, no results, the page without
JavaScript, and axe in normal, care and contrast modes with results shown."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest
from axe_selenium_python import Axe

from govsite.checks.browser import WCAG_AA_TAGS, describe_violations
from govsite.build import build_group
from govsite.search import read_stamp
from govsite.serve import make_server
from test_toolbar_browser import SET_MODE

FIXTURES = Path(__file__).parent / "fixtures"
PORTAL = "www.chenghu.gov.cn"
#: Articles added to the fixture group (fictional 澄湖市): (site, file, title, body). The third one has
#: words starting with 商 and 化 (商户, 化解): Pagefind ignores a query term no indexed word starts
#: with, so without them plain Pagefind's 优|化|营|商|环境 would match by accident. It also has 量化:
#: Pagefind splits a term no indexed word starts with (量子纠缠) into shorter known words (量), so
#: "some result" does not prove a word is in the index.
ARTICLES = [
    ("city", "20261110-yingshang.md", "澄湖市出台十条措施持续优化营商环境",
     "为持续优化营商环境，澄湖市出台十条措施，压缩开办时间，降低经营成本，激发经营主体活力。"),
    ("city", "20261112-jiaoyu.md", "澄湖市召开全市教育工作会议",
     "会议总结全市教育工作，部署推进学前教育普及和义务教育优质均衡发展。"),
    ("city", "20261114-huanjing.md", "澄湖市开展城乡环境整治行动",
     "全市开展城乡环境整治行动，清理河道垃圾，改善人居环境。沿街商户积极参与，社区及时化解邻里矛盾。"
     "整治成效实行量化考核，推动高质量发展。"),
    ("dept", "20261116-gongjiao.md", "澄湖市交通运输局优化公交线路",
     "根据市民出行需求，交通运输局调整三条公交线路，新增湖滨新区站点。"),
]
MODES = {"normal": {}, "care": {"data-care": ""}, "contrast": {"data-scheme": "bw"},
         "care + yellow on black + largest text": {"data-care": "", "data-scheme": "yb", "data-text-step": "5"}}
PLAIN_PAGEFIND = """
const done = arguments[arguments.length - 1];
import(arguments[0]).then(async (pagefind) => {
  const response = await pagefind.search(arguments[1]);
  const urls = [];
  for (const result of response.results) urls.push((await result.data()).url);
  return urls;
}).then(done, (error) => done("error: " + error));
"""


def article_text(site: str, title: str, body: str, day: str) -> str:
    organizer = "澄湖市人民政府办公室" if site == "city" else None
    source = f"Source: {organizer}\n" if organizer else ""
    reprinted = "Syndicate: true\n" if "营商" in title else ""  # the department reprints it (转载)
    return f"Title: {title}\nDate: 2026-11-{day} 09:00\nCategory: news\n{source}{reprinted}\n{body}\n"


@pytest.fixture(scope="module")
def search_site(tmp_path_factory):
    """The fixture group plus four Chinese articles, built once (static gate, the index in parts), served."""
    base = tmp_path_factory.mktemp("search")
    content = base / "content"
    shutil.copytree(FIXTURES / "group", content)
    for site, name, title, body in ARTICLES:
        (content / site / "articles" / name).write_text(article_text(site, title, body, name[6:8]), "utf-8")
    results = build_group(content, base / "output", cache_dir=base / "cache", reports_dir=base / "reports",
                          settings={"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": "2026-11-27",
                                    # parts of at most 3 pages: the search page merges them (as on a large site)
                                    "GOVSITE_SEARCH": {"part_pages": 3}})
    assert all(r.ok for r in results), [r.error for r in results]
    server = make_server(base / "output", port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", base / "output"
    server.shutdown()
    server.server_close()


@pytest.fixture
def browser(chromium):
    yield chromium
    chromium.execute_script("localStorage.clear()")
    chromium.set_window_size(1280, 900)


def search(driver, base: str, query: str, site: str = PORTAL, scope: str = "") -> tuple[str, list[str]]:
    """Open the search page for ``query``; return the announced status and the result URLs (paths)."""
    driver.get(f"{base}/{site}/search.html?q={query}" + (f"&scope={scope}" if scope else ""))
    deadline = time.monotonic() + 20
    state = ""
    while time.monotonic() < deadline:
        state = driver.execute_script("return document.querySelector('[data-search-page]').dataset.searchState")
        if state in ("done", "error"):
            break
        time.sleep(0.05)
    assert state == "done", f"search for {query!r} ended in state {state!r}"
    status = driver.execute_script("return document.querySelector('[data-search-status]').textContent")
    hrefs = driver.execute_script("return [...document.querySelectorAll('.search-result__title a')].map(a => a.href)")
    return status, [href.removeprefix(base) for href in hrefs]


def test_a_two_character_word_finds_its_article(browser, search_site):
    base, _ = search_site
    status, urls = search(browser, base, "教育")
    assert urls and urls[0] == f"/{PORTAL}/news/202611/20261112-jiaoyu.html", urls
    assert "找到" in status and "教育" in status


def test_a_four_character_word_finds_its_article(browser, search_site):
    base, _ = search_site
    _, urls = search(browser, base, "营商环境")
    assert urls[0] == f"/{PORTAL}/news/202611/20261110-yingshang.html", urls


def test_a_compound_plain_pagefind_misses_is_found(browser, search_site):
    base, _ = search_site
    browser.get(f"{base}/{PORTAL}/search.html")
    # Pagefind's own search in the page (html lang zh-CN: the browser segments the query).
    plain = browser.execute_async_script(PLAIN_PAGEFIND, f"{base}/{PORTAL}/pagefind/pagefind.js", "优化营商环境")
    assert plain == [], f"plain Pagefind now finds the compound ({plain}): the recall fix may be unnecessary"
    status, urls = search(browser, base, "优化营商环境")
    assert urls[0] == f"/{PORTAL}/news/202611/20261110-yingshang.html", urls
    assert "找到" in status
    facts = browser.execute_script("return [...document.querySelector('.search-result__facts').children].map(e => e.textContent)")
    assert facts == ["澄湖市人民政府", "要闻动态", "2026-11-10 09:00"], facts
    # The excerpt marks the words found.
    marks = browser.execute_script("return [...document.querySelectorAll('.search-result__excerpt mark')].map(m => m.textContent)")
    assert any(word in "".join(marks) for word in ("优化", "营商", "环境")), marks


def test_a_query_without_results_says_so(browser, search_site):
    base, _ = search_site
    status, urls = search(browser, base, "量子纠缠")
    assert urls == []
    assert "没有找到" in status and "量子纠缠" in status
    assert browser.execute_script("return document.querySelector('[data-search-more]').hidden")


def test_a_query_with_an_unknown_word_lists_pages_with_its_known_words(browser, search_site):
    base, _ = search_site
    # 量子 is on no page (Pagefind alone would answer with every page holding a word 量); 营商环境 is.
    status, urls = search(browser, base, "量子营商环境")
    assert f"/{PORTAL}/news/202611/20261110-yingshang.html" in urls, urls
    assert "没有找到包含" in status and "部分词语" in status, status


def test_the_portal_searches_the_whole_group(browser, search_site):
    base, output = search_site
    assert read_stamp(output / PORTAL / "pagefind")["parts"], "the portal's index should come in parts here"
    dept = next(p.name for p in output.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name != PORTAL)
    _, here = search(browser, base, "公交线路")
    assert not any(url.startswith(f"/{dept}/") for url in here), here
    _, everywhere = search(browser, base, "公交线路", scope="group")
    assert f"/{dept}/news/202611/20261116-gongjiao.html" in everywhere, everywhere
    assert browser.execute_script("return document.querySelector('input[name=scope][value=group]').checked")
    # The department's reprint of the portal's item is found on the department, not twice across the group.
    _, group = search(browser, base, "优化营商环境", scope="group")
    assert group.count(f"/{PORTAL}/news/202611/20261110-yingshang.html") == 1
    reprint = f"/{dept}/news/202611/20261110-yingshang.html"
    assert reprint not in group, group
    _, here = search(browser, base, "优化营商环境", site=dept)
    assert here[0] == reprint, here
    # A department's search page searches itself only: no scope selector.
    browser.get(f"{base}/{dept}/search.html")
    assert not browser.find_elements("css selector", "input[name=scope]")


def test_the_header_form_submits_to_the_search_page(browser, search_site):
    base, _ = search_site
    browser.get(f"{base}/{PORTAL}/index.html")
    form = browser.find_element("css selector", "form.site-search[role=search]")
    field = form.find_element("css selector", "input[name=q]")
    label = browser.find_element("css selector", f"label[for={field.get_attribute('id')}]")
    assert label.get_attribute("textContent").strip()
    field.send_keys("教育")
    form.submit()
    deadline = time.monotonic() + 20
    while "search.html" not in browser.current_url and time.monotonic() < deadline:
        time.sleep(0.05)
    assert browser.current_url.endswith("/search.html?q=%E6%95%99%E8%82%B2"), browser.current_url


def test_the_search_page_has_no_axe_violations_in_every_mode(browser, search_site):
    base, _ = search_site
    search(browser, base, "优化营商环境", scope="group")
    browser.execute_script("return document.fonts.ready")
    axe = Axe(browser)
    axe.inject()
    options = json.dumps({"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}, "resultTypes": ["violations"]})
    failures = []
    for mode, attributes in MODES.items():
        browser.execute_script(SET_MODE, attributes)
        results = axe.run(options=options)
        serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
        if serious:
            failures.append(f"{mode}:\n{describe_violations({'violations': serious})}")
    assert not failures, "\n".join(failures)
    # The results are real links in an ordered list, announced in a status line.
    assert browser.find_elements("css selector", "ol.search-results > li.search-result h3 a[href]")
    assert browser.find_element("css selector", "[data-search-status]").get_attribute("role") == "status"


def test_the_search_page_uses_no_inline_script(search_site):
    _, output = search_site
    html = (output / PORTAL / "search.html").read_text("utf-8")
    assert "<script>" not in html and " on" + "click=" not in html
    assert 'src="./theme/js/search.js"' in html or "theme/js/search.js" in html
