"""Pelican's listings of the content folder kept by a watching process (``content_index.get_files``):
taken from the last build while the site folder holds the same files, walked again when a file is
added, removed or renamed; each build's output matches a clean full build."""

from __future__ import annotations

from govsite import content_index

from test_content_index import age
from test_dependencies import group
from test_untouched import assert_same_as_full, watch_build


def counting_walks(monkeypatch) -> list[str]:
    """The folders Pelican's own ``get_files`` walks from now on."""
    walked: list[str] = []
    walk = content_index._pelican_get_files

    def counting(generator, paths, exclude=None, extensions=None):
        walked.append(generator.path)
        return walk(generator, paths, exclude, extensions)
    monkeypatch.setattr(content_index, "_pelican_get_files", counting)
    return walked


def test_a_publish_takes_the_listings_and_a_new_file_is_listed(tmp_path, monkeypatch):
    content = group(tmp_path)
    age(content)
    watch_build(content, tmp_path / "watch")
    walked = counting_walks(monkeypatch)
    article = content / "city" / "articles" / "20261109-more8.md"
    article.write_text(article.read_text("utf-8").replace("Title: ", "Title: 修订：", 1), "utf-8")
    results = watch_build(content, tmp_path / "watch")
    city = str(content / "city")
    assert city not in walked, "an in-place edit: the city's listings are the last build's"
    assert_same_as_full(content, tmp_path, {"city": results["city"]})

    added = content / "city" / "articles" / "20261110-added.md"
    added.write_text("Slug: added-item\n" + article.read_text("utf-8").replace("Title: 修订：", "Title: 新增", 1), "utf-8")
    results = watch_build(content, tmp_path / "watch")
    assert city in walked, "a file added: walked again"
    live = tmp_path / "watch" / "output" / results["city"].domain
    assert any("新增" in page.read_text("utf-8") for page in live.rglob("*.html")), "the added article is published"
    assert_same_as_full(content, tmp_path, {"city": results["city"]})

    walked.clear()
    added.rename(added.with_name("20261110-renamed.md"))
    results = watch_build(content, tmp_path / "watch")
    assert city in walked, "a file renamed (its URL kept by its slug): walked again"
    assert_same_as_full(content, tmp_path, {"city": results["city"]})


def test_a_build_in_worker_processes_keeps_no_listing(tmp_path):
    from govsite.build import build_group

    content = group(tmp_path)
    content_index.forget()
    build_group(content, tmp_path / "output", cache_dir=tmp_path / "cache", reports_dir=tmp_path / "reports",
                records_dir=tmp_path / "records", settings={"GOVSITE_A11Y": {"engine": "static"}})
    assert not content_index._listings
