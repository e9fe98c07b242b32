"""政民互动 records (govsite/interaction): letters, interviews, surveys read and checked; statistics on
the working-day calendar; the reply rules (govsite/compliance/replies.py); GOVSITE_INTERACTION."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from govsite.annual_report import build_report
from govsite.compliance.config import load_config
from govsite.compliance.privacy import id_check_digit
from govsite.compliance.replies import check_replies, echoes
from govsite.compliance.workdays import WorkdayCalendar
from govsite.errors import ContentInvalid
from govsite.interaction.records import group_letters, read_interviews, read_surveys
from govsite.interaction.settings import DEFAULTS, load_settings
from govsite.interaction.statistics import count, counted_once, monthly, yearly
from govsite.registry import load_group

TODAY = date(2026, 11, 30)
CALENDAR = WorkdayCalendar()
ID_NUMBER = "11010519491231002" + id_check_digit("11010519491231002")

LETTER = """[[letter]]
id = "CH-2026-0001"
type = "咨询投诉"
received = 2026-11-02
subject = "路灯不亮"
writer = "王**"
content = "湖滨路路灯不亮。"
handling_unit = "澄湖市住房和城乡建设局"
status = "已办结"
reply_date = 2026-11-06
reply = "已于11月5日修复该路段路灯，并排查了周边线路。"
"""


def letter(**changes) -> str:
    """LETTER with fields replaced (raw TOML values) or removed (None)."""
    lines = []
    for line in LETTER.splitlines():
        key = line.split(" = ", 1)[0]
        if key in changes:
            if changes[key] is not None:
                lines.append(f"{key} = {changes.pop(key)}")
            else:
                changes.pop(key)
            continue
        lines.append(line)
    lines += [f"{k} = {v}" for k, v in changes.items() if v is not None]
    return "\n".join(lines) + "\n"


def problems_of(group, text: str, site: str = "city") -> list:
    group.write(f"{site}/letters/2026-11.toml", text)
    with pytest.raises(ContentInvalid) as caught:
        group_letters(load_group(group.root), TODAY)
    return caught.value.problems


def test_a_letter_is_read_with_its_fields_typed(group):
    group.write("city/letters/2026-11.toml", LETTER)
    (item,) = group_letters(load_group(group.root), TODAY)["city"]
    assert (item.id, item.received, item.reply_date, item.status) == ("CH-2026-0001", date(2026, 11, 2),
                                                                      date(2026, 11, 6), "已办结")
    assert item.writer == "王**" and item.started == item.received and item.place == "letter[0]"


@pytest.mark.parametrize("changes, field, expected", [
    ({"subjcet": '"x"'}, "letter[0].subjcet", "did you mean 'subject'"),
    ({"received": '"2026-11-02"'}, "letter[0].received", "a date, written YYYY-MM-DD"),
    ({"subject": '"路灯\\u0007不亮"'}, "letter[0].subject", "a non-empty text"),
    ({"subject": "42"}, "letter[0].subject", "a non-empty text"),
    ({"handling_unit": None}, "letter[0].handling_unit", "办理单位"),
    ({"status": '"处理中"'}, "letter[0].status", "one of: 受理, 办理中, 已办结, 已转办"),
    ({"type": '"表扬"'}, "letter[0].type", "one of: 领导信箱, 咨询投诉, 建议"),
    ({"reply_date": "2026-10-30"}, "letter[0].reply_date", "on or after the letter was received (2026-11-02)"),
    ({"reply_date": None}, "letter[0].reply_date", "the day of the reply"),
    ({"reply": None}, "letter[0].reply", "a reply date without a reply"),
    ({"reply": None, "reply_date": None}, "letter[0].reply", "a letter 已办结 has a reply"),
    ({"status": '"办理中"'}, "letter[0].status", "已办结 for a letter with a reply"),
    ({"received": "2026-12-25", "reply_date": None, "reply": None, "status": '"受理"'}, "letter[0].received",
     "not after the build day"),
    ({"writer": '"王小明"'}, "letter[0].writer", "a masked writer"),
    ({"writer": '"王五*"'}, "letter[0].writer", "a masked writer"),
    ({"id": '"CH 1/2"'}, "letter[0].id", "letters, digits and hyphens"),
    ({"content": '"我的电话 13812345678，请回电"'}, "letter[0].content", "mobile"),
    ({"reply": f'"经核实，身份证号 {ID_NUMBER} 的申请已受理"'}, "letter[0].reply", "id_card"),
    ({"subject": '"请联系 someone@example.com"'}, "letter[0].subject", "email"),
    ({"forwarded_from": '"JC-0001"'}, "letter[0].forwarded_from", "'<site id>:<letter id>'"),
])
def test_bad_input_names_the_file_and_the_field(group, changes, field, expected):
    problems = problems_of(group, letter(**changes))
    found = [p for p in problems if p.field == field]
    assert found, problems
    assert expected in found[0].expected and str(found[0].file).endswith("city/letters/2026-11.toml")
    assert "13812345678" not in str(ContentInvalid(problems)) and ID_NUMBER not in str(ContentInvalid(problems)), \
        "the number itself is never repeated in an error"


def test_masked_numbers_and_the_sites_own_phone_are_accepted(group):
    group.write("city/letters/2026-11.toml", letter(content='"电话 138****5678"', reply='"请拨打 0991-7654321 咨询。"'))
    assert group_letters(load_group(group.root), TODAY)["city"]


def test_ids_are_unique_within_a_site(group):
    problems = problems_of(group, LETTER + LETTER)
    assert [p.field for p in problems] == ["letter[1].id"] and "used once" in problems[0].expected


def test_a_file_without_letters_is_an_error(group):
    problems = problems_of(group, 'title = "x"\n')
    assert {p.field for p in problems} == {"title", "letter"}


FORWARD = letter(id='"DEPT-2026-0001"', forwarded_from='"city:CH-2026-0002"', received="2026-11-03")
ORIGIN = letter(id='"CH-2026-0002"', status='"已转办"', reply=None, reply_date=None)


def test_a_forwarded_letter_keeps_one_identity(group):
    group.write("city/letters/2026-11.toml", ORIGIN)
    group.write("dept/letters/2026.toml", FORWARD)
    by_site = group_letters(load_group(group.root), TODAY)
    (taken,) = by_site["dept"]
    assert taken.started == date(2026, 11, 2), "the writer's wait starts on the origin's day"
    assert [item.key for item in counted_once(by_site)] == ["dept:DEPT-2026-0001"]
    assert count("x", counted_once(by_site), CALENDAR, 15, TODAY).received == 1
    city = count("x", by_site["city"], CALENDAR, 15, TODAY)
    assert (city.received, city.forwarded, city.rate) == (1, 1, None), "the origin's site counts it as forwarded"


@pytest.mark.parametrize("origin, forward, field, expected", [
    (LETTER, FORWARD.replace("CH-2026-0002", "CH-2026-9999"), "letter[0].forwarded_from", "no such letter"),
    (LETTER.replace("0001", "0002"), FORWARD, "letter[0].forwarded_from", "has status 已办结"),
    (ORIGIN, FORWARD.replace("received = 2026-11-03", "received = 2026-11-01"), "letter[0].received",
     "on or after the origin received it"),
    (ORIGIN, None, "letter[0].status", "forwarded_from = 'city:CH-2026-0002'"),
    (ORIGIN, FORWARD.replace('"city:', '"dept:'), "letter[0].forwarded_from", "ANOTHER site"),
    (ORIGIN, FORWARD + FORWARD.replace("[[letter]]", "[[letter]]", 1).replace("DEPT-2026-0001", "DEPT-2026-0002"),
     "letter[1].forwarded_from", "forwarded once"),
])
def test_forwarding_problems(group, origin, forward, field, expected):
    group.write("city/letters/2026-11.toml", origin)
    if forward:
        group.write("dept/letters/2026.toml", forward)
    with pytest.raises(ContentInvalid) as caught:
        group_letters(load_group(group.root), TODAY)
    assert any(p.field == field and expected in p.expected for p in caught.value.problems), caught.value.problems


def test_statistics_on_the_working_day_calendar(group):
    late = letter(id='"CH-2026-0002"', reply_date="2026-11-30")  # 20 working days after 11-02
    open_ = letter(id='"CH-2026-0003"', received="2026-10-12", status='"办理中"', reply=None, reply_date=None)
    fresh = letter(id='"CH-2026-0004"', received="2026-11-20", status='"受理"', reply=None, reply_date=None)
    group.write("city/letters/2026-11.toml", LETTER + late + open_ + fresh)
    letters = group_letters(load_group(group.root), TODAY)["city"]
    as_of = date(2026, 11, 27)
    months = {c.label: c for c in monthly(letters, CALENDAR, 15, as_of)}
    assert list(months) == ["2026-10", "2026-11"]
    november = months["2026-11"]
    assert (november.received, november.done, november.forwarded) == (3, 2, 0)
    assert november.average_workdays == (4 + 20) / 2 and november.overdue == 1 and november.rate == 2 / 3
    assert (months["2026-10"].overdue, months["2026-10"].average_workdays, months["2026-10"].rate) == (1, None, 0)
    (year,) = yearly(letters, CALENDAR, 15, as_of)
    assert (year.label, year.received, year.overdue) == ("2026", 4, 2)
    assert count("x", letters, CALENDAR, 40, as_of).overdue == 0, "the limit is the setting's, not a fixed number"

    findings = check_replies(letters, CALENDAR, as_of, DEFAULTS)
    rules = sorted((f.rule, f.severity) for f in findings)
    assert rules == [("reply-late", "warning"), ("unanswered", "error")]
    assert all(f.file.endswith("city/letters/2026-11.toml") and f.family == "interaction" for f in findings)
    assert "第 20 个工作日" in next(f.message for f in findings if f.rule == "reply-late")
    quiet = check_replies(letters, CALENDAR, as_of, {**DEFAULTS, "late": "off", "unanswered": "warning"})
    assert [(f.rule, f.severity) for f in quiet] == [("unanswered", "warning")]


def test_a_reply_that_repeats_the_letter_is_flagged_for_review(group):
    echo = letter(subject='"湖滨路路灯不亮，晚上出行不便"', content='"湖滨路路灯不亮，晚上出行不便，请尽快处理。"',
                  reply='"关于湖滨路路灯不亮、晚上出行不便的问题，请尽快处理。"')
    group.write("city/letters/2026-11.toml", echo)
    (item,) = group_letters(load_group(group.root), TODAY)["city"]
    assert echoes(item)
    assert [f.rule for f in check_replies([item], CALENDAR, date(2026, 11, 27), DEFAULTS)] == ["reply-echo"]
    group.write("city/letters/2026-11.toml", LETTER)
    (item,) = group_letters(load_group(group.root), TODAY)["city"]
    assert not echoes(item)


@pytest.mark.parametrize("value, field", [
    ({"reply_workdays": 0}, "GOVSITE_INTERACTION['reply_workdays']"),
    ({"reply_workdays": "15"}, "GOVSITE_INTERACTION['reply_workdays']"),
    ({"reply_workdays": True}, "GOVSITE_INTERACTION['reply_workdays']"),
    ({"letters_per_page": 0}, "GOVSITE_INTERACTION['letters_per_page']"),
    ({"letters_per_page": 2.5}, "GOVSITE_INTERACTION['letters_per_page']"),
    ({"late": "fatal"}, "GOVSITE_INTERACTION['late']"),
    ({"reply_days": 15}, "GOVSITE_INTERACTION['reply_days']"),
    ([15], "GOVSITE_INTERACTION"),
])
def test_the_setting_is_validated(value, field):
    with pytest.raises(ContentInvalid) as caught:
        load_settings(value)
    assert caught.value.problems[0].field == field
    assert load_settings({"reply_workdays": 10})["reply_workdays"] == 10 and load_settings(None) == DEFAULTS


INTERVIEW = """title = "垃圾分类在线访谈"
date = 2026-10-20
host = "澄湖市人民政府办公室"
guests = ["澄湖市城管局局长 宋一鸣"]
messages = 12

[[qa]]
asker = "网友李*"
question = "厨余垃圾怎么投放？"
answer = "破袋投放到绿色桶。"
"""
SURVEY = """title = "公园命名征集"
host = "澄湖市园林局"
start = 2026-10-01
end = 2026-10-20
description = "为新建公园征集名称。"
questions = ["您建议的名称是什么？"]
opinions = 40
result_date = 2026-10-30
result = "采纳“湖心公园”。"
"""


def test_interviews_and_surveys_are_read(group):
    group.write("city/interviews/2026-10-garbage.toml", INTERVIEW)
    group.write("city/surveys/2026-10-park.toml", SURVEY)
    site = load_group(group.root).get("city")
    (interview,) = read_interviews(site)
    (survey,) = read_surveys(site)
    assert interview.slug == "2026-10-garbage" and interview.guests == ("澄湖市城管局局长 宋一鸣",)
    assert interview.qa[0]["asker"] == "网友李*" and survey.opinions == 40 and survey.result_date == date(2026, 10, 30)


@pytest.mark.parametrize("name, text, field, expected", [
    ("interviews/x.toml", INTERVIEW.replace('"网友李*"', '"李四"'), "qa[0].asker", "a masked name"),
    ("interviews/x.toml", INTERVIEW.replace("破袋投放", "电话13812345678"), "qa[0].answer", "mobile"),
    ("interviews/x.toml", INTERVIEW.replace("guests = [", "guests = [42, "), "guests", "a list of non-empty texts"),
    ("interviews/x.toml", INTERVIEW.replace("宋一鸣", "宋一鸣 13812345678"), "guests[0]", "mobile"),
    ("interviews/Bad Name.toml", INTERVIEW, "file name", "lower-case ASCII letters"),
    ("surveys/x.toml", SURVEY.replace("end = 2026-10-20", "end = 2026-09-20"), "end", "on or after the start"),
    ("surveys/x.toml", SURVEY.replace("result_date = 2026-10-30\n", ""), "result_date", "the day the result"),
    ("surveys/x.toml", SURVEY.replace("result_date = 2026-10-30", "result_date = 2026-10-10"), "result_date",
     "on or after the survey closed"),
    ("surveys/x.toml", SURVEY.replace("questions = [", "questoins = ["), "questoins", "did you mean 'questions'"),
])
def test_bad_interviews_and_surveys_name_the_file_and_field(group, name, text, field, expected):
    path = group.write(f"city/{name}", text)
    site = load_group(group.root).get("city")
    with pytest.raises(ContentInvalid) as caught:
        read_interviews(site) if name.startswith("interviews") else read_surveys(site)
    found = [p for p in caught.value.problems if p.field == field]
    assert found and expected in found[0].expected and found[0].file == path, caught.value.problems


def test_the_annual_report_counts_the_records(group):
    group.write("city/letters/2026-11.toml", LETTER + letter(id='"CH-2026-0002"', status='"受理"', reply=None,
                                                                  reply_date=None))
    group.write("city/interviews/2026-10-garbage.toml", INTERVIEW)
    group.write("city/annual/2026.toml", "[interaction]\nmessages_received = 999\nsurvey_opinions = 7\n")
    loaded = load_group(group.root)
    rows = {r.label: (r.value, r.origin) for r in build_report(loaded.get("city"), loaded, 2026).rows}
    assert rows["留言办理：收到留言数量（条）"] == (2, "内容统计"), "the records win over the data file"
    assert rows["留言办理：办结留言数量（条）"] == (1, "内容统计")
    assert rows["留言办理：平均办理时间（天）"] == (4.0, "内容统计")
    assert rows["在线访谈期数（期）"] == (1, "内容统计") and rows["在线访谈：答复网民提问数量（条）"] == (1, "内容统计")
    assert rows["征集调查：收到意见数量（条）"] == (7, "年度数据"), "no survey records: the data file's number"
    # the platform's working-day overrides count (a day off declared by the region)
    compliance = load_config({"workdays": {2026: {"holidays": ["2026-11-03"], "workdays": []}}})
    rows = {r.label: r.value for r in build_report(loaded.get("city"), loaded, 2026, compliance=compliance).rows}
    assert rows["留言办理：平均办理时间（天）"] == 3.0


def test_every_site_build_reads_the_groups_letters(group):
    from govsite.fingerprint import foreign_digest
    from govsite.syndication import foreign_inputs

    city_file = group.write("city/letters/2026-11.toml", ORIGIN)
    dept_file = group.write("dept/letters/2026.toml", FORWARD)
    loaded = load_group(group.root)
    assert foreign_inputs(loaded, loaded.get("city")) == [city_file, dept_file]
    assert foreign_inputs(loaded, loaded.get("dept"))[-2:] == [city_file, dept_file]
    before = foreign_digest(loaded, loaded.get("city"))
    dept_file.write_text(FORWARD.replace("已于11月5日", "已于11月4日"), "utf-8")
    assert foreign_digest(loaded, loaded.get("city")) != before, "a department's reply rebuilds the portal"


def test_a_forwarded_letter_links_to_where_it_went(group):
    from lxml import html as lxml_html

    from govsite.interaction.pages import letter_html

    group.write("city/letters/2026-11.toml", ORIGIN.replace('"路灯不亮"', '"路灯<不亮>"'))
    group.write("dept/letters/2026.toml", FORWARD)
    loaded = load_group(group.root)
    by_site = group_letters(loaded, TODAY)
    (origin,), (taken,) = by_site["city"], by_site["dept"]
    sites = {s.id: s for s in loaded}
    tree = lxml_html.fromstring(letter_html(origin, sites, {taken.forwarded_from: taken}, False, {}))
    (link,) = tree.xpath("//a")
    assert link.get("href") == f"{sites['dept'].url}letters.html#letter-dept-DEPT-2026-0001"
    assert tree.xpath("//h2")[0].text_content() == "路灯<不亮>" and not tree.xpath("//h3[.='答复内容']")
    # on a later page of the department's letters, the link goes there
    from govsite.interaction.pages import letter_locations
    others = [replace(taken, id=f"DEPT-2026-10{n}", received=date(2026, 11, 28)) for n in range(3)]
    locations = {"dept": letter_locations([taken, *others], 2)}
    tree = lxml_html.fromstring(letter_html(origin, sites, {taken.forwarded_from: taken}, False, locations))
    assert tree.xpath("//a/@href") == [f"{sites['dept'].url}letters-2.html#letter-dept-DEPT-2026-0001"]
