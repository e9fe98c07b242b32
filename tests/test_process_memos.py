"""The values a long-lived build (``govsite build --watch``) remembers between builds in its process:
Pelican's date formatting (``govsite.date_memo``), its relative source paths
(``govsite.source_paths``) and values computed from files by their identity
(``govsite.file_memo.ProcessFileMemo``; the article headers of ``govsite.syndication``). Each must
give what computing afresh gives, see each kind of change it depends on, and stay bounded."""

from __future__ import annotations

import os
import time
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from pelican import utils
from pelican.utils import SafeDatetime

from govsite import date_memo, source_paths, syndication
from govsite.file_memo import ProcessFileMemo

SHANGHAI = ZoneInfo("Asia/Shanghai")
FORMATS = ("%Y%m", "%Y-%m-%d", "%Y年%-m月%-d日", "%H:%M %z %Z", "%a %b %%", "%Q-%-S")


@pytest.fixture(autouse=True)
def empty_date_memo():
    date_memo._memo.clear()
    yield
    date_memo._memo.clear()


def settled(path, seconds: float = 60) -> None:
    """Date a file back, as one not modified in the last seconds (the memo remembers only those)."""
    moment = time.time() - seconds
    os.utime(path, (moment, moment))


@pytest.mark.parametrize("fmt", FORMATS)
def test_remembered_dates_are_pelicans(fmt):
    values = [SafeDatetime(2026, 11, 3, 9, 5, tzinfo=SHANGHAI), datetime(2026, 1, 1, 0, 0, 7),
              SafeDatetime(2026, 7, 30, 23, 59, tzinfo=timezone.utc), date(2026, 2, 9)]
    for value in values:
        if isinstance(value, date) and not isinstance(value, datetime) and ("%H" in fmt or "%S" in fmt):
            continue
        expected = date_memo._pelican_strftime(value, fmt)
        assert date_memo.strftime(value, fmt) == expected
        assert date_memo.strftime(value, fmt) == expected, "the remembered result"


def test_equal_instants_in_other_zones_are_other_dates():
    """Aware datetimes compare (and hash) by instant: a memo keyed by the datetime would print the
    zone, offset or wall clock of whichever was formatted first."""
    beijing = SafeDatetime(2026, 11, 3, 8, 0, tzinfo=SHANGHAI)
    london = beijing.astimezone(timezone.utc)
    assert beijing == london
    for fmt in ("%H:%M", "%z", "%Z", "%Y-%m-%d %H"):
        assert date_memo.strftime(beijing, fmt) == beijing.strftime(fmt, safe=False)
        assert date_memo.strftime(london, fmt) == london.strftime(fmt, safe=False)
    assert date_memo.strftime(beijing, "%H") != date_memo.strftime(london, "%H")


def test_the_time_locale_is_part_of_the_key(monkeypatch):
    calls = []
    monkeypatch.setattr(date_memo, "_pelican_strftime", lambda d, f: calls.append(f) or f"{len(calls)}")
    moment = SafeDatetime(2026, 11, 3, 8, 0)
    monkeypatch.setattr(date_memo.locale, "setlocale", lambda category, value=None: "C")
    assert date_memo.strftime(moment, "%B") == date_memo.strftime(moment, "%B") == "1"
    monkeypatch.setattr(date_memo.locale, "setlocale", lambda category, value=None: "zh_CN.UTF-8")
    assert date_memo.strftime(moment, "%B") == "2", "another LC_TIME: formatted again"


def test_the_date_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(date_memo, "LIMIT", 5)
    start = SafeDatetime(2026, 1, 1)
    for day in range(40):
        moment = start + timedelta(days=day)
        assert date_memo.strftime(moment, "%Y-%m-%d") == moment.strftime("%Y-%m-%d", safe=False)
        assert len(date_memo._memo) <= 5


def test_pelican_formats_through_the_memo_once_installed(monkeypatch):
    monkeypatch.setattr(utils, "strftime", utils.strftime)  # restored after the test
    date_memo.install()
    moment = SafeDatetime(2026, 11, 3, 8, 0, tzinfo=SHANGHAI)
    assert f"{moment:%Y%m}" == "202611" and moment.strftime("%-m月") == "11月"
    assert date_memo.date_key(moment, "%Y%m") in date_memo._memo
    assert date_memo.date_key(moment, "%-m月") in date_memo._memo


def test_file_values_are_computed_again_for_each_kind_of_change(tmp_path):
    reads = []
    memo = ProcessFileMemo(lambda path: reads.append(path.name) or path.read_text("utf-8"))
    file = tmp_path / "a.md"
    file.write_text("Title: 秋季植树\n", "utf-8")
    settled(file)
    assert memo(file) == memo(file) == "Title: 秋季植树\n" and reads == ["a.md"], "unchanged: remembered"
    file.write_text("Title: 冬季植树\n", "utf-8")  # same size, new mtime
    settled(file, 50)
    assert memo(file) == "Title: 冬季植树\n"
    file.write_text("Title: 冬季植树。\n", "utf-8")
    info = os.stat(file)
    os.utime(file, ns=(info.st_atime_ns, info.st_mtime_ns))
    settled(file, 50)  # the same mtime as before, another size
    assert memo(file) == "Title: 冬季植树。\n"
    other = tmp_path / "b.md"
    other.write_text("Title: 夏季植树。\n", "utf-8")
    other.replace(file)  # another inode
    settled(file, 50)
    assert memo(file) == "Title: 夏季植树。\n" and len(reads) == 4


def test_a_file_written_seconds_ago_is_not_remembered(tmp_path):
    """A second write within the clock tick, with the same size, would keep the mtime: as git's index,
    the memo does not remember a file modified in the last seconds."""
    reads = []
    memo = ProcessFileMemo(lambda path: reads.append(path) or path.read_text("utf-8"))
    file = tmp_path / "a.md"
    file.write_text("Title: 秋季植树\n", "utf-8")
    stamp = os.stat(file).st_mtime_ns
    assert memo(file) == "Title: 秋季植树\n"
    file.write_text("Title: 冬季植树\n", "utf-8")
    os.utime(file, ns=(stamp, stamp))  # same inode, size and mtime: only the bytes tell
    assert memo(file) == "Title: 冬季植树\n" and len(reads) == 2


def test_a_file_is_remembered_once_however_its_path_is_written(tmp_path, monkeypatch):
    reads = []
    memo = ProcessFileMemo(lambda path: reads.append(path) or path.read_text("utf-8"))
    (tmp_path / "sub").mkdir()
    file = tmp_path / "a.md"
    file.write_text("Title: 秋季植树\n", "utf-8")
    settled(file)
    monkeypatch.chdir(tmp_path)
    for path in (file, str(file), "a.md", f"{tmp_path}/sub/../a.md", f"{tmp_path}/./a.md", f"{tmp_path}//a.md"):
        assert memo(path) == "Title: 秋季植树\n"
    assert len(reads) == 1 and list(memo.values) == [str(file)]


def test_file_values_are_bounded(tmp_path):
    memo = ProcessFileMemo(lambda path: path.name, limit=3)
    for n in range(10):
        file = tmp_path / f"{n}.md"
        file.write_text("x", "utf-8")
        settled(file)
        assert memo(file) == f"{n}.md" and len(memo.values) <= 3


def test_a_remembered_header_is_the_files_and_cannot_be_changed_by_a_caller(tmp_path):
    file = tmp_path / "a.md"
    file.write_text("Title: 秋季植树\nSyndicate: true\n\n正文。\n", "utf-8")
    settled(file)
    header = syndication.read_header(file)
    assert header == syndication.parse_header(file) == {"title": "秋季植树", "syndicate": "true"}
    header["syndicate"] = "false"
    assert syndication.is_syndicated(file), "the caller's copy, not the memo's"
    file.write_text("Title: 秋季植树\nSyndicate: false\n\n正文。\n", "utf-8")
    settled(file, 50)
    assert not syndication.is_syndicated(file)


class Source:
    """What ``get_relative_source_path`` reads of a content: its source path and ``PATH``."""

    def __init__(self, source_path, base):
        self.source_path, self.settings = source_path, {"PATH": base}


def test_relative_source_paths_are_pelicans_and_keyed_by_both_paths(tmp_path, monkeypatch):
    source_paths._memo.clear()
    monkeypatch.chdir(tmp_path)
    pelican = source_paths._pelican_relative
    cases = [Source("/site/articles/a.md", "/site"), Source("/site/articles/../pages/b.md", "/site"),
             Source("/other/articles/a.md", "/site"), Source("/site/articles/a.md", "/site/articles"),
             Source("articles/a.md", "/site"), Source("articles/a.md", "site"), Source(None, "/site")]
    for content in cases:
        assert source_paths.relative_source_path(content) == pelican(content)
        assert source_paths.relative_source_path(content) == pelican(content), "the remembered result"
        assert source_paths.relative_source_path(content, "/site/x/c.md") == pelican(content, "/site/x/c.md")
    assert source_paths.relative_source_path(Source("/site/articles/a.md", "/site")) == "articles/a.md"
    assert source_paths.relative_source_path(Source("/site/articles/a.md", "/site/articles")) == "a.md"
    assert all(os.path.isabs(base) and os.path.isabs(path) for base, path in source_paths._memo)
    monkeypatch.chdir("/")  # a relative path depends on the working folder: never remembered
    assert source_paths.relative_source_path(Source("articles/a.md", "site")) == "articles/a.md"
    source_paths._memo.clear()


def test_relative_source_paths_are_bounded_and_installed(monkeypatch):
    from pelican.contents import Content

    source_paths._memo.clear()
    monkeypatch.setattr(source_paths, "LIMIT", 4)
    for n in range(20):
        assert source_paths.relative_source_path(Source(f"/site/{n}.md", "/site")) == f"{n}.md"
        assert len(source_paths._memo) <= 4
    monkeypatch.setattr(Content, "get_relative_source_path", Content.get_relative_source_path)  # restored after
    source_paths.install()
    assert Content.get_relative_source_path is source_paths.relative_source_path
    source_paths._memo.clear()
