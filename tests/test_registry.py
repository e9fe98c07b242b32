"""Loading and validating the site group (govsite/registry.py): every rule, all errors at once."""

import pytest

from govsite.errors import GroupInvalid
from govsite.registry import load_group


def problems_of(group_copy):
    with pytest.raises(GroupInvalid) as info:
        load_group(group_copy.root)
    return info.value.problems


def only(problems, field):
    found = [p for p in problems if p.field == field]
    assert found, f"no problem for {field}: {[str(p) for p in problems]}"
    return found[0]


def test_fixture_group_is_valid(group):
    loaded = load_group(group.root)
    assert [s.id for s in loaded] == ["city", "dept"]
    city, dept = loaded.get("city"), loaded.get("dept")
    assert city.kind == "portal" and dept.parent == "city"
    assert loaded.portal_of(dept) is city and loaded.departments_of(city) == [dept]
    assert city.column("notices").keywords == ("通知", "公告")
    assert city.column("news").keywords == ("要闻动态",), "keywords default to the column name"
    assert city.police_record_code == "99020002000001"
    assert city.url == "https://www.chenghu.gov.cn/"


@pytest.mark.parametrize("key, value, expected", [
    ("domain", '"www.chenghu.com"', "ending in .gov.cn"),
    ("domain", '"chenghu.gov.cn"', "www.<region>.gov.cn"),
    ("site_code", '"99020001"', "10-character"),
    ("icp", '"ICP备99980001号"', "京ICP备12345678号"),
    ("police_filing", '"宁公网安备 9902号"', "14-digit record code"),
    ("name", '"澄湖市政府网"', "<地区>人民政府"),
    ("kind", '"portl"', "one of: portal, department"),
    ("logo", '"images/missing.svg"', "an existing image file"),
    ("logo", '"../dept/images/logo.png"', "a path inside the site folder"),
])
def test_each_portal_rule_names_file_field_value_and_expectation(group, key, value, expected):
    group.set("city", key, value)
    problem = only(problems_of(group), key)
    assert problem.file == group.site_toml("city")
    assert problem.value == value.strip('"')
    assert expected in problem.expected
    text = str(problem)
    assert str(group.site_toml("city")) in text and key in text and value.strip('"') in text


@pytest.mark.parametrize("key, value, expected", [
    ("domain", '"jtj.other.gov.cn"', "<name>.chenghu.gov.cn"),
    ("domain", '"www.chenghu.gov.cn"', "unique in the group"),
    ("name", '"交通网"', "contains its organizer"),
    ("parent", '"nowhere"', "the id of a portal site"),
    ("site_code", '"9902000001"', "unique in the group"),
    ("organizer", '"澄湖市人民政府办公室"', "one site per organization"),
])
def test_each_department_rule(group, key, value, expected):
    group.set("dept", key, value)
    problem = only(problems_of(group), key)
    assert problem.file == group.site_toml("dept")
    assert expected in problem.expected


def test_parent_must_be_a_portal(group):
    group.set("dept", "parent", '"dept"')
    assert "kind is portal" in only(problems_of(group), "parent").expected


def test_portal_may_not_have_parent(group):
    group.insert_top("city", 'parent = "dept"')
    assert "no parent on a portal" in only(problems_of(group), "parent").expected


def test_logo_must_really_be_svg_or_png(group):
    (group.root / "city" / "images" / "fake.png").write_text("not a png")
    group.set("city", "logo", '"images/fake.png"')
    assert "SVG (.svg) or PNG" in only(problems_of(group), "logo").expected
    (group.root / "city" / "images" / "logo.gif").write_bytes(b"GIF89a")
    group.set("city", "logo", '"images/logo.gif"')
    assert "SVG (.svg) or PNG" in only(problems_of(group), "logo").expected


def test_unknown_key_is_an_error_with_suggestion(group):
    group.insert_top("city", 'organiser = "x"')
    problem = only(problems_of(group), "organiser")
    assert "no such key" in problem.expected and "did you mean 'organizer'" in problem.expected


def test_unknown_keys_in_tables(group):
    group.append("city", '[[columns]]\nslug = "x"\nname = "X"\ntype = "通知公告"\ndescription = "d"\ndescripton = "typo"')
    assert "did you mean 'description'" in only(problems_of(group), "columns[2].descripton").expected


def test_missing_required_key(group):
    group.set("city", "operator", '"x"')
    text = group.site_toml("city").read_text("utf-8").replace('operator = "x"\n', "")
    group.site_toml("city").write_text(text, "utf-8")
    problem = only(problems_of(group), "operator")
    assert problem.value is None and "required" in problem.expected
    assert "(missing)" in str(problem)


def test_column_rules(group):
    group.append("city", '[[columns]]\nslug = "news"\nname = "重复"\ntype = "要闻"\ndescription = "d"')
    group.append("city", '[[columns]]\nslug = "theme"\nname = "保留"\ntype = "专题专栏"\ndescription = "d"')
    group.append("city", '[[columns]]\nslug = "Bad Slug"\nname = "坏"\ntype = "专题专栏"\ndescription = "d"')
    problems = problems_of(group)
    assert "unique within the site" in only(problems, "columns[2].slug").expected
    assert "did you mean '要闻动态'" in only(problems, "columns[2].type").expected
    assert "reserved" in only(problems, "columns[3].slug").expected
    assert "lower-case slug" in only(problems, "columns[4].slug").expected


def test_contact_rules(group):
    text = group.site_toml("city").read_text("utf-8")
    text = text.replace('phone = "0991-7654321"', 'phone = "call us"').replace(
        'email = "office@chenghu.gov.cn"', 'email = "office"')
    group.site_toml("city").write_text(text, "utf-8")
    problems = problems_of(group)
    assert "telephone" in only(problems, "contact.phone").expected
    assert "e-mail" in only(problems, "contact.email").expected


def test_badge_rules(group):
    group.append("dept", '[badges]\nconac_script = "http://evil.example/x.js"\nzhaocuo_url = "ftp://x"')
    problems = problems_of(group)
    assert "issued by CONAC" in only(problems, "badges.conac_script").expected
    assert "https://" in only(problems, "badges.zhaocuo_url").expected


def test_lifecycle_events_are_kept_and_names_checked(group):
    group.append("city", '[[lifecycle]]\nevent = "launch"\ndate = 2026-01-05')
    assert load_group(group.root).get("city").lifecycle[0]["event"] == "launch"
    group.append("city", '[[lifecycle]]\nevent = "lunch"\ndate = 2026-01-06')
    assert "one of: launch" in only(problems_of(group), "lifecycle[1].event").expected


def test_every_problem_is_reported_at_once(group):
    group.set("city", "domain", '"www.chenghu.com"')
    group.set("city", "site_code", '"1"')
    group.set("dept", "icp", '"none"')
    group.set("dept", "police_filing", '"none"')
    problems = problems_of(group)
    fields = {(p.file.parent.name, p.field) for p in problems}
    assert {("city", "domain"), ("city", "site_code"), ("dept", "icp"), ("dept", "police_filing")} <= fields
    message = str(GroupInvalid(problems))
    assert message.count("\n  - ") == len(problems)


def test_invalid_toml_names_the_file(group):
    group.append("city", "this is not toml")
    problem = problems_of(group)[0]
    assert problem.file == group.site_toml("city") and "valid TOML" in problem.expected


def test_folder_without_site_toml(group):
    (group.root / "orphan").mkdir()
    problem = only(problems_of(group), "")
    assert "site.toml" in problem.expected and "orphan" in str(problem.file)


def test_bad_site_id_folder(group):
    (group.root / "city").rename(group.root / "City")
    group.set("dept", "parent", '"City"')
    assert "lower-case id" in only(problems_of(group), "site id (folder name)").expected


def test_empty_or_missing_content_folder(tmp_path):
    with pytest.raises(GroupInvalid, match="at least one site folder"):
        load_group(tmp_path)
    with pytest.raises(GroupInvalid, match="content folder"):
        load_group(tmp_path / "nope")
