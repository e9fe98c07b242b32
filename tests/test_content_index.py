"""The watching process's content index (``govsite.content_index``): unchanged articles taken from
memory reproduce reading them (problems and warnings included), and share nothing with the kept copy."""

from __future__ import annotations

import copy
import os
import random
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import pelican.utils
import pytest
from hypothesis import given, settings, strategies as st
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Author, Category, Tag

from govsite import content_index
from govsite.build import build_group

from conftest import DEMO_DAY, FIXTURES

SETTINGS = {"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": DEMO_DAY}


def _item(slug, lang, translation):
    return SimpleNamespace(slug=slug, lang=lang, source_path=f"{slug}-{lang}.md", in_default_lang=lang == "zh",
                           metadata={"translation": translation} if translation else {})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcd"), st.sampled_from(["zh", "en"]),
                          st.sampled_from([None, "true", "false"])), max_size=12),
       st.sampled_from(["slug", ("slug", "lang")]))
def test_process_translations_gives_pelicans_result(items, translation_id):
    ours = [_item(*i) for i in items]
    theirs = copy.deepcopy(ours)
    index, translations = content_index.process_translations(ours, translation_id)
    expected_index, expected_translations = pelican.utils.process_translations(theirs, translation_id)
    position = {id(x): n for n, x in enumerate(ours)}
    expected_position = {id(x): n for n, x in enumerate(theirs)}
    assert [position[id(x)] for x in index] == [expected_position[id(x)] for x in expected_index]
    assert [position[id(x)] for x in translations] == [expected_position[id(x)] for x in expected_translations]
    assert [[position[id(t)] for t in x.translations] for x in ours] == \
        [[expected_position[id(t)] for t in x.translations] for x in theirs]


def test_a_detached_copy_shares_nothing_mutable():
    old, new = copy.deepcopy(DEFAULT_CONFIG), copy.deepcopy(DEFAULT_CONFIG)
    category = Category("news", old)
    article = Article("<p>正文</p>", metadata={"title": "标题", "category": category, "tags": [Tag("供暖", old)],
                                             "author": Author("周敏", old), "date": pelican.utils.SafeDatetime(2026, 11, 1)},
                      settings=old, source_path="/x/a.md", context={"old": True})
    kept = content_index.detached_copy(article, old, {})
    taken = content_index.detached_copy(kept, new, {"new": True})
    taken.metadata["title"] = "改"
    taken.tags.append(Tag("新", new))
    taken.author.name = "某某"
    taken.category.name = "其他"
    assert (kept.metadata["title"], [t.name for t in kept.tags], kept.author.name, kept.category.name) == \
        ("标题", ["供暖"], "周敏", "news")
    assert taken.settings is new and taken.category.settings is new and taken._context == {"new": True}
    assert taken.metadata["category"] is taken.category and taken.metadata["tags"] is taken.tags
    assert taken.category is not category and kept.category is not category


@pytest.fixture
def content(tmp_path):
    """The fixture group, every file dated 10 s back (a file modified in the last 2 s is not kept)."""
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "group", folder)
    age(folder)
    return folder


def age(path):
    """Date ``path`` (a file, or a folder and everything in it) 10 s back."""
    past = time.time() - 10
    for item in [path, *path.rglob("*")] if path.is_dir() else [path]:
        os.utime(item, (past, past))


def watch_build(content, tmp_path):
    return build_group(content, tmp_path / "output", cache_dir=tmp_path / "cache", reports_dir=tmp_path / "reports",
                       records_dir=tmp_path / "records", settings=SETTINGS, in_process=True)


def test_a_second_build_takes_unchanged_articles_from_memory_and_reads_the_changed_one(content, tmp_path):
    content_index.forget()
    assert all(r.ok for r in watch_build(content, tmp_path))
    articles = sorted(content.glob("city/articles/**/*.md"))  # the other site is not built again
    changed = articles[0]
    changed.write_text(changed.read_text("utf-8").replace("Title: ", "Title: 修订：", 1), "utf-8")
    age(changed)
    before = content_index.reused()
    results = watch_build(content, tmp_path)
    assert all(r.ok for r in results), [r.error for r in results]
    assert content_index.reused() - before == len(articles) - 1
    domain = next(r.domain for r in results if r.site_id == "city")
    assert any("修订：" in p.read_text("utf-8") for p in (tmp_path / "output" / domain).rglob("*.html"))


def test_problems_found_when_reading_are_found_again_in_a_kept_article(content, tmp_path):
    content_index.forget()
    assert all(r.ok for r in watch_build(content, tmp_path))
    bad = content / "city" / "articles" / "20261102-bad-slug.md"
    bad.write_text("Title: 坏的短名\nDate: 2026-11-02 09:00\nCategory: news\nSource: 澄湖市人民政府办公室\n"
                   "Author: 周敏\nReviewer: 陈立\nSummary: 摘要。\nKeywords: 测试\nSlug: Bad_Slug\n\n正文。\n", "utf-8")
    age(bad)
    for attempt in range(2):  # the second build finds the file in the index
        before = content_index.reused()
        city = next(r for r in watch_build(content, tmp_path) if r.site_id == "city")
        assert not city.ok and "Slug" in city.error and "Bad_Slug" in city.error, city.error
    assert content_index.reused() > before


def test_warnings_logged_when_reading_are_logged_again(content, tmp_path):
    content_index.forget()
    article = content / "city" / "articles" / "20261101-first-news.md"
    article.write_text(article.read_text("utf-8") + '\n<img src="{static}/images/chart.png" alt="">\n', "utf-8")
    age(article)
    other = content / "city" / "articles" / "20261020-second-news.md"
    warnings = []
    for attempt in range(2):
        other.write_text(other.read_text("utf-8") + f"\n补充{attempt}。\n", "utf-8")  # the site is built again
        before = content_index.reused()
        city = next(r for r in watch_build(content, tmp_path) if r.site_id == "city")
        assert city.ok and city.status == "built", city.error
        warnings.append([w for w in city.warnings if "alt" in w.lower()])
    assert warnings[0] and warnings[1] == warnings[0]
    assert content_index.reused() > before


def test_a_build_keeps_nothing_of_the_builds_before_it_alive(content, tmp_path):
    """Pelican remembers rendered bodies for good and the index could hold a build's context: a
    watching process would then hold every earlier build's articles, settings and context."""
    import gc
    import weakref

    from pelican import signals

    seen = []

    def remember(generator):
        seen.append((weakref.ref(generator.articles[0]), weakref.ref(generator)))

    signals.article_generator_finalized.connect(remember)
    try:
        article = content / "city" / "articles" / "20261020-second-news.md"
        for attempt in range(3):
            article.write_text(article.read_text("utf-8") + f"\n补充{attempt}。\n", "utf-8")
            results = watch_build(content, tmp_path)
            assert all(r.ok for r in results), [r.error for r in results]
    finally:
        signals.article_generator_finalized.disconnect(remember)
    gc.collect()
    earlier = [ref for pair in seen[:-2] for ref in pair]  # the last build of each site may still be around
    assert earlier and all(ref() is None for ref in earlier), [ref() for ref in earlier]


def test_a_generator_lists_its_files_once(tmp_path):
    """Every listing of one build (Pelican's reading, its disabled-readers check, the identity stage's
    search for skipped files) sees the same files, however many are saved meanwhile."""
    from pelican.generators import ArticlesGenerator

    from govsite.plugins import incremental

    incremental.register()  # installs the index, as Pelican loading the plugin does
    (tmp_path / "a.md").write_text("Title: a\n\n正文。\n", "utf-8")
    config = {**copy.deepcopy(DEFAULT_CONFIG), "PATH": str(tmp_path), "CACHE_PATH": str(tmp_path / "cache")}
    generator = ArticlesGenerator(context={}, settings=config, path=str(tmp_path), theme=config["THEME"],
                                  output_path=str(tmp_path / "out"))
    first = generator.get_files([""], exclude=[])
    (tmp_path / "b.md").write_text("Title: b\n\n正文。\n", "utf-8")
    first.add("mutated by a caller")
    assert generator.get_files([""], exclude=[]) == {os.path.join(".", "a.md")}
    later = ArticlesGenerator(context={}, settings=config, path=str(tmp_path), theme=config["THEME"],
                              output_path=str(tmp_path / "out"))
    assert len(later.get_files([""], exclude=[])) == 2  # the next build sees the new file


@pytest.mark.parametrize("builds_again", [False, True])
def test_only_a_process_that_builds_again_keeps_articles(builds_again, tmp_path, monkeypatch):
    """A pool worker builds one site once: copying every article for a later build would be work for nothing."""
    source = tmp_path / "a.md"
    source.write_text("Title: 一\n\n正文。\n", "utf-8")
    age(source)
    generator = SimpleNamespace(path=str(tmp_path), settings={"CONTENT_CACHING_LAYER": "reader",
                                                              content_index.SETTING: {"render": "r1"}})
    article = Article("<p>正文</p>", metadata={"title": "一"}, settings=copy.deepcopy(DEFAULT_CONFIG),
                      source_path=str(source))
    content_index.forget()
    monkeypatch.setattr(content_index, "_keeping", False)
    if builds_again:
        content_index.keep_between_builds()
    content_index.cache_data(generator, "a.md", article)
    assert (len(content_index._kept) == 1) is builds_again


def _kept_article(tmp_path, monkeypatch, title="一"):
    """An article kept by ``cache_data`` as a watch keeps one: ``(index key, kept entry)``."""
    source = tmp_path / "a.md"
    source.write_text(f"Title: {title}\n\n正文。\n", "utf-8")
    age(source)
    generator = SimpleNamespace(path=str(tmp_path), settings={"CONTENT_CACHING_LAYER": "reader",
                                                              content_index.SETTING: {"render": "r1"}})
    config = copy.deepcopy(DEFAULT_CONFIG)
    article = Article("<p>正文</p>", metadata={"title": title, "category": Category("news", config),
                                             "tags": [Tag("供暖", config)], "author": Author("周敏", config)},
                      settings=config, source_path=str(source))
    monkeypatch.setattr(content_index, "_keeping", True)
    content_index.cache_data(generator, "a.md", article)
    key = (str(tmp_path), "a.md")
    return key, content_index._kept[key]


def test_a_copy_made_while_the_watch_waits_is_served_once_pointed_at_the_build(tmp_path, monkeypatch):
    content_index.forget()
    key, kept = _kept_article(tmp_path, monkeypatch)
    assert content_index.prepare_copies() == 1 and content_index.prepare_copies() == 0
    builds = [(copy.deepcopy(DEFAULT_CONFIG), {"build": n}) for n in range(3)]
    first = content_index._served_copy(key, kept, *builds[0])
    assert first.settings is builds[0][0] and first._context is builds[0][1]
    assert first.category.settings is first.author.settings is first.tags[0].settings is builds[0][0]
    assert first.metadata["category"] is first.category and first.metadata["tags"] is first.tags
    first.metadata["title"] = "改"
    first.tags.append(Tag("新", builds[0][0]))
    first.category.name = "其他"
    second = content_index._served_copy(key, kept, *builds[1])  # none prepared: a new copy
    assert second is not first and second.category is not first.category and second.tags is not first.tags
    assert second.category.settings is builds[1][0]
    assert (second.metadata["title"], [t.name for t in second.tags], second.category.name) == ("一", ["供暖"], "news")
    assert content_index.prepare_copies() == 1
    third = content_index._served_copy(key, kept, *builds[2])
    assert third is not second and third.category is not kept[2].category
    assert (third.metadata["title"], [t.name for t in third.tags], third.category.name) == ("一", ["供暖"], "news")
    assert third.category.settings is builds[2][0] and kept[2].category.settings is None


def test_a_copy_prepared_for_an_article_read_again_is_not_served(tmp_path, monkeypatch):
    content_index.forget()
    key, old = _kept_article(tmp_path, monkeypatch)
    content_index.prepare_copies()
    _, new = _kept_article(tmp_path, monkeypatch, title="二")  # the file read again: a new entry kept
    served = content_index._served_copy(key, new, copy.deepcopy(DEFAULT_CONFIG), {})
    assert served.metadata["title"] == "二"
    assert content_index.prepare_copies() == 1 and content_index._spares[key][0] is new


def test_a_watch_build_after_reporting_copies_no_article(content, tmp_path, monkeypatch):
    """The kept articles' copies are made after the report (``after_report``), not during the publish."""
    from govsite.build import after_report

    content_index.forget()
    article = content / "city" / "articles" / "20261020-second-news.md"
    copied = []
    detached_copy = content_index.detached_copy
    monkeypatch.setattr(content_index, "detached_copy",
                        lambda article, settings, *rest: copied.append(settings) or detached_copy(article, settings, *rest))
    for attempt in range(3):
        article.write_text(article.read_text("utf-8") + f"\n补充{attempt}。\n", "utf-8")
        copied.clear()
        before = content_index.reused()
        results = watch_build(content, tmp_path)
        assert all(r.ok for r in results), [r.error for r in results]
        served = [s for s in copied if s is not None]  # copies served to the build (None: a copy kept)
        assert len(served) == (content_index.reused() - before if attempt < 2 else 0), attempt
        if attempt == 1:
            after_report(tmp_path / "output", results)
    assert content_index.reused() > before


def test_a_build_in_this_process_turns_keeping_on(content, tmp_path, monkeypatch):
    monkeypatch.setattr(content_index, "_keeping", False)
    content_index.forget()
    assert all(r.ok for r in watch_build(content, tmp_path))
    assert content_index._kept


def test_a_watch_saves_pelicans_reader_cache_after_reporting(content, tmp_path):
    """The reader cache (every article read, pickled) is saved once the build has reported, or at the
    next build's start; Pelican's own loader then finds the article read since."""
    import pickle

    from govsite.build import after_report

    content_index.forget()
    assert all(r.ok for r in watch_build(content, tmp_path))
    after_report(tmp_path / "output", [])
    caches = sorted((tmp_path / "cache" / "pelican").rglob("*-Readers"))
    assert caches, sorted(p.name for p in (tmp_path / "cache").rglob("*"))
    changed = sorted(content.glob("city/articles/**/*.md"))[0]
    changed.write_text(changed.read_text("utf-8").replace("Title: ", "Title: 修订：", 1), "utf-8")
    before = {p: p.stat().st_mtime_ns for p in caches}
    results = watch_build(content, tmp_path)
    assert all(r.ok for r in results) and content_index._deferred
    assert {p: p.stat().st_mtime_ns for p in caches} == before  # not saved during the build
    after_report(tmp_path / "output", results)
    assert not content_index._deferred
    saved = [pickle.loads(p.read_bytes()) for p in caches if p.stat().st_mtime_ns != before[p]]
    assert any(str(changed) in cache for cache in saved), [list(c)[:3] for c in saved]


def test_a_watch_takes_the_reader_cache_it_saved_instead_of_unpickling_it(content, tmp_path, monkeypatch):
    """The next build takes the cache its process saved while the file is as saved; a file changed since
    (another process wrote it) is loaded as Pelican loads it."""
    import pickle

    from govsite.build import after_report

    content_index.forget()
    assert all(r.ok for r in watch_build(content, tmp_path))
    after_report(tmp_path / "output", [])
    caches = sorted((tmp_path / "cache" / "pelican").rglob("*-Readers"))
    assert caches and {str(p) for p in caches} <= set(content_index._saved)
    loaded = []
    load = pickle.load
    monkeypatch.setattr(pickle, "load", lambda handle, *a, **k: loaded.append(handle.name) or load(handle, *a, **k))
    changed = sorted(content.glob("city/articles/**/*.md"))[1]
    changed.write_text(changed.read_text("utf-8").replace("Title: ", "Title: 再改：", 1), "utf-8")
    results = watch_build(content, tmp_path)
    assert all(r.ok for r in results)
    assert not [name for name in loaded if name in map(str, caches)], loaded
    after_report(tmp_path / "output", results)
    saved = {path: data for path, (_, data) in content_index._saved.items()}
    assert any(str(changed) in data for data in saved.values()), "the article read since is in the cache taken"
    rewritten = caches[0]
    with rewritten.open("wb") as handle:  # another process saved this cache meanwhile
        pickle.dump({}, handle)
    changed.write_text(changed.read_text("utf-8").replace("Title: ", "Title: 三改：", 1), "utf-8")
    assert all(r.ok for r in watch_build(content, tmp_path))
    assert str(rewritten) in loaded


def test_the_reader_caches_kept_are_bounded(tmp_path, monkeypatch):
    from pelican.cache import FileDataCacher

    monkeypatch.setattr(content_index, "LIMIT", 5)
    monkeypatch.setattr(content_index, "_keeping", True)
    content_index.forget()
    for name, size in (("a", 3), ("b", 2), ("c", 2), ("d", 9)):
        cacher = FileDataCacher({"CACHE_PATH": str(tmp_path), "GZIP_CACHE": False}, name, True, False)
        cacher._cache = {str(n): n for n in range(size)}
        content_index.save_cache(cacher)
        content_index.save_deferred()
    assert [Path(p).name for p in content_index._saved] == ["b", "c"]  # a: the oldest; d: over the limit alone
    assert all((tmp_path / name).is_file() for name in "abcd"), "every cache saved all the same"
