"""site.toml values validated as what they are (issue 15, item 2): e-mail, phone, URLs, postcode,
badge ids and free text, each hostile value a Problem naming the file, the field and the rule."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from govsite.errors import GroupInvalid
from govsite.registry import load_group
from conftest import NOTICES

ROOT = Path(__file__).parent.parent
SCRIPT = 'x@y.gov.cn"><script>alert(1)</script>'
#: Values that are no e-mail, phone, URL or code, whatever the field.
HOSTILE = [SCRIPT, "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "a\u3000b", "a\x00b",
           "第一行\n第二行", "'onmouseover='alert(1)"]
#: Values no free text may hold (markup characters are allowed: the theme escapes them).
CONTROL = ["霁川\x00市", "霁川\n市", "霁川\x1b[31m市", "霁川\u202e市", "霁川\u2028市", "\u3000"]


def toml(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def problems_of(group_copy):
    with pytest.raises(GroupInvalid) as info:
        load_group(group_copy.root)
    return info.value.problems


def problem_for(group_copy, field):
    found = [p for p in problems_of(group_copy) if p.field == field]
    assert found, f"no problem for {field}"
    problem = found[0]
    assert str(problem.file).endswith("site.toml") and field in str(problem)
    return problem


def replace(group_copy, site_id, old, new):
    path = group_copy.site_toml(site_id)
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_demo_and_fixture_groups_stay_valid():
    for folder in (ROOT / "content", ROOT / "tests" / "fixtures" / "group"):
        assert len(load_group(folder)) >= 2


@pytest.mark.parametrize("value", HOSTILE + ["office", "a b@jichuan.gov.cn", "<office@chenghu.gov.cn>"])
def test_contact_email_is_an_address(group, value):
    replace(group, "city", 'email = "office@chenghu.gov.cn"', f"email = {toml(value)}")
    problem = problem_for(group, "contact.email")
    assert problem.value == value.strip() and "e-mail address like office@example.gov.cn" in problem.expected
    assert problem.file == group.site_toml("city")


@pytest.mark.parametrize("value", HOSTILE + ["call us", "0991 7654321 or 7654322", "０９９１-7654321"])
def test_contact_phone_is_a_number(group, value):
    replace(group, "city", 'phone = "0991-7654321"', f"phone = {toml(value)}")
    assert "telephone number like 0990-1234567" in problem_for(group, "contact.phone").expected


@pytest.mark.parametrize("value", ["(0991) 7654321", "+86 991 7654321", "0991-7654321转8001", "12345"])
def test_contact_phone_as_chinese_sites_write_it(group, value):
    replace(group, "city", 'phone = "0991-7654321"', f"phone = {toml(value)}")
    assert load_group(group.root).get("city").contact.phone == value


@pytest.mark.parametrize("value", ["99900", "9990011", "邮编999001", "999001<b>"])
def test_contact_postcode_is_six_digits(group, value):
    replace(group, "city", 'address = "澄湖市湖滨路1号"', f'address = "澄湖市湖滨路1号"\npostcode = {toml(value)}')
    assert "6 digits" in problem_for(group, "contact.postcode").expected


@pytest.mark.parametrize("field, old", [
    ("name", 'name = "澄湖市交通运输局"'), ("organizer", 'organizer = "澄湖市交通运输局"'),
    ("operator", 'operator = "澄湖市信息中心"'), ("contact.address", 'address = "澄湖市通达路2号"'),
    ("columns[0].name", 'name = "交通动态"'), ("columns[0].description", 'description = "交通运输工作动态。"'),
])
@pytest.mark.parametrize("value", CONTROL)
def test_free_text_has_no_control_characters(group, field, old, value):
    key = old.split(" = ")[0]
    replace(group, "dept", old, f"{key} = {toml(value)}")
    problem = problem_for(group, field)
    assert "control characters" in problem.expected or "non-empty" in problem.expected


def test_free_text_may_hold_markup_characters(group):
    """Markup in a name is text (escaping at output is the theme's job), so it is not refused here."""
    replace(group, "dept", 'address = "澄湖市通达路2号"', 'address = "澄湖市<通达路>2号 & \\"东门\\""')
    replace(group, "dept", 'description = "交通运输工作动态。"', 'description = "<b>交通</b>运输工作动态。"')
    dept = load_group(group.root).get("dept")
    assert dept.contact.address == '澄湖市<通达路>2号 & "东门"' and dept.columns[0].description.startswith("<b>")


@pytest.mark.parametrize("value", ["通知\n公告", "公告\x00", "公告\u202e"])
def test_column_keywords_are_single_line_text(group, value):
    replace(group, "city", 'keywords = ["通知", "公告"]', f'keywords = ["通知", {toml(value)}]')
    assert "control characters" in problem_for(group, "columns[1].keywords").expected


@pytest.mark.parametrize("value", HOSTILE + ["ftp://zhaocuo.gov.cn/", "http://zfwzgl.www.gov.cn/?site_code={site_code}",
                                             "https://zfwzgl.www.gov.cn/?site_code={site_code}&x={0}"])
def test_badges_zhaocuo_url_is_an_https_url(group, value):
    group.append("dept", f"[badges]\nzhaocuo_url = {toml(value)}")
    assert "absolute https:// URL" in problem_for(group, "badges.zhaocuo_url").expected


def test_badges_zhaocuo_url_may_carry_the_site_code(group):
    url = "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={site_code}&from=jtj"
    group.append("dept", f"[badges]\nzhaocuo_url = {toml(url)}")
    assert load_group(group.root).get("dept").badges.zhaocuo_url == url


@pytest.mark.parametrize("value", HOSTILE + ["https://dcs.conac.cn/js/x.js\"><script>alert(1)</script>",
                                             "https://dcs.conac.cn/js/../../evil.example/x.js x"])
def test_badges_conac_script_is_the_issued_url(group, value):
    group.append("dept", f"[badges]\nconac_script = {toml(value)}")
    assert "issued by CONAC" in problem_for(group, "badges.conac_script").expected


@pytest.mark.parametrize("value", ['CH1"><script>', "CH 1", "CH\n1"])
def test_badges_conac_id_is_letters_and_digits(group, value):
    replace(group, "city", 'conac_id = "CH0000000001"', f"conac_id = {toml(value)}")
    assert "as issued" in problem_for(group, "badges.conac_id").expected


OFFLINE = ('[[lifecycle]]\nevent = "permanent_offline"\ndate = 2026-12-01\nreason = "机构整合"\napproval = "澄政办函〔2026〕9号"\n'
           'destination = "city"\ntitle = "关于停止运行的公告"\nbody = "第一段。\\n\\n第二段。"')


@pytest.mark.parametrize("field", ["reason", "approval", "title"])
@pytest.mark.parametrize("value", CONTROL)
def test_lifecycle_texts_have_no_control_characters(group, field, value):
    group.append("dept", NOTICES)
    event = "\n".join(line for line in OFFLINE.splitlines() if not line.startswith(field + " "))
    group.append("dept", event + f"\n{field} = {toml(value)}")
    problem = problem_for(group, f"lifecycle[0].{field}")
    assert "control characters" in problem.expected or "non-empty" in problem.expected


def test_lifecycle_body_may_span_lines_but_has_no_other_control_characters(group):
    group.append("dept", NOTICES)
    group.append("dept", OFFLINE)
    assert load_group(group.root).get("dept").lifecycle[0]["body"] == "第一段。\n\n第二段。"
    replace(group, "dept", 'body = "第一段。\\n\\n第二段。"', 'body = "第一段。\\u0000\\u202e"')
    assert "U+0000, U+202E" in problem_for(group, "lifecycle[0].body").expected


@pytest.mark.parametrize("value", ["7", "true", "[\"a\"]"])
def test_lifecycle_texts_are_strings(group, value):
    group.append("dept", NOTICES)
    group.append("dept", OFFLINE.replace('reason = "机构整合"', f"reason = {value}"))
    assert "a text" in problem_for(group, "lifecycle[0].reason").expected


@pytest.mark.parametrize("value", ["javascript:alert(1)", "data:text/html,x", 'https://www.chenghu.gov.cn/"><script>',
                                   "https://www.chenghu.gov.cn/ a", "http://www.chenghu.gov.cn/"])
def test_lifecycle_destinations_are_https_urls_or_sites(group, value):
    group.append("dept", NOTICES)
    group.append("dept", OFFLINE.replace('destination = "city"', f"destination = {toml(value)}"))
    assert "https:// URL" in problem_for(group, "lifecycle[0].destination").expected


def test_compliance_lists_are_single_line_text(group):
    replace(group, "city", 'own_sources = ["澄湖市林业局"]', 'own_sources = ["澄湖市林业局\\n<script>"]')
    assert "single-line" in problem_for(group, "compliance.own_sources").expected


def test_validate_lists_every_bad_value_at_once_without_a_traceback(group):
    replace(group, "city", 'email = "office@chenghu.gov.cn"', f"email = {toml(SCRIPT)}")
    replace(group, "city", 'phone = "0991-7654321"', 'phone = "javascript:alert(1)"')
    replace(group, "dept", 'address = "澄湖市通达路2号"', 'address = "澄湖市\\u0000通达路"')
    group.append("dept", '[badges]\nzhaocuo_url = "javascript:alert(1)"')
    result = subprocess.run([sys.executable, "-m", "invoke", "validate", "--content", str(group.root)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for field in ("contact.email", "contact.phone", "contact.address", "badges.zhaocuo_url"):
        assert field in result.stderr
    assert "(4 problems)" in result.stderr.replace("\n", " ")
