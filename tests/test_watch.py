"""``govsite build --watch`` (govsite/watch.py, govsite/console.py): a build now and again after each
change, in the watching process. That its builds write what full builds write is proven by
tests/test_incremental_identical.py (its ``watch`` variant)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from govsite.watch import tree_state, watch

ROOT = Path(__file__).resolve().parent.parent
SECOND = "www.chenghu.gov.cn/news/202610/20261020-second-news.html"
NOTICE = "www.chenghu.gov.cn/notices/202610/20261015-notice.html"


def test_tree_state_sees_edits_of_the_same_size_and_leaves_out_ignored_folders(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.md").write_text("one", "utf-8")
    (tmp_path / "_records").mkdir()
    (tmp_path / "_records" / "r.json").write_text("{}", "utf-8")
    before = tree_state([tmp_path], ignore=[tmp_path / "_records"])
    assert list(before) == [str(tmp_path / "a" / "x.md")]
    (tmp_path / "_records" / "r.json").write_text("{1}", "utf-8")  # what the build writes: not a change
    assert tree_state([tmp_path], ignore=[tmp_path / "_records"]) == before
    os.utime(tmp_path / "a" / "x.md", ns=(1, 1))  # same size, another mtime
    assert tree_state([tmp_path], ignore=[tmp_path / "_records"]) != before


def test_watch_builds_once_the_saves_settle_and_not_when_nothing_changed():
    scans = [0, 0, 1, 2, 2, 2]  # start, unchanged, changed, still changing, settled, unchanged
    built = []
    count = watch(lambda: built.append(scans[0] if scans else None), lambda: scans.pop(0), sleep=lambda _: None,
                  stop=lambda: not scans)
    assert count == 2 and built == [0, 2]  # the first build, then one after the saves settled


def test_the_watch_command_publishes_an_edit_without_restarting(group, tmp_path):
    """`govsite build --watch` for real: the first build, then an edited article's page rebuilt in the same
    process, with the other article pages kept; Ctrl-C (SIGINT) ends it with exit code 0."""
    (tmp_path / "pelicanconf.py").write_text('from govsite.defaults import *\nGOVSITE_A11Y = {"engine": "static"}\n',
                                             "utf-8")
    log = tmp_path / "watch.log"
    command = [sys.executable, "-m", "govsite", "build", "--content", str(group.root), "--output",
               str(tmp_path / "output"), "--cache", str(tmp_path / "cache"), "--reports", str(tmp_path / "reports"),
               "--records", str(tmp_path / "records"), "--today", "2026-11-27", "--watch", "0.2"]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
                                   env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"})
    try:
        def wait_for(builds: int) -> str:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                text = log.read_text("utf-8")
                if text.count("; watching") >= builds:
                    return text
                assert process.poll() is None, text
                time.sleep(0.2)
            raise AssertionError(f"no build {builds} within 120 s:\n{log.read_text('utf-8')}")

        wait_for(1)
        page = tmp_path / "output" / SECOND
        assert "秋季植树" in page.read_text("utf-8")
        other = (tmp_path / "output" / NOTICE).stat().st_ino
        article = group.root / "city" / "articles" / "20261020-second-news.md"
        article.write_text(article.read_text("utf-8").replace("秋季植树", "冬季植树"), "utf-8")
        text = wait_for(2)
        assert "冬季植树" in page.read_text("utf-8")
        assert (tmp_path / "output" / NOTICE).stat().st_ino == other  # another column's page: kept, not rendered
        assert text.count("; watching") == 2, text  # one build per change, none while nothing changed
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(120)  # on a loaded machine, ending a build under way can take a while
    assert code == 0, log.read_text("utf-8")


def test_the_collector_waits_until_a_build_has_reported():
    """No cyclic garbage collection during a watch's build; the cycles it left are collected after."""
    import gc
    import weakref

    from govsite.watch import collector_paused

    class Node:
        pass

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        cycle = Node()
        cycle.itself = cycle
        left = weakref.ref(cycle)
        del cycle
        assert left() is not None  # a cycle outlives the build ...
    assert gc.isenabled() and left() is None  # ... and not its end
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller that turned it off keeps it off
    finally:
        gc.enable()
