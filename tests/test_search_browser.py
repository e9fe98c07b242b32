"""Site search in real headless Chromium on a built group served over loopback (govsite.serve):
exact substring search (a 3-character name inside longer text, numbers with units, one character,
six characters, a query on no page), recall 100% on random substrings of the indexed text, the
group scope and its reprint filter, hostile queries and page text kept as text, paging, a new
search without reloading, and axe in normal, care and contrast modes with results shown."""

from __future__ import annotations

import json
import random
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from axe_selenium_python import Axe

from bench.search_query_speed import LITERAL_RESULTS
from govsite.checks.browser import WCAG_AA_TAGS, describe_violations
from govsite.build import build_group
from govsite.search import read_stamp
from govsite.search_index import gram_hash
from govsite.search_text import normalise
from govsite.serve import make_server
from test_toolbar_browser import SET_MODE

FIXTURES = Path(__file__).parent / "fixtures"
PORTAL = "www.chenghu.gov.cn"
#: Articles added to the fixture group (fictional 澄湖市): (site, file, title, body). 骆明远 (a fictional
#: mayor) is on three pages, inside longer runs of characters; 明远 alone on a fourth (明远路): a search
#: for the name must find the three, the given name all four. 3.5公里 and 35公里 differ.
ARTICLES = [
    ("city", "20261110-yingshang.md", "澄湖市出台十条措施持续优化营商环境",
     "为持续优化营商环境，澄湖市出台十条措施，压缩开办时间，降低经营成本，激发经营主体活力。"),
    ("city", "20261112-jiaoyu.md", "澄湖市召开全市教育工作会议",
     "市长骆明远出席会议并讲话。会议总结全市教育工作，部署推进学前教育普及和义务教育优质均衡发展。"),
    ("city", "20261114-huanjing.md", "澄湖市开展城乡环境整治行动",
     "全市开展城乡环境整治行动，清理河道垃圾，改善人居环境。沿街商户积极参与，社区及时化解邻里矛盾。"
     "整治成效实行量化考核，推动高质量发展。新建绿道3.5公里，投入资金1200万元。"),
    ("city", "20261117-changwu.md", "骆明远主持召开市政府常务会议",
     "11月17日，骆明远主持召开市政府常务会议，研究部署冬季安全生产工作。"),
    ("city", "20261118-diaoyan.md", "市领导调研明远路改造工程",
     "市领导到明远路改造工程现场调研，要求年底前完成35公里管网改造。骆明远同志参加调研。"),
    ("city", "20261119-lukuang.md", "明远路施工期间交通提示",
     "明远路东段施工期间，请市民绕行湖滨大道。"),
    ("city", "20261120-code.md", "网页代码示例说明",
     "页面中的 `<script>window.pwned=1</script>` 和 `<img src=x onerror=\"window.pwned=2\">` 只是文字示例。"),
    ("dept", "20261116-gongjiao.md", "澄湖市交通运输局优化公交线路",
     "根据市民出行需求，交通运输局调整三条公交线路，新增湖滨新区站点。"),
]
MODES = {"normal": {}, "care": {"data-care": ""}, "contrast": {"data-scheme": "bw"},
         "care + yellow on black + largest text": {"data-care": "", "data-scheme": "yb", "data-text-step": "5"}}
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
                                    "GOVSITE_SEARCH": {"part_pages": 3, "page_size": 3}})
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
    driver.get(f"{base}/{site}/search.html?q={quote(query)}" + (f"&scope={scope}" if scope else ""))
    return finished(driver, base, query)


def finished(driver, base: str, query: str) -> tuple[str, list[str]]:
    """Wait for the search page to show its results; the status and the result URLs (paths)."""
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


def show_all(driver) -> list[str]:
    """Click 显示更多结果 until every result is shown; the result URLs in order."""
    more = driver.find_element("css selector", "[data-search-more]")
    while more.is_displayed():
        count = len(driver.find_elements("css selector", ".search-result__title a"))
        more.click()
        deadline = time.monotonic() + 10
        while len(driver.find_elements("css selector", ".search-result__title a")) == count:
            assert time.monotonic() < deadline, "显示更多结果 showed nothing"
            time.sleep(0.05)
    return driver.execute_script("return [...document.querySelectorAll('.search-result__title a')].map(a => a.pathname)")


def test_six_characters_are_found_with_facts_and_marked_excerpt(browser, search_site):
    base, _ = search_site
    status, urls = search(browser, base, "优化营商环境")
    assert urls[0] == f"/{PORTAL}/news/202611/20261110-yingshang.html", urls
    assert "找到" in status
    facts = browser.execute_script("return [...document.querySelector('.search-result__facts').children].map(e => e.textContent)")
    assert facts == ["澄湖市人民政府", "要闻动态", "2026-11-10 09:00"], facts
    marks = browser.execute_script("return [...document.querySelectorAll('.search-result__excerpt mark')].map(m => m.textContent)")
    assert "优化营商环境" in marks, marks


def news(*names: str) -> set[str]:
    return {f"/{PORTAL}/news/202611/{name}.html" for name in names}


def test_a_three_character_name_finds_every_page_that_contains_it(browser, search_site):
    base, _ = search_site
    status, urls = search(browser, base, "骆明远")
    assert set(urls) == news("20261112-jiaoyu", "20261117-changwu", "20261118-diaoyan"), urls
    assert urls[0] == f"/{PORTAL}/news/202611/20261117-changwu.html"  # the title match first
    assert "找到 3 条" in status, status
    search(browser, base, "明远")
    given = show_all(browser)
    assert set(given) == news("20261112-jiaoyu", "20261117-changwu", "20261118-diaoyan", "20261119-lukuang"), given


def test_numbers_with_units_and_one_character(browser, search_site):
    base, _ = search_site
    _, urls = search(browser, base, "3.5公里")
    assert urls == sorted(news("20261114-huanjing")), urls
    _, urls = search(browser, base, "35公里")
    assert urls == sorted(news("20261118-diaoyan")), urls
    _, urls = search(browser, base, "1200万元")
    assert urls == sorted(news("20261114-huanjing")), urls
    _, urls = search(browser, base, "骆")
    assert set(urls) == news("20261112-jiaoyu", "20261117-changwu", "20261118-diaoyan"), urls


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
    assert read_stamp(output / PORTAL / "search-index")["parts"], "the portal's index should come in parts here"
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


def test_results_come_a_page_at_a_time_and_focus_moves_to_the_first_new_one(browser, search_site):
    base, _ = search_site
    status, first = search(browser, base, "澄湖市")
    total = int(status.split("找到 ")[1].split(" 条")[0])
    assert len(first) == 3 < total, (first, status)  # page_size 3
    browser.find_element("css selector", "[data-search-more]").click()
    deadline = time.monotonic() + 10
    while len(browser.find_elements("css selector", ".search-result__title a")) == 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    links = browser.find_elements("css selector", ".search-result__title a")
    assert browser.switch_to.active_element == links[3]
    every = show_all(browser)
    assert len(every) == len(set(every)) == total and every[:3] == [url.split("?")[0] for url in first]
    assert not browser.find_element("css selector", "[data-search-more]").is_displayed()


def test_hostile_queries_and_page_text_stay_text(browser, search_site):
    base, _ = search_site
    for query in ('<img src=x onerror="window.pwned=3">', "<script>window.pwned=4</script>"):
        status, _ = search(browser, base, query)
        assert query in status
    status, urls = search(browser, base, "<script>window.pwned=1</script>")
    assert urls == [f"/{PORTAL}/news/202611/20261120-code.html"], urls
    excerpt = browser.find_element("css selector", ".search-result__excerpt")
    assert "<script>window.pwned=1</script>" in excerpt.text
    assert browser.execute_script(
        "return [...document.querySelectorAll('.search-result__excerpt *')].every(e => e.tagName === 'MARK')")
    assert browser.execute_script("return window.pwned === undefined && !document.querySelector('.search-results img')")


def test_a_new_search_on_the_page_keeps_it_loaded_and_updates_the_address(browser, search_site):
    base, _ = search_site
    search(browser, base, "教育")
    browser.execute_script("window.stillHere = true")
    field = browser.find_element("css selector", "[data-search-input]")
    field.clear()
    field.send_keys("公交线路")
    browser.find_element("css selector", "[data-search-form] button[type=submit]").click()
    deadline = time.monotonic() + 10
    while "%E5%85%AC" not in browser.current_url and time.monotonic() < deadline:
        time.sleep(0.05)
    status, _ = finished(browser, base, "公交线路")
    assert "公交线路" in status and browser.execute_script("return window.stillHere === true")
    browser.back()
    deadline = time.monotonic() + 10
    while browser.execute_script("return document.querySelector('[data-search-input]').value") != "教育":
        assert time.monotonic() < deadline, "back did not show the earlier search"
        time.sleep(0.05)
    assert "教育" in finished(browser, base, "教育")[0]


def indexed_texts(bundle: Path) -> dict[str, str]:
    """{url path: normalised text} of every page in the site's index (all parts)."""
    stamp = read_stamp(bundle)
    texts = {}
    for directory in ["", *stamp["parts"]]:
        part = bundle / directory
        index = json.loads((part / "pages.json").read_text("utf-8"))
        for number, row in enumerate(index["pages"]):
            chunk = json.loads((part / "t" / f"{number // index['chunk']}.json").read_text("utf-8"))
            texts[row[0]] = normalise(chunk[number % index["chunk"]])
    return texts


def test_recall_is_complete_on_random_substrings_of_the_indexed_text(browser, search_site):
    """Property: for random substrings (1-8 characters, across word boundaries too) of the indexed
    text, the engine's literal results are exactly the pages whose text contains them."""
    base, output = search_site
    texts = indexed_texts(output / PORTAL / "search-index")
    rng = random.Random(20)
    queries = []
    while len(queries) < 60:
        text = rng.choice(sorted(texts.values()))
        size = rng.randint(1, 8)
        start = rng.randrange(max(1, len(text) - size))
        query = text[start:start + size].strip()
        if query:
            queries.append(query)
    queries += ["骆明远", "3.5公里", "量子纠缠"]
    browser.get(f"{base}/{PORTAL}/search.html")
    found = browser.execute_async_script(LITERAL_RESULTS, f"{base}/{PORTAL}/theme/js/search-worker.js",
                                         f"{base}/{PORTAL}/search-index/", queries)
    assert isinstance(found, list), found
    for query, urls in zip(queries, found):
        expected = {f"/{PORTAL}/{path}" for path, text in texts.items() if query in text}
        assert set(urls) == expected, query
    assert found[-1] == [] and len(found[-2]) == 1 and len(found[-3]) == 3


def test_the_worker_normalises_and_hashes_as_the_index_does(browser, search_site):
    base, _ = search_site
    samples = ["新建绿道３.５公里，投入1,200万元。", "Ｗord ﬁle İstanbul ǅ", "２０２６年１１月", "骆明远\u3000主持", "①②③ ㎞ ㈱",
               "𠀋𡈽 emoji😀 tab\tend", "v1.2. a.b 3..4"]
    browser.get(f"{base}/{PORTAL}/search.html")
    script = """
const [url, samples, done] = arguments;
import(url).then((m) => done(samples.map((s) => [m.normalise(s), m.gramHash(m.normalise(s))])), (e) => done(String(e)));
"""
    found = browser.execute_async_script(script, f"{base}/{PORTAL}/theme/js/search-worker.js", samples)
    assert found == [[normalise(s), gram_hash(normalise(s))] for s in samples]
