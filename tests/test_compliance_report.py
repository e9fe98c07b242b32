"""The compliance report: JSON, Chinese HTML with accessible SVG charts, another family added, axe-clean."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from lxml import html

from govsite.checks.browser import describe_violations, run_axe
from govsite.compliance.config import load_config, site_facts
from govsite.compliance.findings import Finding
from govsite.compliance.items import Item
from govsite.compliance.report import family_scores, write_reports
from govsite.compliance.run import check_site, monthly_counts
from govsite.registry import load_group

BJ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def run(group):
    site = load_group(group.root).get("city")
    day = lambda d: datetime.fromisoformat(d).replace(hour=9, tzinfo=BJ)  # noqa: E731
    items = [Item("/c/city/articles/n1.md", "n1", "要闻", "news", "要闻动态", day("2026-09-01"), author="甲", reviewer="乙"),
             Item("/c/city/articles/n2.md", "n2", "中华人民共合国成立", "news", "要闻动态", day("2026-11-20"),
                  author="甲", reviewer="甲"),
             Item("/c/city/articles/t1.md", "t1", "通知", "notices", "通知公告", day("2026-10-15"), author="甲",
                  reviewer="乙", body="<p>电话13812345678</p>")]
    now = day("2026-11-27")
    return check_site(site, items, load_config(None), {**site_facts(site, now.date()), "warn_only": ()}, now, git=False)


def test_json_and_html_report(run, tmp_path):
    links = Finding("links", "broken-link", "error", "news/index.html", "链接指向不存在的页面 a.html", "修正或删除该链接")
    data = write_reports(run, tmp_path, extra=[links])
    assert json.loads((tmp_path / "compliance.json").read_text("utf-8")) == data
    assert data["schema"] == "govsite-compliance-report/1" and not data["passed"] and data["single_veto"]
    families = data["families"]
    assert list(families)[:7] == ["privacy", "review", "deadlines", "interpretations", "freshness", "wording", "links"]
    assert families["wording"]["verdict"] == "fail" and families["links"]["error"] == 1
    assert families["privacy"] == {"label": "隐私保护", "error": 0, "warning": 0, "info": 1, "verdict": "pass",
                                   "score": 100}
    assert data["monthly"] == {"2026-09": 1, "2026-10": 1, "2026-11": 1}
    assert monthly_counts([]) == {}
    assert [c["status"] for c in data["columns"]] == ["ok", "ok"]
    page = html.fromstring((tmp_path / "compliance.html").read_text("utf-8"))
    assert page.get("lang") == "zh-CN" and "单项否决" in page.text_content()
    assert "as_of 把栏目更新的计算日固定为 2026-11-10" in page.text_content(), "a frozen inspection day is called out"
    assert [h.text_content() for h in page.xpath("//section[@class]/h3")][:7] == [
        "隐私保护", "审校分离", "发布时限", "政策解读", "栏目更新", "表述规范", "链接可用"]
    for svg in page.xpath("//svg"):
        ids = svg.get("aria-labelledby").split()
        assert svg.get("role") == "img" and svg.xpath("./title")[0].get("id") == ids[0]
        assert svg.xpath("./desc")[0].get("id") == ids[1]
    assert len(page.xpath("//svg")) == 2 and len(page.xpath("//table/caption")) >= 2, "charts have table alternatives"
    assert "改为“中华人民共和国”" in page.text_content() and "city/articles/n2.md" in page.text_content()


def test_family_scores_for_a_family_another_part_reports():
    scores = family_scores([Finding("annual", "overdue", "warning", "x", "m")])
    assert scores["annual"] == {"label": "annual", "error": 0, "warning": 1, "info": 0, "verdict": "warn", "score": 95}
    assert "links" not in scores, "a family appears once it reports"


@pytest.mark.browser
def test_report_page_passes_axe(run, tmp_path, chromium):
    write_reports(run, tmp_path)
    results = run_axe(chromium, (tmp_path / "compliance.html").as_uri())
    assert results["testEngine"]["name"] == "axe-core" and results["passes"]
    assert not results["violations"], describe_violations(results)


def test_monthly_counts_include_empty_months(run):
    items = [Item("a.md", "a", "t", "news", "要闻动态", datetime(2025, 11, 3, tzinfo=BJ)),
             Item("b.md", "b", "t", "news", "要闻动态", datetime(2026, 2, 3, tzinfo=BJ))]
    assert monthly_counts(items) == {"2025-11": 1, "2025-12": 0, "2026-01": 0, "2026-02": 1}


def test_link_check_results_are_the_links_family(run, tmp_path):
    from pathlib import Path

    from govsite.checks.links import LinkFinding, LinkReport
    from govsite.compliance.link_findings import link_findings

    report = LinkReport(Path("out"), pages=2)
    report.broken.append(LinkFinding("news/index.html", 12, "a", "a.html", "missing-file", "no file 'news/a.html'"))
    report.unverifiable.append(LinkFinding("index.html", 3, "a", "https://jyj.example.gov.cn/", "unverifiable", "no output"))
    findings = link_findings(report)
    assert [(f.family, f.severity, f.file) for f in findings] == [
        ("links", "error", "news/index.html:12"), ("links", "info", "index.html:3")]
    assert "链接的文件不存在：a.html" in findings[0].message
    data = write_reports(run, tmp_path, findings, checked=("links",))
    assert data["families"]["links"]["error"] == 1 and data["families"]["links"]["info"] == 1
    clean = write_reports(run, tmp_path, link_findings(LinkReport(Path("out"))), checked=("links",))
    assert clean["families"]["links"]["verdict"] == "pass", "a link check that found nothing is shown as passed"
