"""Lifecycle events (govsite/lifecycle.py): each rule with its error, the timeline, published-event changes."""

from datetime import date

import pytest

from govsite.errors import GroupInvalid
from govsite.lifecycle import Timeline, compare_published, parse_events
from govsite.registry import load_group
from conftest import NOTICES


def add(group, site_id, *events):
    if site_id == "dept":
        group.append("dept", NOTICES)
    for event in events:
        group.append(site_id, "[[lifecycle]]\n" + event)


def problems(group):
    with pytest.raises(GroupInvalid) as info:
        load_group(group.root)
    return {p.field: p.expected for p in info.value.problems}


TEMP = 'event = "temporary_offline"\nstart = {start}\nend = {end}\nreason = "机房搬迁"\napproval = "澄政办函〔2026〕8号"'


def temp(start, end):
    return TEMP.format(start=start, end=end)


def test_valid_events_load(group):
    add(group, "dept", 'event = "launch"\ndate = 2026-01-10', temp("2026-12-01", "2026-12-30"),
        'event = "info_change"\ndate = 2027-02-01\nfield = "name"\nold = "澄湖市交通运输局"\nnew = "澄湖市交通局"\nreason = "机构改革"')
    site = load_group(group.root).get("dept")
    assert [e.kind for e in parse_events(site.lifecycle)] == ["launch", "temporary_offline", "info_change"]


def test_temporary_offline_at_most_30_days(group):
    add(group, "dept", temp("2026-12-01", "2026-12-31"))
    assert "at most 30 days (this one lasts 31 days)" in problems(group)["lifecycle[0].end"]


def test_temporary_offline_end_after_start(group):
    add(group, "dept", temp("2026-12-05", "2026-12-01"))
    assert "on or after the start" in problems(group)["lifecycle[0].end"]


def test_one_temporary_offline_per_year(group):
    add(group, "dept", temp("2026-03-01", "2026-03-05"), temp("2026-09-01", "2026-09-05"))
    assert "at most 1 temporary offline per calendar year (2026" in problems(group)["lifecycle[1].start"]


def test_events_do_not_overlap(group):
    add(group, "dept", temp("2026-03-01", "2026-03-20"),
        'event = "domain_change"\ndate = 2026-03-10\nnew_domain = "jt.chenghu.gov.cn"')
    assert "does not overlap lifecycle[0]" in problems(group)["lifecycle[1]"]


def test_permanent_offline_needs_destinations(group):
    add(group, "dept", 'event = "permanent_offline"\ndate = 2026-12-01\nreason = "整合"\napproval = "批文"')
    assert "a destination for every column (missing: news" in problems(group)["lifecycle[0].destination"]


def test_permanent_offline_destination_rules(group):
    add(group, "dept", 'event = "permanent_offline"\ndate = 2026-12-01\nreason = "整合"\napproval = "批文"\n'
                       'destination = "dept"\n[lifecycle.columns]\nnope = "city"')
    found = problems(group)
    assert "a site id of the group (not this site)" in found["lifecycle[0].destination"]
    assert "a column slug of this site" in found["lifecycle[0].columns.nope"]


def test_permanent_offline_archive_only_needs_reason(group):
    add(group, "dept", 'event = "permanent_offline"\ndate = 2026-12-01\nreason = "整合"\napproval = "批文"\narchive_only = true')
    assert "why the content is archived only" in problems(group)["lifecycle[0].archive_reason"]


def test_nothing_after_permanent_offline(group):
    add(group, "dept", 'event = "permanent_offline"\ndate = 2026-12-01\nreason = "整合"\napproval = "批文"\ndestination = "city"',
        'event = "info_change"\ndate = 2027-01-01\nfield = "name"\nold = "a"\nnew = "b"\nreason = "c"')
    assert "no event on or after the permanent offline" in problems(group)["lifecycle[1]"]


def test_domain_change_new_domain_follows_identity_rules(group):
    add(group, "dept", 'event = "domain_change"\ndate = 2026-12-01\nnew_domain = "jtj.example.com"')
    assert ".gov.cn" in problems(group)["lifecycle[0].new_domain"]


def test_domain_change_must_stay_under_the_portal_and_be_unique(group):
    add(group, "dept", 'event = "domain_change"\ndate = 2026-12-01\nnew_domain = "www.chenghu.gov.cn"')
    assert "<name>.chenghu.gov.cn" in problems(group)["lifecycle[0].new_domain"]


def test_unknown_and_missing_fields_and_bad_dates(group):
    add(group, "dept", 'event = "launch"\ndate = "2026-01-10"\nreson = "x"')
    found = problems(group)
    assert "a TOML date" in found["lifecycle[0].date"]
    assert "did you mean 'reason'" not in found["lifecycle[0].reson"]  # launch has no reason field
    assert "a field of a launch event" in found["lifecycle[0].reson"]
    add(group, "city", 'event = "temporary_offline"\nstart = 2026-12-01\nend = 2026-12-02\nreason = "x"')
    assert "this field on a temporary_offline event" in problems(group)["lifecycle[0].approval"]


def test_launch_is_single_and_first(group):
    add(group, "dept", temp("2026-02-01", "2026-02-02"), 'event = "launch"\ndate = 2026-03-01',
        'event = "launch"\ndate = 2026-04-01')
    found = problems(group)
    assert "a single launch event" in found["lifecycle[2]"]
    assert "a launch before every other event" in found["lifecycle[1].date"]


def test_sites_with_events_need_a_notice_column(group):
    group.append("dept", '[[lifecycle]]\nevent = "launch"\ndate = 2026-01-10')
    assert "a 通知公告 column" in problems(group)["columns"]


def test_timeline(group):
    add(group, "dept", 'event = "launch"\ndate = 2026-01-10', temp("2026-12-01", "2026-12-10"),
        'event = "domain_change"\ndate = 2027-03-01\nnew_domain = "jt.chenghu.gov.cn"')
    site = load_group(group.root).get("dept")
    before = Timeline.of(site, date(2026, 11, 20))
    assert [e.kind for e in before.published()] == ["launch"] and before.maintenance() is None
    notice_out = Timeline.of(site, date(2026, 11, 24))
    assert [e.kind for e in notice_out.published()] == ["launch", "temporary_offline"], "7 days ahead"
    assert Timeline.of(site, date(2026, 12, 5)).maintenance().kind == "temporary_offline"
    later = Timeline.of(site, date(2027, 3, 2))
    assert later.domain(site.domain) == "jt.chenghu.gov.cn" and later.old_domains(site.domain) == ["jtj.chenghu.gov.cn"]


def test_compare_published(group):
    add(group, "dept", 'event = "launch"\ndate = 2026-01-10', temp("2026-12-01", "2026-12-10"))
    site = load_group(group.root).get("dept")
    events = list(Timeline.of(site, date(2026, 12, 1)).events)
    recorded = [e.record() for e in events]
    assert compare_published(recorded, events) == []
    changed = dict(recorded[1], end="2026-12-12")
    assert "end changed from '2026-12-12' to '2026-12-10'" in compare_published([recorded[0], changed], events)[0]
    assert "was removed" in compare_published(recorded, events[:1])[0]


def test_append_event_validates_and_never_rewrites(group):
    from govsite.lifecycle_cli import append_event
    from govsite.errors import UsageError

    group.append("dept", NOTICES)
    before = group.site_toml("dept").read_text("utf-8")
    append_event(group.root, "dept", "temporary_offline",
                 {"start": "2026-12-01", "end": "2026-12-05", "reason": "机房搬迁", "approval": "批文"})
    after = group.site_toml("dept").read_text("utf-8")
    assert after.startswith(before.rstrip("\n")) and 'start = 2026-12-01' in after
    assert [e.kind for e in parse_events(load_group(group.root).get("dept").lifecycle)] == ["temporary_offline"]
    with pytest.raises(GroupInvalid, match="at most 1 temporary offline per calendar year"):
        append_event(group.root, "dept", "temporary_offline",
                     {"start": "2026-12-20", "end": "2026-12-21", "reason": "再次", "approval": "批文"})
    assert group.site_toml("dept").read_text("utf-8") == after, "a rejected event leaves site.toml as it was"
    with pytest.raises(UsageError, match="unknown event"):
        append_event(group.root, "dept", "relaunch", {})
    with pytest.raises(UsageError, match="a date must look like"):
        append_event(group.root, "dept", "launch", {"date": "tomorrow"})
