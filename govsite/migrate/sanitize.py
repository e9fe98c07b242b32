"""Clean an extracted body: page furniture out (share buttons, print/close, font-size tools, QR codes,
previous/next links, breadcrumbs (当前位置：…), the site's 版权与免责声明 notice), then nh3 keeps
only safe, accessible markup (no scripts, event handlers, styles, iframes, forms or unknown tags).
What was removed is counted for the report.

URLs: only ``http``, ``https``, ``mailto``, ``tel`` and relative URLs are kept, in every URL
attribute of every element. A URL is judged as a browser reads it (entities decoded, also the
HTML5 ones lxml does not know such as ``&colon;``; tabs and newlines removed; leading and trailing
spaces and control characters stripped; any case), so ``&#106;avascript:``, ``java\tscript:`` and
`` JAVASCRIPT:`` are all ``javascript:``. Each dropped URL is returned for the report. The one
exception is an inline ``data:`` image of a raster type (PNG, JPEG, GIF, WebP) whose bytes are
that type: it is held back from nh3 and written out as a file (migrate/assets.py).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from operator import attrgetter

import nh3
from lxml import etree

from govsite.urls import as_browser_reads, is_url_attribute, readings, url_scheme, urls_in

from . import parsing
from .assets import decode_inline_image

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
#: The only schemes a migrated URL may have; relative URLs (no scheme) are kept too.
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
#: Where an inline image waits while nh3 runs (a same-page fragment: nh3 keeps it, browsers would not load it).
INLINE_MARK = "#govsite-inline-image-"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

_NOISE_TOKENS = {"share", "bdshare", "bdsharebuttonbox", "jiathis", "fenxiang", "print", "dayin", "close",
                 "guanbi", "fontsize", "zihao", "qrcode", "ewm", "erweima", "prev", "next", "sxp", "sxy",
                 "xgwz", "xglj", "related", "toolbar", "comment", "pinglun", "bshare", "social", "wxshare",
                 "crumb", "crumbs", "breadcrumb", "breadcrumbs", "position", "location", "dqwz", "weizhi",
                 "mianbaoxie", "bqsm", "mzsm", "disclaimer"}
_NOISE_TEXT = re.compile(
    r"^[\s【\[（(]*(?:字体|字号)[：:]?\s*[大中小\s]+[】\]）)]?"
    r"|^[\s【\[]*(?:打印本页|打印|关闭窗口|关闭本页|关闭|返回顶部|收藏|分享到|分享)[】\]]?(?:\s*[【\[]?(?:打印本页|打印|关闭窗口|关闭|收藏|分享)[】\]]?)*\s*$"
    r"|^\s*(?:扫一扫|用手机扫|微信扫一扫)"
    r"|^\s*(?:上一篇|下一篇)[：:]"
    r"|^\s*(?:当前位置|您当前的位置|您现在的位置|您的位置|所在位置|当前所在位置)\s*[：:]")
#: The site's copyright and disclaimer notice under an article (版权与免责声明): not the article's text.
_DISCLAIMER = re.compile(r"^\s*[【\[]?\s*(?:版权与免责声明|版权及免责声明|免责声明|版权声明)\s*[】\]]?\s*[：:]?")
_DISCLAIMER_MAX = 1000
_TAG = attrgetter("tag")


#: Tags whose text alone can make them furniture (a 【打印】 paragraph, a 当前位置： cell...).
_TEXT_TAGS = ("b", "div", "dl", "h2", "h3", "h4", "h5", "h6", "li", "p", "section", "span", "strong", "table", "td")
#: Words that every text _NOISE_TEXT or _DISCLAIMER matches contains (one per alternative; tested): an
#: element whose text holds none of them is not furniture by its text.
NOISE_WORDS = ("字体", "字号", "打印", "关闭", "返回顶部", "收藏", "分享", "扫一扫", "用手机扫", "一篇", "位置",
               "免责声明", "版权声明")


def _noise_text(text: str) -> bool:
    """Whether an element's text (stripped) is furniture: 【打印本页】, 当前位置：…, 版权与免责声明…"""
    if 0 < len(text) <= _DISCLAIMER_MAX and _DISCLAIMER.match(text):
        return True
    return 0 < len(text) <= (160 if text.startswith(("当前位置", "您")) else 60) and bool(_NOISE_TEXT.search(text))


@lru_cache(maxsize=64)
def _suspects(words: tuple[str, ...]):
    """The elements below a body that may be furniture, in document order: those with a class or id,
    and (when the body's text holds any of ``words``) the _TEXT_TAGS elements whose text holds one."""
    test = "@class or @id"
    if words:
        tags = " or ".join(f"self::{tag}" for tag in _TEXT_TAGS)
        test += f" or ({tags}) and ({' or '.join(f'contains(., {word!r})' for word in words)})"
    return etree.XPath(f"descendant::*[{test}]")


def audit(body) -> dict[str, int]:
    """What sanitising will remove: scripts, event handlers, style attributes, iframes, other embeds."""
    tags, names = Counter(map(_TAG, body.iter())), parsing.attribute_names(body)
    counts = {"scripts": tags["script"],
              "event_handlers": sum(n for name, n in names.items() if name.lower().startswith("on")),
              "styles": sum(n for name, n in names.items() if name.lower() == "style") + tags["style"],
              "iframes": tags["iframe"] + tags["frame"],
              "embeds": sum(tags[tag] for tag in ("object", "embed", "applet", "video", "audio", "canvas")),
              "forms": sum(tags[tag] for tag in ("form", "input", "select", "textarea", "button"))}
    return {k: v for k, v in counts.items() if v}


def strip_noise(body) -> int:
    """Remove page furniture inside the body; returns how many elements went."""
    removed = 0
    text = body.text_content()
    words = tuple(word for word in NOISE_WORDS if word in text)
    for element in _suspects(words)(body):  # the others have neither furniture names nor furniture words
        if element.getparent() is None:
            continue
        if parsing.name_tokens(element) & _NOISE_TOKENS or \
                words and element.tag in _TEXT_TAGS and _noise_text(element.text_content().strip()):
            if _DISCLAIMER.fullmatch(element.text_content().strip()):     # a heading alone: its notice follows
                for sibling in list(element.itersiblings()):
                    sibling.drop_tree()
                    removed += 1
            element.drop_tree()
            removed += 1
    return removed


def url_problem(value: str) -> str:
    """Why a URL may not be published ("" when it may): a scheme other than the safe ones, or control
    characters; judged on every reading a browser (or a second decoding) could make of it."""
    for reading in readings(value):
        if _CONTROL.search(as_browser_reads(reading)):
            return "control characters in the URL"
        scheme = url_scheme(reading)
        if scheme and scheme not in URL_SCHEMES:
            return f"the scheme {scheme}: is not allowed (only http, https, mailto, tel, relative)"
    return ""


def is_safe_url(value: str) -> bool:
    """True for an http, https, mailto, tel or relative URL (see :func:`url_problem`)."""
    return not url_problem(value)


def dropped_url(element: str, attribute: str, url: str, why: str) -> dict:
    """The migration report's record of one URL left out (the URL cut to 300 characters)."""
    return {"element": element, "attribute": attribute, "url": url[:300], "why": why}


def drop_unsafe_urls(body) -> list[dict]:
    """Remove every URL attribute whose URL is not safe; returns ``{element, attribute, url, why}`` for
    each (an inline raster image in ``img src`` is kept: see :func:`hold_inline_images`)."""
    dropped = []
    for element in parsing.having_attributes(body, [name for name in parsing.attribute_names(body)
                                                    if is_url_attribute(name)]):
        for name, value in list(element.attrib.items()):
            if not is_url_attribute(name):
                continue
            urls = urls_in(name, value)
            why = next((p for p in map(url_problem, urls) if p), "")
            if why and element.tag == "img" and name.lower() in ("src", "data-src", "data-original"):
                if decode_inline_image(as_browser_reads(value)) is not None:
                    continue
                if value.strip().lower().startswith("data:image/"):
                    why = "an inline data: image that is not PNG, JPEG, GIF or WebP (an SVG can carry scripts)"
            if why:
                del element.attrib[name]
                dropped.append(dropped_url(element.tag, name.lower(), value, why))
    return dropped


def hold_inline_images(body) -> list[str]:
    """Replace each inline ``data:`` image source by a mark nh3 keeps; returns the data URIs in mark order."""
    held = []
    for img in body.iter("img"):
        src = (img.get("src") or "").strip()
        if src.lower().startswith("data:"):
            img.set("src", f"{INLINE_MARK}{len(held)}")
            held.append(src)
    return held


def clean(html_text: str) -> str:
    """nh3 with the platform's allow-list: safe tags, attributes and URL schemes only, comments dropped."""
    return nh3.clean(html_text, tags=set(TAGS), clean_content_tags=set(DROP_WITH_CONTENT), attributes=ATTRIBUTES,
                     url_schemes=set(URL_SCHEMES), strip_comments=True, link_rel=None)
