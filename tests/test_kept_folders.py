"""A watch's replaced output, emptied of its files, is the folders of the site's next staging
(``govsite.kept_folders``): nothing but folders is ever taken, the folders a build leaves empty are
not published, and the folders of another process are a leftover."""

from __future__ import annotations

import os
from pathlib import Path

from govsite import kept_folders
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
    assert kept_folders.take_folders(kept, staging)
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
        assert not kept_folders.take_folders(kept, staging)
        assert not kept.exists() and not staging.exists()
    assert not kept_folders.take_folders(tmp_path / "missing", tmp_path / "staging")


def test_a_watch_builds_into_the_folders_of_the_output_it_replaced(group, tmp_path):
    group.write("city/articles/20250105-alone.md", "Title: 独月\nDate: 2025-01-05\nCategory: news\n\n正文。")
    watch_build(group, tmp_path)
    group.write("city/articles/20261120-second.md", "Title: 第二篇\nDate: 2026-11-20\nCategory: news\n\n正文。")
    watch_build(group, tmp_path)  # replaces the first output, whose folders are kept
    live = tmp_path / "output" / "www.chenghu.gov.cn"
    assert (live / "news" / "202501").is_dir()
    kept = kept_folders.folders_path(tmp_path / "output" / STAGING, "www.chenghu.gov.cn")
    assert kept.is_dir() and set(entries(kept).values()) == {"dir"}
    assert "news/202501" in entries(kept)
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
