"""Pages kept without their keys (``IncrementalWriter.keep_untouched``): in a watching process, when
the only inputs changed since the site's last build are articles edited in place (same URL, date,
column, status, language), a page whose graph entry shows none of them is kept with its previous key.
Each build is compared with a clean full build of the same content; every other kind of change must
take the ordinary path (every page keyed)."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest

from govsite import dependencies, incremental
from govsite.build import build_group
from govsite.dependencies import Inputs, edited_articles, kept_in_place

from test_content_index import age
from test_dependencies import SETTINGS, edit, group, tree

#: An article that other article pages list among their related items (the column's newest).
NEWEST = "city/articles/20261109-more8.md"


def watch_build(content: Path, base: Path, settings: dict = SETTINGS, full: bool = False):
    results = build_group(content, base / "output", cache_dir=base / "cache", reports_dir=base / "reports",
                          records_dir=base / "records", settings=settings, in_process=True, full=full)
    assert all(r.ok for r in results), [r.error for r in results]
    return {r.site_id: r for r in results}


def full_build(content: Path, base: Path, settings: dict = SETTINGS) -> dict[str, dict[str, bytes]]:
    results = build_group(content, base / "output", cache_dir=base / "cache", reports_dir=base / "reports",
                          records_dir=base / "records", settings=settings, full=True)
    assert all(r.ok for r in results), [r.error for r in results]
    return {r.site_id: tree(base / "output" / r.domain) for r in results}


def assert_same_as_full(content: Path, tmp_path: Path, results: dict, settings: dict = SETTINGS) -> None:
    full = full_build(content, tmp_path / f"full{len(list(tmp_path.glob('full*')))}", settings)
    for site, result in results.items():
        built = tree(tmp_path / "watch" / "output" / result.domain)
        differ = sorted(n for n in built.keys() | full[site].keys() if built.get(n) != full[site].get(n)
                        and not n.startswith(".govsite-manifest"))  # the manifest records build times
        assert not differ, f"{site}: differs from a full build in {differ[:20]}"


@pytest.fixture
def watched(tmp_path):
    """The group built twice in this process (the second build knows the first's graph and inputs)."""
    content = group(tmp_path)
    age(content)  # files saved in the last 2 s count as edited at every build until they settle
    watch_build(content, tmp_path / "watch")
    watch_build(content, tmp_path / "watch")
    return content


def test_an_in_place_edit_keeps_the_pages_not_showing_it_and_matches_a_full_build(watched, tmp_path):
    edited = watched / NEWEST
    graph = dependencies.last_built["city"]
    showing = dependencies.dependants(graph, {os.path.abspath(edited)})
    related_on = [n for n in showing if dependencies.ALL not in graph[n] and n.endswith(".html")]
    assert len(related_on) > 2, related_on  # its own page, its list page, pages listing it as related
    edit(edited, random.Random(5), "Title")
    title = edited.read_text("utf-8").split("\n", 1)[0].removeprefix("Title: ")
    results = watch_build(watched, tmp_path / "watch")
    city = results["city"]
    assert city.untouched >= len(graph) - len(showing) - 10, (city.untouched, len(graph), len(showing))
    live = tmp_path / "watch" / "output" / city.domain
    assert all(title in (live / n).read_text("utf-8") for n in related_on)
    assert_same_as_full(watched, tmp_path, results)


def test_a_racy_edit_is_read_again_at_the_next_build(watched, tmp_path):
    """An article saved just before a build (too recently to tell a second save by its identity) counts
    as edited at the next build too; that build still keeps the pages not showing it."""
    path = watched / NEWEST
    edit(path, random.Random(6), "body")
    watch_build(watched, tmp_path / "watch")
    assert dependencies.inputs_built["city"].files["articles/20261109-more8.md"] is None
    before = path.stat()
    text = path.read_text("utf-8")
    path.write_text(text.replace("工作动态", "动态工作", 1), "utf-8")  # the same size, in place
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same identity: a save in the same tick
    assert (path.stat().st_ino, path.stat().st_size, path.stat().st_mtime_ns) == \
        (before.st_ino, before.st_size, before.st_mtime_ns)
    edit(watched / "city/articles/20261101-more0.md", random.Random(6), "Title")  # a build must run
    results = watch_build(watched, tmp_path / "watch")
    assert results["city"].untouched > 0
    assert_same_as_full(watched, tmp_path, results)


def redate(path: Path) -> None:
    path.write_text(re.sub(r"(?m)^Date: 2026-11-0\d", "Date: 2026-11-10", path.read_text("utf-8"), count=1), "utf-8")


def hide(path: Path) -> None:
    """Status: hidden keeps the page (and its URL) but takes the article off its lists."""
    head, body = path.read_text("utf-8").split("\n\n", 1)
    path.write_text(f"{head}\nStatus: hidden\n\n{body}", "utf-8")


def add(path: Path) -> None:
    (path.parent / "20261108-added.md").write_text(path.read_text("utf-8").replace("Title: ", "Title: 新增", 1),
                                                    "utf-8")


def site_toml(path: Path) -> None:
    toml = path.parents[2] / "city" / "site.toml"
    toml.write_text(toml.read_text("utf-8").replace('name = "要闻动态"', 'name = "要闻与动态"', 1), "utf-8")


def attachment(path: Path) -> None:
    files = sorted(p for p in (path.parents[1] / "attachments").rglob("*") if p.is_file())
    files[0].write_bytes(files[0].read_bytes() + b"\n")


@pytest.mark.parametrize("change", [redate, hide, add, site_toml, attachment])
def test_any_other_change_keys_every_page(change, watched, tmp_path):
    """A re-dated, hidden or added article, a site.toml or attachment change: every page keyed again."""
    change(watched / NEWEST)
    results = watch_build(watched, tmp_path / "watch")
    assert results["city"].untouched == 0
    assert_same_as_full(watched, tmp_path, results)


def test_lists_not_ordered_by_date_key_every_page(watched, tmp_path):
    settings = {**SETTINGS, "ARTICLE_ORDER_BY": "title"}
    watch_build(watched, tmp_path / "watch", settings)
    watch_build(watched, tmp_path / "watch", settings)
    edit(watched / NEWEST, random.Random(7), "Title")
    results = watch_build(watched, tmp_path / "watch", settings)
    assert results["city"].untouched == 0
    assert_same_as_full(watched, tmp_path, results, settings)


def test_the_graph_is_what_keeps_pages(watched, tmp_path, monkeypatch):
    """Mutation check: a graph that leaves out related items keeps stale pages (which the full-build
    comparison catches), so the comparisons above can fail."""
    monkeypatch.setattr(incremental, "shown_by_article", lambda article: frozenset({article.source_path}))
    watch_build(watched, tmp_path / "watch", full=True)  # every page rendered: records the mutated graph
    edit(watched / NEWEST, random.Random(8), "Title")
    results = watch_build(watched, tmp_path / "watch")
    with pytest.raises(AssertionError, match="differs from a full build"):
        assert_same_as_full(watched, tmp_path, results)


IDENTITY = (1, 10, 0)


def inputs(files, render="r", record="", output="/out") -> Inputs:
    return Inputs(render, files, record, output)


@pytest.mark.parametrize("now, expected", [
    ({"site.toml": IDENTITY, "articles/a.md": (2, 10, 5)}, {"/site/articles/a.md"}),
    ({"site.toml": IDENTITY, "articles/a.md": (2, 10, 0)}, set()),
    ({"site.toml": (1, 11, 0), "articles/a.md": (2, 10, 5)}, None),  # site.toml edited
    ({"site.toml": IDENTITY, "articles/a.md": (2, 10, 0), "articles/b.md": IDENTITY}, None),  # added
    ({"site.toml": IDENTITY}, None),  # deleted
])
def test_edited_articles_are_article_files_only(now, expected):
    built = inputs({"site.toml": IDENTITY, "articles/a.md": (2, 10, 0)})
    assert edited_articles(built, inputs(now), "/site") == (None if expected is None else frozenset(expected))


def test_edited_articles_needs_the_same_render_record_output_and_settled_files():
    files = {"articles/a.md": IDENTITY}
    assert edited_articles(None, inputs(files), "/site") is None
    for changed in ({"render": "r2"}, {"record": "x"}, {"output": "/other"}):
        assert edited_articles(inputs(files), inputs(files, **changed), "/site") is None
    assert edited_articles(inputs({"articles/a.md": None}), inputs(files), "/site") == {"/site/articles/a.md"}
    assert edited_articles(inputs({"articles/x.png": None}), inputs({"articles/x.png": IDENTITY}), "/site") is None


def test_kept_in_place_needs_every_edit_read_again_in_its_place():
    edits = frozenset({"/a.md"})
    read = {dependencies.PLACEMENTS: {"/a.md": "p"}}
    assert kept_in_place(edits, {"/a.md": "p"}, read) == edits
    assert kept_in_place(edits, {"/a.md": "q"}, read) is None  # moved
    assert kept_in_place(edits, {"/a.md": "p"}, {}) is None  # not read again (taken from memory)
    assert kept_in_place(edits, {"/a.md": "p"}, {**read, "ARTICLE_ORDER_BY": "title"}) is None
    assert kept_in_place(None, {}, read) is None


def failed_build(content: Path, base: Path) -> None:
    results = build_group(content, base / "output", cache_dir=base / "cache", reports_dir=base / "reports",
                          records_dir=base / "records", settings=SETTINGS, in_process=True)
    assert not all(r.ok for r in results)


@pytest.mark.parametrize("change", [lambda p: edit(p, random.Random(9), "Title"), redate])
def test_an_edit_read_by_a_failed_build_is_compared_with_the_last_successful_one(change, watched, tmp_path):
    """The content index serves an article as a build that failed read it; the pages showing it are
    keyed again, and its placement is compared with the last successful build's."""
    edited, other = watched / NEWEST, watched / "city/articles/20261101-more0.md"
    good = other.read_text("utf-8")
    change(edited)
    other.write_text(good.replace("Title: ", "Slug: Bad_Slug\nTitle: ", 1), "utf-8")
    age(edited), age(other)
    failed_build(watched, tmp_path / "watch")  # reads both; the index keeps the edited one
    other.write_text(good, "utf-8")
    age(other)
    results = watch_build(watched, tmp_path / "watch")
    assert (results["city"].untouched > 0) is (change is not redate)
    assert_same_as_full(watched, tmp_path, results)


def test_an_in_place_edit_keeps_the_feeds_not_listing_it(watched, tmp_path):
    """A feed's bytes are its items': a feed listing none of the edited articles is the previous
    build's file (the same inode), one listing it is written again, and both match a full build."""
    edited = watched / NEWEST
    graph = dependencies.last_built["city"]
    live = tmp_path / "watch" / "output" / watch_build(watched, tmp_path / "watch")["city"].domain
    feeds = {name: (live / name).stat().st_ino for name in graph if name.endswith(".xml") and (live / name).is_file()}
    listing = {name for name in feeds if os.path.abspath(edited) in graph[name]}
    assert listing and set(feeds) - listing, sorted(feeds)
    edit(edited, random.Random(7), "Title")
    results = watch_build(watched, tmp_path / "watch")
    after = {name: (live / name).stat().st_ino for name in feeds}
    assert {name for name in feeds if after[name] != feeds[name]} == listing
    assert_same_as_full(watched, tmp_path, results)
