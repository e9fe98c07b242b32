"""The quarterly inspection's scoring, single veto and settings (govsite/inspection.py)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import FIXTURES

from govsite.errors import ContentInvalid, UsageError
from govsite.inspection import (CLOSED, FAIL, NOT_INSPECTED, PASS, RUNNING, Issue, Quarter, SiteInspection,
                                compliance_issues, gate_issues, link_issues, load_settings, method_text, read_report,
                                score)
from govsite.registry import load_group

SETTINGS = load_settings(None)
SITE = load_group(FIXTURES / "group").get("dept")


def test_quarters_parse_and_know_their_days():
    quarter = Quarter.parse("2026q4")
    assert str(quarter) == "2026Q4" and quarter.label == "2026年第四季度"
    assert (quarter.first_day, quarter.last_day) == (date(2026, 10, 1), date(2026, 12, 31))
    assert Quarter.of(date(2026, 3, 31)).last_day == date(2026, 3, 31)
    for bad in ("2026Q5", "26Q1", "2026-4", ""):
        with pytest.raises(UsageError, match="expected a quarter YYYYQN"):
            Quarter.parse(bad)


def test_settings_override_defaults_and_every_bad_value_is_named():
    settings = load_settings({"pass_score": 70, "indicators": {"links": {"broken_link": 1}}})
    assert settings["pass_score"] == 70 and settings["indicators"]["links"] == {
        "label": "链接可用", "weight": 15, "broken_link": 1}
    assert settings["indicators"]["freshness"]["stale_key_column"] == 5  # the [C] default stays
    with pytest.raises(ContentInvalid) as caught:
        load_settings({"pass_scor": 60, "pass_score": 101,
                       "indicators": {"links": {"broken_link": "1", "wieght": 3}, "speed": {}}})
    text = str(caught.value)
    assert "GOVSITE_INSPECTION['pass_scor']" in text and "did you mean 'pass_score'" in text
    assert "GOVSITE_INSPECTION['pass_score'] = 101: expected a number from 0 to 100" in text
    assert "GOVSITE_INSPECTION['indicators']['links']['broken_link'] = '1': expected a number >= 0" in text
    assert "did you mean 'weight'" in text and "GOVSITE_INSPECTION['indicators']['speed']" in text
    with pytest.raises(ContentInvalid, match="a dict with keys pass_score, indicators"):
        load_settings(["pass_score"])


def inspected(issues, state=RUNNING, settings=SETTINGS):
    return score(SiteInspection(SITE, SITE.domain, state, list(issues)), settings)


def test_score_is_100_minus_deductions_each_capped_at_its_indicator_weight():
    result = inspected([Issue("links", "失效链接", 10), Issue("links", "失效链接", 10), Issue("freshness", "空白栏目", 2)])
    assert result.deducted(SETTINGS)["links"] == 15  # capped at the weight
    assert result.score == 83 and result.verdict == PASS and not result.veto


def test_below_the_pass_score_fails():
    issues = [Issue(name, "x", 100) for name in ("freshness", "links", "compliance")]
    result = inspected(issues)
    assert result.score == 30 and result.verdict == FAIL


def test_a_single_veto_fails_the_site_unscored():
    result = inspected([Issue("veto", "单项否决：首页 20 天没有新信息", veto=True), Issue("links", "x", 1)])
    assert result.veto and result.score is None and result.verdict == FAIL
    data = result.to_dict(SETTINGS)
    assert data["problems"][0] == {"indicator": "veto", "label": "单项否决", "text": "单项否决：首页 20 天没有新信息",
                                   "deduction": None, "veto": True}


def test_a_closed_site_is_listed_not_inspected():
    result = inspected([], state=CLOSED)
    assert result.score is None and result.verdict == NOT_INSPECTED


def compliance(columns=(), findings=()):
    return {"build_day": "2026-11-20", "single_veto": False, "columns": list(columns), "findings": list(findings)}


def column(name, kind, status, days=200, stale=180):
    return {"name": name, "type": kind, "status": status, "days": days, "stale_days": stale}


def finding(family, rule, severity, message, veto=False):
    return {"family": family, "rule": rule, "severity": severity, "message": message, "veto": veto,
            "file": "/srv/group/content/city/articles/x.md"}


def test_compliance_report_to_issues():
    data = compliance(
        [column("政策文件", "政策文件", "stale"), column("人事", "人事信息", "stale", 400, 365),
         column("专题", "专题专栏", "blank", None, None), column("要闻", "要闻动态", "ok", 3, 14)],
        [finding("freshness", "single-veto", "error", "单项否决：空白栏目共 5 个", veto=True),
         finding("freshness", "stale-column", "warning", "counted from the columns, not twice"),
         finding("freshness", "home-approaching", "warning", "首页已 11 天没有新信息"),
         finding("privacy", "id-number", "error", "身份证号"), finding("wording", "w", "warning", "表述"),
         finding("review", "r", "info", "a note costs nothing"), finding("links", "broken", "error", "link family")])
    issues = compliance_issues(data, SETTINGS["indicators"])
    by_text = {i.text: i for i in issues}
    assert by_text["空白栏目共 5 个"].veto
    assert by_text["栏目“政策文件”（政策文件）200 天未更新（要求 180 天内）"].points == 5
    assert by_text["栏目“人事”（人事信息）400 天未更新（要求 365 天内）"].points == 2
    assert by_text["空白栏目“专题”：开设以来没有发布信息"].points == 2
    assert by_text["首页已 11 天没有新信息"].points == 1
    assert by_text["隐私保护：身份证号（x.md）"].points == 2 and by_text["表述规范：表述（x.md）"].points == 0.5
    assert len(issues) == 7  # not the stale-column finding, the note, nor the links family


def test_gate_and_link_reports_to_issues():
    gate = {"passed": False, "summary": {"by_rule": {"color-contrast": {"fail": 3, "warn": 0},
                                                     "region": {"fail": 0, "warn": 2}}}}
    assert [(i.text, i.points) for i in gate_issues(gate, SETTINGS["indicators"]["accessibility"])] == [
        ("无障碍检测不通过：color-contrast（3 处）", 2), ("无障碍检测警告：region（2 处）", 0.5)]
    links = {"passed": False, "broken": [{"page": "a.html", "url": "b.html", "message_zh": "链接目标不存在"}]}
    assert [i.text for i in link_issues(links, SETTINGS["indicators"]["links"])] == ["失效链接：a.html → b.html（链接目标不存在）"]
    missing = link_issues(None, SETTINGS["indicators"]["links"])
    assert missing[0].points == 0 and "未检查" in missing[0].text


def test_damaged_reports_are_problems_naming_file_and_field(tmp_path):
    problems = []
    (tmp_path / "cut.json").write_text('{"build_day": "2026', "utf-8")
    (tmp_path / "typed.json").write_text(json.dumps({"build_day": 20261120, "single_veto": False}), "utf-8")
    assert read_report(tmp_path / "cut.json", {"build_day": str}, problems) is None
    assert read_report(tmp_path / "typed.json", {"build_day": str}, problems) is None
    assert read_report(tmp_path / "absent.json", {"build_day": str}, problems) is None
    assert [(p.file.name, p.field) for p in problems] == [("cut.json", ""), ("typed.json", "build_day")]
    assert "rebuild the site" in problems[1].expected


def test_the_method_states_the_weights():
    text = method_text(SETTINGS)
    assert "栏目更新 30 分" in text and "得分低于 60 分为不合格" in text and "单项否决" in text
