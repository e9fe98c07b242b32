"""What site search reads from a built page: the content region's text and its result facts.

The theme marks the region with ``data-search-body`` (article and standalone pages; home, column
lists and the site map carry none) and the facts inside it with ``data-search-meta``: ``"title"``
or ``"date"`` (the element's text) and ``"site:<name>"`` or ``"column:<name>"`` (the value), and a
reprint (转载) with ``data-search-filter="reprint:yes"``. The region is from the marked element to
the page's last ``</article>`` (the same bytes ``region_digest`` hashes).

``normalise`` is the one text form the index and the search worker compare (the worker repeats it
in JavaScript): NFKC, lower case, runs of letters and digits (CJK included) kept, and a dot between
two digits; every other character a boundary, boundaries as one space.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree

#: The attribute marking the indexed region.
BODY_ATTRIBUTE = "data-search-body"
META_ATTRIBUTE = "data-search-meta"
FILTER_ATTRIBUTE = "data-search-filter"
_MARKER = BODY_ATTRIBUTE.encode()

#: Runs of letters and digits of any script (Python's word characters without the underscore: exactly
#: Unicode's L and N categories, the worker's ``[\p{L}\p{N}]``); a dot between two digits is kept
#: (3.5公里, 2026.11.27).
_WORD = re.compile(r"(?:[^\W_]|(?<=\d)\.(?=\d))+")
#: Elements whose text is not shown (never indexed).
_HIDDEN = {"script", "style", "template", "noscript"}
#: Elements that end a line of text: their text is never joined to the text around them.
_BLOCKS = {"address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
           "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
           "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
#: A line break inside a Chinese paragraph (a wrapped source line) joins the characters around it,
#: as CSS's segment break rule does for East Asian text.
_WRAPPED = re.compile(rf"(?<=[{_CJK}])[ \t]*\n\s*(?=[{_CJK}])")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The searchable form of ``text``: ``"骆明远 主持召开 2026年"``."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).lower()))


@dataclass(frozen=True)
class PageRecord:
    """One indexed page: its path in the site and what a result shows."""

    path: str           # "news/202611/a.html"
    title: str
    date: str
    site: str
    column: str
    reprint: bool
    text: str           # the region's text as shown, whitespace collapsed

    def row(self) -> list:
        return [self.path, self.title, self.date, self.column, self.site, 1 if self.reprint else 0]


def region_bytes(data: bytes) -> bytes | None:
    """From the tag carrying ``data-search-body`` to the last ``</article>`` (the whole page when that
    shape is not found); None: the page has no region."""
    marker = data.find(_MARKER)
    if marker < 0:
        return None
    start, end = data.rfind(b"<", 0, marker), data.rfind(b"</article>")
    return data[start:end + len(b"</article>")] if 0 <= start < end else data


def region_digest(page: Path) -> str | None:
    """SHA-256 of the page's content region (what the index reads): a related-items list or
    navigation that changes around it does not count. None: no region."""
    region = region_bytes(Path(page).read_bytes())
    return None if region is None else hashlib.sha256(region).hexdigest()


def read_record(page: Path, path: str, excluded: str | None = None) -> PageRecord | None:
    """The page's record (None: no region). ``excluded``: an XPath (``selector_xpath``) of elements
    inside the region left out of the text."""
    region = region_bytes(Path(page).read_bytes())
    if region is None:
        return None
    root = lxml.html.fromstring(region.decode("utf-8", "replace"))
    body = root if root.get(BODY_ATTRIBUTE) is not None else next(iter(root.xpath(f"//*[@{BODY_ATTRIBUTE}]")), root)
    skip = set(body.xpath(excluded)) if excluded else set()
    meta = {"title": "", "date": "", "site": "", "column": ""}
    for element in body.xpath(f"descendant-or-self::*[@{META_ATTRIBUTE}]"):
        key, colon, value = element.get(META_ATTRIBUTE).partition(":")
        if key.strip() in meta:
            meta[key.strip()] = _collapse(value) if colon else _collapse(_text(element, skip))
    reprint = "reprint:yes" in (body.get(FILTER_ATTRIBUTE) or "")
    return PageRecord(path, meta["title"], meta["date"], meta["site"], meta["column"], reprint,
                      _collapse(_text(body, skip)))


def _text(element, skip: set) -> str:
    parts: list[str] = []

    def walk(node) -> None:
        if node in skip or not isinstance(node.tag, str) or node.tag in _HIDDEN:
            return
        block = node.tag in _BLOCKS
        if block:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(element)
    return "".join(parts)


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", _WRAPPED.sub("", text)).strip()


# --- exclude_selectors: simple CSS selectors as XPath ------------------------------------------------------

_COMPOUND = re.compile(r"([a-zA-Z][a-zA-Z0-9-]*|\*)?((?:[.#][\w-]+|\[[\w-]+(?:=(?:\"[^\"]*\"|'[^']*'|[\w-]+))?\])*)$")
_PIECE = re.compile(r"[.#][\w-]+|\[([\w-]+)(?:=(\"[^\"]*\"|'[^']*'|[\w-]+))?\]")


class SelectorUnsupported(ValueError):
    """A CSS selector beyond the simple ones search exclusion understands."""


def selector_xpath(selectors: tuple[str, ...] | list[str]) -> str | None:
    """XPath (relative to the region) of the elements matching any of ``selectors``: each a list of
    compound selectors (``tag``, ``.class``, ``#id``, ``[attr]``, ``[attr=value]``, combined) joined by
    spaces (descendants). None: no selectors. SelectorUnsupported names the first one not understood."""
    paths = []
    for group in selectors:
        for selector in group.split(","):
            steps = []
            for compound in selector.split():
                match = _COMPOUND.match(compound)
                if not match or not compound:
                    raise SelectorUnsupported(selector.strip())
                tests = []
                for piece in _PIECE.finditer(match.group(2) or ""):
                    text = piece.group(0)
                    if text[0] == ".":
                        tests.append(f"contains(concat(' ', normalize-space(@class), ' '), ' {text[1:]} ')")
                    elif text[0] == "#":
                        tests.append(f"@id='{text[1:]}'")
                    elif piece.group(2) is None:
                        tests.append(f"@{piece.group(1)}")
                    else:
                        value = piece.group(2).strip("\"'")
                        if "'" in value:
                            raise SelectorUnsupported(selector.strip())
                        tests.append(f"@{piece.group(1)}='{value}'")
                steps.append((match.group(1) or "*") + "".join(f"[{t}]" for t in tests))
            if not steps:
                raise SelectorUnsupported(selector.strip() or group)
            paths.append("descendant-or-self::" + "//".join(steps))
    if not paths:
        return None
    xpath = " | ".join(paths)
    etree.XPath(xpath)  # raises on a malformed result (never expected)
    return xpath
