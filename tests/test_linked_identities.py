"""The identities of the pages a build linked from the live output, taken instead of stat'ing them
again (govsite/file_memo.py ``listed_as``, govsite/incremental.py, govsite/fingerprint.py
``output_files``): a page is trusted only while the folder's listing gives it the inode linked, a
write through the link or a live page replaced during the build fails the build, and the live
output's walk describes what ``os.walk`` and ``os.stat`` describe."""

import hashlib
import os

import pytest

from govsite import fingerprint
from govsite.archive.sitefiles import walk
from govsite.checks.selection import content_hash, page_hashes
from govsite.errors import GovsiteError
from govsite.file_memo import FileMemo, listed_as
from govsite.files import file_identity, page_names
from govsite.incremental import LINKED, SETTING, IncrementalWriter, check_kept, linked_identities, save_json


def replace(path, text):
    """Write ``path`` as the platform's writers do: a new file renamed over it (a new inode)."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, "utf-8")
    temporary.replace(path)


def test_a_listed_page_is_not_stated_and_a_replaced_one_is_read_again(tmp_path, monkeypatch):
    root, memo = tmp_path / "site", tmp_path / "hashes.json"
    (root / "news").mkdir(parents=True)
    for name in ("index.html", "news/a.html"):
        (root / name).write_text(f"<p>{name}</p>", "utf-8")
    old = os.stat(root / "index.html").st_mtime_ns - 10 ** 10  # settled: the memo keeps them
    for name in ("index.html", "news/a.html"):
        os.utime(root / name, ns=(old, old))
    linked = {name: file_identity(root / name) for name in ("index.html", "news/a.html")}
    page_hashes(root, ["index.html", "news/a.html"], memo)
    replace(root / "news" / "a.html", "<p>changed</p>")  # replaced after it was linked: another inode
    os.utime(root / "news" / "a.html", ns=(old, old))

    inodes: dict[str, int] = {}
    pages = page_names(root, inodes=inodes)
    trusted = listed_as(linked, inodes)
    assert trusted == {"index.html": linked["index.html"]}, "only the page still the file linked is trusted"
    stat = os.stat

    def no_stat_of_trusted(path, *args, **kwargs):
        assert not str(path).endswith("index.html"), "a listed page was stat'ed"
        return stat(path, *args, **kwargs)
    monkeypatch.setattr("govsite.file_memo.os.stat", no_stat_of_trusted)
    hashes = page_hashes(root, pages, memo, trusted)
    assert hashes["news/a.html"] == content_hash(b"<p>changed</p>"), "the replaced page was read again"
    assert hashes["index.html"] == content_hash(b"<p>index.html</p>")


def kept_page(tmp_path, live_files=None):
    """A writer that kept ``news/a.html`` by linking it from the live output."""
    live, staging = tmp_path / "live", tmp_path / "staging"
    (live / "news").mkdir(parents=True)
    (live / "news" / "a.html").write_text("live page", "utf-8")
    save_json(tmp_path / "keys.json", {"news/a.html": "key"})
    config = {"previous": str(live), "state": str(tmp_path / "keys.json"), "render": "r"}
    settings = {SETTING: {**config, "live": live_files} if live_files is not None else config}
    writer = IncrementalWriter(str(staging), settings=settings)
    assert writer._keep("news/a.html")
    return writer, settings, live / "news" / "a.html", staging


def walked(staging):
    return {f.rel: (f.inode, f.size, f.mtime_ns) for f in walk(staging)}


def test_the_walk_finds_a_kept_page_written_through_its_link(tmp_path):
    _, settings, live, staging = kept_page(tmp_path)
    check_kept(settings, staging, walked(staging))
    with open(staging / "news" / "a.html", "a", encoding="utf-8") as handle:
        handle.write(" changed")
    with pytest.raises(GovsiteError, match="changed after the build linked them.*news/a.html"):
        check_kept(settings, staging, walked(staging))


def test_a_kept_page_replaced_by_the_build_is_no_finding(tmp_path):
    _, settings, live, staging = kept_page(tmp_path)
    replace(staging / "news" / "a.html", "new page")
    check_kept(settings, staging, walked(staging))
    assert live.read_text("utf-8") == "live page"


def keep_with_live_walk(tmp_path, edit_after_walk: bool):
    """A writer given the live output's walk (as the build gives it), keeping ``news/a.html``; the
    live page edited in place between the walk and the link when ``edit_after_walk``."""
    live, staging = tmp_path / "live", tmp_path / "staging"
    (live / "news").mkdir(parents=True)
    (live / "news" / "a.html").write_text("live page", "utf-8")
    save_json(tmp_path / "keys.json", {"news/a.html": "key"})
    files = fingerprint.output_files(live)
    if edit_after_walk:
        with open(live / "news" / "a.html", "a", encoding="utf-8") as handle:
            handle.write(" edited")
    settings = {SETTING: {"previous": str(live), "state": str(tmp_path / "keys.json"), "render": "r", "live": files}}
    writer = IncrementalWriter(str(staging), settings=settings)
    assert writer._keep("news/a.html")
    return settings, files["news/a.html"], staging


def test_the_writer_takes_the_live_walk_s_identity(tmp_path):
    settings, walked_identity, staging = keep_with_live_walk(tmp_path, edit_after_walk=False)
    assert settings[LINKED][str(staging / "news" / "a.html")] == walked_identity
    check_kept(settings, staging, walked(staging))


def test_a_live_page_edited_between_the_walk_and_the_link_fails_the_build(tmp_path):
    settings, walked_identity, staging = keep_with_live_walk(tmp_path, edit_after_walk=True)
    assert settings[LINKED][str(staging / "news" / "a.html")] == walked_identity, "not stat'ed again"
    with pytest.raises(GovsiteError, match="edited in the live output during the build.*news/a.html"):
        check_kept(settings, staging, walked(staging))


def test_a_live_page_replaced_during_the_build_fails_it(tmp_path):
    _, settings, live, staging = kept_page(tmp_path)
    replace(live, "someone else's page")  # the live page replaced after the build linked the old one
    (staging / "news" / "a.html").unlink()
    os.link(live, staging / "news" / "a.html")  # and the staged page is that new live file
    with pytest.raises(GovsiteError, match="replaced during the build.*news/a.html"):
        check_kept(settings, staging, walked(staging))


def test_linked_identities_are_relative_to_the_staging_folder(tmp_path):
    _, settings, _, staging = kept_page(tmp_path)
    assert linked_identities(settings, staging) == {"news/a.html": file_identity(staging / "news" / "a.html")}
    assert linked_identities({}, staging) is None


def reference_digest(folder):
    """``output_digest`` as it was written first: ``os.walk`` and ``os.stat``."""
    digest = hashlib.blake2b(digest_size=16)
    for relative, path in fingerprint.sorted_files(str(folder)):
        info = os.stat(path)
        digest.update(f"{relative}:{info.st_size}:{info.st_mtime_ns};".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def test_the_output_walk_describes_what_os_walk_and_stat_describe(tmp_path):
    site = tmp_path / "site"
    for name in ("b.html", "a-b.html", "a/x.html", "a/z/y.html", "a-c/y.html", ".hidden/z.html", "é/ü.html"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(name, "utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.html").write_text("outside", "utf-8")
    os.symlink(tmp_path / "elsewhere", site / "linked-folder")  # not descended into, as os.walk does
    os.symlink(site / "b.html", site / "linked-file.html")  # followed, as os.stat does
    files = fingerprint.output_files(site)
    assert list(files) == [relative for relative, _ in fingerprint.sorted_files(str(site))]
    assert files["linked-file.html"] == file_identity(site / "b.html")
    assert fingerprint.output_digest(site) == reference_digest(site)
    assert fingerprint.output_files(tmp_path / "missing") is None and fingerprint.output_digest(tmp_path / "missing") == ""


def test_a_publish_s_checks_stat_none_of_the_pages_it_linked(tmp_path, monkeypatch):
    """In a watch's publish, the link check, the search and the gate take the linked pages' identities
    (the page hash and region memos stat only the pages rendered), and the output matches a full build."""
    import random

    from test_content_index import age
    from test_dependencies import edit, group
    from test_untouched import NEWEST, assert_same_as_full, watch_build

    content = group(tmp_path)
    age(content)
    watch_build(content, tmp_path / "watch")
    watch_build(content, tmp_path / "watch")
    edit(content / NEWEST, random.Random(7), "Title")
    value, stated = FileMemo.value, []

    def recording(self, root, name, compute, identity=None):
        if name.endswith(".html") and identity is None:
            stated.append(name)
        return value(self, root, name, compute, identity)
    monkeypatch.setattr(FileMemo, "value", recording)
    results = watch_build(content, tmp_path / "watch")
    monkeypatch.undo()
    city = results["city"]
    assert city.untouched > 5, city.untouched
    assert stated, "the memos ran"
    # the three memos (links, search, gate) stat only what was not linked; one site and the others built too
    assert len(stated) <= 3 * sum(r.pages - r.untouched for r in results.values()), (len(stated), results)
    assert_same_as_full(content, tmp_path, results)
