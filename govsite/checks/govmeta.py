"""Government page metadata tags and footer function-area items, checked with lxml.

The rules come from ``govsite.vocabulary`` (the same definitions the theme renders
from): site tags on every page, column tags with column and article pages, content
tags on article pages; every footer item present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from govsite import identity
from govsite.vocabulary import (
    COLUMN_TAGS, CONTENT_TAGS, FOOTER_ITEMS, OPTIONAL_VALUE_TAGS, PAGE_TYPE_TAGS, PUBDATE_PATTERN, SITE_TAGS,
)

from .html_page import Page

PUBDATE = re.compile(PUBDATE_PATTERN)
#: Footer items whose element may be empty (a badge slot before the badge is issued).
EMPTY_ALLOWED = frozenset({"conac"})


@dataclass(frozen=True)
class Finding:
    """One rule violation on one page."""

    path: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: [{self.rule}] {self.message}"


def page_type_of(page: Page, meta: dict[str, str]) -> str:
    """The page type: the theme's ``data-page-type``, else inferred from the tags present."""
    bodies = page.tags("body")
    declared = bodies[0].get("data-page-type") if bodies else None
    if declared in PAGE_TYPE_TAGS:
        return declared
    if any(tag in meta for tag in CONTENT_TAGS):
        return "article"
    if any(tag in meta for tag in COLUMN_TAGS):
        return "column"
    return "page"


def read_meta(page: Page) -> tuple[dict[str, str], list[str]]:
    """Named meta tags in <head> as a dict, and the names that occur more than once."""
    meta, duplicates = {}, []
    for element in page.tags("meta"):
        name = element.get("name")
        if name is None or not _in_head(element):
            continue
        if name in meta:
            duplicates.append(name)
        meta[name] = (element.get("content") or "").strip()
    return meta, duplicates


def _in_head(element) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.tag == "head":
            return True
        parent = parent.getparent()
    return False


def check_metadata(page: Page) -> list[Finding]:
    """The tags the page type requires are present once each, non-empty and well-formed."""
    path = page.path
    meta, duplicates = read_meta(page)
    page_type = page_type_of(page, meta)
    findings = [Finding(path, "gov-meta-duplicate", f"<meta name={name!r}> appears more than once")
                for name in sorted(set(duplicates)) if name in SITE_TAGS + COLUMN_TAGS + CONTENT_TAGS]
    for tag in PAGE_TYPE_TAGS[page_type]:
        if tag not in meta:
            findings.append(Finding(path, "gov-meta-missing", f"lacks <meta name={tag!r}> (required on {page_type} pages)"))
        elif not meta[tag] and tag not in OPTIONAL_VALUE_TAGS:
            findings.append(Finding(path, "gov-meta-empty", f"<meta name={tag!r}> has no content"))
    if meta.get("SiteIDCode") and identity.check_site_code(meta["SiteIDCode"]):
        findings.append(Finding(path, "gov-meta-format", f"SiteIDCode {meta['SiteIDCode']!r} is not a 10-character code"))
    if meta.get("SiteDomain") and identity.check_domain(meta["SiteDomain"]):
        findings.append(Finding(path, "gov-meta-format", f"SiteDomain {meta['SiteDomain']!r} is not a host name ending in .gov.cn"))
    if meta.get("PubDate") and not PUBDATE.match(meta["PubDate"]):
        findings.append(Finding(path, "gov-meta-format", f"PubDate {meta['PubDate']!r} is not YYYY-MM-DD HH:MM"))
    for tag in ("Url", "Image"):
        if meta.get(tag) and not meta[tag].startswith("https://"):
            findings.append(Finding(path, "gov-meta-format", f"{tag} {meta[tag]!r} is not an absolute https URL"))
    return findings


def check_footer(page: Page) -> list[Finding]:
    """Every footer item is marked (``data-footer-item``) or at least named in the page text."""
    findings = []
    text = None
    for item in FOOTER_ITEMS:
        elements = page.footer_items.get(item.key)
        if elements:
            has_text = any(text.strip() for e in elements for text in e.itertext())
            if not has_text and item.key not in EMPTY_ALLOWED \
                    and not any(e.xpath(".//img[@alt!=''] | .//script") for e in elements):
                findings.append(Finding(page.path, "footer-item-empty", f"footer item {item.label} is empty"))
            continue
        text = text if text is not None else "".join(page.root.itertext())
        if item.label not in text:
            findings.append(Finding(page.path, "footer-item-missing", f"footer lacks {item.label}"))
    return findings


def check_file(file: Path, root: Path | None = None) -> list[Finding]:
    """Run the metadata and footer rules on one HTML file."""
    page = Page.from_file(file, root)
    return check_metadata(page) + check_footer(page)


def check_tree(root: Path) -> list[Finding]:
    """Run the rules on every ``*.html`` file under ``root``."""
    root = Path(root)
    findings = []
    for file in sorted(root.rglob("*.html")):
        findings += check_file(file, root)
    return findings
