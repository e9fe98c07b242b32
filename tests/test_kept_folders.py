"""A watch's replaced output, emptied of its files, is the folders of the site's next staging
(``govsite.kept_folders``): nothing but folders is ever taken, the folders a build leaves empty are
not published, and the folders of another process are a leftover."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from govsite import kept_folders
from govsite.errors import GovsiteError
from govsite.build import STAGING, after_report, build_group, remove_leftovers

STATIC = {"GOVSITE_A11Y": {"engine": "static"}}


def watch_build(group, tmp_path):
    """One build as ``govsite build --watch`` runs it, and what follows its report."""
    output = tmp_path / "output"
    results = build_group(group.root, output, cache_dir=tmp_path / "cache", reports_dir=None, settings=STATIC,
                          site_ids=["city"], in_process=True, defer_cleanup=True)
    assert all(r.ok for r in results), [r.error for r in results]
    after_report(output, results)
    return results[0]


def entries(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): "dir" if p.is_dir() and not p.is_symlink() else "file"
            for p in root.rglob("*")}


def test_keeping_leaves_only_the_folders_and_taking_moves_them(tmp_path):
    old = tmp_path / "old"
    (old / "news" / "202611").mkdir(parents=True)
    (old / "empty").mkdir()
    (old / "index.html").write_text("x", "utf-8")
    (old / "news" / "202611" / "a.html").write_text("x", "utf-8")
    (old / "news" / "link").symlink_to(tmp_path / "elsewhere")  # dangling, and a folder link below
    (tmp_path / "target").mkdir()
    (old / "news" / "folder-link").symlink_to(tmp_path / "target", target_is_directory=True)
    kept = tmp_path / "staging-root" / "site.folders"
    kept_folders.keep_folders(old, kept)
    assert not old.exists() and (tmp_path / "target").is_dir(), "a linked folder is unlinked, not emptied"
    assert entries(kept) == {"news": "dir", "news/202611": "dir", "empty": "dir"}
    staging = tmp_path / "staging"
    assert kept_folders.take_folders(kept, staging) == {}
    assert not kept.exists() and entries(staging) == {"news": "dir", "news/202611": "dir", "empty": "dir"}
    (staging / "news" / "202611" / "b.html").write_text("y", "utf-8")
    assert kept_folders.remove_empty_folders(staging) == 1
    assert entries(staging) == {"news": "dir", "news/202611": "dir", "news/202611/b.html": "file"}


def test_folders_holding_anything_else_are_removed_not_taken(tmp_path):
    for planted in ("file", "link"):
        kept = tmp_path / planted / "kept"
        (kept / "news").mkdir(parents=True)
        if planted == "file":
            (kept / "news" / "planted.html").write_text("<p>not built</p>", "utf-8")
        else:
            (kept / "news" / "planted").symlink_to("/etc", target_is_directory=True)
        staging = tmp_path / planted / "staging"
        assert kept_folders.take_folders(kept, staging) is None
        assert not kept.exists() and not staging.exists()
    assert kept_folders.take_folders(tmp_path / "missing", tmp_path / "staging") is None


def test_a_watch_builds_into_the_folders_of_the_output_it_replaced(group, tmp_path):
    group.write("city/articles/20250105-alone.md", "Title: 独月\nDate: 2025-01-05\nCategory: news\n\n正文。")
    watch_build(group, tmp_path)
    group.write("city/articles/20261120-second.md", "Title: 第二篇\nDate: 2026-11-20\nCategory: news\n\n正文。")
    watch_build(group, tmp_path)  # replaces the first output, whose folders are kept
    live = tmp_path / "output" / "www.chenghu.gov.cn"
    assert (live / "news" / "202501").is_dir()
    kept = kept_folders.folders_path(tmp_path / "output" / STAGING, "www.chenghu.gov.cn")
    assert kept.is_dir() and "news/202501" in entries(kept)
    files = {n for n, kind in entries(kept).items() if kind == "file"}
    assert files and all((kept / n).stat().st_ino == (live / n).stat().st_ino for n in files), \
        "the kept folders hold the live pages, linked"
    (kept / "news" / "planted.html").write_text("<p>not built</p>", "utf-8")  # never published
    (group.root / "city/articles/20250105-alone.md").unlink()
    watch_build(group, tmp_path)
    assert not (live / "news" / "planted.html").exists(), "taken, the folders would have published it"
    group.write("city/articles/20261121-next.md", "Title: 下一篇\nDate: 2026-11-21\nCategory: news\n\n正文。")
    folder = (kept / "news").stat().st_ino
    result = watch_build(group, tmp_path)  # into the folders kept by the last build
    assert (live / "news").stat().st_ino == folder, "the kept folder is the new output's"
    assert result.kept > 0 and not (live / "news" / "202501").exists(), "a folder left empty is not published"
    assert (live / "news" / "202611" / "20261121-next.html").is_file()
    assert not any(p.is_dir() and not any(p.iterdir()) for p in live.rglob("*")), "no empty folder"
    fresh = build_group(group.root, tmp_path / "fresh", cache_dir=tmp_path / "fresh-cache", reports_dir=None,
                        settings=STATIC, site_ids=["city"], full=True)
    assert fresh[0].ok
    assert {n for n, kind in entries(live).items() if kind == "dir"} == \
        {n for n, kind in entries(tmp_path / "fresh" / "www.chenghu.gov.cn").items() if kind == "dir"}


def test_the_folders_of_another_process_are_a_leftover_and_a_watch_removes_its_own(tmp_path):
    output = tmp_path / "output"
    own = kept_folders.folders_path(output / STAGING, "www.chenghu.gov.cn")
    other = output / STAGING / f"www.chenghu.gov.cn.{os.getpid() + 1}{kept_folders.SUFFIX}"
    for folder in (own, other):
        (folder / "news").mkdir(parents=True)
    assert remove_leftovers(output) == [other]
    assert own.is_dir()
    kept_folders.remove_own(output / STAGING)
    assert not (output / STAGING).exists()


def _writer_with_pages_linked_ahead(tmp_path, names, live_files=None):
    """A writer whose staging folder holds ``names`` of a live output linked ahead (``link_pages``)."""
    from govsite.files import file_identity
    from govsite.incremental import SETTING, IncrementalWriter, save_json

    live, staging = tmp_path / "live", tmp_path / "staging"
    (live / "news").mkdir(parents=True)
    for name in names:
        (live / name).write_text(f"live {name}", "utf-8")
    (staging / "news").mkdir(parents=True)
    ahead = kept_folders.link_pages(live, staging, [*names, "../outside.html", "/etc/passwd", "news/gone.html"])
    assert set(ahead) == set(names), "a hostile or missing name is not linked"
    save_json(tmp_path / "keys.json", {name: "key" for name in names})
    live_files = live_files or {name: file_identity(live / name) for name in names}
    settings = {SETTING: {"previous": str(live), "state": str(tmp_path / "keys.json"), "render": "r",
                          "live": live_files, "ahead": ahead}}
    return IncrementalWriter(str(staging), settings=settings), live, staging


def test_a_page_linked_ahead_is_kept_without_a_link_and_never_written_through(tmp_path, monkeypatch):
    from govsite import incremental

    names = ["index.html", "news/a.html", "news/b.html", "news/c.html"]
    writer, live, staging = _writer_with_pages_linked_ahead(tmp_path, names)
    links = []
    monkeypatch.setattr(incremental, "link_or_copy", lambda *paths: links.append(paths))
    assert writer._keep("news/a.html") and not links, "kept as linked ahead"
    assert os.fspath(staging / "news" / "a.html") in writer.linked
    with writer._open_w(os.fspath(staging / "news" / "b.html"), "utf-8") as page:  # Pelican renders b
        page.write("rendered")
    assert (live / "news" / "b.html").read_text("utf-8") == "live news/b.html", "written through its link"
    assert (staging / "news" / "b.html").read_text("utf-8") == "rendered"
    (staging / "news" / "c.html").open("a").write(" and more")  # something writes through c
    with pytest.raises(GovsiteError, match="written through"):
        writer.drop_pages_linked_ahead()
    assert not (staging / "index.html").exists() and not (staging / "news" / "c.html").exists(), \
        "a page neither kept nor written is not left in the output"
    assert (live / "index.html").read_text("utf-8") == "live index.html"


def test_a_page_linked_ahead_from_a_live_file_replaced_since_is_linked_again(tmp_path):
    from govsite.files import file_identity

    writer, live, staging = _writer_with_pages_linked_ahead(tmp_path, ["news/a.html"])
    replacement = tmp_path / "replacement"
    replacement.write_text("replaced", "utf-8")
    replacement.replace(live / "news" / "a.html")  # the live output's page is another file now
    writer.live_files = {"news/a.html": file_identity(live / "news" / "a.html")}
    assert writer._keep("news/a.html")
    assert (staging / "news" / "a.html").read_text("utf-8") == "replaced"
    assert (staging / "news" / "a.html").stat().st_ino == (live / "news" / "a.html").stat().st_ino


def test_a_watch_keeps_the_pages_linked_ahead_and_publishes_what_a_full_build_does(group, tmp_path, monkeypatch):
    from govsite import incremental

    group.write("city/articles/20261120-second.md", "Title: 第二篇\nDate: 2026-11-20\nCategory: news\n\n正文。")
    watch_build(group, tmp_path)
    group.write("city/articles/20261121-third.md", "Title: 第三篇\nDate: 2026-11-21\nCategory: news\n\n正文。")
    watch_build(group, tmp_path)  # its replaced output's folders hold the live pages, linked
    live = tmp_path / "output" / "www.chenghu.gov.cn"
    edited, removed = live / "news" / "202611" / "20261120-second.html", live / "news" / "202611" / "20261121-third.html"
    held = tmp_path / "held.html"
    os.link(edited, held)
    before = held.read_bytes()
    links = []
    link_or_copy = incremental.link_or_copy
    monkeypatch.setattr(incremental, "link_or_copy", lambda *paths: links.append(paths) or link_or_copy(*paths))
    group.write("city/articles/20261120-second.md", "Title: 第二篇修订\nDate: 2026-11-20\nCategory: news\n\n正文。")
    result = watch_build(group, tmp_path)
    assert held.read_bytes() == before, "the page rendered again was written through its link"
    assert "第二篇修订" in edited.read_text("utf-8")
    # linked again: only what a generator after the articles' writes (the policy packages, 政策礼包)
    assert result.untouched > 5 and all("/zclb/" in target for _, target in links), links
    (group.root / "city/articles/20261121-third.md").unlink()
    watch_build(group, tmp_path)
    assert not removed.exists(), "a page linked ahead and not built again was published"
    fresh = build_group(group.root, tmp_path / "fresh", cache_dir=tmp_path / "fresh-cache", reports_dir=None,
                        settings=STATIC, site_ids=["city"], full=True)
    assert fresh[0].ok
    assert set(entries(live)) == set(entries(tmp_path / "fresh" / "www.chenghu.gov.cn"))


def test_pages_linked_ahead_are_unlinked_when_another_writer_would_write(group, tmp_path, monkeypatch):
    from govsite import incremental
    from govsite.plugins import incremental as plugin

    group.write("city/articles/20261120-second.md", "Title: 第二篇\nDate: 2026-11-20\nCategory: news\n\n正文。")
    watch_build(group, tmp_path)
    group.write("city/articles/20261121-third.md", "Title: 第三篇\nDate: 2026-11-21\nCategory: news\n\n正文。")
    watch_build(group, tmp_path)
    live = tmp_path / "output" / "www.chenghu.gov.cn"
    held = tmp_path / "held.html"
    os.link(live / "index.html", held)
    before = held.read_bytes()
    monkeypatch.setattr(plugin, "writes_through_no_link", lambda: False)
    writers = []
    init = incremental.IncrementalWriter.__init__
    monkeypatch.setattr(incremental.IncrementalWriter, "__init__",
                        lambda self, *a, **k: init(self, *a, **k) or writers.append(dict(self._ahead)))
    group.write("city/articles/20261120-second.md", "Title: 第二篇修订\nDate: 2026-11-20\nCategory: news\n\n正文。")
    watch_build(group, tmp_path)
    assert writers == [{}], "the writer was given pages linked ahead"
    assert held.read_bytes() == before and "第二篇修订" in (live / "index.html").read_text("utf-8")


def test_kept_folders_are_taken_with_their_linked_pages_only_while_each_is_the_file_linked(tmp_path):
    live = tmp_path / "live"
    (live / "news").mkdir(parents=True)
    for name in ("index.html", "news/a.html"):
        (live / name).write_text(f"live {name}", "utf-8")
    for case in ("taken", "replaced", "not wanted"):
        old, kept, staging = tmp_path / case / "old", tmp_path / case / "kept", tmp_path / case / "staging"
        (old / "news").mkdir(parents=True)
        (old / "news" / "stale.html").write_text("from the replaced output", "utf-8")
        kept_folders.keep_folders(old, kept, live, ["index.html", "news/a.html"])
        assert entries(kept) == {"index.html": "file", "news": "dir", "news/a.html": "file"}
        if case == "replaced":
            (kept / "news" / "planted").write_text("<p>not built</p>", "utf-8")
            (kept / "news" / "planted").replace(kept / "news" / "a.html")  # the same name, another file
        taken = kept_folders.take_folders(kept, staging, pages=case != "not wanted")
        if case == "replaced":
            assert taken is None and not staging.exists() and not kept.exists()
        elif case == "not wanted":
            assert taken == {} and entries(staging) == {"news": "dir"}
        else:
            assert set(taken) == {"index.html", "news/a.html"}
            assert all((staging / n).stat().st_ino == (live / n).stat().st_ino for n in taken)
    assert (live / "news" / "a.html").read_text("utf-8") == "live news/a.html"
