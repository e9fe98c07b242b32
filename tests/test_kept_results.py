"""What the stages computed per article, kept for a watch's next build (``content_index.kept_results``):
taken only for the articles not edited since the site's last successful build when nothing but
articles changed, committed only once a build has succeeded, and giving what a full build gives."""

from __future__ import annotations

import copy
import os
import random
from types import SimpleNamespace

import pytest
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from govsite import content_index, frozen_urls
from govsite.compliance import run as compliance_run
from govsite.plugins import compliance, identity

from test_content_index import age
from test_dependencies import edit, group
from test_untouched import NEWEST, assert_same_as_full, watch_build

#: Each stage's per-article work, counted by the source paths it ran for.
PER_ARTICLE = {
    "identity": (identity, "article_facts", lambda args: args[0].source_path),
    "compliance item": (compliance, "item_of", lambda args: args[0].source_path),
    "compliance texts": (compliance_run, "text_findings", lambda args: args[0].file),
}


@pytest.fixture
def counted(monkeypatch):
    """``{stage: [source paths its per-article work ran for]}`` from now on."""
    calls = {name: [] for name in PER_ARTICLE}
    for name, (module, function, path_of) in PER_ARTICLE.items():
        original = getattr(module, function)

        def wrapper(*args, _original=original, _name=name, _path_of=path_of, **kwargs):
            calls[_name].append(_path_of(args))
            return _original(*args, **kwargs)
        monkeypatch.setattr(module, function, wrapper)
    calls["URLs"] = []
    formatting = frozen_urls._pelican_url_format.fget
    monkeypatch.setattr(frozen_urls, "_pelican_url_format",
                        property(lambda content: calls["URLs"].append(content.source_path) or formatting(content)))
    return calls


@pytest.fixture
def watched(tmp_path):
    """The group built twice in this process: the second build takes what the first computed."""
    content_index.forget()
    content = group(tmp_path)
    age(content)
    watch_build(content, tmp_path / "watch")
    watch_build(content, tmp_path / "watch")
    return content


def test_an_in_place_edit_computes_the_edited_article_only_and_matches_a_full_build(watched, tmp_path, counted):
    edited = watched / NEWEST
    edit(edited, random.Random(3), "body")
    edited.write_text(edited.read_text("utf-8").replace("工作动态", "联系电话 13912345678，工作动态", 1), "utf-8")
    results = watch_build(watched, tmp_path / "watch")
    assert results["city"].status == "built"
    for name, paths in counted.items():
        articles = {path for path in paths if "/articles/" in path}  # pages (about, contact) are not kept
        assert articles == {str(edited)}, (name, sorted(articles)[:5])
    assert_same_as_full(watched, tmp_path, results)  # the phone number masked, the other pages as a full build's


def test_nothing_is_taken_when_a_file_other_than_an_article_changed(watched, tmp_path, counted):
    """An attachment's new size is shown on the page of the article listing it: its facts are found again."""
    attachment = watched / "city" / "attachments" / "notice.pdf"
    attachment.write_bytes(attachment.read_bytes() + b"%" * 4096)
    results = watch_build(watched, tmp_path / "watch")
    assert len(set(counted["identity"])) > 10
    assert_same_as_full(watched, tmp_path, results)


def test_a_missing_image_is_found_though_the_article_did_not_change(watched, tmp_path):
    os.unlink(watched / "city" / "images" / "chart.png")
    results = build_group_results(watched, tmp_path)
    assert not results["city"].ok
    assert "images/chart.png" in results["city"].error


def build_group_results(content, tmp_path):
    from govsite.build import build_group
    from test_dependencies import SETTINGS

    base = tmp_path / "watch"
    return {r.site_id: r for r in build_group(content, base / "output", cache_dir=base / "cache",
                                              reports_dir=base / "reports", records_dir=base / "records",
                                              settings=SETTINGS, in_process=True)}


def test_a_failed_build_keeps_nothing_it_computed(watched, tmp_path):
    """A build that fails after some stages have computed per-article results (here the compliance
    check, after the identity stage) keeps none of them; the next build matches a full build."""
    broken, other = watched / NEWEST, watched / "city" / "articles" / "20261101-more0.md"
    broken.write_text(broken.read_text("utf-8").replace("工作动态第", "中华人民共合国工作动态第", 1), "utf-8")
    age(broken)
    failed = build_group_results(watched, tmp_path)
    assert not failed["city"].ok and "compliance" in failed["city"].error, failed["city"].error
    kept = [entry for entry in content_index._kept.values() if entry[2].source_path == str(broken)]
    assert kept and all(not results for *_, results in kept)
    broken.write_text(broken.read_text("utf-8").replace("中华人民共合国", "", 1), "utf-8")
    edit(other, random.Random(4), "Title")
    assert_same_as_full(watched, tmp_path, watch_build(watched, tmp_path / "watch"))


def _generator(tmp_path, edits):
    return SimpleNamespace(path=str(tmp_path), context={},
                           settings={"CONTENT_CACHING_LAYER": "reader", "ARTICLE_PATHS": [""],
                                     content_index.SETTING: {"render": "r1", "previous": "x", "edits": edits}})


def test_results_are_kept_with_the_article_they_were_computed_for(tmp_path, monkeypatch):
    source = tmp_path / "a.md"
    source.write_text("Title: 一\n\n正文。\n", "utf-8")
    age(source)
    monkeypatch.setattr(content_index, "_keeping", True)
    monkeypatch.setattr(content_index, "_usable", lambda generator: True)
    content_index.forget()
    article = Article("<p>正文</p>", metadata={"title": "一"}, settings=copy.deepcopy(DEFAULT_CONFIG),
                      source_path=str(source))
    first = _generator(tmp_path, None)
    content_index.cache_data(first, "a.md", article)
    content_index.keep_results(first.settings, "s", {str(source): "v1"})
    assert content_index.kept_results(first.settings, "s") == {}  # read in this build: nothing to take
    content_index.commit_results(first.settings)
    second = _generator(tmp_path, frozenset())
    assert content_index.get_cached_data(second, "a.md") is not None
    assert content_index.kept_results(second.settings, "s") == {str(source): "v1"}
    edited = _generator(tmp_path, frozenset({str(source)}))
    content_index.get_cached_data(edited, "a.md")
    assert content_index.kept_results(edited.settings, "s") == {}  # edited since: computed again
    unknown = _generator(tmp_path, None)  # something else changed: computed again
    content_index.get_cached_data(unknown, "a.md")
    assert content_index.kept_results(unknown.settings, "s") == {}
    content_index.keep_results(unknown.settings, "s", {str(source): "v2"})
    content_index.cache_data(_generator(tmp_path, None), "a.md", article)  # read again meanwhile
    content_index.commit_results(unknown.settings)
    third = _generator(tmp_path, frozenset())
    content_index.get_cached_data(third, "a.md")
    assert content_index.kept_results(third.settings, "s") == {}  # v2 was for the article replaced since
