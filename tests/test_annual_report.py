"""The 政府网站年度工作报表 (govsite/annual_report.py, plugins/govsite_annual_report, invoke annual-report)."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date

import pytest

from govsite.annual_report import build_report, publish_due
from govsite.annual_report_cli import run
from govsite.build import build_group
from govsite.errors import ContentInvalid
from govsite.registry import load_group

DATA = """[traffic]
unique_visitors = 1200
page_views = 5600
[services]
catalogue = true
[filing]
head = "张三"
date = 2027-01-20
"""


def rows(report) -> dict[str, tuple]:
    return {r.label: (r.value, r.origin) for r in report.rows}


def test_fields_computed_from_content_config_and_data_file(group):
    group.write("city/annual/2026.toml", DATA)
    group.write("city/articles/20261102-reprint.md", "Title: 转载\nDate: 2026-11-02 09:00\nCategory: news\n"
                "Source: 某报\nOriginalURL: https://news.example.com/a\n\n正文")
    group.write("city/articles/20251230-old.md", "Title: 去年\nDate: 2025-12-30 09:00\nCategory: news\n\n正文")
    loaded = load_group(group.root)
    report = build_report(loaded.get("city"), loaded, 2026)
    values = rows(report)
    assert values["网站名称"] == ("澄湖市人民政府", "网站配置") and values["网站类型"][0] == "政府门户网站"
    assert values["政府网站标识码"][0] == loaded.get("city").site_code
    news_2026 = 3  # the fixture's two 2026 news items + the reprint (not last year's item)
    assert values["政务动态信息更新量"] == (news_2026 + 1, "内容统计")  # + the 2026 notice (通知公告)
    assert values["总数"][0] == news_2026 + 1
    assert values["转载信息数量"] == (1, "内容统计")
    assert values["独立用户访问总量（个）"] == (1200, "年度数据")
    assert values["是否发布服务事项目录"] == (True, "年度数据")
    assert values["填报日期"] == (date(2027, 1, 20), "年度数据")
    assert values["注册用户数（个）"] == (None, "未填报") and "注册用户数（个）" in {r.label for r in report.missing}
    assert values["无障碍浏览"] == (True, "网站功能")
    table = list(csv.reader(io.StringIO(report.csv_text())))
    assert table[0] == ["部分", "指标", "数值", "来源"] and ["网站访问", "网站总访问量（次）", "5600", "年度数据"] in table
    assert "（未填报）" in report.html_fragment() and "<caption>信息发布（条）</caption>" in report.html_fragment()


def test_interpretations_by_kind_and_special_columns(group):
    toml = group.site_toml("city")
    toml.write_text(toml.read_text("utf-8").replace("[[columns]]", '[[columns]]\nslug = "jd"\nname = "政策解读"\n'
                    'type = "政策解读"\ndescription = "解读。"\n\n[[columns]]\nslug = "zt"\nname = "专题专栏"\n'
                    'type = "专题专栏"\ndescription = "专题。"\n\n[[columns]]', 1), "utf-8")
    group.write("city/articles/jd1.md", "Title: 图解\nDate: 2026-03-01\nCategory: jd\nForm: 图解\n\n正文")
    group.write("city/articles/jd2.md", "Title: 文字解读\nDate: 2026-03-02\nCategory: jd\n\n只有文字。")
    group.write("city/articles/zt1.md", "Title: 老专题\nDate: 2025-05-01\nCategory: zt\n\n专题")
    group.write("city/articles/zt2.md", "Title: 新专题\nDate: 2026-05-01\nCategory: zt\n\n专题")
    loaded = load_group(group.root)
    values = rows(build_report(loaded.get("city"), loaded, 2026))
    assert values["解读信息发布总数（条）"][0] == 2
    assert values["解读产品数量（个，图解、视频等）"][0] == 1 and values["解读材料数量（条，文字解读）"][0] == 1
    assert values["维护数量"][0] == 2 and values["新开设数量"][0] == 1


@pytest.mark.parametrize("text, field", [
    ("[traffic]\npage_views = \"many\"\n", "traffic.page_views"),
    ("[services]\ncatalogue = 1\n", "services.catalogue"),
    ("[traffic]\npage_view = 5\n", "traffic.page_view"),
    ("[trafic]\npage_views = 5\n", "trafic"),
    ("[filing]\ndate = \"yesterday\"\n", "filing.date"),
])
def test_wrong_types_and_unknown_fields_are_errors_naming_file_and_field(group, text, field):
    path = group.write("city/annual/2026.toml", text)
    loaded = load_group(group.root)
    with pytest.raises(ContentInvalid) as caught:
        build_report(loaded.get("city"), loaded, 2026)
    assert f"{path}: {field} =" in str(caught.value)


def test_previous_years_report_due(group):
    loaded = load_group(group.root)
    city = loaded.get("city")
    assert publish_due(city, date(2027, 2, 3)) == 2026  # it published in 2026
    assert publish_due(city, date(2026, 2, 3)) is None  # nothing published in 2025, no launch event
    group.write("city/articles/20251230-old.md", "Title: 去年\nDate: 2025-12-30 09:00\nCategory: news\n\n正文")
    assert publish_due(load_group(group.root).get("city"), date(2026, 2, 3)) == 2025
    group.append("city", "[[lifecycle]]\nevent = \"launch\"\ndate = 2026-01-05")
    assert publish_due(load_group(group.root).get("city"), date(2026, 2, 3)) is None  # launched in 2026
    group.write("city/annual/2026.toml", DATA)
    assert publish_due(load_group(group.root).get("city"), date(2027, 2, 3)) is None


def test_task_writes_csv_and_html(group, tmp_path):
    group.write("city/annual/2026.toml", DATA)
    assert run(str(group.root), "city", 2026, str(tmp_path)) == 0
    folder = tmp_path / "www.chenghu.gov.cn"
    assert "网站总访问量（次）,5600,年度数据" in (folder / "annual-report-2026.csv").read_text("utf-8-sig")
    assert "年度政府网站工作报表" in (folder / "annual-report-2026.html").read_text("utf-8")
    assert run(str(group.root), "nowhere", 2026, str(tmp_path)) == 2
    group.write("city/annual/2026.toml", "[traffic]\npage_views = -1\n")
    assert run(str(group.root), "city", 2026, str(tmp_path)) == 1


def test_build_publishes_the_page_linked_from_the_footer_and_warns_when_overdue(group, tmp_path):
    group.write("city/annual/2026.toml", DATA)
    results = {r.site_id: r for r in build_group(
        group.root, tmp_path / "output", cache_dir=tmp_path / "cache", reports_dir=tmp_path / "reports",
        settings={"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": "2027-02-03"})}
    assert results["city"].ok, results["city"].error
    page = tmp_path / "output" / "www.chenghu.gov.cn" / "annual-report-2026.html"
    text = page.read_text("utf-8")
    assert "2026年度政府网站工作报表" in text and "网站总访问量（次）" in text and "5600" in text
    home = (tmp_path / "output" / "www.chenghu.gov.cn" / "index.html").read_text("utf-8")
    assert 'href="./annual-report-2026.html">政府网站年度报表' in home
    assert not any("annual report" in w for w in results["city"].warnings)
    assert results["dept"].ok and any("2026 annual report" in w and "overdue" in w for w in results["dept"].warnings)


@pytest.mark.browser
def test_demo_annual_report_page_passes_axe_and_is_in_the_footer(chromium, demo_server, built_demo):
    from govsite.checks.browser import describe_violations, run_axe

    output, _ = built_demo
    page = output / "www.jichuan.gov.cn" / "annual-report-2026.html"
    text = page.read_text("utf-8")
    assert "霁川发布" in text and "网站总访问量（次）" in text and "5473218" in text
    assert "annual-report-2026.html\">政府网站年度报表" in (output / "www.jichuan.gov.cn" / "index.html").read_text("utf-8")
    assert not (output / "jyj.jichuan.gov.cn" / "annual-report-2026.html").exists()
    found = run_axe(chromium, f"{demo_server}/www.jichuan.gov.cn/annual-report-2026.html")
    assert not found["violations"], describe_violations(found)
