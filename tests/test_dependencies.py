"""The writer's graph of what each page shows (``govsite.dependencies``), checked against the output:
after random edits of existing articles' titles, summaries and bodies, every file whose bytes changed
is a page the previous build's graph names for the edited article (or a file derived from every page:
the search index, the manifest)."""

from __future__ import annotations

import os
import random
import shutil

from govsite import dependencies, incremental
from govsite.build import build_group
from govsite.dependencies import ALL, SLICED, dependants

from conftest import DEMO_DAY, FIXTURES

#: Column list pages of 4 items: the news column's 14 items take 4 pages.
SETTINGS = {"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": DEMO_DAY, "DEFAULT_PAGINATION": 4}
#: Files every build derives from all the pages.
DERIVED = ("search-index/", ".govsite-manifest.json", ".govsite-manifest.sig")
WORDS = ("澄湖市", "召开", "会议", "部署", "冬季", "道路", "保畅", "工作", "重点项目", "推进", "供暖", "服务")


def tree(folder):
    return {os.path.relpath(os.path.join(d, n), folder): open(os.path.join(d, n), "rb").read()
            for d, _, names in os.walk(folder) for n in names}


def build(content, tmp_path):
    results = build_group(content, tmp_path / "output", cache_dir=tmp_path / "cache", reports_dir=tmp_path / "reports",
                          records_dir=tmp_path / "records", settings=SETTINGS, in_process=True)
    assert all(r.ok for r in results), [r.error for r in results]
    return {r.site_id: r.domain for r in results}


def edit(path, rng, kind=None):
    """A new title, summary or body: the article keeps its URL, date and column."""
    words = "".join(rng.choice(WORDS) for _ in range(5))
    head, body = path.read_text("utf-8").split("\n\n", 1)
    kind = kind or rng.choice(["Title", "Title", "Summary", "body"])
    if kind == "body":
        body += f"\n{words}。\n"
    else:
        head = "\n".join(f"{kind}: {words}" if line.startswith(f"{kind}: ") else line for line in head.split("\n"))
    path.write_text(f"{head}\n\n{body}", "utf-8")
    return kind


def group(tmp_path):
    """The fixture group with 12 more news items on the city site (related items, several list pages)."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "group", content)
    for day in range(12):
        (content / "city" / "articles" / f"2026110{day % 9 + 1}-more{day}.md").write_text(
            f"Title: 澄湖市工作动态{day}\nDate: 2026-11-0{day % 9 + 1} {8 + day % 9:02d}:00\nCategory: news\n"
            "Source: 澄湖市人民政府办公室\nAuthor: 周敏\nReviewer: 陈立\nSummary: 工作动态。\nKeywords: 动态\n\n"
            f"工作动态第{day}条。\n", "utf-8")
    return content


def test_every_page_an_edit_changes_is_one_the_graph_names(tmp_path, monkeypatch):
    """With every page keyed (the writer does not keep pages by this graph, which would hide its gaps)."""
    monkeypatch.setattr(incremental, "kept_in_place", lambda *args: None)
    content = group(tmp_path)
    domains = build(content, tmp_path)
    rng = random.Random(int(os.environ.get("GOVSITE_DEPENDENCIES_SEED", "3")))
    narrow = 0
    newest = content / "city" / "articles" / "20261109-more8.md"  # shown as related on the column's other pages
    edits = [(newest, "Title"), (content / "city" / "articles" / "20261105-more4.md", "Title")]  # mid-page
    for step in range(int(os.environ.get("GOVSITE_DEPENDENCIES_STEPS", "12"))):
        path, kind = edits[step] if step < len(edits) else (rng.choice(sorted(content.glob("*/articles/**/*.md"))), None)
        site = path.relative_to(content).parts[0]
        graph = dict(dependencies.last_built[site])
        before = tree(tmp_path / "output" / domains[site])
        kind = edit(path, rng, kind)
        build(content, tmp_path)
        after = tree(tmp_path / "output" / domains[site])
        changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
        named = dependants(graph, {os.path.abspath(path)})
        missed = sorted(n for n in changed if n not in named and not n.startswith(DERIVED))
        assert not missed, f"step {step}: {kind} of {path.relative_to(content)} changed pages the graph does not name: {missed}"
        assert changed, f"step {step}: the edit changed nothing"
        narrow += sum(ALL not in graph[n] for n in changed if n in graph)
    assert narrow, "no change was explained by a page's own articles (every page taken as showing ALL)"


def test_the_graph_is_what_the_pages_list(tmp_path):
    """An article page shows itself and its related items; a column's list page only its own page of
    items; the home page every article."""
    content = group(tmp_path)
    build(content, tmp_path)
    graph = dependencies.last_built["city"]
    notice = os.path.abspath(content / "city" / "articles" / "20261015-notice.md")
    article_pages = [n for n, what in graph.items() if notice in what and ALL not in what and n.endswith(".html")]
    assert article_pages and graph["index.html"] == frozenset({ALL})
    assert any(n.startswith("notices/") for n in article_pages), article_pages  # its column's list page
    lists = sorted(n for n in graph if n.startswith("news/") and "/20" not in n and n.endswith(".html"))
    assert len(lists) == 4 and all(len(graph[n]) <= 4 for n in lists), {n: len(graph[n]) for n in lists}
    assert set().union(*(graph[n] for n in lists)) >= {os.path.abspath(p) for p in content.glob("city/**/*more*.md")}
    assert "category" in SLICED


def test_a_list_page_is_kept_while_what_it_lists_is_unchanged(tmp_path):
    """An edited item's column list page is rendered again; the column's other list pages are kept
    (the same file as before), as article pages are."""
    content = group(tmp_path)
    domains = build(content, tmp_path)
    graph = dependencies.last_built["city"]
    edited = content / "city" / "articles" / "20261105-more4.md"
    lists = sorted(n for n in graph if n.startswith("news/index") and n.endswith(".html"))
    holding = [n for n in lists if os.path.abspath(edited) in graph[n]]
    assert len(lists) == 4 and len(holding) == 1
    live = tmp_path / "output" / domains["city"]
    before = {n: (live / n).stat().st_ino for n in lists}
    edit(edited, random.Random(1), "Title")
    title = edited.read_text("utf-8").split("\n", 1)[0].removeprefix("Title: ")
    build(content, tmp_path)
    after = {n: (live / n).stat().st_ino for n in lists}
    assert title in (live / holding[0]).read_text("utf-8") and after[holding[0]] != before[holding[0]]
    assert all(after[n] == before[n] for n in lists if n != holding[0]), (before, after)


def test_an_article_page_shows_every_article_its_attributes_hold():
    """Related items, translations, or an article a stage attaches under any name: as the page's key
    covers them (``incremental.stable``), so does the graph."""
    from pelican.contents import Article

    def article(name):
        return Article("", metadata={"title": name}, source_path=f"/s/{name}.md")

    page, other, first, second = article("page"), article("other"), article("first"), article("second")
    page.related_items, page.neighbour, page.listed = [first], other, (second,)
    page.translations, page.tags = [], ["not an article"]
    assert dependencies.shown_by_article(page) == {"/s/page.md", "/s/other.md", "/s/first.md", "/s/second.md"}
