"""Notice wording (govsite/notices.py): the facts of the notice's own day, text that stays text,
placeholders that are plain names only, pinned notices rendered as first published."""

from dataclasses import replace
from datetime import date

import pytest
from lxml import html

from govsite.lifecycle import site_as_of
from govsite.notices import as_published, fill, notice_html, notices_for, summary_html
from govsite.registry import SiteGroup, load_group
from conftest import NOTICES

HOSTILE = '霁川<script>alert("T")</script>测试"><img src=x onerror=alert(1)>{phone}{0.__class__}'


def with_events(group, *events):
    group.append("dept", NOTICES)
    for event in events:
        group.append("dept", "[[lifecycle]]\n" + event)
    return load_group(group.root)


def elements(fragment: str) -> list[str]:
    """Tags of every element of an HTML fragment (besides the wrapper lxml adds)."""
    return [e.tag for e in html.fragment_fromstring(fragment, create_parent="div").iter()][1:]


@pytest.mark.parametrize("template", ["{0.__class__}", "{name.__class__.__mro__}", "{name!r}", "{days:>999999999}",
                                      "{name[0]}", "{__import__}", "{NAME}", "{ name }", "{{name}}x"])
def test_placeholders_are_plain_names_only(template):
    """str.format_map with attribute access reads Python internals: anything but {plain_name} stays as written."""
    filled = fill(template, {"name": "霁川市教育局", "days": "3"})
    assert filled == template.replace("{name}", "霁川市教育局")
    assert "<class" not in filled and "'" not in filled and len(filled) < 40


def test_filled_values_are_not_filled_again():
    assert fill("{name}（{url}）", {"name": "{url}", "url": "https://a.jichuan.gov.cn/"}) == \
        "{url}（https://a.jichuan.gov.cn/）"


def test_notice_text_is_escaped_paragraph_by_paragraph():
    text = '第一段<script>alert(1)</script>\n第二行"><img src=x onerror=alert(1)>\n\n  \n&amp; 第二段'
    fragment = notice_html(text)
    assert elements(fragment) == ["p", "br", "p"]
    paragraphs = html.fragment_fromstring(fragment, create_parent="div").xpath("p")
    assert paragraphs[0].text_content() == '第一段<script>alert(1)</script>\n第二行"><img src=x onerror=alert(1)>'
    assert paragraphs[1].text_content() == "&amp; 第二段"
    assert elements(summary_html(text)) == [] and "&lt;script&gt;" in summary_html(text)


def test_hostile_site_values_and_overrides_stay_text(group):
    loaded = with_events(group, 'event = "launch"\ndate = 2026-01-10\nbody = "{name}<b>x</b>\\n\\n{0.__init__}{email}"')
    dept = replace(loaded.get("dept"), name=HOSTILE, organizer='"><svg onload=alert(2)>')
    hostile = SiteGroup(loaded.root, {**loaded.sites, "dept": dept})
    [notice] = notices_for(dept, hostile, date(2026, 3, 1))
    assert notice.title == f"关于{HOSTILE}正式开通运行的公告"
    assert notice.body == f"{HOSTILE}<b>x</b>\n\n{{0.__init__}}jtj@chenghu.gov.cn"
    fragment = notice_html(notice.body)
    assert elements(fragment) == ["p", "p"]
    assert html.fragment_fromstring(fragment, create_parent="div").text_content() == notice.body.replace("\n\n", "\n")
    assert notice.source == '"><svg onload=alert(2)>'  # text: the template escapes it


def test_facts_are_those_of_the_notice_day(group):
    """A launch before a rename and a domain change names the site as it was then."""
    loaded = with_events(
        group, 'event = "launch"\ndate = 2026-01-10',
        'event = "info_change"\ndate = 2026-02-01\nfield = "organizer"\nold = "澄湖市交通局"\nnew = "澄湖市交通运输局"\n'
        'reason = "机构改革"',
        'event = "domain_change"\ndate = 2026-04-01\nnew_domain = "jt.chenghu.gov.cn"')
    dept = loaded.get("dept")
    assert site_as_of(dept, date(2026, 1, 31)).organizer == "澄湖市交通局"
    assert site_as_of(dept, date(2026, 2, 1)).organizer == "澄湖市交通运输局"
    assert site_as_of(dept, date(2026, 3, 31)).domain == "jtj.chenghu.gov.cn"
    assert site_as_of(dept, date(2026, 4, 1)).domain == "jt.chenghu.gov.cn"
    for today in (date(2026, 4, 2), date(2027, 5, 6)):
        current = site_as_of(dept, today)  # the site as a build of that day sees it
        bodies = {n.slug: n.body for n in notices_for(current, loaded, today)}
        assert "（https://jtj.chenghu.gov.cn/）于2026年1月10日正式开通运行。本网站由澄湖市交通局主办" in bodies["launch-20260110"]
        assert "域名由 jtj.chenghu.gov.cn 变更为 jt.chenghu.gov.cn" in bodies["domain-change-20260401"]


def test_pinned_notices_render_as_first_published_and_contradictions_are_named(group):
    loaded = with_events(group, 'event = "launch"\ndate = 2026-01-10')
    dept = loaded.get("dept")
    [notice] = notices_for(dept, loaded, date(2026, 3, 1))
    pinned = {**notice.record(), "body": "当年的措辞。"}  # a later platform version words it differently
    [shown], conflicts = as_published([notice], [pinned], date(2026, 3, 1))
    assert shown.body == "当年的措辞。" and conflicts == []
    edited = replace(dept, organizer="澄湖市交通运输委员会")  # edited in site.toml, no info_change
    [again] = notices_for(edited, SiteGroup(loaded.root, {**loaded.sites, "dept": edited}), date(2026, 3, 1))
    _, conflicts = as_published([again], [notice.record()], date(2026, 3, 1))
    assert conflicts == ["the published notice launch-20260110 (关于澄湖市交通运输局正式开通运行的公告) states "
                         "organizer = '澄湖市交通运输局', the content now gives '澄湖市交通运输委员会'"]


def test_a_pinned_notice_whose_event_is_gone_stays_published(group):
    loaded = with_events(group, 'event = "launch"\ndate = 2026-01-10')
    [notice] = notices_for(loaded.get("dept"), loaded, date(2026, 3, 1))
    shown, _ = as_published([], [notice.record()], date(2026, 3, 1))
    assert [(n.slug, n.title, n.event) for n in shown] == [("launch-20260110", notice.title, None)]
    assert as_published([], [notice.record()], date(2026, 1, 9))[0] == []  # not yet published on that day

