"""The schema reader of structured data files: every problem named by file and field, values typed."""

from datetime import date
from pathlib import Path

import pytest

from govsite.datafiles import Field, page_name_problem, read_folder

SCHEMA = (
    Field("subject", "标题"),
    Field("received", "收信日期", "date"),
    Field("status", "状态", "choice", choices=("受理", "办理中", "已办结")),
    Field("days", "天数", "int", required=False),
    Field("tags", "标签", "texts", required=False),
    Field("materials", "申请材料", "tables", required=False,
          fields=(Field("name", "材料名称"), Field("count", "份数", "int"))),
)


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_records_are_typed_and_texts_stripped(tmp_path):
    write(tmp_path, "a.toml", '[[letter]]\nsubject = " 路灯 "\nreceived = 2026-03-02\nstatus = "受理"\n'
                              'materials = [{name = "申请表", count = 1}]\n')
    records, problems = read_folder(tmp_path, SCHEMA, "letter")
    assert problems == []
    (record,) = records
    assert record["subject"] == "路灯" and record["received"] == date(2026, 3, 2)
    assert record["materials"] == [{"name": "申请表", "count": 1}]
    assert record["days"] is None and record.where("days") == "letter[0].days"


def test_every_problem_is_named_by_file_and_field(tmp_path):
    write(tmp_path, "b.toml", '[[letter]]\nsubjct = "x"\nreceived = "2026-03-02"\nstatus = "done"\n'
                              'days = -1\ntags = ["ok", ""]\nmaterials = [{name = "表", count = true}]\n'
                              '[[letter]]\nsubject = "a\\u0000b"\nreceived = 2026-03-02T10:00:00\nstatus = "受理"\n')
    records, problems = read_folder(tmp_path, SCHEMA, "letter")
    fields = {p.field for p in problems}
    assert fields == {"letter[0].subjct", "letter[0].subject", "letter[0].received", "letter[0].status",
                      "letter[0].days", "letter[0].tags", "letter[0].materials[0].count",
                      "letter[1].subject", "letter[1].received"}
    assert all(str(p.file).endswith("b.toml") for p in problems)
    unknown = next(p for p in problems if p.field == "letter[0].subjct")
    assert "did you mean 'subject'" in unknown.expected
    status = next(p for p in problems if p.field == "letter[0].status")
    assert "受理, 办理中, 已办结" in status.expected


def test_unreadable_and_misshapen_files(tmp_path):
    (tmp_path / "gbk.toml").write_bytes('subject = "路灯"'.encode("gbk"))
    write(tmp_path, "empty.toml", "")
    write(tmp_path, "stray.toml", 'title = "x"\n[[letter]]\nsubject = "y"\nreceived = 2026-01-01\nstatus = "受理"\n')
    records, problems = read_folder(tmp_path, SCHEMA, "letter")
    by_file = {p.file.name: p for p in problems}
    assert "UTF-8" in by_file["gbk.toml"].expected
    assert by_file["empty.toml"].expected == "one or more [[letter]] entries"
    assert by_file["stray.toml"].field == "title"
    assert len(records) == 1


def test_whole_file_records_and_absent_folder(tmp_path):
    write(tmp_path / "guides", "g.toml", 'subject = "x"\nreceived = 2026-01-01\nstatus = "已办结"\n')
    records, problems = read_folder(tmp_path / "guides", SCHEMA)
    assert problems == [] and records[0].place == "" and records[0].where("status") == "status"
    assert read_folder(tmp_path / "missing", SCHEMA) == ([], [])


@pytest.mark.parametrize("name, ok", [
    ("a-b-2026", True), ("x" * 80, True), ("x" * 81, False), ("a-", False), ("-a", False), ("A1", False),
    ("a_b", False), ("路灯", False), ("a b", False), ("index", False), ("group", False), ("a.b", False),
])
def test_a_data_file_named_as_its_page_address(name, ok):
    problem = page_name_problem(Path("city/guides") / f"{name}.toml", ("index", "group"))
    assert (problem is None) is ok
    if problem:
        assert problem.field == "file name" and "lower-case ASCII" in problem.expected
