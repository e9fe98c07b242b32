"""The demo site group (content/): valid, builds with no warnings, complete and fictional."""

from pathlib import Path

from lxml import html

from govsite.checks.govmeta import check_tree
from govsite.registry import load_group
from govsite.vocabulary import COLUMN_TYPES

DEMO = Path(__file__).parent.parent / "content"


def test_demo_builds_every_site_with_no_warnings(built_demo):
    output, results = built_demo
    assert [r.site_id for r in results] == ["ecology", "education", "health", "portal"]
    for result in results:
        assert result.ok, result.error
        assert result.warnings == [], result.warnings
    assert sorted(p.name for p in output.iterdir() if not p.name.startswith(".")) == [
        "jyj.jichuan.gov.cn", "sthjj.jichuan.gov.cn", "wjw.jichuan.gov.cn", "www.jichuan.gov.cn"]


def test_every_demo_page_carries_the_tags_and_footer_items(built_demo):
    output, _ = built_demo
    pages = list(output.rglob("*.html"))
    assert len(pages) > 100
    assert check_tree(output) == []


def test_demo_is_a_portal_and_at_least_three_departments():
    group = load_group(DEMO)
    kinds = [site.kind for site in group]
    assert kinds.count("portal") == 1 and kinds.count("department") >= 3


def test_demo_has_about_sixty_articles_across_all_column_types():
    group = load_group(DEMO)
    articles = list(DEMO.glob("*/articles/**/*.md"))
    assert 55 <= len(articles) <= 80
    used_types = {column.type for site in group for column in site.columns}
    assert set(COLUMN_TYPES[:10]) <= used_types
    for site in group:
        for column in site.columns:
            assert any(site.folder.joinpath("articles", column.slug).glob("*.md")), f"{site.id}/{column.slug} is blank"


def test_demo_has_images_with_alt_and_attachments(built_demo):
    output, _ = built_demo
    attachments = [p.suffix for p in output.glob("*/attachments/*")]
    assert ".pdf" in attachments and ".docx" in attachments
    lead_images = 0
    for page in output.glob("*/*/*/*.html"):
        doc = html.parse(str(page))
        for img in doc.xpath("//main//img"):
            assert (img.get("alt") or "").strip(), f"{page}: image without alt"
        lead_images += len(doc.xpath('//figure[@class="lead-image"]'))
    assert lead_images >= 8


def test_demo_uses_only_fictional_identities():
    group = load_group(DEMO)
    for site in group:
        assert site.domain.endswith("jichuan.gov.cn") and site.name.startswith("霁川市")
        assert site.site_code.startswith("99"), "division code 99xxxx is not assigned to any real region"
        assert site.police_record_code.startswith("99")


def test_demo_lifecycle_notices(built_demo):
    output, _ = built_demo

    def titles(domain):
        doc = html.parse(str(output / domain / "tzgg" / "index.html"))
        return [t.strip() for t in doc.xpath('//ul[@class="item-list"]//a/text()')]

    portal = titles("www.jichuan.gov.cn")
    for expected in ("关于霁川市人民政府正式开通运行的公告", "关于霁川市教育局正式开通运行的公告",
                     "关于霁川市卫生健康委员会临时下线的公告", "关于霁川市生态环境局域名变更的公告"):
        assert expected in portal, expected
    assert "关于霁川市教育局基本信息变更的公告" in titles("jyj.jichuan.gov.cn")
    assert "关于霁川市卫生健康委员会临时下线的公告" in titles("wjw.jichuan.gov.cn")
    assert "关于霁川市生态环境局域名变更的公告" in titles("sthjj.jichuan.gov.cn")
    assert (output / ".deploy" / "wjw.jichuan.gov.cn" / "nginx.conf").is_file()
