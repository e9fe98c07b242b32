"""A site group led by a national department (a ministry's site group) next to the regional rules.

The fixture group's portal becomes a fictional national department (国家雾凇观测局, site code bm99000001,
its own www. domain); the department site sits under its domain. The regional rules stay as they were.
"""

import pytest

from govsite.errors import GroupInvalid
from govsite.registry import load_group


def make_ministry(group, lead_domain='"www.wsgcj.gov.cn"', code='"bm99000001"'):
    group.set("city", "kind", '"department"')
    group.set("city", "name", '"国家雾凇观测局"')
    group.set("city", "organizer", '"国家雾凇观测局"')
    group.set("city", "domain", lead_domain)
    group.set("city", "site_code", code)
    group.set("dept", "domain", '"jtj.wsgcj.gov.cn"')


def problems_of(group):
    with pytest.raises(GroupInvalid) as info:
        load_group(group.root)
    return info.value.problems


def test_a_national_department_leads_its_own_group(group):
    make_ministry(group)
    loaded = load_group(group.root)
    lead, dept = loaded.get("city"), loaded.get("dept")
    assert lead.kind == "department" and lead.parent == "" and lead.leads_group
    assert not dept.leads_group and loaded.portal_of(dept) is lead and loaded.departments_of(lead) == [dept]


def test_only_a_national_department_may_go_without_parent(group):
    make_ministry(group, code='"9902000009"')
    problem = next(p for p in problems_of(group) if p.field == "parent")
    assert problem.file == group.site_toml("city") and "bm + 8 digits" in problem.expected


def test_the_leading_department_has_its_own_www_domain(group):
    make_ministry(group, lead_domain='"gcj.wsgcj.gov.cn"')
    problem = next(p for p in problems_of(group) if p.field == "domain" and p.file == group.site_toml("city"))
    assert "www.<region>.gov.cn" in problem.expected and "national department" in problem.expected


def test_sites_of_a_ministry_group_sit_under_its_domain(group):
    make_ministry(group)
    group.set("dept", "domain", '"jtj.chenghu.gov.cn"')
    problem = next(p for p in problems_of(group) if p.field == "domain")
    assert problem.file == group.site_toml("dept") and "<name>.wsgcj.gov.cn" in problem.expected


def test_regional_groups_keep_the_portal_domain_rule(group):
    """A department under a regional portal with a national code still needs the portal's sub-domain."""
    group.set("dept", "site_code", '"bm99000002"')
    group.set("dept", "domain", '"www.wsgcj.gov.cn"')
    problem = next(p for p in problems_of(group) if p.field == "domain")
    assert problem.file == group.site_toml("dept") and "<name>.chenghu.gov.cn" in problem.expected


def test_a_parent_must_lead_a_group(group, tmp_path):
    make_ministry(group)
    other = group.root / "sub"
    other.mkdir()
    text = group.site_toml("dept").read_text("utf-8").replace('parent = "city"', 'parent = "dept"')
    text = text.replace("jtj.wsgcj.gov.cn", "sub.wsgcj.gov.cn").replace("9902000002", "9902000003")
    text = text.replace("澄湖市交通运输局", "澄湖市水务局").replace("99020002000002", "99020002000003")
    (other / "site.toml").write_text(text, "utf-8")
    (other / "images").mkdir()
    (other / "images/logo.png").write_bytes((group.root / "dept/images/logo.png").read_bytes())
    problem = next(p for p in problems_of(group) if p.field == "parent")
    assert problem.file == other / "site.toml" and "national department" in problem.expected
