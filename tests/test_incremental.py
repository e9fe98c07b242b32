"""Incremental builds (govsite/fingerprint.py, govsite/incremental.py, govsite/build.py): unchanged
sites skipped, unchanged article pages kept with their bytes and mtime, changes shown everywhere,
a failed build leaves the live output untouched."""

import os
import shutil
from pathlib import Path

import pytest

from govsite.archive.manifest import verify_deploy
from govsite.build import build_group, state_files, BuildOptions
from govsite.errors import GovsiteError
from govsite.incremental import (SETTING, IncrementalWriter, Members, Opaque, check_kept, index_memberships, kept_inodes,
                                 save_json, stable)

from conftest import DEMO_DAY, FIXTURES, GroupCopy

SETTINGS = {"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": DEMO_DAY}
CITY = "www.chenghu.gov.cn"
DEPT = "jtj.chenghu.gov.cn"
SECOND = "news/202610/20261020-second-news.html"
FIRST = "news/202611/20261101-first-news.html"
THEME = Path(__file__).resolve().parent.parent / "govsite" / "theme"


def build(group, tmp_path, settings=None, **kwargs):
    """Build the group in tmp_path (output, cache, reports, records); every site must succeed."""
    results = build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache",
                          reports_dir=tmp_path / "reports", records_dir=tmp_path / "records",
                          settings={**SETTINGS, **(settings or {})}, **kwargs)
    assert all(r.ok for r in results), [r.error for r in results]
    return {r.site_id: r for r in results}


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file's bytes, mtime and inode."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino)
            for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    """The fixture group built once (a first, full build) with its content, cache, records, reports."""
    base = tmp_path_factory.mktemp("incremental")
    shutil.copytree(FIXTURES / "group", base / "content")
    results = build(GroupCopy(base / "content"), base)
    assert {r.status for r in results.values()} == {"built"}
    return base


@pytest.fixture
def built(built_once, tmp_path):
    """A private copy of the built group (files keep their bytes and mtimes) and its content."""
    for folder in ("content", "output", "cache", "records", "reports"):
        shutil.copytree(built_once / folder, tmp_path / folder)
    return GroupCopy(tmp_path / "content"), tmp_path


def test_unchanged_group_is_skipped_and_output_untouched(built):
    group, tmp_path = built
    before = snapshot(tmp_path / "output")
    results = build(group, tmp_path)
    assert {r.status for r in results.values()} == {"unchanged"}
    assert results["city"].pages > 0  # the page count of the last build is reported
    assert snapshot(tmp_path / "output") == before


def test_one_changed_article_renders_only_that_page(built):
    group, tmp_path = built
    site = tmp_path / "output" / CITY
    before = snapshot(site)
    article = group.root / "city" / "articles" / "20261020-second-news.md"
    article.write_text(article.read_text("utf-8").replace("澄湖市开展秋季植树活动", "澄湖市开展冬季植树活动"), "utf-8")
    results = build(group, tmp_path)
    assert results["dept"].status == "unchanged"
    city = results["city"]
    assert city.status == "built"
    # the changed page, and the pages listing it among their related items, are rendered again
    assert city.kept >= 1 and city.rendered >= 1 and city.rendered < city.rendered + city.kept
    after = snapshot(site)
    assert "冬季植树" in after[SECOND][0].decode()
    assert "冬季植树" in after["news/index.html"][0].decode()  # its column's list page
    assert "冬季植树" in after["index.html"][0].decode()  # the home page
    assert "秋季植树" not in after["index.html"][0].decode()
    changed = {name for name in after if name in before and after[name][:2] != before[name][:2]}
    assert SECOND in changed
    # Unchanged files keep their bytes AND mtime (rsync sends only what changed) ...
    unchanged = [name for name in after if name in before and after[name][0] == before[name][0]]
    assert "theme/css/site.css" in unchanged and "about.html" in unchanged
    assert all(after[name][1] == before[name][1] for name in unchanged)
    # ... and pages whose bytes changed get a new mtime
    assert all(after[name][1] != before[name][1] for name in changed)
    # kept article pages are the previous build's files, hard-linked (nothing copied); so is the list
    # page of the column the change is not in (what it lists is unchanged)
    linked = [name for name in after if name in before and after[name][2] == before[name][2]]
    lists = [name for name in linked if name.rsplit("/", 1)[-1].startswith("index")]
    assert len([name for name in linked if name.endswith(".html") and name not in lists]) == city.kept
    assert lists == ["notices/index.html"]
    assert verify_deploy(site).ok  # the manifest (entries of kept pages reused) describes the new output


def test_edited_or_added_output_file_rebuilds_the_site_in_full(built):
    group, tmp_path = built
    site = tmp_path / "output" / CITY
    page = site / SECOND
    original = page.read_bytes()
    page.write_text("tampered", "utf-8")
    (site / "stray.html").write_text("stray", "utf-8")
    results = build(group, tmp_path)
    assert results["city"].status == "built" and results["city"].kept == 0  # nothing reused from that output
    assert results["dept"].status == "unchanged"
    assert page.read_bytes() == original and not (site / "stray.html").exists()


def test_deleted_article_disappears(built):
    group, tmp_path = built
    (group.root / "city" / "articles" / "20261020-second-news.md").unlink()
    (group.root / "city" / "redirects.csv").write_text(f"old_url,new_path\n/{SECOND},news/index.html\n", "utf-8")
    results = build(group, tmp_path)
    site = tmp_path / "output" / CITY
    assert results["city"].status == "built"
    assert "20261020-second-news" not in (site / "news" / "index.html").read_text("utf-8")
    assert "20261020-second-news" not in (site / "sitemap.xml").read_text("utf-8")
    assert "20261020-second-news" not in (site / FIRST).read_text("utf-8")  # gone from related items
    # the old URL now holds the redirect page (the previous build's article page is not kept)
    assert "article-body" not in (site / SECOND).read_text("utf-8")


def test_theme_change_renders_everything(built):
    group, tmp_path = built
    theme = tmp_path / "theme"
    shutil.copytree(THEME, theme)
    template = theme / "templates" / "base.html"
    template.write_text(template.read_text("utf-8").replace("<body ", "<body data-bench-edit=\"1\" ", 1), "utf-8")
    results = build(group, tmp_path, settings={"THEME": str(theme)})
    assert {r.status for r in results.values()} == {"built"}
    assert results["city"].kept == 0 and results["city"].rendered == 3
    for page in (SECOND, "index.html", "news/index.html"):
        assert 'data-bench-edit="1"' in (tmp_path / "output" / CITY / page).read_text("utf-8")


def test_settings_day_and_site_toml_changes_rebuild(built):
    group, tmp_path = built
    assert build(group, tmp_path, settings={"GOVSITE_HOME_ITEMS": 5})["city"].status == "built"
    assert build(group, tmp_path, settings={"GOVSITE_HOME_ITEMS": 5})["city"].status == "unchanged"
    assert build(group, tmp_path, settings={"GOVSITE_HOME_ITEMS": 5, "GOVSITE_TODAY": "2026-11-28"})[
        "dept"].status == "built"  # the build day: banners, notices, freshness
    group.set("city", "operator", '"澄湖市大数据中心"')  # the portal's site.toml: every site shows it or its notices
    results = build(group, tmp_path, settings={"GOVSITE_HOME_ITEMS": 5, "GOVSITE_TODAY": "2026-11-28"})
    assert results["city"].status == results["dept"].status == "built"
    assert results["city"].kept == 0  # the render fingerprint changed: every page rendered again


def test_site_file_outside_articles_renders_every_page(built):
    group, tmp_path = built
    about = group.root / "city" / "pages" / "about.md"
    about.write_text(about.read_text("utf-8") + "\n补充。\n", "utf-8")  # pages may show on every page
    results = build(group, tmp_path)
    assert results["city"].status == "built" and results["city"].kept == 0 and results["city"].rendered == 3
    assert results["dept"].status == "unchanged"


def test_full_flag_and_missing_output_rebuild(built):
    group, tmp_path = built
    results = build(group, tmp_path, full=True)
    assert {r.status for r in results.values()} == {"built"} and results["city"].kept == 0
    shutil.rmtree(tmp_path / "output" / DEPT)
    assert build(group, tmp_path)["dept"].status == "built"


def test_failed_incremental_build_keeps_live_output_and_state(built):
    group, tmp_path = built
    site = tmp_path / "output" / CITY
    before = snapshot(site)
    options = BuildOptions(str(group.root), str(tmp_path / "output"), str(tmp_path / "cache"))
    fingerprint_file, keys_file = state_files(options, "city")
    state_before = fingerprint_file.read_bytes(), keys_file.read_bytes()
    # an image without a text alternative fails the accessibility gate, after every page was written
    article = group.root / "city" / "articles" / "20261015-notice.md"
    article.write_text(article.read_text("utf-8") + '\n<img src="../../images/chart.png">\n', "utf-8")
    results = build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache",
                          reports_dir=tmp_path / "reports", records_dir=tmp_path / "records", settings=SETTINGS)
    city = {r.site_id: r for r in results}["city"]
    assert not city.ok and city.status == "failed"
    assert snapshot(site) == before  # bytes, mtimes and inodes: nothing was written through
    assert (fingerprint_file.read_bytes(), keys_file.read_bytes()) == state_before
    assert not (tmp_path / "output" / ".staging").exists()


def test_stable_representation():
    assert stable({"b": [1, "x"], "a": None}) == [["a", None], ["b", [1, "x"]]]
    with pytest.raises(Opaque):
        stable(object())  # no stable representation: the page is always rendered



def kept_page(tmp_path):
    """A live page kept (linked) into a staging folder by the writer, as in an incremental build."""
    live, staging = tmp_path / "live", tmp_path / "staging"
    (live / "news").mkdir(parents=True)
    (live / "news" / "a.html").write_text("live page", "utf-8")
    save_json(tmp_path / "keys.json", {"news/a.html": "key"})
    settings = {SETTING: {"previous": str(live), "state": str(tmp_path / "keys.json"), "render": "r"}}
    writer = IncrementalWriter(str(staging), settings=settings)
    assert writer._keep("news/a.html")
    staged = staging / "news" / "a.html"
    assert staged.stat().st_ino == (live / "news" / "a.html").stat().st_ino  # a link, not a copy
    return writer, settings, live / "news" / "a.html", staged


def test_writing_a_kept_page_again_never_writes_through_to_the_live_page(tmp_path):
    writer, settings, live, staged = kept_page(tmp_path)
    with writer._open_w(str(staged), "utf-8", override=True) as handle:
        handle.write("new page")
    assert live.read_text("utf-8") == "live page" and staged.read_text("utf-8") == "new page"
    check_kept(settings)  # replaced by a new file: nothing to report


def test_a_kept_page_written_in_place_fails_the_build(tmp_path):
    _, settings, live, staged = kept_page(tmp_path)
    check_kept(settings)
    with open(staged, "a", encoding="utf-8") as handle:  # a careless writer: in place, through the link
        handle.write(" changed")
    with pytest.raises(GovsiteError, match="written in place through the link.*news/a.html"):
        check_kept(settings)


def test_column_membership_is_by_identity_and_shared_with_the_context():
    class Item:  # like Pelican's Content: no __eq__, so ``in`` means identity
        pass

    a, b, c = Item(), Item(), Item()

    class Generator:
        categories = [("news", [a, b])]
        authors = [("editor", [c])]
        tags = {"t": [b]}

    context_categories = Generator.categories  # the template context holds the same list
    index_memberships(Generator)
    news = context_categories[0][1]
    assert isinstance(news, Members) and list(news) == [a, b] and a in news and c not in news
    assert [x for x in [c, b, a] if x in news] == [b, a], "Pelican's dates: its order, these members"
    assert isinstance(Generator.tags["t"], Members) and b in Generator.tags["t"]


def test_content_digests_are_remembered_and_an_edit_of_the_same_size_is_seen(tmp_path):
    import json
    import os
    import time

    from govsite.file_memo import FileMemo
    from govsite.fingerprint import tree_digest

    folder = tmp_path / "site"
    (folder / "articles").mkdir(parents=True)
    article = folder / "articles" / "a.md"
    article.write_text("Title: 秋季植树\n", "utf-8")
    os.utime(article, (time.time() - 60, time.time() - 60))  # settled (not modified seconds ago)
    memo_file = tmp_path / "memo.json"
    memo = FileMemo(memo_file)
    first = tree_digest(folder, memo=memo)
    memo.save()
    assert first == tree_digest(folder) and json.loads(memo_file.read_text("utf-8"))["files"]
    remembered = FileMemo(memo_file)
    remembered.old["articles/a.md"][3] = "0" * 32  # the same file: its digest comes from the memo
    assert tree_digest(folder, memo=remembered) != first
    article.write_text("Title: 冬季植树\n", "utf-8")  # same size, new bytes, written now
    assert tree_digest(folder, memo=FileMemo(memo_file)) == tree_digest(folder) != first


def test_encoded_inputs_tell_apart_what_stable_tells_apart():
    from dataclasses import dataclass
    from datetime import datetime

    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG
    from pelican.urlwrappers import Category

    from govsite.incremental import encoded

    @dataclass(frozen=True)
    class Column:
        slug: str
        keywords: tuple = ()

    settings = {**DEFAULT_CONFIG, "ARTICLE_URL": "{slug}.html"}

    def article(title, slug="a", day=1):
        return Article("<p>x</p>", {"title": title, "slug": slug, "date": datetime(2026, 11, day)}, settings=settings)

    news = Category("要闻", settings)
    base = {"related": [article("冬季供暖")], "column": Column("news", ("供暖",)), "tags": {"a", "b"},
            "category": news, "day": datetime(2026, 11, 3, 9), "n": 1, "path": Path("a/b.md")}
    assert encoded(base) == encoded(dict(reversed(list(base.items())))), "key order does not matter"
    assert encoded({**base, "tags": {"b", "a"}}) == encoded(base), "nor a set's order"
    changes = [{"related": [article("冬季保畅")]}, {"related": [article("冬季供暖", day=2)]},
               {"related": [article("冬季供暖", slug="b")]}, {"column": Column("news", ("交通",))},
               {"tags": {"a", "c"}}, {"category": Category("通知", settings)}, {"day": datetime(2026, 11, 3, 10)},
               {"n": "1"}, {"n": None}, {"path": Path("a/c.md")}, {"extra": 1}]
    texts = {encoded({**base, **change}) for change in changes}
    assert len(texts) == len(changes) and encoded(base) not in texts
    with pytest.raises(Opaque):
        encoded({"x": [object()]})  # no stable representation anywhere inside: always rendered
    with pytest.raises(Opaque):
        encoded({"x": {frozenset([object()])}})
    assert encoded({(1, 2): "a"}) != encoded({(1, 3): "a"}), "keys JSON cannot hold: stable's representation"
    cycle: list = []
    cycle.append(cycle)
    with pytest.raises(Opaque):
        encoded({"x": cycle})


def test_kept_inodes_name_the_kept_pages_and_replaced_ones_get_no_live_times(tmp_path):
    from govsite.build import keep_unchanged_times

    _, settings, live, staged = kept_page(tmp_path)
    staging = staged.parent.parent
    kept = kept_inodes(settings, staging)
    assert kept == {"news/a.html": live.stat().st_ino}
    assert kept_inodes({}, staging) is None, "no incremental writer: nothing known"
    assert keep_unchanged_times(staging, live.parent.parent, kept) == 1
    os.utime(live, ns=(1_000_000_000, 1_000_000_000))  # the live page old; a writer replaces the staged one
    replacement = staged.with_name("a.tmp")
    replacement.write_text("new page", "utf-8")
    replacement.replace(staged)
    assert keep_unchanged_times(staging, live.parent.parent, kept) == 0
    assert staged.stat().st_mtime_ns != live.stat().st_mtime_ns and staged.read_text("utf-8") == "new page"


@pytest.mark.parametrize("name", ["index.html", "news/2026/a.html", "./x/../y.html", "a//b.html", ".well-known/a.txt",
                                  "a/.b.html", "a/..b.html", "x/./y.html", "x/", "x/..", ".", "..a/b.html",
                                  "中文/页面.html", "a\\b.html"])
@pytest.mark.parametrize("output", ["out", "out/", "./out/../out", "out/中文"])
def test_the_writers_output_path_is_pelicans(tmp_path, monkeypatch, name, output):
    from pelican.utils import sanitised_join

    monkeypatch.chdir(tmp_path)  # a relative output folder, as a settings file may give it
    writer = IncrementalWriter(output, settings={})
    assert writer._target(name) == sanitised_join(output, name)


def test_the_writer_refuses_a_path_out_of_the_output_as_pelican_does(tmp_path):
    writer = IncrementalWriter(str(tmp_path / "out"), settings={})
    with pytest.raises(RuntimeError, match="break out of output directory"):
        writer._target("../elsewhere.html")
