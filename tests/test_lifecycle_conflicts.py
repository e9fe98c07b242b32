"""Conflicting lifecycle events (issue 15, item 12): validation errors naming both events, raised
before anything is written. Without these rules the builds below ended in Pelican's
FileOverwriteFailedError (two domain changes on one day) or wrote two sites into one folder, the
second silently replacing the first."""

import re
import shutil

import pytest

from govsite.build import build_group
from govsite.errors import GroupInvalid
from govsite.registry import load_group
from conftest import NOTICES


def move(group, site_id, day, new_domain):
    group.append(site_id, f'[[lifecycle]]\nevent = "domain_change"\ndate = {day}\nnew_domain = "{new_domain}"')


def add_department(group, site_id, name, domain, serial):
    """A second department of the portal: a copy of dept (articles and all) with its own identity."""
    shutil.copytree(group.root / "dept", group.root / site_id)
    text = group.site_toml("dept").read_text("utf-8")
    for old, new in (("澄湖市交通运输局", name), ("jtj.chenghu.gov.cn", domain), ("9902000002", f"990200000{serial}"),
                     ("99980001号-2", f"99980001号-{serial}"), ("99020002000002", f"9902000200000{serial}"),
                     ("jtj@", "office@")):
        text = text.replace(old, new)
    group.write(f"{site_id}/site.toml", text)


@pytest.fixture
def two_departments(group):
    add_department(group, "road", "澄湖市公路管理局", "glj.chenghu.gov.cn", 3)
    group.append("dept", NOTICES)
    group.append("road", NOTICES)
    return group


def conflicts(group):
    with pytest.raises(GroupInvalid) as info:
        load_group(group.root)
    return [p for p in info.value.problems if p.field.endswith("new_domain") or p.field.endswith(".date")
            or p.field == "domain"]


def build(group, tmp_path, today):
    return build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache", reports_dir=None,
                       records_dir=tmp_path / "records",
                       settings={"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": today})


def assert_nothing_written(group, tmp_path, today):
    """The real build refuses the group before it creates the output folder."""
    with pytest.raises(GroupInvalid):
        build(group, tmp_path, today)
    assert not (tmp_path / "output").exists() and not (tmp_path / "records").exists()


def test_two_domain_changes_of_one_site_on_one_day(two_departments, tmp_path):
    move(two_departments, "dept", "2026-12-01", "jt.chenghu.gov.cn")
    move(two_departments, "dept", "2026-12-01", "jtys.chenghu.gov.cn")
    problem, = conflicts(two_departments)
    assert problem.field == "lifecycle[1].date" and "lifecycle[0]" in problem.expected
    assert "2026-12-01" in problem.expected
    assert_nothing_written(two_departments, tmp_path, "2026-12-05")


def test_two_sites_moving_to_the_same_new_domain(two_departments, tmp_path):
    move(two_departments, "dept", "2026-12-01", "jt.chenghu.gov.cn")
    move(two_departments, "road", "2027-01-10", "jt.chenghu.gov.cn")
    problem, = conflicts(two_departments)
    assert problem.file == two_departments.site_toml("road") and problem.field == "lifecycle[0].new_domain"
    assert str(two_departments.site_toml("dept")) in problem.expected and "lifecycle[0].new_domain" in problem.expected
    assert_nothing_written(two_departments, tmp_path, "2027-02-01")


def test_moving_to_a_domain_another_site_moves_away_from(two_departments, tmp_path):
    """road takes jtj.chenghu.gov.cn after dept has left it: the old domain's redirects live there."""
    move(two_departments, "dept", "2026-12-01", "jt.chenghu.gov.cn")
    move(two_departments, "road", "2027-01-10", "jtj.chenghu.gov.cn")
    problem, = conflicts(two_departments)
    assert problem.file == two_departments.site_toml("road") and "jtj.chenghu.gov.cn" in str(problem)
    assert str(two_departments.site_toml("dept")) in problem.expected and "domain" in problem.expected
    assert_nothing_written(two_departments, tmp_path, "2027-02-01")


def test_moving_to_a_domain_another_site_will_move_to_later(two_departments):
    move(two_departments, "road", "2026-12-01", "jt.chenghu.gov.cn")
    move(two_departments, "dept", "2027-03-01", "gl.chenghu.gov.cn")
    move(two_departments, "dept", "2027-05-01", "jt.chenghu.gov.cn")
    problem, = conflicts(two_departments)
    assert "lifecycle[1].new_domain" in str(problem) and "lifecycle[0].new_domain" in problem.expected


def test_a_department_moving_to_the_portals_old_or_new_domain(two_departments):
    move(two_departments, "city", "2026-12-01", "澄湖市人民政府.政务")
    move(two_departments, "dept", "2027-01-10", "澄湖市人民政府.政务")
    problem, = conflicts(two_departments)
    assert problem.file == two_departments.site_toml("dept") and str(two_departments.site_toml("city")) in problem.expected


def test_a_site_returning_to_a_domain_it_left(two_departments):
    move(two_departments, "dept", "2026-12-01", "jt.chenghu.gov.cn")
    move(two_departments, "dept", "2027-01-10", "jtj.chenghu.gov.cn")
    problem, = [p for p in conflicts(two_departments) if p.field == "lifecycle[1].new_domain"]
    assert "domain" in problem.expected and "has not used before" in problem.expected and "(from" not in problem.expected.split("also")[1]


def test_separate_domains_at_separate_times_stay_valid(two_departments):
    move(two_departments, "dept", "2026-12-01", "jt.chenghu.gov.cn")
    move(two_departments, "road", "2026-12-01", "gl.chenghu.gov.cn")
    move(two_departments, "dept", "2027-02-01", "jtys.chenghu.gov.cn")
    assert len(load_group(two_departments.root)) == 3
