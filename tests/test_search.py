"""Site search without a browser (govsite/search.py, search_text.py, search_index.py, the plugin,
server_config): settings validation, what is indexed and how it is normalised, the postings, re-use of
an unchanged part, the group's scope, CSP and CORS through a real nginx."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from govsite.search import (SearchSettings, SearchSettingsInvalid, group_scope_label, index_parts, index_site,
                            indexed_pages, plan_parts, previous_output, read_stamp)
from govsite.search_index import PartPostings, gram_hash, postings, shard_count, sharded_postings
from govsite.search_text import normalise, read_record, selector_xpath
from govsite.archive.replay import free_port
from govsite.build import build_group
from govsite.server_config import csp
from test_redirects import NGINX, nginx_runner, request  # noqa: F401 - the fixture is used by name

PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>
<body><nav>首页 导航 栏目</nav><main><article{body}><h1>{title}</h1><p>{text}</p></article></main></body></html>"""


def write_site(root: Path, pages: dict[str, tuple[str, str, bool]]) -> Path:
    for name, (title, text, indexed) in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAGE.format(title=title, text=text, body=" data-search-body" if indexed else ""), "utf-8")
    return root


def page_rows(part: Path) -> list[list]:
    return json.loads((part / "pages.json").read_text("utf-8"))["pages"]


def build(group, tmp_path, **settings):
    results = build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache", reports_dir=None,
                          records_dir=tmp_path / "records", archives_dir=tmp_path / "archives",
                          settings={"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": "2026-11-27", **settings})
    return {r.site_id: r for r in results}


def test_settings_are_validated_naming_the_key():
    assert SearchSettings.of(None).enabled is True
    with pytest.raises(SearchSettingsInvalid) as error:
        SearchSettings.of({"enable": True, "page_size": 0, "group": "yes", "exclude_selectors": "nav"})
    message = str(error.value)
    for key in ("GOVSITE_SEARCH['enable']", "GOVSITE_SEARCH['page_size']", "GOVSITE_SEARCH['group']",
                "GOVSITE_SEARCH['exclude_selectors']"):
        assert key in message, key
    with pytest.raises(SearchSettingsInvalid, match="a dict"):
        SearchSettings.of(["enabled"])


def test_only_the_content_region_is_indexed_and_an_unchanged_site_reuses_its_bundle(tmp_path):
    site = write_site(tmp_path / "site", {"a.html": ("优化营商环境", "持续优化营商环境。", True),
                                          "list/index.html": ("栏目列表", "列表页不进索引。", False)})
    settings = SearchSettings.of({})
    assert [p.name for p in indexed_pages(site)] == ["a.html"]
    first = index_site(site, settings)
    assert not first.reused and first.pages == 1
    assert read_stamp(site / "search-index")["pages"] == 1
    assert page_rows(site / "search-index") == [["a.html", "", "", "", "", 0]]  # the list page is not indexed
    # A rebuild into a fresh staging folder with the same pages copies the published bundle.
    staging = tmp_path / "output" / ".staging" / "d.example.gov.cn.1"
    shutil.copytree(site, staging, ignore=shutil.ignore_patterns("search-index"))
    published = tmp_path / "output" / "d.example.gov.cn"
    shutil.copytree(site, published)
    assert previous_output(staging, "d.example.gov.cn") == published
    for page in staging.rglob("*.html"):  # settled: FileMemo does not remember files modified seconds ago
        os.utime(page, (time.time() - 60, time.time() - 60))
    memo = tmp_path / "regions.json"  # region digests remembered by file identity, as the plugin does
    again = index_site(staging, settings, previous=published, memo=memo)
    assert again.reused and (staging / "search-index" / "pages.json").is_file()
    assert set(json.loads(memo.read_text("utf-8"))["files"]) == {"a.html", "list/index.html"}
    # A change outside the content region (navigation, related items) does not count.
    (staging / "a.html").write_text((staging / "a.html").read_text("utf-8").replace("首页 导航", "首页 新导航"), "utf-8")
    assert index_site(staging, settings, previous=published, memo=memo).reused
    # A changed content region is indexed again (the page was rewritten: not taken from the memo);
    # reuse = False always indexes.
    (staging / "a.html").write_text(PAGE.format(title="新标题", text="新内容。", body=" data-search-body"), "utf-8")
    changed = index_site(staging, settings, previous=published, memo=memo)
    assert not changed.reused and changed.indexed == 1
    assert not index_site(staging, SearchSettings.of({"reuse": False}), previous=published).reused


def test_a_large_site_is_indexed_in_parts_of_whole_folders(tmp_path):
    site = write_site(tmp_path / "site", {
        "about.html": ("关于本站", "本站介绍。", True),
        "news/202601/a.html": ("一月新闻", "教育工作会议。", True), "news/202601/b.html": ("一月要闻", "卫生健康。", True),
        "news/202602/c.html": ("二月新闻", "生态环境保护。", True), "list/index.html": ("列表", "列表。", False)})
    settings = SearchSettings.of({"part_pages": 3})
    result = index_site(site, settings)
    assert (result.pages, result.parts, result.indexed) == (4, 2, 2)
    stamp = read_stamp(site / "search-index")
    assert stamp["parts"] == ["part-2/"]
    main, part = page_rows(site / "search-index"), page_rows(site / "search-index" / "part-2")
    assert [r[0] for r in main] == ["about.html", "news/202601/a.html", "news/202601/b.html"]
    assert [r[0] for r in part] == ["news/202602/c.html"]
    linked = (site / "search-index" / "pages.json").stat().st_ino
    # A rebuild in place after one article changed indexes only that article's part.
    write_site(site, {"news/202602/c.html": ("二月新闻", "大气污染防治。", True)})
    again = index_site(site, settings)
    assert (again.parts, again.indexed) == (2, 1)
    assert (site / "search-index" / "pages.json").stat().st_ino == linked  # the unchanged part: hard-linked
    assert "大气" in (site / "search-index" / "part-2" / "t" / "0.json").read_text("utf-8")
    assert not (site / "search-index.previous").exists()


def test_parts_indexed_in_worker_processes_are_the_bytes_one_process_writes(tmp_path):
    """Several parts to index go to worker processes; what they write is what one process writes, and
    a part that cannot be read fails the indexing (no part silently missing)."""
    pages = {f"news/2026{month:02d}/{n}.html": (f"{month}月新闻{n}", f"第{n}项工作会议，投入{month * n}万元。", True)
             for month in range(1, 7) for n in range(3)}
    site = write_site(tmp_path / "site", pages)
    settings = SearchSettings.of({"part_pages": 3})
    parts = plan_parts([p.relative_to(site).as_posix() for p in indexed_pages(site)], 3)
    assert len(parts) == 6
    files = lambda root: {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}  # noqa: E731
    index_parts(parts, site, tmp_path / "one", settings, workers=1)
    index_parts(parts, site, tmp_path / "two", settings, workers=2)
    assert files(tmp_path / "one") == files(tmp_path / "two") and len(files(tmp_path / "one")) >= 18
    (site / "news/202604/1.html").unlink()
    with pytest.raises(FileNotFoundError, match="202604/1.html"):
        index_parts(parts, site, tmp_path / "three", settings, workers=2)


def test_a_process_indexing_a_part_again_reads_only_its_changed_pages(tmp_path, monkeypatch):
    """As ``govsite build --watch`` does: the second indexing of a part, one page changed, reads that page."""
    import govsite.search as search

    read = []
    monkeypatch.setattr(search, "read_record", lambda page, *args: read.append(page.name) or read_record(page, *args))
    search.remembered_record.cache_clear()
    pages = {f"news/{n}.html": (f"新闻{n}", f"第{n}项工作会议。", True) for n in range(5)}
    site = write_site(tmp_path / "site", pages)
    settings = SearchSettings.of({"reuse": False})
    index_site(site, settings)
    assert sorted(read) == [f"{n}.html" for n in range(5)]
    read.clear()
    write_site(site, {"news/3.html": ("新闻3", "第3项工作会议，已修订。", True)})
    index_site(site, settings)
    assert read == ["3.html"]
    assert "已修订" in (site / "search-index" / "t" / "0.json").read_text("utf-8")


def test_a_site_without_indexed_pages_gets_no_bundle(tmp_path):
    site = write_site(tmp_path / "site", {"index.html": ("首页", "首页。", False)})
    result = index_site(site, SearchSettings.of({}))
    assert result.pages == 0 and not (site / "search-index").exists()


def test_group_scope_word_follows_the_region():
    assert group_scope_label("霁川市人民政府") == "全市"
    assert group_scope_label("青禾县人民政府门户网站") == "全县"
    assert group_scope_label("云岭自治州人民政府") == "全州"


def test_the_plugin_indexes_every_site_and_the_portal_lists_its_departments(built_fixture):
    portal = built_fixture / "www.chenghu.gov.cn"
    assert read_stamp(portal / "search-index")["pages"] >= 3  # articles and standalone pages
    page = (portal / "search.html").read_text("utf-8")
    assert "data-group='[{" in page and "搜索范围" in page and "全市" in page
    departments = [p for p in built_fixture.iterdir() if p.is_dir() and not p.name.startswith(".") and p != portal]
    assert departments and all((d / "search-index" / "pages.json").is_file() for d in departments)
    assert "data-group='[]'" in (departments[0] / "search.html").read_text("utf-8")
    home = (portal / "index.html").read_text("utf-8")
    assert 'role="search"' in home and 'action="./search.html"' in home and "data-search-body" not in home


def test_search_can_be_switched_off(group, tmp_path):
    results = build(group, tmp_path, GOVSITE_SEARCH={"enabled": False})
    assert all(r.ok for r in results.values()), {k: r.error for k, r in results.items()}
    site = tmp_path / "output" / "www.chenghu.gov.cn"
    assert not (site / "search.html").exists() and not (site / "search-index").exists()
    assert 'role="search"' not in (site / "index.html").read_text("utf-8")


def test_csp_allows_no_script_evaluation_and_the_portal_reaches_its_departments(built_fixture):
    policy = csp(False)
    assert "script-src 'self';" in policy and "unsafe" not in policy  # no WebAssembly, no eval, no inline
    deploy = built_fixture / ".deploy"
    portal = (deploy / "www.chenghu.gov.cn" / "nginx.conf").read_text("utf-8")
    assert "connect-src 'self' https://*.chenghu.gov.cn;" in portal
    department = next(p for p in deploy.iterdir() if p.name != "www.chenghu.gov.cn")
    conf = (department / "nginx.conf").read_text("utf-8")
    assert "connect-src 'self';" in conf and "location ^~ /search-index/" in conf
    assert 'Header always set Access-Control-Allow-Origin "*"' in (department / "apache.conf").read_text("utf-8")


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx not installed")
def test_nginx_serves_the_bundle_with_cors_and_the_csp(group, tmp_path, nginx_runner):  # noqa: F811
    port = free_port()
    results = build(group, tmp_path, GOVSITE_SERVER={"tls": False, "http_port": port, "root": str(tmp_path / "output"),
                                                     "log_dir": str(tmp_path / "logs")})
    assert results["city"].ok, results["city"].error
    nginx_runner(tmp_path / "output", "www.chenghu.gov.cn", port)
    status, headers, body = request(port, "www.chenghu.gov.cn", "/search-index/govsite-search.json")
    assert status == 200 and b'"parts"' in body
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "script-src 'self';" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"  # the server's headers are repeated in the location
    status, headers, _ = request(port, "www.chenghu.gov.cn", "/index.html")
    assert status == 200 and "Access-Control-Allow-Origin" not in headers


def test_normalise_keeps_letters_digits_and_decimal_points_only():
    assert normalise("新建绿道３.５公里，投入1,200万元。Ｗord ﬁle 2026.11.27") == "新建绿道3.5公里 投入1 200万元 word file 2026.11.27"
    assert normalise("<script>alert('x')</script>") == "script alert x script"
    assert normalise("。，！") == ""


def test_a_record_has_the_region_text_and_facts_without_hidden_or_excluded_parts(tmp_path):
    page = tmp_path / "a.html"
    page.write_text(
        '<html><body><nav>导航</nav><article data-search-body data-search-meta="site:澄湖市&lt;政府&gt;"'
        ' data-search-filter="reprint:yes"><h1 data-search-meta="title">骆明远<em>主持</em>会议</h1>'
        '<dl data-search-meta="column:要闻"><dd><time data-search-meta="date">2026-11-17 09:00</time></dd></dl>'
        '<p>市长骆明\n远出席。</p><script>var hidden = 1;</script><p class="note x">不索引</p>'
        '<aside id="rel"><p>相关</p></aside><p>Hello\nworld &lt;b&gt;</p></article><footer>页脚</footer></body></html>',
        "utf-8")
    record = read_record(page, "a.html", selector_xpath([".note", "aside#rel p"]))
    assert (record.title, record.date, record.site, record.column, record.reprint) == (
        "骆明远主持会议", "2026-11-17 09:00", "澄湖市<政府>", "要闻", True)
    assert record.text == "骆明远主持会议 2026-11-17 09:00 市长骆明远出席。 Hello world <b>", record.text
    assert read_record(page, "a.html").text.count("不索引") == 1


def test_selectors_beyond_the_simple_ones_are_refused_naming_them():
    assert selector_xpath([]) is None
    for supported in ("nav", ".related-items", "div#x.y[data-a='1'] p", "table, figure"):
        assert selector_xpath([supported])
    with pytest.raises(SearchSettingsInvalid, match="a > b"):
        SearchSettings.of({"exclude_selectors": ["a > b"]})


def decode(flat: list[int], unigram: bool) -> dict[int, list[int]]:
    """The worker's reading of a posting list (search-worker.js posting())."""
    found, page, at = {}, 0, 0
    while at < len(flat):
        page += flat[at]
        if unigram:
            found[page], at = [], at + 1
            continue
        count, at, position, spots = flat[at + 1], at + 2, 0, []
        for delta in flat[at:at + count]:
            position += delta
            spots.append(position)
        found[page], at = spots, at + count
    return found


def test_postings_hold_every_bigram_position_and_every_character(tmp_path):
    texts = [normalise("骆明远 骆明远主持"), normalise("明远路 2026年"), normalise("骆")]
    found = postings(texts)
    assert decode(found["明远"], False) == {0: [1, 5], 1: [0]}
    assert decode(found["6年"], False) == {1: [7]} and decode(found["路 "], False) == {1: [2]}
    assert decode(found["骆"], True) == {0: [], 2: []}
    assert gram_hash("明远") == gram_hash("明远") and 0 <= gram_hash("明远") < 2 ** 32
    assert [shard_count(n) for n in (1, 4, 5, 100, 1000, 100000)] == [1, 1, 2, 32, 256, 256]


def reference_postings(texts: list[str]) -> dict[str, list[int]]:
    """The postings computed character by character (the index's first implementation): the oracle."""
    found: dict[str, list[int]] = {}
    last: dict[str, int] = {}
    for page, text in enumerate(texts):
        local: dict[str, list[int]] = {}
        for position in range(len(text) - 1):
            local.setdefault(text[position:position + 2], []).append(position)
        for gram, spots in local.items():
            found.setdefault(gram, []).extend([page - last.get(gram, 0), len(spots), spots[0],
                                               *(b - a for a, b in zip(spots, spots[1:]))])
            last[gram] = page
        for char in set(text) - {" "}:
            found.setdefault(char, []).append(page - last.get(char, 0))
            last[char] = page
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab 年月日骆明远1\U0001F600\U0010FFFF", max_size=40), max_size=8),
       st.sampled_from([1, 2, 8, 256]))
def test_sharded_postings_equal_the_character_by_character_postings(texts, shards):
    """The array computation gives every gram's list exactly, in the shard ``gram_hash`` names."""
    grouped = sharded_postings(texts, shards)
    merged = {gram: values for shard in grouped for gram, values in shard.items()}
    assert merged == reference_postings(texts)
    assert sum(map(len, grouped)) == len(merged)
    for number, shard in enumerate(grouped):
        assert all(gram_hash(gram) & (shards - 1) == number for gram in shard)
        assert list(shard) == sorted(shard, key=lambda g: (len(g) == 1, [ord(c) for c in g]))


def test_a_part_is_the_same_bytes_whatever_the_hash_seed(tmp_path):
    """String hashing differs per process (PYTHONHASHSEED): the written part must not depend on it."""
    import subprocess
    import sys

    script = ("import sys; from pathlib import Path; from govsite.search_index import write_part; "
              "from govsite.search_text import PageRecord; "
              "write_part(Path(sys.argv[1]), [PageRecord(f'a/{i}.html', 't', '2026-11-01', 's', 'c', False, "
              "'霁川市骆明远主持会议，新建绿道3.5公里，投入1200万元。Word file 年度报告' * (i + 1)) for i in range(9)])")
    for seed in ("1", "2"):
        subprocess.run([sys.executable, "-c", script, str(tmp_path / seed)], check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
    files = lambda root: {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}  # noqa: E731
    assert files(tmp_path / "1") == files(tmp_path / "2") and len(files(tmp_path / "1")) > 3


GRAMS = "ab 年月日骆明远1\U0001F600"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=GRAMS, max_size=30), min_size=1, max_size=8), st.sampled_from([1, 2, 8]),
       st.lists(st.tuples(st.integers(0, 7), st.text(alphabet=GRAMS, max_size=30)), max_size=5))
def test_spliced_postings_are_the_shards_a_fresh_computation_writes(texts, shards, edits):
    """``PartPostings`` spells every shard as ``write_part`` does, and after pages are replaced one by
    one (grams appearing, vanishing, moving) still spells exactly the fresh postings of the new texts."""
    spelled = lambda found: [json.dumps(s, ensure_ascii=False, separators=(",", ":")) if s else None  # noqa: E731
                             for s in found]
    remembered = PartPostings(texts, shards)
    assert [remembered.shard_text(n) for n in range(shards)] == spelled(sharded_postings(texts, shards))
    folder = Path(tempfile.mkdtemp(prefix="govsite-postings-"))  # kept as columns, texts from the files
    try:
        (folder / "s").mkdir()
        for number in range(shards):
            if remembered.shard_text(number):
                (folder / "s" / f"{number}.json").write_text(remembered.shard_text(number), "utf-8")
        remembered = PartPostings.restored(shards, remembered.columns(), folder)
        if remembered.shard_text(0):  # a file that is not the kept postings' is refused
            (folder / "s" / "0.json").write_text(remembered.shard_text(0) + " ", "utf-8")
            with pytest.raises(ValueError, match="0.json"):
                PartPostings.restored(shards, remembered.columns(), folder)
    finally:
        shutil.rmtree(folder)
    texts = list(texts)
    for page, text in edits:
        page %= len(texts)
        touched = remembered.replace_page(page, texts[page], text)
        before = spelled(sharded_postings(texts, shards))
        texts[page] = text
        after = spelled(sharded_postings(texts, shards))
        assert [remembered.shard_text(n) for n in range(shards)] == after
        assert {n for n in range(shards) if before[n] != after[n]} <= touched  # the others are linked


def bundle_files(bundle: Path) -> dict[str, bytes]:
    return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


def fresh_bundles(site: Path, scratch: Path, search: SearchSettings) -> tuple[dict, dict]:
    """The bundle a fresh ``index_site`` writes for ``site``'s pages, and the parts plain ``write_part``
    (``sharded_postings`` spelled by ``json``) writes."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(site, scratch / "site", ignore=shutil.ignore_patterns("search-index*"))
    index_site(scratch / "site", search)
    names = [p.relative_to(site).as_posix() for p in indexed_pages(site)]
    index_parts(plan_parts(names, search.part_pages), site, scratch / "plain", search, workers=1)
    return bundle_files(scratch / "site" / "search-index"), bundle_files(scratch / "plain")


EDIT = st.tuples(st.sampled_from(["text", "title", "texts", "outside", "add", "remove"]), st.integers(0, 20),
                 st.text(alphabet="营商环境会议 年月3.5公里ab", min_size=1, max_size=25))


@settings(max_examples=25, deadline=None)
@given(st.lists(EDIT, min_size=1, max_size=6))
@example([("text", 4, "营商环境 3.5公里"), ("title", 4, "会议"), ("outside", 1, "ab"), ("texts", 1, "年月"),
          ("add", 2, "新增营商"), ("text", 2, "会议a")])
@pytest.mark.parametrize("kept", ["process", "cache"])
def test_merging_changed_pages_writes_the_bytes_of_a_fresh_index(tmp_path_factory, kept, edits):
    """Rebuilds after random edits (a page's text or title, two pages of a part, a page outside its
    region, pages added and removed), each ``process``: in one process, as ``govsite build --watch``
    does, or ``cache``: each in a new process, the parts kept in the cache: every bundle equals a fresh
    index of the same pages byte for byte, and a part whose pages only changed is merged."""
    import govsite.search_merge as search_merge

    root = tmp_path_factory.mktemp("merge")
    cache = root / "parts" if kept == "cache" else None
    search_merge.forget()
    pages = {f"news/2026{n % 3:02d}/{n}.html": [f"新闻{n}", f"第{n}项营商环境工作会议，投入{n}万元。"] for n in range(9)}
    search = SearchSettings.of({"part_pages": 4})
    render = lambda names: write_site(root / "site", {  # noqa: E731
        name: (pages[name][0], pages[name][1], True) for name in names})
    render(pages)
    index_site(root / "site", search, memo=root / "memo.json", workers=1 if cache is None else 2,  # every part kept
               cache=cache)
    same_pages = True
    for kind, number, text in edits:
        names = sorted(pages)
        name = names[number % len(names)]
        folder = [n for n in names if n.rpartition("/")[0] == name.rpartition("/")[0]]
        second = folder[(folder.index(name) + 1) % len(folder)]  # "texts": another page of its folder (part) too
        before = [list(pages[name]), list(pages[second])]
        if kind in ("text", "texts"):
            pages[name][1] = text
            if kind == "texts":
                pages[second][1] = text + "会议"
        elif kind == "title":
            pages[name][0] = text
        elif kind == "outside":  # the navigation around the region changes: the page is not indexed again
            path = root / "site" / name
            path.write_text(path.read_text("utf-8").replace("首页 导航", f"首页 {text}"), "utf-8")
        elif kind == "add":
            pages[f"news/2026{number % 3:02d}/new{number}.html"] = [f"新增{number}", text]
        elif kind == "remove" and len(pages) > 1:
            del pages[name]
            (root / "site" / name).unlink()
        if kind in ("text", "texts", "title", "add"):
            render([n for n in pages if n in (name, second) or n.endswith(f"/new{number}.html")])
        if cache is not None:
            search_merge.forget()  # a new process: nothing remembered
        result = index_site(root / "site", search, memo=root / "memo.json", cache=cache)
        if cache is not None:
            assert sorted(p.stem for p in cache.iterdir()) == sorted(
                e["fingerprint"] for e in read_stamp(root / "site" / "search-index")["index"])
        fresh, plain = fresh_bundles(root / "site", root / "fresh", search)
        built = bundle_files(root / "site" / "search-index")
        assert built == fresh
        assert {k: v for k, v in built.items() if not k.endswith("govsite-search.json")} == plain
        same_pages &= kind not in ("add", "remove") or cache is not None  # planned again: indexed in workers
        if kind == "outside":
            assert result.indexed == 0
        elif kind in ("text", "texts", "title") and same_pages:  # the example: 3 merges
            assert result.merged == result.indexed == (before != [pages[name], pages[second]]), (kind, result)



SEGMENTS = st.lists(st.sampled_from(["a", "a-b", "a.b", "B", "年", ".d", "_"]), min_size=1, max_size=3)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(SEGMENTS, st.sampled_from([".html", ".HTML", ".htm", ".json"])), max_size=12))
def test_page_names_are_the_pages_sorted_by_path_segments(tmp_path_factory, files):
    """``page_names`` walks each folder in name order: the list sorting every path's segments gives,
    dot-files and dot-folders left out."""
    from govsite.files import page_names, relative_files

    root = tmp_path_factory.mktemp("names")
    for segments, suffix in files:
        target = root.joinpath(*segments[:-1], segments[-1] + suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x")
    expected = sorted((name for name in relative_files(root) if not name.rpartition("/")[2].startswith(".")
                       and os.path.splitext(name)[1].lower() in (".html", ".htm")), key=lambda name: name.split("/"))
    assert page_names(root) == expected


def test_a_damaged_kept_part_is_removed_and_its_part_indexed_whole(tmp_path, caplog):
    import govsite.search_merge as search_merge

    search_merge.forget()
    site = write_site(tmp_path / "site", {f"news/{n}.html": (f"新闻{n}", f"第{n}项工作会议。", True) for n in range(3)})
    settings, cache = SearchSettings.of({}), tmp_path / "parts"
    index_site(site, settings, cache=cache)
    [kept] = cache.iterdir()
    kept.write_bytes(b"not a kept part")
    search_merge.forget()
    write_site(site, {"news/1.html": ("新闻1", "第1项工作会议，已修订。", True)})
    result = index_site(site, settings, cache=cache)
    assert (result.indexed, result.merged) == (1, 0) and "removed" in caplog.text and str(kept) in caplog.text
    fresh, plain = fresh_bundles(site, tmp_path / "fresh", settings)
    assert bundle_files(site / "search-index") == fresh
    [kept] = cache.iterdir()  # kept anew, for the next merge
    search_merge.forget()
    write_site(site, {"news/2.html": ("新闻2", "第2项工作会议，已修订。", True)})
    assert index_site(site, settings, cache=cache).merged == 1


def test_a_kept_part_holding_a_link_is_indexed_whole_not_linked(tmp_path):
    """A link planted in the published bundle (pointing out of the site) is neither followed nor
    published: the part it is in is indexed again."""
    site = write_site(tmp_path / "site", {f"news/{n}.html": (f"新闻{n}", f"第{n}项工作会议。", True) for n in range(3)})
    settings = SearchSettings.of({})
    index_site(site, settings)
    secret = tmp_path / "secret.txt"
    secret.write_text("机密 outside the site", "utf-8")
    (site / "search-index" / "s" / "999.json").symlink_to(secret)
    result = index_site(site, settings)
    assert result.indexed == 1, "a part holding a link was linked"
    bundle = site / "search-index"
    assert not any(p.is_symlink() for p in bundle.rglob("*"))
    assert all("机密".encode() not in data for data in bundle_files(bundle).values())
    fresh, _ = fresh_bundles(site, tmp_path / "fresh", settings)
    assert bundle_files(bundle) == fresh
    assert secret.read_text("utf-8") == "机密 outside the site"
