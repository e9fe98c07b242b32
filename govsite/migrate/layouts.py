"""Page layouts of the CMSs government sites run on, and of this platform itself.

Each layout knows how to recognise its pages (markers in the markup, URL shapes) and where the
title, the info block (发布时间/来源), the body and the attachment list sit. Markers are those seen
in real page markup (standards.md §5): 拓尔思 TRS (``TRS_Editor``, ``trs_``, ``/tYYYYMMDD_<id>.html``),
大汉 Hanweb (``<!--ZJEG_RSS.content.begin-->``, "大汉网络", ``/art/YYYY/M/D/art_<col>_<id>.html``),
开普云 Ucap (``UCAP-CONTENT``, ``<UCAPCONTENT>``, ``com.ucap``, ``kaipuyun``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import parsing


@dataclass(frozen=True)
class Layout:
    """Where a CMS puts things: XPath lists tried in order (the first match with text wins)."""

    name: str
    label: str
    markers: tuple[str, ...] = ()          # substrings of the raw HTML (case-insensitive)
    url_shapes: tuple[str, ...] = ()       # regexes on the URL path
    title: tuple[str, ...] = ()
    info: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()      # attachment lists outside the body
    lead_image: tuple[str, ...] = ()
    breadcrumbs: tuple[str, ...] = ()
    list_items: tuple[str, ...] = ()       # links of a column list page

    def matches(self, markup: LoweredMarkup, path: str) -> bool:
        return any(m in markup for m in self.markers) or any(re.search(p, path) for p in self.url_shapes)


class LoweredMarkup:
    """Marker tests on ``text.lower()`` without lowering every character (``str.lower`` on 200,000
    characters of Chinese markup costs more than parsing it). An ASCII marker is looked up in the
    ASCII bytes of the text, lowered, with every other character as ``?``; a marker of Chinese
    characters in the text itself. Exact: only U+0130 and U+212A lower to ASCII and only U+0130 lowers
    to two characters (a page holding either is lowered in full), no character lowers to a Chinese one
    or from one (tested), and a marker with ``?`` or other characters is read in the full lowering."""

    def __init__(self, text: str):
        self._text = text
        self._lower = text.lower() if "\u0130" in text or "\u212a" in text else None
        self._ascii = text.encode("ascii", "replace").lower() if self._lower is None else b""

    def __contains__(self, marker: str) -> bool:
        if self._lower is None:
            if marker.isascii() and "?" not in marker:
                return marker.encode("ascii") in self._ascii
            if all("\u4e00" <= c <= "\u9fff" for c in marker):
                return marker in self._text
            self._lower = self._text.lower()
        return marker in self._lower


#: The cheap ``contains(@class, name)`` first: most elements fail it, and then the token test (which
#: builds strings) is skipped; an element with the class token always contains the name.
_CLASS = "(contains(@class, '{0}') and contains(concat(' ', normalize-space(@class), ' '), ' {0} '))"


def has_class(name: str) -> str:
    """XPath predicate: the element has this class."""
    return _CLASS.format(name)


_TERMS = (  # the predicate terms fast_xpath can prefilter: (regex, attribute)
    (re.compile(re.escape(_CLASS).replace(re.escape("{0}"), "([^']+)")), "class"),
    (re.compile(r"contains\(@(class|id),\s*'([^']+)'\)"), None),
    (re.compile(r"@(id)='([^']+)'"), None),
)


def fast_xpath(expression: str) -> str:
    """The same selection as ``//*[t1 or t2 ...]rest`` when every term tests @class or @id (has_class,
    ``contains(@class|@id, 'x')``, ``@id='x'``), evaluated faster: only the parents of matching
    attributes are tested (``(//@class[contains(., 'x')]/parent::* | ...)[t1 or t2 ...]rest``)
    instead of every element of the page. Any other expression is returned unchanged."""
    match = re.fullmatch(r"//\*\[([^\]]+)\](.*)", expression, re.S)
    if not match:
        return expression
    candidates = {"class": [], "id": []}
    for term in match.group(1).split(" or "):
        for pattern, attribute in _TERMS:
            found = pattern.fullmatch(term.strip())
            if found:
                name, value = (attribute, found.group(1)) if attribute else found.groups()
                candidates[name].append(f"contains(., '{value}')")
                break
        else:
            return expression
    parts = [f"//@{name}[{' or '.join(tests)}]/parent::*" for name, tests in candidates.items() if tests]
    return f"({' | '.join(parts)})[{match.group(1)}]{match.group(2)}"


_GENERIC_TITLE = ("//h1", "//*[" + has_class("title") + "]", "//*[" + has_class("article-title") + "]")
_GENERIC_INFO = ("//*[contains(@class,'info') or contains(@class,'source') or contains(@class,'property') "
                 "or contains(@class,'date') or contains(@class,'time') or contains(@class,'meta') "
                 "or contains(@class,'fbsj') or contains(@class,'attr')]",)
_GENERIC_CRUMBS = ("//*[contains(@class,'crumb') or contains(@class,'position') or contains(@class,'location') "
                   "or contains(@class,'dqwz') or contains(@class,'weizhi') or contains(@id,'position')]",)

GOVSITE = Layout(
    name="govsite", label="govsite (this platform)",
    markers=('data-page-type="', "article-facts"),
    title=("//article[" + has_class("article") + "]/h1", "//main//h1"),
    info=("//dl[" + has_class("article-facts") + "]",),
    body=("//div[" + has_class("article-body") + "]",),
    attachments=("//section[" + has_class("attachments") + "]//a[@href]",),
    lead_image=("//figure[" + has_class("lead-image") + "]//img",),
    breadcrumbs=("//nav[" + has_class("breadcrumbs") + "]",),
    list_items=("//main//ul[" + has_class("item-list") + "]/li/a[@href]",),
)

TRS = Layout(
    name="trs", label="拓尔思 TRS WCM",
    markers=("trs_editor", "trs_ueditor", "trssearchform", "com.trs.", "<!--<$[", "trs_paper_default"),
    url_shapes=(r"/t\d{8}_\d+\.s?html?$",),
    title=("//div[" + has_class("article-title") + "]//h1", "//div[" + has_class("title") + "]//h1",
           "//*[" + has_class("article-title") + "]", "//h1", "//*[" + has_class("title") + "]"),
    info=("//*[" + has_class("pages-date") + "]", "//*[" + has_class("article-info") + "]",
          "//*[" + has_class("info") + "]", "//*[" + has_class("property") + "]") + _GENERIC_INFO,
    body=("//div[contains(@class,'TRS_Editor')]", "//div[contains(@class,'TRS_UEDITOR')]",
          "//div[@id='zoom']", "//div[" + has_class("pages_content") + "]"),
    attachments=("//*[" + has_class("fj") + " or " + has_class("attachment") + " or " + has_class("fujian")
                 + " or @id='fj']//a[@href]",),
    breadcrumbs=_GENERIC_CRUMBS,
    list_items=("//ul[" + has_class("list") + " or " + has_class("news-list") + " or " + has_class("listnews")
                + "]/li/a[@href]",),
)

HANWEB = Layout(
    name="hanweb", label="大汉 Hanweb (大汉版通)",
    markers=("zjeg_rss.content.begin", "大汉网络", "hanweb", "大汉版通"),
    url_shapes=(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html?$", r"/col/col\d+/"),
    title=("//td[" + has_class("title") + "]", "//div[" + has_class("title") + "]", "//h1",
           "//*[" + has_class("art_title") + "]"),
    info=("//*[" + has_class("art_info") + "]", "//*[" + has_class("info") + "]",
          "//td[" + has_class("info") + "]") + _GENERIC_INFO,
    body=("//div[@id='zoom']", "//*[@id='zoom']", "//div[" + has_class("article") + "]"),
    attachments=("//*[" + has_class("fujian") + " or " + has_class("attachment") + "]//a[@href]",),
    breadcrumbs=_GENERIC_CRUMBS,
    list_items=("//div[@id='div_list' or " + has_class("default_pgContainer") + "]//a[@href]",
                "//*[" + has_class("list") + "]//li/a[@href]"),
)

UCAP = Layout(
    name="ucap", label="开普云 Ucap",
    markers=("ucap-content", "<ucapcontent", "com.ucap", "kaipuyun", "ucapcms"),
    url_shapes=(r"/content_\d+\.html?$", r"/art_\d+\.html?$"),
    title=("//*[" + has_class("article-title") + "]", "//h1", "//*[" + has_class("title") + "]"),
    info=("//*[" + has_class("article-meta") + "]", "//*[" + has_class("article-info") + "]",
          "//*[" + has_class("info") + "]") + _GENERIC_INFO,
    body=("//*[@id='UCAP-CONTENT']", "//ucapcontent", "//*[" + has_class("article-content") + "]"),
    attachments=("//*[" + has_class("article-attachment") + " or " + has_class("fujian") + "]//a[@href]",),
    breadcrumbs=_GENERIC_CRUMBS,
    list_items=("//*[" + has_class("list") + "]//li/a[@href]",),
)

GENERIC = Layout(
    name="generic", label="common government page layout",
    title=_GENERIC_TITLE,
    info=_GENERIC_INFO,
    body=("//*[@id='zoom']", "//*[@id='fontzoom']", "//*[@id='Zoom']",
          "//*[" + has_class("article-content") + "]", "//*[" + has_class("article_content") + "]",
          "//*[" + has_class("news_content") + " or " + has_class("news-content") + "]",
          "//*[" + has_class("pages_content") + " or " + has_class("detail-content") + "]",
          "//*[" + has_class("con_text") + " or " + has_class("content_text") + " or " + has_class("text") + "]",
          "//*[@id='content' or " + has_class("content") + "]", "//article", "//*[@role='main']", "//main"),
    attachments=("//*[" + has_class("attachment") + " or " + has_class("fujian") + " or " + has_class("fj")
                 + " or " + has_class("attachments") + "]//a[@href]",),
    breadcrumbs=_GENERIC_CRUMBS,
    list_items=("//ul/li/a[@href]",),
)

#: Specific layouts first; GENERIC is the last layout-based attempt before trafilatura.
LAYOUTS = (GOVSITE, HANWEB, UCAP, TRS)


def detect(markup: str, path: str) -> Layout:
    """The CMS layout of a page (GENERIC when no marker (in ``markup``, any case) or URL shape matches)."""
    lowered = LoweredMarkup(markup)
    for layout in LAYOUTS:
        if layout.matches(lowered, path):
            return layout
    return GENERIC


_HANWEB_SPAN = re.compile(r"<!--\s*ZJEG_RSS\.content\.begin\s*-->(.*?)<!--\s*ZJEG_RSS\.content\.end\s*-->", re.S | re.I)


def marked_body(layout: Layout, raw: str):
    """A body delimited by comment markers (Hanweb's ZJEG_RSS), as an element, or None."""
    if layout is not HANWEB:
        return None
    match = _HANWEB_SPAN.search(raw)
    if not match or not match.group(1).strip():
        return None
    fragment = parsing.fragment(match.group(1))
    for meta in fragment.iter("meta"):
        meta.drop_tree()
    return fragment
