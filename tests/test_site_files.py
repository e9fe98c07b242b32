"""The site folder's files as a watching process's fingerprint saw them (``content_index.SITE_FILES``):
Pelican's listings of the folder taken from the last build while it holds the same files, walked
again when a file is added, removed or renamed; the content index's articles taken by the identities
the fingerprint saw, not stat'ed again. Each build's output matches a clean full build."""

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


def test_the_index_takes_the_fingerprint_s_identities(tmp_path, monkeypatch):
    content = group(tmp_path)
    age(content)
    watch_build(content, tmp_path / "watch")
    stated: list[str] = []
    identity = content_index.file_identity
    monkeypatch.setattr(content_index, "file_identity", lambda path: stated.append(str(path)) or identity(path))
    article = content / "city" / "articles" / "20261109-more8.md"
    article.write_text(article.read_text("utf-8").replace("Title: ", "Title: 修订：", 1), "utf-8")
    results = watch_build(content, tmp_path / "watch")
    assert results["city"].status == "built" and content_index.reused() > 10
    city_articles = [p for p in stated if p.startswith(str(content / "city" / "articles"))]
    assert len(city_articles) <= 1, city_articles  # the article read again is stat'ed once, when it is kept
    assert_same_as_full(content, tmp_path, {"city": results["city"]})


def test_the_build_s_view_lists_articles_as_the_folder_walk_does_and_ends_with_the_build(tmp_path):
    import os

    from govsite import site_files, syndication
    from govsite.files import file_identity
    from govsite.registry import load_group

    content = group(tmp_path)
    for name in ("articles/a-b.md", "articles/a/z.md", "articles/a/b/c.md", "articles/a-c/y.md", "articles/x.txt",
                 "pages/p.md"):
        (content / "city" / name).parent.mkdir(parents=True, exist_ok=True)
        (content / "city" / name).write_text("Title: x\n\nx\n", "utf-8")
    site = load_group(content).sites["city"]
    walked = syndication.article_paths(site)
    seen = {}
    for folder, _, names in os.walk(site.folder):
        for name in names:
            path = os.path.join(folder, name)
            seen[os.path.relpath(path, site.folder).replace(os.sep, "/")] = file_identity(path)
    with site_files.seen_during({str(site.folder): (seen, frozenset())}):
        assert syndication.article_paths(site) == walked, "the same paths in the same order"
        some = walked[0]
        assert site_files.identity_of(some) == file_identity(some)
        assert site_files.files_of(site.folder) is seen
    assert site_files.files_of(site.folder) is None and site_files.identity_of(walked[0]) is None, "only during it"


def test_a_publish_reads_the_portal_s_headers_by_the_fingerprint_s_identities(tmp_path, monkeypatch):
    """Once the build has its fingerprints (which stat every file, and read the portal's headers for
    its departments), the stages stat none of the portal's articles again."""
    import os

    from govsite import build, file_memo

    content = group(tmp_path)
    age(content)
    watch_build(content, tmp_path / "watch")
    articles = str(content / "city" / "articles")
    stat, stated, fingerprinted = os.stat, [], []

    def counting(path, *args, **kwargs):
        if fingerprinted and os.fspath(path).startswith(articles):
            stated.append(os.fspath(path))
        return stat(path, *args, **kwargs)
    fingerprints_of = build.fingerprints_of

    def then_count(*args, **kwargs):
        found = fingerprints_of(*args, **kwargs)
        fingerprinted.append(True)
        return found
    article = content / "city" / "articles" / "20261109-more8.md"
    article.write_text(article.read_text("utf-8").replace("Title: ", "Title: 修订：", 1), "utf-8")
    monkeypatch.setattr(file_memo.os, "stat", counting)
    monkeypatch.setattr(build, "fingerprints_of", then_count)
    results = watch_build(content, tmp_path / "watch")
    monkeypatch.undo()
    assert results["city"].status == "built" and fingerprinted
    assert len([p for p in stated if p.endswith(".md")]) <= 1, stated  # the edited article, read again


def test_the_boundary_takes_the_walk_s_plain_files_and_still_finds_every_link_leading_out(tmp_path):
    """``boundary.leaving`` during a build: files the fingerprint's walk reached without a link are
    inside; a file link and the files under a folder link (which the walk does not enter) are resolved."""
    from govsite import site_files
    from govsite.boundary import leaving
    from govsite.file_memo import FileMemo
    from govsite.fingerprint import SKIPPED_NAMES, tree_digest

    site, outside = tmp_path / "site", tmp_path / "outside"
    (site / "attachments" / "inner").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.pdf").write_text("secret", "utf-8")
    (site / "attachments" / "a.pdf").write_text("a", "utf-8")
    (site / "attachments" / "inner" / "b.pdf").write_text("b", "utf-8")
    (site / "attachments" / "leak.pdf").symlink_to(outside / "secret.pdf")
    (site / "attachments" / "same.pdf").symlink_to(site / "attachments" / "a.pdf")  # a link that stays inside
    (site / "attachments" / "away").symlink_to(outside, target_is_directory=True)
    sources = ["attachments/a.pdf", "attachments/inner/b.pdf", "attachments/leak.pdf", "attachments/same.pdf",
               "attachments/away/secret.pdf", "../outside/secret.pdf", "attachments/../../outside/secret.pdf"]
    expected = leaving(site, sources)
    assert expected == ["attachments/leak.pdf", "attachments/away/secret.pdf", "../outside/secret.pdf",
                        "attachments/../../outside/secret.pdf"]
    memo = FileMemo(None)
    tree_digest(site, memo=memo)
    assert memo.links == {"attachments/leak.pdf", "attachments/same.pdf"} and SKIPPED_NAMES
    with site_files.seen_during({str(site): (memo.identities, frozenset(memo.links))}):
        assert site_files.plain_files(site) == {"attachments/a.pdf", "attachments/inner/b.pdf"}
        assert leaving(site, sources) == expected
