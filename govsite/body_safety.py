"""Dangerous markup in the rendered body of an article or page: found, named, and refused.

Markdown lets an author write raw HTML, and the theme prints a body as markup (``|safe``), so this
check is what keeps a body from running script in a reader's browser. It fails closed: a refused
element anywhere (``<script>``, ``<iframe>``, ``<form>``, ...), any ``on*`` event-handler attribute,
and any ``javascript:``, ``vbscript:`` or ``data:`` URL in a URL attribute, read the way a browser
reads it (character references decoded, tabs and newlines removed, leading spaces and control
characters dropped, any case). The body is read by two tokenizers (libxml2's HTML5 tokenizer through
lxml, and the standard library's ``html.parser``), and what either of them finds is refused.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import lxml.etree
import lxml.html

from .errors import Problem
from .urls import as_browser_reads, is_url_attribute, url_scheme, urls_in

#: Elements a body may not contain, each with the reason shown to the author.
REFUSED_ELEMENTS = {
    "script": "scripts are not allowed in content",
    "noscript": "script fallbacks are not allowed in content",
    "iframe": "embedded pages are not allowed in content; link to the page instead",
    "frame": "frames are not allowed in content",
    "frameset": "frames are not allowed in content",
    "object": "embedded objects are not allowed in content; link to the file instead",
    "embed": "embedded objects are not allowed in content; link to the file instead",
    "applet": "embedded objects are not allowed in content",
    "base": "a body may not change the page's base URL",
    "meta": "a body may not add page metadata; use the article's metadata fields",
    "link": "a body may not load style sheets or other resources",
    "style": "style sheets are not allowed in content; the theme styles every page",
    "form": "forms are not allowed in content",
    "template": "templates are not allowed in content",
    "xmp": "raw-text elements are not allowed in content",
    "noembed": "raw-text elements are not allowed in content",
    "noframes": "raw-text elements are not allowed in content",
    "plaintext": "raw-text elements are not allowed in content",
    "textarea": "form fields are not allowed in content",
    "title": "a body may not set the page title; use the Title field",
}
#: URL schemes that run script or carry a whole document in the URL itself.
REFUSED_SCHEMES = ("javascript", "vbscript", "data")

# A quick look first (most bodies have none of these), broader than what the tokenizers find: a refused
# tag name right after "<" (as HTML starts a tag), "on" where an attribute name can start, a refused
# scheme anywhere in the text with every character reference decoded and tabs and newlines removed.
_MAYBE_ELEMENT = re.compile("<(?:" + "|".join(REFUSED_ELEMENTS) + ")", re.I)
_MAYBE_HANDLER = re.compile(r"[\s/\"'\x00]on", re.I)
_MAYBE_SCHEME = re.compile("(?:" + "|".join(REFUSED_SCHEMES) + "):", re.I)


@dataclass(frozen=True, order=True)
class Danger:
    """One dangerous construct: what was found and what is expected instead."""

    found: str
    expected: str


def element_dangers(tag: str, attributes) -> list[Danger]:
    """What is dangerous about one element, given its tag and ``(name, value)`` attributes."""
    tag = tag.lower()
    found = []
    if tag in REFUSED_ELEMENTS:
        found.append(Danger(f"<{tag}>", f"no <{tag}> element: {REFUSED_ELEMENTS[tag]}"))
    return found + attribute_dangers(tag, attributes)


def attribute_dangers(tag: str, attributes) -> list[Danger]:
    """What is dangerous about one element's ``(name, value)`` attributes: event handlers and
    ``javascript:``/``vbscript:``/``data:`` URLs (also used for SVG files, govsite/svg_safety.py)."""
    found = []
    for name, value in attributes:
        name, value = name.lower(), value or ""
        if name.startswith("on"):
            found.append(Danger(f"<{tag} {name}=...>", f"no {name} attribute: event handlers (on...) run "
                                                      "scripts, which are not allowed in content"))
        elif is_url_attribute(name):
            for url in urls_in(name, value):
                scheme = url_scheme(url)
                if scheme in REFUSED_SCHEMES:
                    found.append(Danger(f"<{tag} {name}={scheme}:...>",
                                        f"no {scheme}: URL in {name}: link to a page or a file of the site, "
                                        "or to an http(s) address"))
                    break
    return found


class _StartTags(HTMLParser):
    """The standard library's tokenizer: every start tag with its decoded attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def _stdlib_tags(html: str) -> list[tuple[str, list]]:
    """Start tags as ``html.parser`` reads them."""
    parser = _StartTags()
    parser.feed(html)
    parser.close()
    return parser.tags


def _lxml_tags(html: str) -> list[tuple[str, list]]:
    """Elements as libxml2's HTML parser reads them."""
    try:
        root = lxml.html.document_fromstring(f"<!DOCTYPE html><html><body>{html}</body></html>")
    except (lxml.etree.ParserError, ValueError):
        return []
    return [(element.tag, element.attrib.items()) for element in root.iter() if isinstance(element.tag, str)]


def _may_be_dangerous(html: str) -> bool:
    """False only when no tokenizer could find anything: no refused tag, handler or scheme is possible."""
    if not html or "<" not in html:
        return False
    return bool(_MAYBE_ELEMENT.search(html) or _MAYBE_HANDLER.search(html)
                or _MAYBE_SCHEME.search(as_browser_reads(unescape(html))))


def find_dangers(html: str) -> list[Danger]:
    """Every dangerous construct in an HTML fragment, each once, in a stable order."""
    return list(_dangers(html))


@functools.lru_cache(maxsize=1 << 14)
def _dangers(html: str) -> tuple[Danger, ...]:
    """find_dangers, remembered by the fragment's text (the latest 16,384): a long-lived build
    (``govsite build --watch``) checks each unchanged article body once, not on every build, and the
    bodies an editor replaced do not stay in memory for the life of the process."""
    if not _may_be_dangerous(html):
        return ()
    found = set()
    for tags in (_lxml_tags(html), _stdlib_tags(html)):
        for tag, attributes in tags:
            found.update(element_dangers(tag, attributes))
    return tuple(sorted(found))


def check_body(file: Path | str, html: str, field: str = "body") -> list[Problem]:
    """The problems of one rendered body: one per dangerous construct, naming the file and the field."""
    return [Problem(file, field, danger.found, danger.expected) for danger in find_dangers(html)]
