"""政民互动 built for real (the fixture group): pages read back with lxml — masking, escaping, the
statistics, the group view on the portal, the footer link, findings in the compliance report, and
bad data failing the build with the file and field named. One browser test runs axe in every mode."""

from __future__ import annotations

import json

import pytest
from lxml import etree, html as lxml_html

from govsite.build import build_group

from test_registry_ministry import make_ministry
from test_interaction import FORWARD, INTERVIEW, LETTER, ORIGIN, SURVEY, letter

HOSTILE = letter(id='"CH-2026-0003"', subject='"<script>alert(1)</script>路灯 & 井盖"', received="2026-11-04",
                 content='"第一行<b>加粗</b>\\n第二行"', reply='"已处理 <img src=x onerror=alert(1)>，并加装了井盖。"',
                 reply_date="2026-11-06")
LATE = letter(id='"CH-2026-0004"', received="2026-10-12", reply_date="2026-11-09")  # > 15 working days
ATOM = "{http://www.w3.org/2005/Atom}"
PENDING = letter(id='"CH-2026-0005"', received="2026-11-06", status='"办理中"', reply=None, reply_date=None)


def build(group, tmp_path, **settings):
    results = build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache",
                          reports_dir=tmp_path / "reports",
                          settings={"GOVSITE_A11Y": {"engine": "static"}, **settings})
    return {r.site_id: r for r in results}


def page(tmp_path, domain: str, name: str):
    return lxml_html.fromstring((tmp_path / "output" / domain / name).read_text("utf-8"))


def rows(tree, caption: str) -> dict[str, list[str]]:
    """A statistics table by its caption: {row header: cells}."""
    (table,) = tree.xpath(f'//table[caption="{caption}"]')
    assert table.xpath("thead//th[@scope='col']") and all(th.get("scope") == "row" for th in table.xpath("tbody//th"))
    return {tr.xpath("th")[0].text_content(): [td.text_content() for td in tr.xpath("td")]
            for tr in table.xpath(".//tr[th[@scope='row']]")}


@pytest.fixture
def interaction_group(group):
    group.write("city/letters/2026-11.toml", LETTER + HOSTILE + LATE + PENDING + ORIGIN)
    group.write("dept/letters/2026.toml", FORWARD)
    group.write("city/interviews/2026-10-garbage.toml", INTERVIEW.replace("垃圾分类在线访谈", "垃圾分类<b>访谈</b>"))
    group.write("city/surveys/2026-10-park.toml", SURVEY.replace("采纳", "采纳<i>x</i>"))
    return group


def test_the_pages_are_built_escaped_masked_and_counted(interaction_group, tmp_path):
    results = build(interaction_group, tmp_path)
    assert results["city"].ok and results["dept"].ok, (results["city"].error, results["dept"].error)
    city, dept = "www.chenghu.gov.cn", results["dept"].domain

    letters = page(tmp_path, city, "letters.html")
    raw = (tmp_path / "output" / city / "letters.html").read_text("utf-8")
    assert not letters.xpath("//main//script") and not letters.xpath("//main//img[@onerror]")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;路灯 &amp; 井盖" in raw and "<b>加粗</b>" not in raw
    hostile = letters.xpath('//article[@id="letter-city-CH-2026-0003"]')[0]
    assert [p.text_content() for p in hostile.xpath("p")][:2] == ["第一行<b>加粗</b>", "第二行"]
    assert "王**" in raw and "王小明" not in raw
    # the portal lists the group's letters, the forwarded one once, on the site that handles it
    ids = [a.get("id") for a in letters.xpath("//article[@class='letter']")]
    assert "letter-dept-DEPT-2026-0001" in ids and "letter-city-CH-2026-0002" not in ids
    assert "上级转办" in letters.xpath('//article[@id="letter-dept-DEPT-2026-0001"]')[0].text_content()

    feed = etree.parse(str(tmp_path / "output" / city / "feeds" / "letters.atom.xml")).getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 4 and letters.xpath('//a[@href="feeds/letters.atom.xml"]')
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert "<script>alert(1)</script>路灯 & 井盖" in titles, "the subject as text"
    hostile_entry = entries[titles.index("<script>alert(1)</script>路灯 & 井盖")]
    assert hostile_entry.findtext(f"{ATOM}summary").startswith("已处理 &lt;img"), "the reply escaped for type=html"
    assert hostile_entry.find(f"{ATOM}link").get("href").endswith("letters.html#letter-city-CH-2026-0003")

    stats = page(tmp_path, city, "letters-statistics.html")
    # the group: 5 letters counted once (city's forwarded origin left out), 4 done; overdue: the late reply
    year = rows(stats, "全市政府网站各年度留言办理情况")["2026"]
    assert year[:3] == ["5", "0", "4"] and year[3] == "80.0%" and year[5] == "1"
    per_site = rows(stats, "2026年各网站留言办理情况")
    assert per_site["澄湖市人民政府"][:3] == ["5", "1", "3"], "the origin site counts the forward as 转办"
    assert "全市合计（转办件计一次）" in stats.xpath("//tfoot")[0].text_content()

    dept_letters = page(tmp_path, dept, "letters.html")
    assert [a.get("id") for a in dept_letters.xpath("//article[@class='letter']")] == ["letter-dept-DEPT-2026-0001"]
    dept_stats = rows(page(tmp_path, dept, "letters-statistics.html"), "澄湖市交通运输局各月留言办理情况")
    assert dept_stats["2026-11"][:3] == ["1", "0", "1"]

    interview = page(tmp_path, city, "interview-2026-10-garbage.html")
    assert interview.xpath("//h1")[0].text_content() == "在线访谈：垃圾分类<b>访谈</b>" and "网友李*" in interview.text_content()
    assert not interview.xpath("//main//h1/b")
    survey = (tmp_path / "output" / city / "survey-2026-10-park.html").read_text("utf-8")
    assert "采纳&lt;i&gt;x&lt;/i&gt;" in survey
    index = page(tmp_path, city, "interaction.html")
    assert {a.get("href") for a in index.xpath("//main//a")} >= {"letters.html", "letters-statistics.html",
                                                                 "interview-2026-10-garbage.html",
                                                                 "survey-2026-10-park.html"}
    assert "垃圾分类<b>访谈</b>" in index.text_content() and not index.xpath("//main//a/b")
    home = page(tmp_path, city, "index.html")
    assert home.xpath('//footer//a[text()="政民互动"]/@href') == ["./interaction.html"]

    report = json.loads((tmp_path / "reports" / city / "compliance.json").read_text("utf-8"))
    late = [f for f in report["findings"] if f["family"] == "interaction"]
    assert [(f["rule"], f["severity"]) for f in late] == [("reply-late", "warning")]
    assert "CH-2026-0004" in late[0]["message"]


def test_a_national_department_leading_its_group_shows_the_groups_letters(interaction_group, tmp_path):
    """The site leading a ministry's group (no region in its name) gathers the group's letters as a portal does."""
    make_ministry(interaction_group)
    results = build(interaction_group, tmp_path)
    assert results["city"].ok, results["city"].error
    letters = page(tmp_path, "www.wsgcj.gov.cn", "letters.html")
    assert "letter-dept-DEPT-2026-0001" in [a.get("id") for a in letters.xpath("//article[@class='letter']")]
    assert letters.xpath("//h1")[0].text_content() == "国家雾凇观测局及所属网站来信及答复"
    stats = page(tmp_path, "www.wsgcj.gov.cn", "letters-statistics.html")
    assert rows(stats, "国家雾凇观测局及所属网站各年度留言办理情况")["2026"][:3] == ["5", "0", "4"]
    assert "合计（转办件计一次）" in stats.xpath("//tfoot")[0].text_content()
    assert "全市" not in stats.text_content()


def test_letters_are_paged_and_every_link_finds_its_letter(interaction_group, tmp_path):
    results = build(interaction_group, tmp_path, GOVSITE_INTERACTION={"letters_per_page": 2})
    assert results["city"].ok, results["city"].error
    city = tmp_path / "output" / "www.chenghu.gov.cn"
    names = ["letters.html", "letters-2.html", "letters-3.html"]
    assert sorted(p.name for p in city.glob("letters*.html") if p.name != "letters-statistics.html") == sorted(names)
    where, titles = {}, []
    for number, name in enumerate(names, 1):
        tree = page(tmp_path, "www.chenghu.gov.cn", name)
        titles.append(tree.findtext(".//title"))
        ids = [a.get("id") for a in tree.xpath("//article[@class='letter']")]
        assert len(ids) == (2 if number < 3 else 1)
        where.update({i: name for i in ids})
        (nav,) = tree.xpath("//main//nav[@aria-label='分页']")
        assert nav.xpath("string(.//*[@aria-current='page'])") == f"第 {number} 页，共 3 页"
        assert nav.xpath(".//a[@rel='prev']/@href") == ([names[number - 2]] if number > 1 else [])
        assert nav.xpath(".//a[@rel='next']/@href") == ([names[number]] if number < 3 else [])
    assert len(where) == 5 and len(set(titles)) == 3, "every letter once; a title per page"
    feed = etree.parse(str(city / "feeds" / "letters.atom.xml")).getroot()
    for entry in feed.findall(f"{ATOM}entry"):
        name, _, fragment = entry.find(f"{ATOM}link").get("href").rpartition("/")[2].partition("#")
        assert where[fragment] == name, "the feed links to the page the letter is on"


def test_an_unmasked_phone_or_an_overdue_letter_fails_the_build(group, tmp_path):
    group.write("city/letters/2026-11.toml", letter(content='"请回电 13812345678"'))
    result = build(group, tmp_path)["city"]
    assert not result.ok and "letters/2026-11.toml: letter[0].content" in result.error
    assert "138****5678" in result.error and "13812345678" not in result.error

    group.write("city/letters/2026-11.toml", letter(received="2026-10-12", status='"办理中"', reply=None,
                                                    reply_date=None))
    result = build(group, tmp_path)["city"]
    assert not result.ok and "interaction/unanswered" in result.error
    result = build(group, tmp_path, GOVSITE_INTERACTION={"reply_workdays": 40})["city"]
    assert result.ok, result.error


def test_letters_follow_the_platforms_privacy_email_domains(group, tmp_path):
    """An address under a domain GOVSITE_COMPLIANCE's privacy rules call official is published; the same
    letter is refused under the defaults, naming the file and field."""
    group.write("city/letters/2026-11.toml", letter(reply='"请发送材料至 service@chenghu-hotline.cn。"'))
    refused = build(group, tmp_path)["city"]
    assert not refused.ok and "letter[0].reply" in refused.error and "email" in refused.error
    official = {"privacy": {"email_domains": [".gov.cn", "chenghu-hotline.cn"]}}
    result = build(group, tmp_path, GOVSITE_COMPLIANCE=official)["city"]
    assert result.ok, result.error
    assert "service@chenghu-hotline.cn" in (tmp_path / "output" / result.domain / "letters.html").read_text("utf-8")


def test_a_bad_setting_fails_the_build_naming_the_key(group, tmp_path):
    group.write("city/letters/2026-11.toml", LETTER)
    result = build(group, tmp_path, GOVSITE_INTERACTION={"reply_workdays": "fifteen"})["city"]
    assert not result.ok and "GOVSITE_INTERACTION['reply_workdays']" in result.error


@pytest.mark.browser
@pytest.mark.parametrize("name", ["letters.html", "letters-statistics.html", "interaction.html",
                                  "interview-2026-10-elderly-care.html", "survey-2026-10-bus-routes.html"])
def test_demo_interaction_pages_pass_axe_in_every_mode(chromium, demo_server, built_demo, name):
    from govsite.checks.browser import describe_violations, run_axe

    output, _ = built_demo
    assert (output / "www.jichuan.gov.cn" / name).is_file()
    for mode, attribute in (("care", "data-care"), ("contrast", "data-scheme"), ("normal", None)):
        found = run_axe(chromium, f"{demo_server}/www.jichuan.gov.cn/{name}?mode={mode}")
        if attribute:
            assert chromium.execute_script(f"return document.documentElement.hasAttribute('{attribute}')"), mode
        assert not found["violations"], (mode, describe_violations(found))
