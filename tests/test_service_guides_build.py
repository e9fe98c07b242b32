"""The service_guides stage built for real (Pelican, the fixture group), its output read back with lxml:
guide pages, the site's 政务服务事项目录, the portal's group catalogue, the column link, the compliance
report's 办事指南 family, and a bad guide failing the build with its file and element named."""

from __future__ import annotations

import json

from lxml import etree, html

from govsite.build import build_group
from govsite.checks.govmeta import check_tree

from test_service_guides import GUIDE, replace

SERVICE_COLUMN = '[[columns]]\nslug = "bsfw"\nname = "办事服务"\ntype = "办事服务"\ndescription = "办事指南。"'
SERVICE_ARTICLE = ("Title: 便民服务指引\nDate: 2026-11-05 09:00\nCategory: bsfw\nAuthor: 周敏\nReviewer: 陈立\n"
                   "Summary: 便民服务。\n\n正文。")
HOSTILE = "<script>alert(1)</script>&amp;"
ELEMENTS = ["事项名称", "事项编码", "可办理程度", "办理依据", "受理条件", "申请材料", "办理流程", "办理时限", "收费标准",
            "办理地点", "办理时间", "咨询电话", "监督投诉电话", "在线办理入口", "更新日期"]


def build(group, tmp_path):
    results = build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache",
                          reports_dir=tmp_path / "reports", settings={"GOVSITE_A11Y": {"engine": "static"}})
    return {r.site_id: r for r in results}


def texts(nodes) -> list[str]:
    return [" ".join(node.text_content().split()) for node in nodes]


def test_guides_catalogues_and_the_cross_site_finding_in_the_built_group(group, tmp_path):
    group.append("city", SERVICE_COLUMN)
    group.write("city/articles/20261105-bianmin.md", SERVICE_ARTICLE)
    hostile = GUIDE.replace('name = "机动车停车场备案"', f'name = "停车场备案{HOSTILE}"')
    hostile = hostile.replace('notes = "标明车位"', f'notes = "{HOSTILE}"')
    group.write("city/guides/tingche.toml", hostile)
    group.write("city/guides/jiedao.toml", replace(replace(replace(GUIDE, "code", 'code = "99020000QT0009"'),
                                                           "online_url", None), "level", 'level = "线下办理"'))
    group.write("dept/guides/tingche.toml", replace(GUIDE, "promised_days", "promised_days = 7"))
    results = build(group, tmp_path)
    assert results["city"].ok and results["dept"].ok, (results["city"].error, results["dept"].error)
    city, dept = tmp_path / "output" / "www.chenghu.gov.cn", tmp_path / "output" / "jtj.chenghu.gov.cn"

    page = html.parse(str(city / "guides" / "tingche.html"))
    main = page.xpath("//main")[0]
    assert texts(main.xpath(".//h1")) == [f"停车场备案{HOSTILE}"]  # markup in a value stays text
    assert not main.xpath(".//script") and not page.xpath("//script[contains(., 'alert')]")
    assert texts(main.xpath('.//table[@class="guide-elements"]//th[@scope="row"]')) == ELEMENTS
    cells = dict(zip(ELEMENTS, texts(main.xpath('.//table[@class="guide-elements"]//td'))))
    assert cells["办理时限"] == "法定办结时限：10个工作日承诺办结时限：3个工作日"
    assert cells["收费标准"] == "不收费" and cells["更新日期"] == "2026-11-01"
    assert main.xpath('.//a[@href="https://zwfw.chenghu.gov.cn/tingche"]')
    assert main.xpath('.//a[@href="tel:0991-7654399"]')
    materials = main.xpath('.//table[@class="guide-materials"]/tbody/tr')
    assert [texts(row.xpath("./*")) for row in materials] == [
        ["1", "备案申请表", "原件", "1", "—", "—"], ["2", "场地平面图", "电子件", "2", "申请人自备", HOSTILE]]
    assert page.xpath('//table[@class="guide-materials"]//th[@scope="col"]')
    trail = page.xpath('//nav[@class="breadcrumbs container"]//a/@href')
    assert trail == ["../index.html", "../bsfw/index.html", "../guides/index.html"]
    assert page.xpath('//meta[@name="SiteIDCode"]/@content') == ["9902000001"]
    offline = html.parse(str(city / "guides" / "jiedao.html"))
    assert "无（仅线下办理）" in texts(offline.xpath('//table[@class="guide-elements"]//td'))

    catalogue = html.parse(str(city / "guides" / "index.html"))
    rows = [texts(r.xpath("./*")) for r in catalogue.xpath('//table[@class="guide-catalogue"]/tbody/tr')]
    assert rows == [["停车场备案" + HOSTILE, "99020000QT0001", "全程网办", "承诺3个工作日（法定10个工作日）", "不收费"],
                    ["机动车停车场备案", "99020000QT0009", "线下办理", "承诺3个工作日（法定10个工作日）", "不收费"]]
    for href in catalogue.xpath('//table[@class="guide-catalogue"]//a/@href'):
        assert (city / "guides" / href).is_file(), href

    assert "../guides/atom.xml" in catalogue.xpath('//link[@rel="alternate"]/@href')
    assert catalogue.xpath('//p[@class="feed-link"]/a/@href') == ["../guides/atom.xml"]
    feed = etree.parse(str(city / "guides" / "atom.xml"))
    atom = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.xpath("/a:feed/a:title/text()", namespaces=atom) == ["澄湖市人民政府 - 办事指南"]
    entries = [(e.findtext("a:title", namespaces=atom), e.find("a:link", atom).get("href"))
               for e in feed.xpath("//a:entry", namespaces=atom)]
    assert sorted(entries) == [("停车场备案" + HOSTILE, "https://www.chenghu.gov.cn/guides/tingche.html"),
                               ("机动车停车场备案", "https://www.chenghu.gov.cn/guides/jiedao.html")]

    whole = html.parse(str(city / "guides" / "group.html"))
    rows = [texts(r.xpath("./*"))[:3] for r in whole.xpath('//table[@class="guide-catalogue"]/tbody/tr')]
    assert rows == [["澄湖市人民政府", "停车场备案" + HOSTILE, "99020000QT0001"],
                    ["澄湖市人民政府", "机动车停车场备案", "99020000QT0009"],
                    ["澄湖市交通运输局", "机动车停车场备案", "99020000QT0001"]]
    assert whole.xpath('//a/@href[.="https://jtj.chenghu.gov.cn/guides/tingche.html"]')
    assert (dept / "guides" / "tingche.html").is_file() and (dept / "guides" / "index.html").is_file()
    assert not (dept / "guides" / "group.html").exists()

    column = html.parse(str(city / "bsfw" / "index.html"))
    assert column.xpath('//ul[@class="guide-links"]//a/@href') == ["../guides/index.html", "../guides/group.html"]
    sitemap = (city / "sitemap.html").read_text("utf-8")
    assert "guides/index.html" in sitemap and "guides/tingche.html" not in sitemap
    assert "https://www.chenghu.gov.cn/guides/tingche.html" in (city / "sitemap.xml").read_text("utf-8")
    assert check_tree(tmp_path / "output") == []  # every page carries the metadata tags and footer items

    for domain, site in (("www.chenghu.gov.cn", "city"), ("jtj.chenghu.gov.cn", "dept")):
        report = json.loads((tmp_path / "reports" / domain / "compliance.json").read_text("utf-8"))
        assert report["families"]["guides"]["warning"] == 1 and report["passed"], domain
        (finding,) = [f for f in report["findings"] if f["family"] == "guides"]
        assert finding["rule"] == "guide-time-limit-differs" and finding["file"].endswith(f"{site}/guides/tingche.toml")
        assert any("guide-time-limit-differs" in w for w in results[site].warnings)


def test_a_guide_missing_an_element_fails_its_site_naming_the_file_and_the_element(group, tmp_path):
    group.write("city/guides/tingche.toml", replace(GUIDE, "complaint_phone", None))
    group.write("dept/guides/tingche.toml", GUIDE)
    results = build(group, tmp_path)
    assert not results["city"].ok
    assert "guides/tingche.toml: complaint_phone = (missing)" in results["city"].error
    assert "监督投诉电话 (complaint_phone)" in results["city"].error
    assert results["dept"].ok, results["dept"].error  # the portal's bad guide is left out of the comparison


def test_the_demo_publishes_guides_on_three_sites_and_the_portals_group_catalogue(built_demo):
    output, results = built_demo
    assert all(r.ok for r in results)
    portal = output / "www.jichuan.gov.cn"
    whole = html.parse(str(portal / "guides" / "group.html"))
    rows = [texts(r.xpath("./*"))[:3] for r in whole.xpath('//table[@class="guide-catalogue"]/tbody/tr')]
    assert len(rows) == 6 and {r[0] for r in rows} == {"霁川市人民政府", "霁川市教育局", "霁川市生态环境局"}
    assert [r[2] for r in rows].count("99010000XK0101") == 2  # one item on two sites, consistently
    with_catalogue = sorted(p.parent.parent.name for p in output.glob("*/guides/index.html"))
    assert len(with_catalogue) == 3 and "wjw.jichuan.gov.cn" not in with_catalogue  # 卫健委 has no guides


def test_a_column_with_the_guides_folder_as_slug_is_an_output_path_collision(group, tmp_path):
    group.append("dept", '[[columns]]\nslug = "guides"\nname = "办事服务"\ntype = "办事服务"\ndescription = "办事。"')
    group.write("dept/articles/20261105-bianmin.md", SERVICE_ARTICLE.replace("bsfw", "guides"))
    group.write("dept/guides/tingche.toml", GUIDE)
    results = {r.site_id: r for r in build_group(group.root, tmp_path / "output", site_ids=["dept"],
                                                 cache_dir=tmp_path / "cache", reports_dir=tmp_path / "reports",
                                                 settings={"GOVSITE_A11Y": {"engine": "static"}})}
    assert not results["dept"].ok
    assert "guides/index.html is also" in results["dept"].error and "column guides" in results["dept"].error
