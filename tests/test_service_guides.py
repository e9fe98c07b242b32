"""办事指南 (govsite/service_guides.py): every element read and checked, hostile input refused with the
file and the element named, the comparison across sites (compliance/guides.py), the annual report's
办事服务 counts."""

from __future__ import annotations

import re

import pytest

from govsite.annual_report import build_report
from govsite.compliance.config import load_config
from govsite.compliance.guides import check_guides
from govsite.errors import ContentInvalid
from govsite.registry import load_group
from govsite.service_guides import (
    CODE_PATTERN, SCHEMA, check_settings, group_guides, guide_files, mismatches, read_guides, site_guides,
)

GUIDE = """name = "机动车停车场备案"
code = "99020000QT0001"
level = "全程网办"
basis = ["《澄湖市停车场管理办法》（虚构）"]
conditions = ["停车场已建成并符合设置规范"]
steps = ["网上提交申请", "审核", "发放备案回执"]
legal_days = 10
promised_days = 3
fee = "不收费"
place = "澄湖市政务服务中心一楼"
hours = "工作日 9:00—17:00"
phone = "0991-7654399"
complaint_phone = "0991-12345"
online_url = "https://zwfw.chenghu.gov.cn/tingche"
updated = 2026-11-01

[[materials]]
name = "备案申请表"
form = "原件"
count = 1

[[materials]]
name = "场地平面图"
form = "电子件"
count = 2
source = "申请人自备"
notes = "标明车位"
"""
#: Every element a guide must have (online_url only for items handled online: below).
REQUIRED = [spec.key for spec in SCHEMA if spec.required]


def replace(text: str, key: str, line: str | None) -> str:
    """The guide with the line of ``key`` replaced by ``line`` (None: removed)."""
    new, count = re.subn(rf"(?m)^{key} = .*\n", lambda _: "" if line is None else line + "\n", text, count=1)
    assert count == 1, key
    return new


def problems_of(group, text: str, name: str = "tingche.toml", site: str = "city"):
    group.write(f"{site}/guides/{name}", text)
    guides, problems = read_guides(load_group(group.root).get(site))
    return guides, problems


def test_a_complete_guide_is_read_with_every_element(group):
    guides, problems = problems_of(group, GUIDE)
    assert problems == []
    (guide,) = guides
    assert (guide.slug, guide.url, guide.site_id) == ("tingche", "guides/tingche.html", "city")
    assert guide.basis == ("《澄湖市停车场管理办法》（虚构）",) and len(guide.steps) == 3
    assert [(m.name, m.form, m.count, m.source, m.notes) for m in guide.materials] == [
        ("备案申请表", "原件", 1, "", ""), ("场地平面图", "电子件", 2, "申请人自备", "标明车位")]
    assert guide.free and guide.fee_text == "不收费"
    assert guide.time_limit == "法定办结时限：10个工作日；承诺办结时限：3个工作日"


@pytest.mark.parametrize("key", [k for k in REQUIRED if k != "materials"])
def test_a_missing_element_names_the_file_and_the_element(group, key):
    _, problems = problems_of(group, replace(GUIDE, key, None))
    assert [p.field for p in problems] == [key]
    label = next(spec.label for spec in SCHEMA if spec.key == key)
    assert problems[0].expected.startswith(f"{label} ({key}): ")
    with pytest.raises(ContentInvalid) as raised:
        site_guides(load_group(group.root).get("city"))
    assert "tingche.toml: " + key in str(raised.value) and label in str(raised.value)


def test_missing_or_empty_materials_and_lists_are_errors(group):
    without = GUIDE.split("[[materials]]")[0]
    _, problems = problems_of(group, without)
    assert [(p.field, p.expected.split(":")[0]) for p in problems] == [("materials", "申请材料 (materials)")]
    _, problems = problems_of(group, replace(replace(GUIDE, "basis", "basis = []"), "steps", "steps = []"))
    assert {p.field: p.expected for p in problems} == {"basis": "办理依据 (basis): at least one entry",
                                                       "steps": "办理流程 (steps): at least one entry"}


def test_each_material_needs_a_name_a_known_form_and_a_count_of_at_least_one(group):
    text = GUIDE.replace('form = "原件"', 'form = "扫描件"').replace("count = 2", "count = 0")
    text = text.replace('name = "备案申请表"\n', "")
    _, problems = problems_of(group, text)
    found = {p.field: p.expected for p in problems}
    assert set(found) == {"materials[0].name", "materials[0].form", "materials[1].count"}
    assert found["materials[0].form"].startswith("材料形式 (form): one of: 原件, 复印件")
    assert found["materials[1].count"] == "份数 (count): at least 1"


@pytest.mark.parametrize("key, line", [
    ("legal_days", 'legal_days = "10"'),
    ("legal_days", "legal_days = -1"),
    ("promised_days", "promised_days = 2.5"),
    ("basis", 'basis = "《办法》"'),
    ("level", 'level = "网上办"'),
    ("updated", 'updated = "2026-11-01"'),
    ("fee", "fee = false"),
    ("name", 'name = "  "'),
    ("place", 'place = "一楼\\u0000"'),
])
def test_wrong_types_name_the_element_and_what_is_expected(group, key, line):
    _, problems = problems_of(group, replace(GUIDE, key, line))
    assert [p.field for p in problems] == [key]
    assert problems[0].expected.startswith(next(s.label for s in SCHEMA if s.key == key))


def test_unknown_keys_are_errors_with_the_closest_known_one(group):
    text = GUIDE.replace("hours =", "hour =").replace("count = 2", "cnt = 2")
    _, problems = problems_of(group, text)
    found = {p.field: p.expected for p in problems}
    assert "did you mean 'hours'?" in found["hour"] and "did you mean 'count'?" in found["materials[1].cnt"]
    assert "hours" in found and "materials[1].count" in found  # and the real keys are then missing


def test_the_promised_time_limit_is_no_longer_than_the_legal_one(group):
    _, problems = problems_of(group, replace(GUIDE, "promised_days", "promised_days = 11"))
    assert [p.field for p in problems] == ["promised_days"]
    assert "no longer than the legal one" in problems[0].expected and "10 working days" in problems[0].expected
    guides, problems = problems_of(group, replace(replace(GUIDE, "promised_days", "promised_days = 0"),
                                                  "legal_days", "legal_days = 0"))
    assert problems == [] and guides[0].time_limit == "法定办结时限：即办；承诺办结时限：即办"


def test_a_fee_needs_its_basis(group):
    charged = replace(GUIDE, "fee", 'fee = "每件50元"')
    _, problems = problems_of(group, charged)
    assert [p.field for p in problems] == ["fee_basis"] and problems[0].expected.startswith("收费依据 (fee_basis)")
    guides, problems = problems_of(group, charged.replace('fee = "每件50元"', 'fee = "每件50元"\nfee_basis = "《收费标准》"'))
    assert problems == [] and guides[0].fee_text == "每件50元（收费依据：《收费标准》）"


@pytest.mark.parametrize("number", ["12345 call", "0991—7654399", "１２３４５６７", "0991-7654399<b>", "123"])
def test_phones_are_telephone_numbers(group, number):
    _, problems = problems_of(group, replace(GUIDE, "complaint_phone", f'complaint_phone = "{number}"'))
    assert [p.field for p in problems] == ["complaint_phone"]
    assert problems[0].expected.startswith("监督投诉电话 (complaint_phone): a telephone number")


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", " JavaScript:alert(1)", "java\\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "http://zwfw.chenghu.gov.cn/", "https://zwfw.chenghu.gov.cn/a b", "https://user@zwfw.chenghu.gov.cn/",
    "https://ZWFW.chenghu.gov.cn/", "//zwfw.chenghu.gov.cn/", "zwfw.chenghu.gov.cn", 'https://x.gov.cn/"onclick=',
])
def test_the_online_entry_is_an_https_url_and_nothing_else(group, url):
    _, problems = problems_of(group, replace(GUIDE, "online_url", f"online_url = {url!r}".replace("'", '"')
                                             if '"' not in url else f"online_url = '{url}'"))
    assert [p.field for p in problems] == ["online_url"], url
    assert problems[0].expected.startswith("在线办理入口 (online_url): an absolute https:// URL")


def test_only_an_item_handled_offline_may_have_no_online_entry(group):
    _, problems = problems_of(group, replace(GUIDE, "online_url", None))
    assert [p.field for p in problems] == ["online_url"] and "线下办理" in problems[0].expected
    offline = replace(replace(GUIDE, "online_url", None), "level", 'level = "线下办理"')
    guides, problems = problems_of(group, offline)
    assert problems == [] and guides[0].online_url == ""


@pytest.mark.parametrize("code", ["abc123456", "99-", "12345", "<script>", "9902 0000", "99020000QT0001-" + "9" * 40])
def test_the_code_is_checked_loosely_and_the_pattern_can_be_set(group, code):
    _, problems = problems_of(group, replace(GUIDE, "code", f'code = "{code}"'))
    assert [p.field for p in problems] == ["code"] and problems[0].expected.startswith("事项编码 (code)")
    site = load_group(group.root).get("city")
    assert read_guides(site, r"^.+$")[1] == []  # GOVSITE_SERVICE_GUIDES["code_pattern"] replaces the rule


def test_codes_and_file_names_are_unique_and_the_catalogue_names_reserved(group):
    group.write("city/guides/a.toml", GUIDE)
    group.write("city/guides/sub/a.toml", replace(GUIDE, "code", 'code = "99020000QT0002"'))
    group.write("city/guides/index.toml", replace(GUIDE, "code", 'code = "99020000QT0003"'))
    group.write("city/guides/Bad Name.toml", replace(GUIDE, "code", 'code = "99020000QT0004"'))
    guides, problems = problems_of(group, GUIDE, "b.toml")
    found = sorted((p.file.relative_to(group.root).as_posix(), p.field) for p in problems)
    assert found == [("city/guides/Bad Name.toml", "file name"), ("city/guides/b.toml", "code"),
                     ("city/guides/index.toml", "file name"), ("city/guides/sub/a.toml", "file name")]
    assert [g.slug for g in guides] == ["a"]  # a file with a problem is left out, the others are read


def test_a_gbk_file_is_refused_naming_the_encoding(group):
    path = group.root / "city" / "guides" / "gbk.toml"
    path.parent.mkdir(parents=True)
    path.write_bytes(GUIDE.encode("gbk"))
    guides, problems = read_guides(load_group(group.root).get("city"))
    assert guides == [] and len(problems) == 1 and problems[0].file == path
    assert "GBK" in problems[0].expected and "save it as UTF-8" in problems[0].expected


def test_the_setting_is_checked():
    assert check_settings(None) == {"code_pattern": CODE_PATTERN}
    assert check_settings({"code_pattern": "^X+$"})["code_pattern"] == "^X+$"
    for bad, field in (({"pattern": "x"}, "GOVSITE_SERVICE_GUIDES"), ({"code_pattern": "("}, "code_pattern"),
                       ({"code_pattern": 5}, "code_pattern"), ("x", "GOVSITE_SERVICE_GUIDES")):
        with pytest.raises(ContentInvalid, match=re.escape(field)):
            check_settings(bad)


# --- across sites ------------------------------------------------------------------------------------


def shared(group, dept_text: str) -> dict:
    group.write("city/guides/tingche.toml", GUIDE)
    group.write("dept/guides/tingche.toml", dept_text)
    loaded = load_group(group.root)
    return group_guides(loaded, loaded.get("dept"))


def test_the_same_code_with_the_same_time_limit_and_fee_is_no_finding(group):
    guides = shared(group, GUIDE.replace('fee = "不收费"', 'fee = " 不收费"').replace("机动车", "汽车"))
    assert [g.site_id for site in guides.values() for g in site] == ["city", "dept"]
    assert mismatches(g for site in guides.values() for g in site) == []


def test_a_different_time_limit_or_fee_for_one_code_is_a_finding_on_both_sites(group):
    other = replace(replace(GUIDE, "promised_days", "promised_days = 5"), "fee", 'fee = "每件20元"')
    guides = shared(group, other.replace("updated", 'fee_basis = "《收费办法》"\nupdated'))
    found = mismatches(g for site in guides.values() for g in site)
    assert [(m.code, m.element) for m in found] == [("99020000QT0001", "办理时限"), ("99020000QT0001", "收费标准")]
    assert found[0].values() == {"city": "法定办结时限：10个工作日；承诺办结时限：3个工作日",
                                 "dept": "法定办结时限：10个工作日；承诺办结时限：5个工作日"}
    level = load_config(None)["guides"]["mismatch"]
    assert level == "warning"
    on_portal = check_guides("city", guides, level, whole_group=True)
    assert [(f.family, f.rule, f.severity) for f in on_portal] == [
        ("guides", "guide-time-limit-differs", "warning"), ("guides", "guide-fee-differs", "warning")]
    assert on_portal[0].file.endswith("city/guides/tingche.toml") and "99020000QT0001" in on_portal[0].message
    assert "dept：法定办结时限：10个工作日；承诺办结时限：5个工作日" in on_portal[0].message
    on_dept = check_guides("dept", guides, "error", whole_group=False)
    assert {f.file for f in on_dept} == {str(group.root / "dept/guides/tingche.toml")}
    assert check_guides("dept", guides, "off", whole_group=False) == []
    assert check_guides("elsewhere", guides, "warning", whole_group=False) == []


def test_every_guide_of_the_group_is_a_foreign_input(group):
    from govsite.syndication import foreign_inputs

    shared(group, GUIDE)
    loaded = load_group(group.root)
    dept = group.root / "dept/guides/tingche.toml"
    city = group.root / "city/guides/tingche.toml"
    assert guide_files(loaded, loaded.get("city")) == [city, dept]
    assert foreign_inputs(loaded, loaded.get("city")) == [dept]
    assert foreign_inputs(loaded, loaded.get("dept")) == [city, dept]  # the same for every department


def test_the_annual_report_counts_the_guides_when_there_are_any(group):
    group.write("city/annual/2026.toml", "[services]\ncatalogue = false\nservice_items = 900\nonline_items = 800\n")
    loaded = load_group(group.root)

    def services(report):
        return {r.label: (r.value, r.origin) for r in report.rows if r.section == "办事服务"}

    before = services(build_report(loaded.get("city"), loaded, 2026))
    assert before["政务服务事项数量（项）"] == (900, "年度数据") and before["是否发布服务事项目录"] == (False, "年度数据")
    group.write("city/guides/a.toml", GUIDE)
    group.write("city/guides/b.toml", replace(replace(GUIDE, "code", 'code = "99020000QT0002"'),
                                              "level", 'level = "部分网办"'))
    after = services(build_report(loaded.get("city"), loaded, 2026))
    assert after["是否发布服务事项目录"] == (True, "内容统计")
    assert after["政务服务事项数量（项）"] == (2, "内容统计")
    assert after["可全程在线办理政务服务事项数量（项）"] == (1, "内容统计")
    assert after["注册用户数（个）"] == (None, "未填报")


def test_a_departments_guide_is_part_of_the_portals_fingerprint(group):
    from govsite.fingerprint import render_fingerprint

    group.write("dept/guides/tingche.toml", GUIDE)
    loaded = load_group(group.root)

    def fingerprints(memo=None):
        return [render_fingerprint(loaded, loaded.get(s), {}, {}, foreign=memo) for s in ("city", "dept")]

    before = fingerprints()
    assert fingerprints({}) == before  # a group's memo of foreign digests gives the same
    group.write("dept/guides/tingche.toml", replace(GUIDE, "promised_days", "promised_days = 4"))
    after = fingerprints()
    assert after[0] != before[0] and after[1] != before[1]
