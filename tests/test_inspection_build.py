"""`govsite inspect` on a real build of the fixture group, and the portal's 通报 and 年度监管报表 pages
rendered from the frozen file in a real Pelican build (govsite/inspection_cli.py, plugins/inspection.py)."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from conftest import FIXTURES, GroupCopy
from lxml import html

from govsite import cli
from govsite.build import build_group
from govsite.inspection import FAIL, PASS

from test_registry_ministry import make_ministry

DAY = "2026-11-20"
STATIC = {"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": DAY}
BLANK_COLUMN = '[[columns]]\nslug = "zcwj"\nname = "政策文件"\ntype = "政策文件"\ndescription = "市政府政策文件。"'
BROKEN = ("Title: 冬季保畅通知\nDate: 2026-11-06 09:00\nCategory: news\nSource: 澄湖市交通运输局\nAuthor: 郑浩\n"
          "Reviewer: 孙悦\n\n详见[通知全文](nosuch.html)。\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture group with a blank column on the portal and a broken link on the department (whose
    first build therefore fails: it has no output), built once as of DAY."""
    base = tmp_path_factory.mktemp("inspection")
    group = GroupCopy(base / "content")
    shutil.copytree(FIXTURES / "group", group.root)
    group.append("city", BLANK_COLUMN)
    group.write("dept/articles/20261106-broken.md", BROKEN)
    results = {r.site_id: r for r in build_group(group.root, base / "output", cache_dir=base / "cache",
                                                 reports_dir=base / "reports", settings=STATIC)}
    assert results["city"].ok and not results["dept"].ok
    return base, group


def inspect(capsys, base, *extra) -> tuple[int, str]:
    argv = ["inspect", "--content", str(base / "content"), "--output", str(base / "output"),
            "--reports", str(base / "reports"), "--today", DAY, *extra]
    try:
        code = cli.main(argv)
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out + out.err


def test_inspect_writes_json_csv_and_html_that_read_back(capsys, built):
    base, group = built
    code, text = inspect(capsys, base, "--quarter", "2026Q4", "--publish")
    assert code == 0, text
    data = json.loads((base / "reports" / "inspection-2026Q4.json").read_text("utf-8"))
    assert data["schema"] == "govsite-inspection/1" and data["checked"] == DAY
    city, dept = data["sites"]
    assert (city["id"], city["score"], city["verdict"], city["veto"]) == ("city", 98, PASS, False)
    assert [p["text"] for p in city["problems"]] == ["空白栏目“政策文件”：开设以来没有发布信息"]
    assert (dept["score"], dept["verdict"], dept["veto"]) == (None, FAIL, True)
    texts = [p["text"] for p in dept["problems"]]
    assert "站点无法访问：没有已发布的首页（jtj.chenghu.gov.cn/index.html）" in texts
    assert any(t.startswith("失效链接：") and "nosuch.html" in t for t in texts)
    raw = (base / "reports" / "inspection-2026Q4.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark: Excel reads the file as UTF-8
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert [(r["网站标识"], r["得分"], r["结论"], r["单项否决"]) for r in rows] == [
        ("city", "98", PASS, "否"), ("dept", "", FAIL, "是")]
    page = html.parse(str(base / "reports" / "inspection-2026Q4.html")).getroot()
    assert page.findtext(".//h1") == "关于2026年第四季度政府网站检查情况的通报"
    assert [r.xpath("string(th)") for r in page.xpath("//tbody/tr")] == ["澄湖市人民政府", "澄湖市交通运输局"]
    supervision = (base / "reports" / "supervision-report-2026.csv").read_text("utf-8-sig")
    assert "抽查检查,第四季度：检查网站数（个）,2,季度通报（2026Q4.toml）" in supervision
    assert "抽查检查,第四季度：合格率,50.0%" in supervision and "安全检查次数（次）,（未填报）,未填报" in supervision
    frozen = group.root / "city" / "inspections" / "2026Q4.toml"
    assert 'verdict = "不合格"' in frozen.read_text("utf-8")
    # a published notice is a public record: never written over
    before = frozen.read_bytes()
    code, text = inspect(capsys, base, "--quarter", "2026Q4", "--publish")
    assert code == 1 and "already published" in text and frozen.read_bytes() == before


def test_inspect_build_builds_first_and_a_ministry_group_publishes_on_its_leading_site(capsys, group, tmp_path):
    """--build builds the group (here for the first time: no output before) and inspects what it left; in a
    group led by a national department, the notice is that site's."""
    make_ministry(group)
    argv = ["inspect", "--content", str(group.root), "--output", str(tmp_path / "output"),
            "--reports", str(tmp_path / "reports"), "--cache", str(tmp_path / "cache"), "--today", DAY,
            "--quarter", "2026Q4", "--build", "--publish"]
    try:
        code = cli.main(argv)
    except SystemExit as exc:
        code = exc.code
    text = "".join(capsys.readouterr())
    assert code == 0, text
    assert (tmp_path / "output" / "www.wsgcj.gov.cn" / "index.html").is_file()
    data = json.loads((tmp_path / "reports" / "inspection-2026Q4.json").read_text("utf-8"))
    assert [s["id"] for s in data["sites"]] == ["city", "dept"] and all(s["score"] for s in data["sites"])
    assert data["issuer"] == "国家雾凇观测局"
    assert (group.root / "city" / "inspections" / "2026Q4.toml").is_file()


def test_the_portal_renders_the_frozen_notice_and_the_supervision_report(capsys, built, tmp_path):
    base, group = built
    frozen = group.root / "city" / "inspections" / "2026Q4.toml"
    if not frozen.is_file():
        assert inspect(capsys, base, "--publish")[0] == 0
    content = tmp_path / "content"
    shutil.copytree(group.root, content)
    notice = content / "city" / "inspections" / "2026Q4.toml"
    hostile = '<script>alert(1)</script>空白栏目'
    notice.write_text(notice.read_text("utf-8").replace("空白栏目", hostile, 1), "utf-8")
    results = build_group(content, tmp_path / "output", ["city"], cache_dir=tmp_path / "cache",
                          reports_dir=tmp_path / "reports", settings=STATIC)
    assert results[0].ok, results[0].error
    site = tmp_path / "output" / "www.chenghu.gov.cn"
    page = html.parse(str(site / "inspection-2026q4.html")).getroot()
    main = page.xpath("//main")[0]
    assert "关于2026年第四季度政府网站检查情况的通报" in main.text_content()
    assert not main.xpath(".//script") and f"〔栏目更新〕{hostile}" in main.text_content()
    assert "站点无法访问" in main.text_content() and "不计分（单项否决）" in main.text_content()
    report = html.parse(str(site / "supervision-report-2026.html")).getroot()
    rows = {r.xpath("string(th)"): r.xpath("string(td[1])") for r in report.xpath("//tbody/tr")}
    assert rows["第四季度：检查网站数（个）"] == "2" and rows["第四季度：不合格（个）"] == "1"
    assert rows["第一季度：检查情况"] == "（未填报）"
    index = html.parse(str(site / "inspections.html")).getroot()
    assert index.xpath("//main//a/@href")[:2] == ["inspection-2026q4.html", "supervision-report-2026.html"]
    assert 'href="./inspections.html">政府网站监管</a>' in (site / "index.html").read_text("utf-8")


def test_a_bad_frozen_file_stops_the_portal_build_naming_file_and_field(built, tmp_path):
    base, group = built
    content = tmp_path / "content"
    shutil.copytree(group.root, content)
    notice = content / "city" / "inspections" / "2026Q1.toml"
    notice.write_text('quarter = "2026Q1"\ntitle = "通报"\nissuer = "办公室"\nchecked = 2026-03-20\n'
                      'issued = "2026-03-21"\nmethod = "m"\npass_score = 60\n[[site]]\nid = "gone"\n', "utf-8")
    [result] = build_group(content, tmp_path / "output", ["city"], cache_dir=tmp_path / "cache", settings=STATIC)
    assert not result.ok
    assert f"{notice}: issued = '2026-03-21': expected a date, written YYYY-MM-DD without quotes" in result.error
    assert f"{notice}: site[0].name = (missing)" in result.error


def test_missing_or_out_of_quarter_reports_exit_1_naming_the_file(capsys, built, tmp_path):
    base, _ = built
    code, text = inspect(capsys, base, "--quarter", "2026Q3", "--today", "2026-09-30")
    assert code == 1 and "compliance.json: build_day = '2026-11-20': expected a build in 2026Q3" in text
    empty = tmp_path / "reports"
    empty.mkdir()
    code, text = inspect(capsys, base, "--reports", str(empty))
    assert code == 1 and "www.chenghu.gov.cn/compliance.json" in text and "run `govsite build` first" in text
    assert "Traceback" not in text
    code, text = inspect(capsys, base, "--quarter", "2027Q1")
    assert code == 2 and "has not begun" in text


@pytest.mark.browser
def test_the_demo_notice_pages_pass_axe_and_the_gate_checked_them_in_every_mode(chromium, demo_server, built_demo):
    from govsite.checks.browser import describe_violations, run_axe

    output, _ = built_demo
    site = output / "www.jichuan.gov.cn"
    assert "关于2026年第四季度政府网站检查情况的通报" in (site / "inspection-2026q4.html").read_text("utf-8")
    assert not (output / "jyj.jichuan.gov.cn" / "inspections.html").exists()
    pages = ("inspection-2026q4.html", "supervision-report-2026.html", "inspections.html")
    gate = json.loads((output.parent / "reports" / "www.jichuan.gov.cn" / "report.json").read_text("utf-8"))
    assert set(pages) <= set(gate["pages"]["browser_checked"]) and gate["modes"] == ["normal", "care", "contrast"]
    for page in pages:
        found = run_axe(chromium, f"{demo_server}/www.jichuan.gov.cn/{page}")
        assert not found["violations"], describe_violations(found)
