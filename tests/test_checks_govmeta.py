"""The metadata and footer rules (checks/govmeta.py) on hand-written pages, and its CLI."""

import subprocess
import sys

from pathlib import Path

from govsite.checks.govmeta import check_footer, check_metadata
from govsite.checks.html_page import Page
from govsite.vocabulary import FOOTER_ITEMS

SITE = ('<meta name="SiteName" content="澄湖市人民政府"><meta name="SiteDomain" content="www.chenghu.gov.cn">'
        '<meta name="SiteIDCode" content="9902000001">')
COLUMN = ('<meta name="ColumnName" content="要闻"><meta name="ColumnDescription" content="d">'
          '<meta name="ColumnKeywords" content="k"><meta name="ColumnType" content="要闻动态">')
ROOT = Path(__file__).parent.parent
FOOTER = "".join(f'<span data-footer-item="{i.key}">{i.label}</span>' for i in FOOTER_ITEMS)


def page(head, body="", page_type=None):
    attr = f' data-page-type="{page_type}"' if page_type else ""
    return Page("p", f"<html><head>{head}</head><body{attr}>{body}</body></html>".encode())


def rules(findings):
    return sorted(f.rule for f in findings)


def test_complete_page_passes():
    assert check_metadata(page(SITE, page_type="home")) == []
    assert check_footer(page(SITE, FOOTER)) == []


def test_missing_and_empty_site_tags():
    doc = page('<meta name="SiteName" content=""><meta name="SiteIDCode" content="9902000001">', page_type="home")
    findings = check_metadata(doc)
    assert rules(findings) == ["gov-meta-empty", "gov-meta-missing"]
    assert "SiteDomain" in str(findings[1]) or "SiteDomain" in str(findings[0])


def test_declared_column_page_needs_column_tags():
    findings = check_metadata(page(SITE, page_type="column"))
    assert rules(findings) == ["gov-meta-missing"] * 4


def test_inferred_article_needs_all_content_tags():
    findings = check_metadata(page(SITE + COLUMN + '<meta name="ArticleTitle" content="t">'))
    assert len(findings) == 7 and all(f.rule == "gov-meta-missing" for f in findings)


def test_badly_formed_values():
    head = (SITE.replace("9902000001", "28").replace("www.chenghu.gov.cn", "www.example.com") + COLUMN
            + '<meta name="ArticleTitle" content="t"><meta name="PubDate" content="2026/11/01">'
            + "".join(f'<meta name="{t}" content="x">' for t in ("ContentSource", "Keywords", "Author", "Description"))
            + '<meta name="Image" content=""><meta name="Url" content="/a.html">')
    findings = check_metadata(page(head))
    assert rules(findings) == ["gov-meta-format"] * 4


def test_duplicate_tag():
    assert rules(check_metadata(page(SITE + SITE[:60], page_type="home"))) == ["gov-meta-duplicate"]


def test_footer_items_missing_empty_or_named_in_text():
    assert len(check_footer(page(SITE))) == len(FOOTER_ITEMS)
    empty = FOOTER.replace(">网站标识码<", "><")
    assert rules(check_footer(page(SITE, empty))) == ["footer-item-empty"]
    legacy = "<footer>" + " ".join(i.label for i in FOOTER_ITEMS) + "</footer>"
    assert check_footer(page(SITE, legacy)) == [], "a legacy page naming each item in text passes"


def test_cli_exit_codes(tmp_path, built_fixture):
    cli = [sys.executable, "-m", "govsite.checks", "--engine", "static"]
    good = subprocess.run(cli + [str(built_fixture)], capture_output=True, text=True, cwd=ROOT)
    assert good.returncode == 0, good.stdout
    (tmp_path / "bad.html").write_text("<html><head><title>x</title></head><body></body></html>")
    bad = subprocess.run(cli + [str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1 and "bad.html: gov-meta (serious) [gov-meta-missing]" in bad.stdout
    missing = subprocess.run(cli + [str(tmp_path / "nope")], capture_output=True, text=True, cwd=ROOT)
    assert missing.returncode == 2 and "no such file" in missing.stderr
