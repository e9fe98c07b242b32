"""A build after a killed build, and two builds of one output folder (issue 15, item 13): leftovers
of interrupted builds are removed, a concurrent build is refused naming the one running."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from govsite.build import OLD_COPY, build_group, output_lock, remove_old_copies
from govsite.errors import GovsiteError

ROOT = Path(__file__).parent.parent
STATIC = {"GOVSITE_A11Y": {"engine": "static"}}


def build(group, tmp_path, **kwargs):
    return build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache", reports_dir=None,
                       settings=STATIC, **kwargs)


def kill_mid_build(group, tmp_path) -> list[Path]:
    """Start ``invoke build`` and SIGKILL it (workers too) once a staging folder exists."""
    command = [sys.executable, "-m", "invoke", "build", "--content", str(group.root), "--output",
               str(tmp_path / "output"), "--cache", str(tmp_path / "cache"), "--reports", str(tmp_path / "reports"),
               "--records", str(tmp_path / "records"), "--workers", "1"]
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    staging = tmp_path / "output" / ".staging"
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and not (staging.is_dir() and any(staging.iterdir())):
            assert process.poll() is None, "the build ended before it could be killed"
            time.sleep(0.05)
        time.sleep(0.5)  # Pelican is writing into the staging folder
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return list(staging.iterdir())


def test_leftovers_of_a_killed_build_are_removed_by_the_next(group, tmp_path):
    leftovers = kill_mid_build(group, tmp_path)
    assert leftovers and all(p.name.rsplit(".", 1)[1].isdigit() for p in leftovers)
    output = tmp_path / "output"
    aside = [output / ".www.chenghu.gov.cn.old.4194303", output / ".deploy" / ".jtj.chenghu.gov.cn.4194303",
             output / ".deploy" / ".jtj.chenghu.gov.cn.old.4194303"]
    for folder in aside:  # what a build killed inside swap_into_place leaves
        (folder / "notices").mkdir(parents=True)
        (folder / "notices" / "index.html").write_text("<p>old</p>", "utf-8")
    results = build(group, tmp_path)
    assert all(r.ok for r in results), [r.error for r in results]
    assert not (output / ".staging").exists() and not any(p.exists() for p in leftovers + aside)
    assert (output / "www.chenghu.gov.cn" / "index.html").is_file()
    assert sorted(p.name for p in output.iterdir() if not p.name.startswith(".")) == \
        ["jtj.chenghu.gov.cn", "www.chenghu.gov.cn"]


def test_a_second_build_of_one_output_is_refused_while_the_first_runs(group, tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, time\n"
        f"folder = os.open({str(output)!r}, os.O_RDONLY)\n"
        "fcntl.flock(folder, fcntl.LOCK_EX)\n"
        "print('locked', flush=True)\n"
        "time.sleep(60)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(GovsiteError, match="another build is writing this output folder"):
            build(group, tmp_path)
        assert not any(output.iterdir()), "nothing was written"
    finally:
        holder.kill()
        holder.wait()
    assert all(r.ok for r in build(group, tmp_path)), "a dead holder leaves no stale lock"


def old_copies(output: Path) -> list[Path]:
    return sorted(p for p in output.iterdir() if OLD_COPY.match(p.name))


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_deferred_cleanup_leaves_the_replaced_output_until_removed_after_reporting(group, tmp_path):
    output = tmp_path / "output"
    assert all(r.ok for r in build(group, tmp_path, site_ids=["city"]))
    before = tree(output / "www.chenghu.gov.cn")
    group.write("city/articles/20261120-deferred.md", "Title: 延后删除\nDate: 2026-11-20\nCategory: news\n\n正文。")
    results = build(group, tmp_path, site_ids=["city"], in_process=True, defer_cleanup=True)
    assert all(r.ok for r in results), [r.error for r in results]
    left = old_copies(output)
    assert [Path(p) for p in results[0].old_copies] == left and len(left) == 1
    assert tree(left[0]) == before, "the replaced output, as it was"
    assert "news/202611/20261120-deferred.html" in tree(output / "www.chenghu.gov.cn")
    assert remove_old_copies(output, results) == left and old_copies(output) == []


def test_a_deferred_copy_not_removed_is_a_leftover_to_the_next_build(group, tmp_path):
    output = tmp_path / "output"
    assert all(r.ok for r in build(group, tmp_path, site_ids=["city"]))
    group.write("city/articles/20261120-deferred.md", "Title: 延后删除\nDate: 2026-11-20\nCategory: news\n\n正文。")
    results = build(group, tmp_path, site_ids=["city"], in_process=True, defer_cleanup=True)
    assert len(old_copies(output)) == 1
    with output_lock(output):  # another build runs: the copy is left to it
        assert remove_old_copies(output, results) == []
    assert len(old_copies(output)) == 1
    group.write("city/articles/20261121-next.md", "Title: 下一篇\nDate: 2026-11-21\nCategory: news\n\n正文。")
    again = build(group, tmp_path, site_ids=["city"])
    assert all(r.ok for r in again) and again[0].kept > 0, "the live output was intact: pages kept"
    assert old_copies(output) == [] and not again[0].old_copies


def test_a_failed_deferred_build_leaves_the_live_output_and_no_copy(group, tmp_path):
    output = tmp_path / "output"
    assert all(r.ok for r in build(group, tmp_path, site_ids=["city"]))
    live = output / "www.chenghu.gov.cn"
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in live.rglob("*")}
    group.write("city/articles/20261120-broken.md", "Title: 坏链接\nDate: 2026-11-20\nCategory: news\n\n"
                "见[文件]({filename}/articles/missing.md)。")
    results = build(group, tmp_path, site_ids=["city"], in_process=True, defer_cleanup=True)
    assert not results[0].ok and not results[0].old_copies and old_copies(output) == []
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in live.rglob("*")} == before
