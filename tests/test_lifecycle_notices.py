"""A published notice is a public record: built on the day before, the day of, and 30 and 400 days
after each lifecycle event, every notice page, column list, home banner and Atom feed entry says the
same true thing (the facts of the notice's own day), with the record pinning it and without."""

import re
from datetime import date, timedelta

import pytest
from lxml import etree, html

from govsite.build import build_group
from conftest import NOTICES

#: The department's life: launched as 澄湖市交通局, renamed, a maintenance, a new domain, then closed.
EVENTS = (
    '[[lifecycle]]\nevent = "launch"\ndate = 2026-01-10',
    '[[lifecycle]]\nevent = "info_change"\ndate = 2026-02-01\nfield = "name"\nold = "澄湖市交通局"\n'
    'new = "澄湖市交通运输局"\nreason = "机构改革"',
    '[[lifecycle]]\nevent = "temporary_offline"\nstart = 2026-03-02\nend = 2026-03-05\nreason = "机房搬迁"\n'
    'approval = "澄政办函〔2026〕8号"',
    '[[lifecycle]]\nevent = "domain_change"\ndate = 2026-04-01\nnew_domain = "jt.chenghu.gov.cn"',
    '[[lifecycle]]\nevent = "permanent_offline"\ndate = 2026-06-01\nreason = "机构职能调整"\n'
    'approval = "澄政办函〔2026〕20号"\ndestination = "city"',
)
EVENT_DAYS = (date(2026, 1, 10), date(2026, 2, 1), date(2026, 3, 2), date(2026, 4, 1), date(2026, 6, 1))
#: The day before, the day of, 30 and 400 days after each event.
BUILD_DAYS = sorted({d + timedelta(days=n) for d in EVENT_DAYS for n in (-1, 0, 30, 400)})
#: What each notice must say, whatever the build day: (slug, title, phrases of its body, PubDate).
TRUE = {
    "launch-20260110": ("关于澄湖市交通局正式开通运行的公告",
                        ["澄湖市交通局（https://jtj.chenghu.gov.cn/）于2026年1月10日正式开通运行"], "2026-01-10 09:00"),
    "info-change-20260201": ("关于澄湖市交通运输局基本信息变更的公告",
                             ["因机构改革，自2026年2月1日起，澄湖市交通运输局的网站名称由“澄湖市交通局”变更为“澄湖市交通运输局”"],
                             "2026-02-01 09:00"),
    "temporary-offline-20260302": ("关于澄湖市交通运输局临时下线的公告",
                                   ["澄湖市交通运输局（https://jtj.chenghu.gov.cn/）将于2026年3月2日至2026年3月5日临时下线，共4天",
                                    "澄湖市人民政府（https://www.chenghu.gov.cn/）"], "2026-02-23 09:00"),
    "domain-change-20260401": ("关于澄湖市交通运输局域名变更的公告",
                               ["自2026年4月1日起，澄湖市交通运输局的域名由 jtj.chenghu.gov.cn 变更为 jt.chenghu.gov.cn"],
                               "2026-03-25 09:00"),
    "permanent-offline-20260601": ("关于澄湖市交通运输局永久下线的公告",
                                   ["澄湖市交通运输局（https://jt.chenghu.gov.cn/）自2026年6月1日起永久下线",
                                    "原网站内容已整合迁移至澄湖市人民政府（https://www.chenghu.gov.cn/）"], "2026-06-01 09:00"),
}
PORTAL = "www.chenghu.gov.cn"
FEED = "{http://www.w3.org/2005/Atom}"
LIFECYCLE_SLUG = re.compile(r"(launch|info-change|temporary-offline|permanent-offline|domain-change)-\d{8}")


@pytest.fixture
def department_life(group):
    group.append("dept", NOTICES)
    for event in EVENTS:
        group.append("dept", event)
    return group


def build_on(group, tmp_path, day: date, records):
    """Build the group as of ``day`` into a fresh output; return {site id: result}."""
    base = tmp_path / day.isoformat()
    settings = {"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_SEARCH": {"enabled": False},
                "GOVSITE_TODAY": day.isoformat()}
    results = build_group(group.root, base / "output", cache_dir=base / "cache", reports_dir=None,
                          records_dir=records, settings=settings)
    assert all(r.ok for r in results), {r.site_id: r.error for r in results}
    return base / "output", {r.site_id: r for r in results}


def notice_pages(folder, prefix=""):
    """{slug: (title, body text, PubDate)} of every notice page under ``folder/notices``."""
    found = {}
    for page in sorted((folder / "notices").glob("2*/*.html")):
        doc = html.parse(str(page))
        article = doc.xpath('//article[@class="article"]')
        if not article:
            continue  # a redirect page (the site is closed and its pages moved)
        slug = page.stem.removeprefix(prefix)
        body = article[0].xpath('.//div[@class="article-body"]')[0].text_content().strip()
        meta = {m.get("name"): m.get("content") for m in doc.xpath("//meta[@name]")}
        found[slug] = (article[0].xpath(".//h1")[0].text_content().strip(), body, meta["PubDate"])
    return found


def feed_entries(folder, prefix=""):
    """{slug: (title, content text, published)} of the notices column's Atom feed."""
    feed = folder / "notices" / "atom.xml"
    if not feed.is_file():
        return {}
    found = {}
    for entry in etree.parse(str(feed)).getroot().iter(FEED + "entry"):
        link = entry.find(FEED + "link").get("href")
        slug = link.rsplit("/", 1)[-1].removesuffix(".html").removeprefix(prefix)
        content = entry.find(FEED + "content")
        text = html.fromstring(content.text).text_content().strip() if content is not None else ""
        found[slug] = (entry.findtext(FEED + "title"), text, entry.findtext(FEED + "published"))
    return found


def list_titles(folder):
    """{title} of the notices column's list and {title} of the home page's 重要公告 banner."""
    column = html.parse(str(folder / "notices" / "index.html"))
    home = html.parse(str(folder / "index.html"))
    return ({t.strip() for t in column.xpath('//ul[@class="item-list"]//a/text()')},
            {t.strip() for t in home.xpath('//section[@class="site-notice"]//a/text()')})


def everything_said(output, results):
    """Every notice as the department and the portal publish it, page by page, entry by entry."""
    said = {}
    dept = output / results["dept"].domain
    for where, folder, prefix in (("dept", dept, ""), ("portal", output / PORTAL, "dept-")):
        if not (folder / "notices").is_dir():
            continue
        for kind, found in (("page", notice_pages(folder, prefix)), ("feed", feed_entries(folder, prefix))):
            for slug, fact in found.items():
                if LIFECYCLE_SLUG.fullmatch(slug):
                    said.setdefault(slug, {})[f"{where} {kind}"] = fact
        listed, banner = list_titles(folder)
        said.setdefault("(titles)", {}).setdefault(where, set()).update(listed | banner)
    return said


def check_true(day, said):
    """Each notice says what it said when first published, in every place it appears."""
    for slug, (title, phrases, pubdate) in TRUE.items():
        for where, (shown, body, when) in said.get(slug, {}).items():
            assert shown == title, (day, where, slug, shown)
            for phrase in phrases:
                assert phrase in body or "feed" in where and not body, (day, where, slug, body)
            if "page" in where:
                assert when == pubdate, (day, where, slug, when)
            else:
                assert when.startswith(pubdate.replace(" ", "T")), (day, where, slug, when)
    titles = {t for titles in said.get("(titles)", {}).values() for t in titles}
    about_dept = [t for t in titles if t.startswith("关于澄湖市交通")]
    assert set(about_dept) <= {v[0] for v in TRUE.values()}, (day, titles)


def test_notices_say_the_same_true_thing_on_every_build_day(department_life, tmp_path):
    records = tmp_path / "records"
    first_seen, history = {}, {}
    for day in BUILD_DAYS:
        output, results = build_on(department_life, tmp_path, day, records)
        said = everything_said(output, results)
        check_true(day, said)
        for slug, places in said.items():
            if slug == "(titles)":
                continue
            history.setdefault(slug, []).append(day)
            for where, fact in places.items():
                assert first_seen.setdefault((slug, where), fact) == fact, (day, slug, where)
        if day >= date(2026, 4, 1):  # the portal's 网站地图 links the department's current domain
            sitemap = html.parse(str(output / PORTAL / "sitemap.html"))
            links = sitemap.xpath('//section[@aria-labelledby="sitemap-group"]//a/@href')
            assert "https://jt.chenghu.gov.cn/" in links and "https://jtj.chenghu.gov.cn/" not in links, links
    # each notice was published from its notice day on, and found on every later build day
    for slug, (_, _, pubdate) in TRUE.items():
        published = date.fromisoformat(pubdate[:10])
        assert history[slug] == [d for d in BUILD_DAYS if d >= published][:len(history[slug])], slug
        assert history[slug][0] == min(d for d in BUILD_DAYS if d >= published), slug
    assert ("permanent-offline-20260601", "portal page") in first_seen
    assert ("launch-20260110", "portal feed") in first_seen


@pytest.mark.parametrize("day", [date(2026, 3, 31), date(2027, 7, 6)])
def test_without_a_record_the_notices_are_the_same(department_life, tmp_path, day):
    """A fresh record (a rehearsal on a new machine) words every notice as its first publication did."""
    output, results = build_on(department_life, tmp_path, day, None)
    said = everything_said(output, results)
    check_true(day, said)
    assert {s for s in said if s != "(titles)"} == {s for s, v in TRUE.items() if date.fromisoformat(v[2][:10]) <= day}
