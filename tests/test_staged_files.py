"""The finished staging folder walked once and shared (govsite/archive/staged_files.py): the page list, the
kept times, the manifest's reuse of live entries and the recorded output digest must be what a
fresh walk, a fresh hash and a fresh digest give."""

import json
import os
import shutil

import pytest

from govsite import fingerprint
from govsite.archive.manifest import (load_manifest, make_manifest, manifest_files, write_build_manifest,
                                      write_manifest)
from govsite.archive.sitefiles import MANIFEST_NAME
from govsite.build import build_group, state_files, BuildOptions
from govsite.files import page_names, pages_among, relative_files
from govsite.incremental import load_json
from govsite.archive.staged_files import keep_times, output_digest_of, walk_staged

from conftest import DEMO_DAY, FIXTURES, GroupCopy

SETTINGS = {"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": DEMO_DAY}
CITY = "www.chenghu.gov.cn"
MARK = "0" * 64


def tree(root, names):
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(f"<p>{name}</p>", "utf-8")
    return root


#: Orders a plain sort of the paths gets wrong: a folder's files come before its folders, "a-b" and "a-c/" around "a/".
NAMES = ("b.html", "a-b.html", "a/x.html", "a/z/y.html", "a/Y.HTML", "a-c/y.html", ".hidden.html", ".well-known/z.html",
         "theme/site.css", "index.html")


def test_the_walk_gives_the_page_list_and_the_output_digest_a_fresh_walk_gives(tmp_path):
    site = tree(tmp_path / "site", NAMES)
    (site / MANIFEST_NAME).write_text("{}", "utf-8")  # left out of the walk, stat'ed for the digest
    staged = walk_staged(site)
    assert staged.pages() == page_names(site, (".html",))
    assert staged.pages((".html", ".htm")) == page_names(site)
    assert pages_among(relative_files(site), ordered=True) == page_names(site), "the listing's order is kept"
    assert output_digest_of(staged, site) == fingerprint.output_digest(site)
    os.utime(site / MANIFEST_NAME, ns=(1, 1))
    assert output_digest_of(staged, site) == fingerprint.output_digest(site), "the manifest is stat'ed, not taken from the walk"
    os.utime(site / "a/x.html", ns=(1, 1))  # after the walk: the walk no longer stands for the folder
    assert output_digest_of(staged, site) != fingerprint.output_digest(site)


def test_kept_times_update_the_walk_and_name_the_files_whose_bytes_are_the_live_ones(tmp_path):
    live = tree(tmp_path / "live", ("same.html", "other.html", "gone.html"))
    staging = tree(tmp_path / "staging", ("same.html", "new.html"))
    (staging / "other.html").write_text("<p>OTHER.html</p>", "utf-8")  # the same size, other bytes
    os.link(live / "gone.html", staging / "linked.html")  # not the live file of its path: compared
    for name in ("same.html", "other.html"):
        os.utime(live / name, ns=(1_000_000_000, 1_000_000_000))
    staged = walk_staged(staging)
    assert keep_times(staged, live) == 1 and staged.same == {"same.html"}
    assert (staging / "same.html").stat().st_mtime_ns == 1_000_000_000
    assert (staging / "other.html").stat().st_mtime_ns != 1_000_000_000
    assert output_digest_of(staged, staging) == fingerprint.output_digest(staging), "the walk follows the new times"


def test_kept_times_take_the_live_walk_for_a_staged_link_to_the_live_file(tmp_path, monkeypatch):
    live = tree(tmp_path / "live", ("linked.html", "copied.html", "gone.html"))
    staging = tmp_path / "staging"
    staging.mkdir()
    os.link(live / "linked.html", staging / "linked.html")  # the live file itself: not stat'ed
    os.link(live / "gone.html", staging / "copied.html")  # another live file under this name: compared
    live_files = fingerprint.output_files(live)
    staged = walk_staged(staging)
    stat = os.stat

    def no_stat_of_the_link(path, *args, **kwargs):
        assert not str(path).endswith("linked.html"), "a staged link to its live file was stat'ed"
        return stat(path, *args, **kwargs)
    monkeypatch.setattr("govsite.archive.staged_files.os.stat", no_stat_of_the_link)
    assert keep_times(staged, live, None, live_files) == 1 and staged.same == {"linked.html"}


def test_a_manifest_takes_live_entries_only_of_files_compared_equal_and_of_their_size(tmp_path):
    live, staging = tmp_path / "live", tmp_path / "staging"
    tree(live, ("news/same.html", "news/resized.html", "news/other.html"))
    write_manifest(live, make_manifest(live, {"domain": "www.example.invalid"}))
    document = json.loads((live / MANIFEST_NAME).read_text("utf-8"))
    for entry in document["files"]:
        entry["sha256"] = MARK  # an entry taken over unread keeps the mark
    write_manifest(live, document)
    shutil.copytree(live, staging)
    (staging / "news/resized.html").write_text("<p>longer than it was</p>", "utf-8")
    (staging / "news/other.html").write_text("<p>news/OTHER.html</p>", "utf-8")
    site = type("Site", (), {"domain": "www.example.invalid"})()
    write_build_manifest(staging, site, {"PATH": str(tmp_path)}, live, {}, unchanged={"news/same.html", "news/resized.html"})
    files = load_manifest(staging / MANIFEST_NAME).files
    assert files["news/same.html"]["sha256"] == MARK, "compared equal: the live entry, unread"
    assert files["news/resized.html"]["sha256"] != MARK, "another size than the live entry: hashed"
    assert files["news/other.html"]["sha256"] != MARK, "not compared equal: hashed"
    write_build_manifest(staging, site, {"PATH": str(tmp_path)}, live, {})
    assert load_manifest(staging / MANIFEST_NAME).files["news/same.html"]["sha256"] != MARK, "nothing said: hashed"


def test_the_manifest_in_memory_is_used_only_while_the_file_is_the_one_written(tmp_path):
    site = tree(tmp_path / "site", ("a.html",))
    document = make_manifest(site, {"domain": "www.example.invalid"})
    write_manifest(site, document)
    document["files"][0]["sha256"] = MARK  # the caller's document is its own
    assert manifest_files(site / MANIFEST_NAME)["a.html"]["sha256"] != MARK
    text = (site / MANIFEST_NAME).read_text("utf-8")
    (site / MANIFEST_NAME).write_text(text.replace(load_manifest(site / MANIFEST_NAME).files["a.html"]["sha256"], MARK),
                                      "utf-8")  # replaced on disk (another writer): read again
    assert manifest_files(site / MANIFEST_NAME)["a.html"]["sha256"] == MARK


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    base = tmp_path_factory.mktemp("staged")
    shutil.copytree(FIXTURES / "group", base / "content")
    build(GroupCopy(base / "content"), base)
    return base


def build(group, base):
    results = build_group(group.root, base / "output", cache_dir=base / "cache", reports_dir=base / "reports",
                          records_dir=base / "records", settings=SETTINGS)
    assert all(r.ok for r in results), [r.error for r in results]
    return {r.site_id: r for r in results}


def recorded_output(base, site_id):
    options = BuildOptions(str(base / "content"), str(base / "output"), str(base / "cache"))
    return load_json(state_files(options, site_id)[0])["output"]


def test_an_incremental_build_records_the_digest_and_writes_the_manifest_a_fresh_one_gives(built_once, tmp_path):
    for folder in ("content", "output", "cache", "records", "reports"):
        shutil.copytree(built_once / folder, tmp_path / folder)
    group, site = GroupCopy(tmp_path / "content"), tmp_path / "output" / CITY
    article = group.root / "city" / "articles" / "20261020-second-news.md"
    article.write_text(article.read_text("utf-8").replace("澄湖市开展秋季植树活动", "澄湖市开展冬季植树活动"), "utf-8")
    assert build(group, tmp_path)["city"].kept > 0
    assert recorded_output(tmp_path, "city") == fingerprint.output_digest(site)
    written = load_manifest(site / MANIFEST_NAME)
    fresh = make_manifest(site, written.site)
    assert written.document["files"] == fresh["files"] and written.document["totals"] == fresh["totals"]


def test_a_live_manifest_that_no_longer_describes_the_output_is_not_reused(built_once, tmp_path):
    """The live manifest rewritten with wrong digests (so the output is not as the last build left
    it): the build hashes every file again, even those whose bytes it compared equal."""
    for folder in ("content", "output", "cache", "records", "reports"):
        shutil.copytree(built_once / folder, tmp_path / folder)
    group, site = GroupCopy(tmp_path / "content"), tmp_path / "output" / CITY
    document = json.loads((site / MANIFEST_NAME).read_text("utf-8"))
    for entry in document["files"]:
        entry["sha256"] = MARK
    write_manifest(site, document)
    article = group.root / "city" / "articles" / "20261020-second-news.md"
    article.write_text(article.read_text("utf-8").replace("澄湖市开展秋季植树活动", "澄湖市开展冬季植树活动"), "utf-8")
    build(group, tmp_path)
    assert MARK not in (site / MANIFEST_NAME).read_text("utf-8")
    assert recorded_output(tmp_path, "city") == fingerprint.output_digest(site)
