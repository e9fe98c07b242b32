"""End to end: a legacy mirror migrated into a temporary content folder builds and passes the gate."""

import json

from govsite.build import build_group
from migrate_helpers import MIRROR, run


def build(content, base):
    """As of a few days after the mirror's newest item (its columns are fresh then)."""
    return build_group(content, base / "output", cache_dir=base / "cache", reports_dir=base / "reports",
                       settings={"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": "2024-05-27"})


def test_migrated_site_builds_after_the_flagged_alt_text_is_supplied(tmp_path):
    content = tmp_path / "content"
    outcome = run(MIRROR, content, tmp_path / "migrate-reports")
    assert outcome.data["site"]["draft"]["problems"] == []
    draft = (content / "fenglan/site.toml").read_text("utf-8")
    assert '[compliance]' in draft and 'warn_only = ["review", "deadlines", "interpretations"]' in draft, \
        "imported articles (no Reviewer, no Issued) are warnings until an editor has checked them"
    flagged = [p for p in outcome.data["pages"] if p["images_missing_alt"]]
    assert [p["source_path"] for p in flagged] == ["zwgk/zcwj/content_4001.html"]

    # the missing text alternative is not invented, and the old site's dead link is kept: one build
    # reports both (the link check and the gate), and the site stays out until an editor fixes them
    first = build(content, tmp_path)
    assert [r.ok for r in first] == [False]
    assert "P0404-missing.html" in first[0].error and "image-alt" in first[0].error
    report = json.loads((tmp_path / "reports/www.fenglan.gov.cn/report.json").read_text("utf-8"))
    assert {f["rule"] for f in report["findings"] if f["status"] == "fail"} == {"image-alt"}

    article = content / "fenglan/articles/zcwj/20240520-4001.md"
    text = article.read_text("utf-8")
    text = text.replace('<img src="{static}/images/zwgk/zcwj/images/gaizao-liucheng.png">',
                        "![老旧小区改造流程图]({static}/images/zwgk/zcwj/images/gaizao-liucheng.png)")
    article.write_text(text.replace("(http://www.fenglan.gov.cn/zwgk/zcwj/P0404-missing.html)", "(../index.html)"),
                       "utf-8")
    second = build(content, tmp_path)
    assert [(r.ok, r.error) for r in second] == [(True, "")]
    site = tmp_path / "output/www.fenglan.gov.cn"
    page = (site / "gzdt/202403/20240305-1001.html").read_text("utf-8")
    assert '<meta name="ArticleTitle" content="枫岚市召开2024年一季度经济运行分析会">' in page
    assert '<meta name="PubDate" content="2024-03-05 10:30">' in page
    assert 'src="../../images/xwzx/gzdt/202403/W020240305123.png"' in page
    assert 'href="../../attachments/xwzx/gzdt/202403/P020240305456.pdf"' in page
    linked = (site / "zcwj/202405/20240520-4001.html").read_text("utf-8")
    assert 'href="../../gzdt/202403/20240305-1001.html"' in linked          # {filename} link resolved
    for path in ("tzgg/202404/20240408-3001.html", "bmdt/202405/20240510-notice.html", "about.html",
                 "contact.html", "gzdt/index.html"):
        assert (site / path).is_file(), path
