"""The gate inside the build (plugins/govsite_a11y_gate): an injected violation fails the site."""

import json

import pytest

from govsite.build import build_group

pytestmark = pytest.mark.browser

FAST_GATE = {"GOVSITE_A11Y": {"modes": ["normal"], "workers": 1}}


def build(group, tmp_path, settings=FAST_GATE, full=False):
    results = build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache",
                          reports_dir=tmp_path / "reports", settings=settings, full=full)
    return {r.site_id: r for r in results}


def test_injected_serious_violation_fails_the_build_and_keeps_previous_output(group, tmp_path):
    first = build(group, tmp_path)
    assert all(r.ok for r in first.values()), {k: r.error for k, r in first.items()}
    report = tmp_path / "reports" / "www.chenghu.gov.cn"
    assert json.loads((report / "report.json").read_text("utf-8"))["passed"] is True
    index = tmp_path / "output" / "www.chenghu.gov.cn" / "index.html"
    before = index.read_bytes()
    group.write("city/articles/20261110-faint.md",
                "Title: 低对比度的文章\nDate: 2026-11-10 09:00\nCategory: news\nSummary: 摘要。\n\n"
                '<p style="color:#c8c8c8">这段文字的颜色太浅，看不清楚。</p>\n')
    second = build(group, tmp_path)
    city = second["city"]
    assert not city.ok and second["dept"].ok
    assert "accessibility gate FAILED" in city.error and "color-contrast" in city.error
    assert "report:" in city.error and str(report) in city.error
    assert index.read_bytes() == before, "the previous output is kept"
    data = json.loads((report / "report.json").read_text("utf-8"))
    assert data["passed"] is False
    failing = [f for f in data["findings"] if f["status"] == "fail"]
    assert failing[0]["rule"] == "color-contrast" and failing[0]["page"].startswith("news/202611/")
    assert (report / "index.html").is_file() and (report / "junit.xml").is_file()


def test_invalid_policy_stops_the_build_naming_the_setting(group, tmp_path):
    results = build(group, tmp_path, settings={"GOVSITE_A11Y": {"fail_impacts": ["fatal"]}})
    assert not results["city"].ok
    assert "GOVSITE_A11Y['fail_impacts']" in results["city"].error
    assert not (tmp_path / "output" / "www.chenghu.gov.cn").exists()


def test_smart_gate_rechecks_only_changed_pages_on_rebuild(group, tmp_path):
    assert build(group, tmp_path)["city"].ok
    first = json.loads((tmp_path / "reports/www.chenghu.gov.cn/report.json").read_text("utf-8"))
    assert build(group, tmp_path)["city"].status == "unchanged"  # nothing changed: not even built
    assert build(group, tmp_path, full=True)["city"].ok  # built again: the gate re-checks in the browser
    second = json.loads((tmp_path / "reports/www.chenghu.gov.cn/report.json").read_text("utf-8"))
    assert second["pages"]["browser"] < first["pages"]["browser"] == first["pages"]["total"]
