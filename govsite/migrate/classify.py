"""What a legacy page is: an article, a column list, the home page, a standalone page, or other.

Signals, strongest first: this platform's own ``data-page-type``; a meta refresh (a redirect
stub); the site root (unless its content is a dated document: a notice saved alone as
``index.html``); the government content tags (``ArticleTitle``); CMS article URL shapes
(TRS ``tYYYYMMDD_<id>``, Hanweb ``art_<col>_<id>``, 开普云 ``content_<id>``); list-page names
(``index_2.html``, ``list.html``) and many dated links; a date (发布时间 block, PubDate or another
publication-date meta such as ``firstpublishedtime``) over a real body: dated documents are articles.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

KINDS = ("article", "list", "home", "page", "other")

_GOVSITE_TYPES = {"article": "article", "column": "list", "category": "list", "home": "home", "index": "home",
                  "page": "page"}
_ARTICLE_URL = re.compile(r"(?:/t\d{8}_\d+|/art_\d+_\d+|/content_\d+|/art_\d+|/c\d{5,}/content|"
                          r"/(?:detail|show|view|article|info)[_-]?\d+)\.[a-z]+$|/\d{6}/t\d+_\d+\.[a-z]+$", re.I)
_LIST_NAME = re.compile(r"^(?:index|list|default|more|lm|column)(?:_\d+)?$", re.I)
_OTHER_NAME = re.compile(r"^(?:sitemap|wzdt|search|404|error|accessibility|wza|login|rss)(?:[_-].*)?$", re.I)
_ROOT_NAMES = {"", "index", "default", "main", "home"}


@dataclass(frozen=True)
class Signals:
    """What the extractor measured on a page, for classification."""

    path: str                     # URL path relative to the site's base path, e.g. "/xwzx/index.html"
    platform_type: str = ""       # body/@data-page-type on pages built by this platform
    refresh: bool = False         # a meta refresh redirect with little text
    article_title: str = ""       # the ArticleTitle tag
    column_name: str = ""
    site_name: str = ""
    dated_items: int = 0          # list entries (li/tr) holding a link and a date
    body_chars: int = 0           # text length of the best body candidate
    body_link_density: float = 0  # share of the body's text inside links
    has_info_date: bool = False   # a 发布时间/日期 block was found
    has_title: bool = False


def _reads_as_article(s: Signals) -> bool:
    """A document, not a home page: its own ArticleTitle, or a date over a body of text that is not a
    list of dated links (a notice saved alone as ``index.html``)."""
    if s.article_title.strip() and s.article_title.strip() not in (s.column_name.strip(), s.site_name.strip()):
        return True
    return s.has_info_date and s.body_chars >= 200 and s.body_link_density < 0.3 and s.dated_items < 3


def classify(s: Signals) -> tuple[str, str]:
    """``(kind, why)`` for a page."""
    if s.platform_type:
        kind = _GOVSITE_TYPES.get(s.platform_type, "other")
        return kind, f"platform page type {s.platform_type!r}"
    if s.refresh:
        return "other", "a meta-refresh redirect"
    directory, name = posixpath.split(s.path)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if directory in ("/", "") and stem.lower() in _ROOT_NAMES:
        if _reads_as_article(s):
            return "article", "the site root's file is a dated document, not a home page"
        return "home", "the site root"
    if _OTHER_NAME.match(stem):
        return "other", f"a {stem} page"
    title = s.article_title.strip()
    if title and title not in (s.column_name.strip(), s.site_name.strip()):
        return "article", "ArticleTitle tag"
    if _ARTICLE_URL.search(s.path):
        return "article", "CMS article URL"
    if (_LIST_NAME.match(stem) or not name) and (s.dated_items >= 3 or s.column_name):
        return "list", "column list page name with dated items" if s.dated_items >= 3 else "ColumnName tag"
    if s.has_info_date and s.body_chars >= 20 and s.body_link_density < 0.5:
        return "article", "发布时间 block over a body"
    if s.dated_items >= 5 and (s.body_link_density >= 0.5 or s.body_chars < 200):
        return "list", "many dated links"
    if s.has_title and s.body_chars >= 30 and s.body_link_density < 0.5:
        return "page", "a titled page with a body and no date"
    return "other", "no article, list or page signals"
