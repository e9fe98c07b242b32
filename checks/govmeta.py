"""Government page metadata tags and footer function-area items, checked with lxml.

The rules come from ``govsite.vocabulary`` (the same definitions the theme renders
from): site tags on every page, column tags with column and article pages, content
tags on article pages; every footer item present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from govsite import identity
from govsite.vocabulary import (
    COLUMN_TAGS, CONTENT_TAGS, FOOTER_ITEMS, OPTIONAL_VALUE_TAGS, PAGE_TYPE_TAGS, PUBDATE_PATTERN, SITE_TAGS,
)

PUBDATE = re.compile(PUBDATE_PATTERN)
_FOOTER_MARKED = etree.XPath("//*[@data-footer-item]")
_NAMED_META = etree.XPath("//head//meta[@name]")
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


def page_type_of(doc, meta: dict[str, str]) -> str:
    """The page type: the theme's ``data-page-type``, else inferred from the tags present."""
    declared = doc.xpath("string(//body/@data-page-type)")
    if declared in PAGE_TYPE_TAGS:
        return declared
    if any(tag in meta for tag in CONTENT_TAGS):
        return "article"
    if any(tag in meta for tag in COLUMN_TAGS):
        return "column"
    return "page"


def read_meta(doc) -> tuple[dict[str, str], list[str]]:
    """Named meta tags as a dict, and the names that occur more than once."""
    meta, duplicates = {}, []
    for element in _NAMED_META(doc):
        name = element.get("name")
        if name in meta:
            duplicates.append(name)
        meta[name] = (element.get("content") or "").strip()
    return meta, duplicates


def check_metadata(path: str, doc) -> list[Finding]:
    """The tags the page type requires are present once each, non-empty and well-formed."""
    meta, duplicates = read_meta(doc)
    page_type = page_type_of(doc, meta)
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


def check_footer(path: str, doc) -> list[Finding]:
    """Every footer item is marked (``data-footer-item``) or at least named in the page text."""
    findings = []
    text = None
    marked: dict[str, list] = {}
    for element in _FOOTER_MARKED(doc):
        marked.setdefault(element.get("data-footer-item"), []).append(element)
    for item in FOOTER_ITEMS:
        elements = marked.get(item.key)
        if elements:
            has_text = any(text.strip() for e in elements for text in e.itertext())
            if not has_text and item.key not in EMPTY_ALLOWED \
                    and not any(e.xpath(".//img[@alt!=''] | .//script") for e in elements):
                findings.append(Finding(path, "footer-item-empty", f"footer item {item.label} is empty"))
            continue
        text = text if text is not None else "".join(doc.itertext())
        if item.label not in text:
            findings.append(Finding(path, "footer-item-missing", f"footer lacks {item.label}"))
    return findings


def check_file(file: Path, root: Path | None = None) -> list[Finding]:
    """Run the metadata and footer rules on one HTML file."""
    name = str(file.relative_to(root)) if root else str(file)
    doc = lxml_html.fromstring(file.read_bytes())
    return check_metadata(name, doc) + check_footer(name, doc)


def check_tree(root: Path) -> list[Finding]:
    """Run the rules on every ``*.html`` file under ``root``."""
    root = Path(root)
    findings = []
    for file in sorted(root.rglob("*.html")):
        findings += check_file(file, root)
    return findings
