"""Clean an extracted body: page furniture out (share buttons, print/close, font-size tools, QR codes,
previous/next links), then nh3 keeps only safe, accessible markup (no scripts, event handlers,
styles, iframes, forms or unknown tags). What was removed is counted for the report.
"""

from __future__ import annotations

import re

import nh3

#: Tags kept in a migrated body; everything else is unwrapped (text kept) or dropped with its content.
TAGS = frozenset({
    "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small",
    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "code", "hr", "a", "img", "figure", "figcaption",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col", "span", "div",
    "section", "article", "center", "font",
})
#: Dropped together with their content.
DROP_WITH_CONTENT = frozenset({"script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
                               "embed", "applet", "form", "select", "textarea", "button", "input", "svg", "math",
                               "canvas", "video", "audio", "map", "title", "head", "meta", "link"})
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "scope"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type"},
    "table": {"summary"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel", "ftp", "data"}

_NOISE_TOKENS = {"share", "bdshare", "bdsharebuttonbox", "jiathis", "fenxiang", "print", "dayin", "close",
                 "guanbi", "fontsize", "zihao", "qrcode", "ewm", "erweima", "prev", "next", "sxp", "sxy",
                 "xgwz", "xglj", "related", "toolbar", "comment", "pinglun", "bshare", "social", "wxshare"}
_SPLIT = re.compile(r"[\s_\-]+")
_NOISE_TEXT = re.compile(
    r"^[\s【\[（(]*(?:字体|字号)[：:]?\s*[大中小\s]+[】\]）)]?"
    r"|^[\s【\[]*(?:打印本页|打印|关闭窗口|关闭本页|关闭|返回顶部|收藏|分享到|分享)[】\]]?(?:\s*[【\[]?(?:打印本页|打印|关闭窗口|关闭|收藏|分享)[】\]]?)*\s*$"
    r"|^\s*(?:扫一扫|用手机扫|微信扫一扫)"
    r"|^\s*(?:上一篇|下一篇)[：:]")


def _is_noise(element) -> bool:
    tokens = set(_SPLIT.split(f"{element.get('class', '')} {element.get('id', '')}".lower()))
    if tokens & _NOISE_TOKENS:
        return True
    if element.tag in ("p", "div", "span", "td", "li"):
        text = element.text_content().strip()
        return 0 < len(text) <= 60 and bool(_NOISE_TEXT.search(text))
    return False


def audit(body) -> dict[str, int]:
    """What sanitising will remove: scripts, event handlers, style attributes, iframes, other embeds."""
    counts = {"scripts": 0, "event_handlers": 0, "styles": 0, "iframes": 0, "embeds": 0, "forms": 0}
    for element in body.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "script":
            counts["scripts"] += 1
        elif tag in ("iframe", "frame"):
            counts["iframes"] += 1
        elif tag in ("object", "embed", "applet", "video", "audio", "canvas"):
            counts["embeds"] += 1
        elif tag in ("form", "input", "select", "textarea", "button"):
            counts["forms"] += 1
        for name in element.attrib:
            if name.lower().startswith("on"):
                counts["event_handlers"] += 1
            elif name.lower() == "style":
                counts["styles"] += 1
        if tag == "style":
            counts["styles"] += 1
    return {k: v for k, v in counts.items() if v}


def strip_noise(body) -> int:
    """Remove page furniture inside the body; returns how many elements went."""
    removed = 0
    for element in list(body.iter()):
        if element is body or not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if _is_noise(element):
            element.drop_tree()
            removed += 1
    return removed


def clean(html: str) -> str:
    """nh3 with the platform's allow-list: safe tags and attributes only, comments dropped."""
    return nh3.clean(html, tags=set(TAGS), clean_content_tags=set(DROP_WITH_CONTENT), attributes=ATTRIBUTES,
                     url_schemes=URL_SCHEMES, strip_comments=True, link_rel=None)
