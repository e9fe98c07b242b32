"""The frozen 通报 (govsite/inspection_notice.py): the data file written and read back, hostile files, HTML, CSV."""

from __future__ import annotations

import csv
import io
from datetime import date
from types import SimpleNamespace

import pytest
from lxml import html

from govsite.errors import ContentInvalid
from govsite.inspection import FAIL, PASS, RUNNING
from govsite.inspection_notice import csv_text, frozen_form, notice_html, read_notices, toml_text
from govsite.registry import load_group

HOSTILE = 'A "quoted" \\ back\nslash <script>alert(1)</script> & <b>bold</b>'


def inspection_data(text: str = "栏目“通知”空白") -> dict:
    """The JSON data govsite.inspection.inspection_data gives, for the fixture group's two sites."""
    site = {"kind": "部门网站", "state": RUNNING, "reports": {}, "deducted": {"freshness": 2, "links": 0}}
    return {"quarter": "2026Q4", "title": "关于2026年第四季度政府网站检查情况的通报", "issuer": "澄湖市人民政府办公室",
            "checked": "2026-11-20", "method": "满分 100 分。", "pass_score": 60,
            "indicators": {"freshness": {"label": "栏目更新"}, "links": {"label": "链接可用"}},
            "sites": [{**site, "id": "city", "name": "澄湖市人民政府", "domain": "www.chenghu.gov.cn", "score": 98,
                       "verdict": PASS, "veto": False,
                       "problems": [{"label": "栏目更新", "text": text, "deduction": 2, "veto": False}]},
                      {**site, "id": "dept", "name": "澄湖市交通运输局", "domain": "jtj.chenghu.gov.cn", "score": None,
                       "verdict": FAIL, "veto": True,
                       "problems": [{"label": "单项否决", "text": "站点无法访问", "deduction": None, "veto": True}]}]}


def publish(group, values: dict, name: str = "2026Q4.toml"):
    return group.write(f"city/inspections/{name}", toml_text(values))


def read(group):
    loaded = load_group(group.root)
    return read_notices(loaded.get("city"), loaded)


def test_the_data_file_reads_back_as_written_whatever_the_text(group):
    values = frozen_form(inspection_data(HOSTILE), date(2026, 11, 21), intro="第一段。\n第二段。")
    publish(group, values)
    notices, problems = read(group)
    assert problems == []
    [notice] = notices
    assert notice.slug == "inspection-2026q4" and notice.values["issued"] == date(2026, 11, 21)
    city, dept = notice.sites
    assert city["problem"][0] == {"indicator": "栏目更新", "text": HOSTILE, "deduction": 2, "veto": None}
    assert dept["score"] is None and dept["veto"] and dept["problem"][0]["veto"] is True


def test_markup_in_texts_is_escaped():
    values = frozen_form(inspection_data(HOSTILE), date(2026, 11, 21), intro="<img src=x onerror=alert(1)>")
    tree = html.fromstring(f"<div>{notice_html(values)}</div>")
    assert not tree.xpath("//script|//b|//img")
    assert "<script>alert(1)</script> & <b>bold</b>（扣 2 分）" in tree.xpath("//ul/li")[0].text_content()
    assert "<img src=x onerror=alert(1)>" in tree.text_content()
    cells = [c.text_content() for c in tree.xpath("//table//tr[2]/*")]
    assert cells == ["2", "澄湖市交通运输局", "jtj.chenghu.gov.cn", RUNNING, "不计分（单项否决）", FAIL, "1"]
    assert tree.xpath("//h3/@id") == ["site-city", "site-dept"]
    assert "合格 1 个，不合格 1 个（其中单项否决 1 个）" in tree.text_content()


def test_csv_has_a_row_per_site():
    rows = list(csv.DictReader(io.StringIO(csv_text(inspection_data(HOSTILE)))))
    assert [(r["网站标识"], r["得分"], r["结论"], r["单项否决"], r["栏目更新扣分"]) for r in rows] == [
        ("city", "98", PASS, "否", "2"), ("dept", "", FAIL, "是", "2")]
    assert rows[0]["问题"] == f"〔栏目更新〕{HOSTILE}"


def test_hostile_files_name_the_file_and_every_bad_field(group):
    values = frozen_form(inspection_data(), date(2026, 11, 21))
    text = toml_text(values).replace('id = "dept"', 'id = "nosuch"').replace("score = 98", 'score = "98"')
    text = text.replace('verdict = "不合格"', 'verdict = "合格"').replace('issuer = ', 'isuer = ')
    path = group.write("city/inspections/2026Q4.toml", text)
    notices, problems = read(group)
    assert notices == []
    named = {(p.file, p.field) for p in problems}
    assert (path, "isuer") in named and (path, "issuer") in named  # unknown key, and the missing one
    assert (path, "site[0].score") in named
    by_field = {p.field: p for p in problems}
    assert "did you mean 'issuer'" in by_field["isuer"].expected
    assert "a number >= 0" in by_field["site[0].score"].expected
    # once the types are right, the rules across fields
    text = toml_text(values).replace('id = "dept"', 'id = "nosuch"').replace('verdict = "不合格"', 'verdict = "合格"')
    group.write("city/inspections/2026Q4.toml", text)
    group.write("city/inspections/2026Q3.toml", toml_text(values))  # its quarter says 2026Q4
    notices, problems = read(group)
    by_field: dict[tuple, str] = {}
    for problem in problems:  # a field may have several problems
        key = (problem.file.name, problem.field)
        by_field[key] = by_field.get(key, "") + problem.expected
    assert "the id of a site of the group: city, dept" in by_field[("2026Q4.toml", "site[1].id")]
    assert "has a score and no single veto" in by_field[("2026Q4.toml", "site[1].verdict")]
    assert "不合格 (the site has a single veto)" in by_field[("2026Q4.toml", "site[1].verdict")]
    assert by_field[("2026Q3.toml", "quarter")] == "the quarter the file is named for (2026Q3)"


def test_a_file_that_is_not_toml_is_named(group):
    group.write("city/inspections/2026Q4.toml", 'quarter = "2026Q4\n')
    notices, problems = read(group)
    assert notices == [] and problems[0].file.name == "2026Q4.toml" and "valid TOML" in problems[0].expected


def fake_pelican(group, site_id: str, today: str):
    """What the inspection stage reads at `initialized`: the site context and the build's day."""
    loaded = load_group(group.root)
    context = SimpleNamespace(site=loaded.get(site_id), group=loaded)
    return SimpleNamespace(settings={"JINJA_GLOBALS": {"govsite": context}, "GOVSITE_TODAY": today})


def test_the_stage_shows_a_notice_from_its_issued_day_and_only_on_a_portal(group):
    from govsite.plugins.inspection import NOTICES_KEY, URL_KEY, read_site_notices

    publish(group, frozen_form(inspection_data(), date(2026, 11, 21)))
    before, on_the_day = fake_pelican(group, "city", "2026-11-20"), fake_pelican(group, "city", "2026-11-21")
    read_site_notices(before)
    read_site_notices(on_the_day)
    assert before.settings[NOTICES_KEY] == [] and before.settings["JINJA_GLOBALS"][URL_KEY] == ""
    assert len(on_the_day.settings[NOTICES_KEY]) == 1
    assert on_the_day.settings["JINJA_GLOBALS"][URL_KEY] == "inspections.html"
    group.write("dept/inspections/2026Q4.toml", toml_text(frozen_form(inspection_data(), date(2026, 11, 21))))
    with pytest.raises(ContentInvalid, match="inspection notices only in the portal's folder"):
        read_site_notices(fake_pelican(group, "dept", "2026-11-21"))
