"""Lifecycle events end to end through the build: notices on the site and its portal, maintenance,
the published-event record."""

import json

import pytest
from lxml import html

from govsite.build import build_group
from conftest import NOTICES, TEMP


def build(group, tmp_path, today, **kwargs):
    results = build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache", reports_dir=None,
                          records_dir=tmp_path / "records",
                          settings={"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": today}, **kwargs)
    return {r.site_id: r for r in results}


def notice_titles(output, domain):
    doc = html.parse(str(output / domain / "notices" / "index.html"))
    return [t.strip() for t in doc.xpath('//ul[@class="item-list"]//a/text()')]


def test_notices_on_the_site_and_its_portal(lifecycle_group, tmp_path):
    results = build(lifecycle_group, tmp_path, "2026-11-25")
    assert all(r.ok for r in results.values()), {k: r.error for k, r in results.items()}
    output = tmp_path / "output"
    dept = notice_titles(output, "jtj.chenghu.gov.cn")
    assert dept == ["关于澄湖市交通运输局临时下线的公告", "关于澄湖市交通运输局正式开通运行的公告"]
    assert "关于澄湖市交通运输局临时下线的公告" in notice_titles(output, "www.chenghu.gov.cn")
    page = output / "jtj.chenghu.gov.cn" / "notices" / "202611" / "temporary-offline-20261201.html"
    doc = html.parse(str(page))
    text = doc.getroot().text_content()
    assert "2026年12月1日至2026年12月10日临时下线，共10天" in text and "澄政办函〔2026〕8号" in text
    assert "澄湖市人民政府（https://www.chenghu.gov.cn/）" in text, "points readers to the same-level portal"
    meta = {m.get("name"): m.get("content") for m in doc.xpath("//meta[@name]")}
    assert meta["PubDate"] == "2026-11-24 09:00" and meta["ColumnType"] == "通知公告"
    home = html.parse(str(output / "jtj.chenghu.gov.cn" / "index.html"))
    assert home.xpath('//section[@class="site-notice"]//a/text()') == ["关于澄湖市交通运输局临时下线的公告"]
    feed = (output / "jtj.chenghu.gov.cn" / "notices" / "atom.xml").read_text("utf-8")
    assert "临时下线的公告" in feed
    assert "temporary-offline-20261201" in (output / "jtj.chenghu.gov.cn" / "sitemap.xml").read_text("utf-8")
    maintenance = html.parse(str(output / "jtj.chenghu.gov.cn" / "maintenance.html")).getroot().text_content()
    assert "网站临时维护" in maintenance


def test_notice_is_not_published_before_its_lead_time(lifecycle_group, tmp_path):
    assert build(lifecycle_group, tmp_path, "2026-11-20")["dept"].ok
    assert notice_titles(tmp_path / "output", "jtj.chenghu.gov.cn") == ["关于澄湖市交通运输局正式开通运行的公告"]


def test_record_keeps_published_events_and_urls(lifecycle_group, tmp_path):
    build(lifecycle_group, tmp_path, "2026-11-25")
    record = json.loads((tmp_path / "records" / "dept.json").read_text("utf-8"))
    assert [e["event"] for e in record["events"]] == ["launch", "temporary_offline"]
    assert "notices/202611/temporary-offline-20261201.html" in record["urls"]


def test_changing_a_published_event_fails_naming_the_change(lifecycle_group, tmp_path):
    assert build(lifecycle_group, tmp_path, "2026-11-25")["dept"].ok
    toml = lifecycle_group.site_toml("dept")
    toml.write_text(toml.read_text("utf-8").replace("end = 2026-12-10", "end = 2026-12-12"), "utf-8")
    result = build(lifecycle_group, tmp_path, "2026-11-26")["dept"]
    assert not result.ok and "end changed from '2026-12-10' to '2026-12-12'" in result.error


def test_info_change_and_domain_change_notices(group, tmp_path):
    group.append("dept", NOTICES)
    group.append("dept", '[[lifecycle]]\nevent = "info_change"\ndate = 2026-11-02\nfield = "name"\n'
                         'old = "澄湖市交通局"\nnew = "澄湖市交通运输局"\nreason = "机构改革"')
    group.append("dept", '[[lifecycle]]\nevent = "domain_change"\ndate = 2026-12-01\nnew_domain = "jt.chenghu.gov.cn"')
    before = build(group, tmp_path, "2026-11-25")
    assert before["dept"].ok and before["dept"].domain == "jtj.chenghu.gov.cn"
    titles = notice_titles(tmp_path / "output", "jtj.chenghu.gov.cn")
    assert titles == ["关于澄湖市交通运输局域名变更的公告", "关于澄湖市交通运输局基本信息变更的公告"]
    after = build(group, tmp_path, "2026-12-02")
    assert after["dept"].ok and after["dept"].domain == "jt.chenghu.gov.cn"
    doc = html.parse(str(tmp_path / "output" / "jt.chenghu.gov.cn" / "index.html"))
    assert {m.get("name"): m.get("content") for m in doc.xpath("//meta[@name]")}["SiteDomain"] == "jt.chenghu.gov.cn"
