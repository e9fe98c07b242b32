"""The compliance plugin in a real Pelican build: masking changes the output, never the source; an error
finding fails the build, keeps the previous output and writes the report."""

import json

from govsite.build import build_group

SETTINGS = {"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": "2026-11-27"}
ARTICLE = ("Title: 困难群众临时救助名单公示\nDate: 2026-11-09 09:00\nCategory: notices\nAuthor: 周敏\nReviewer: 陈立\n"
           "Summary: 公示临时救助对象。联系人电话13812345678。\nAttachments: attachments/list.csv | 名单（CSV）\n\n")


def build(group, tmp_path):
    return build_group(group.root, tmp_path / "output", site_ids=["city"], cache_dir=tmp_path / "cache",
                       reports_dir=tmp_path / "reports", settings=SETTINGS)[0]


def test_masking_in_the_output_only_then_an_id_number_fails_the_build(group, tmp_path):
    source = group.write("city/articles/20261109-jiuzhu.md", ARTICLE + "张某，联系电话 139-0000-1111，单位电话 0991-7654321。\n")
    csv = group.write("city/attachments/list.csv", "姓名,电话\n李某,13700002222\n")
    group.write("city/pages/contact.md", "Title: 联系我们\nSlug: contact\nSummary: 联系方式。\n\n"
                "电话：0991-7654321；值班手机：13600003333\n")
    source_text, csv_text = source.read_text("utf-8"), csv.read_text("utf-8")
    first = build(group, tmp_path)
    assert first.ok, first.error
    site = tmp_path / "output" / "www.chenghu.gov.cn"
    page = (site / "notices" / "202611" / "20261109-jiuzhu.html").read_text("utf-8")
    assert "139****1111" in page and "13900001111" not in page and "139-0000-1111" not in page
    assert "138****5678" in page and "13812345678" not in page, "the summary (meta Description) is masked too"
    assert "0991-7654321" in page, "the site's official number stays"
    assert (site / "attachments" / "list.csv").read_text("utf-8") == "姓名,电话\n李某,137****2222\n"
    contact = (site / "contact.html").read_text("utf-8")
    assert "136****3333" in contact and "13600003333" not in contact, "standalone pages too"
    assert source.read_text("utf-8") == source_text and csv.read_text("utf-8") == csv_text, "sources untouched"
    report = tmp_path / "reports" / "www.chenghu.gov.cn"
    data = json.loads((report / "compliance.json").read_text("utf-8"))
    assert data["passed"] and data["families"]["privacy"]["info"] == 4
    assert (report / "compliance.html").is_file()

    before = (site / "index.html").read_bytes()
    group.write("city/articles/20261110-bad.md", ARTICLE.replace("临时救助名单公示", "低保名单") + "王某 11010519491231002X\n")
    second = build(group, tmp_path)
    assert not second.ok
    assert "publishing compliance FAILED" in second.error and "20261110-bad.md" in second.error
    assert "privacy/id_card" in second.error and "110105********002X" in second.error
    assert "11010519491231002X" not in second.error, "the number itself is not repeated in the log"
    assert "compliance.html" in second.error
    assert (site / "index.html").read_bytes() == before, "the previous output is kept"
    data = json.loads((report / "compliance.json").read_text("utf-8"))
    assert not data["passed"] and any(f["rule"] == "id_card" and f["severity"] == "error" for f in data["findings"])


def test_the_demo_passes_every_rule(built_demo):
    """The demo (built as of 2026-11-27): every site's report passes with no error or warning; policies have
    graphic interpretations; no column is blank or stale."""
    output, results = built_demo
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    for result in results:
        data = json.loads((output.parent / "reports" / result.domain / "compliance.json").read_text("utf-8"))
        assert data["passed"] and not data["single_veto"] and data["as_of"] == "2026-11-27"
        assert data["families"]["links"]["verdict"] == "pass", "the link check is scored in the same report"
        assert {f["rule"] for f in data["findings"] if f["family"] == "links"} <= {"unverifiable"}, \
            "on the group's first build, links to sites built alongside are noted as not yet verifiable"
        assert [f for f in data["findings"] if f["severity"] != "info"] == [], result.site_id
        assert all(c["status"] in ("ok", "no-cycle") for c in data["columns"]), data["columns"]
        assert all(v["share"] == 1.0 for v in data["interpretations"].values()) and data["interpretations"]
