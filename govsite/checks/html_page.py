"""One HTML page parsed once for all static rules: decoding, element index, names, selectors."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from lxml import etree

from govsite.charset import declared_charset

_SPACE = re.compile(r"\s+")
_PARSERS: dict[str, etree.HTMLParser] = {}


class UnreadableInput(Exception):
    """A file that cannot be read at all (missing, a folder, permissions)."""


def decode_html(data: bytes) -> tuple[bytes, str, str | None]:
    """Find a page's encoding: BOM, then the declared charset, then UTF-8.

    Returns ``(data, encoding, problem)``: the bytes to parse (as UTF-8 when they had to be
    repaired), their encoding, and a message when the bytes do not match the encoding.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data, declared = data[3:], "utf-8"
    else:
        declared = (declared_charset(data) or "utf-8").lower()
    try:
        data.decode(declared)
        return data, declared, None
    except LookupError:
        return data.decode("utf-8", errors="replace").encode(), "utf-8", f"declares an unknown charset {declared!r}"
    except UnicodeDecodeError as exc:
        repaired = data.decode(declared, errors="replace").encode()
        return repaired, "utf-8", f"is not valid {declared} (bad bytes at offset {exc.start}); declare the right charset"


def _parser(encoding: str) -> etree.HTMLParser:
    """An HTML parser for one encoding (cached: parsers are reusable)."""
    if encoding not in _PARSERS:
        _PARSERS[encoding] = etree.HTMLParser(encoding=encoding, remove_comments=True, remove_pis=True)
    return _PARSERS[encoding]


def folded(text: str | None) -> str:
    """White space collapsed and stripped."""
    return _SPACE.sub(" ", text or "").strip()


class Page:
    """A parsed page: the lxml tree plus an index of elements by tag and by id."""

    def __init__(self, path: str, data: bytes, options: dict | None = None):
        self.path = path
        self.options = options or {}
        data, encoding, self.encoding_problem = decode_html(data)
        # Plain lxml elements (not lxml.html's): no Python class lookup per element, about twice as fast.
        self.root = etree.fromstring(data, _parser(encoding)) if data.strip() else None
        if self.root is None:
            self.root = etree.fromstring(b"<html></html>", _parser("utf-8"))
        self.elements: list = []  # every element, in document order
        self._by_tag: dict = defaultdict(list)
        self.ids: dict[str, list] = defaultdict(list)
        self.with_aria: list = []
        self.with_lang: list = []
        self.footer_items: dict[str, list] = defaultdict(list)  # by data-footer-item (the theme's marker)
        self.with_tabindex: list = []
        self.with_handlers: list = []  # elements with an inline event handler (onclick=...)
        self.with_style: list = []  # elements with a style attribute
        maybe_hidden = []
        # One Python pass indexes everything: three XPath queries for ids, ARIA and hidden
        # elements cost three times as much as this loop (attribute tests on lxml's C side
        # are slow for "any attribute starting with aria-").
        for element in self.root.iter():
            self.elements.append(element)
            self._by_tag[element.tag].append(element)
            keys = element.keys()
            if not keys:
                continue
            if "id" in keys:
                self.ids[element.get("id")].append(element)
            if "lang" in keys:
                self.with_lang.append(element)
            if "data-footer-item" in keys:
                self.footer_items[element.get("data-footer-item")].append(element)
            if "tabindex" in keys:
                self.with_tabindex.append(element)
            if any(key.startswith("on") for key in keys):
                self.with_handlers.append(element)
            for key in keys:
                if key == "role" or key.startswith("aria-"):
                    self.with_aria.append(element)
                    break
            if "style" in keys:
                self.with_style.append(element)
            if "style" in keys or "hidden" in keys or "aria-hidden" in keys:
                maybe_hidden.append(element)
        self.by_role: dict[str, list] = defaultdict(list)
        for element in self.with_aria:
            role = (element.get("role") or "").strip().lower().split(" ")[0]
            if role:
                self.by_role[role].append(element)
        self.hidden: set = set()  # every element hidden from everyone, with its descendants
        for element in maybe_hidden:
            style = element.get("style", "").replace(" ", "").lower()
            if "hidden" in element.attrib or element.get("aria-hidden") == "true" \
                    or "display:none" in style or "visibility:hidden" in style:
                self.hidden.update(element.iter())

    @classmethod
    def from_file(cls, file: Path, root: Path | None = None, options: dict | None = None) -> "Page":
        """Read and parse a file; raises UnreadableInput naming the file."""
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise UnreadableInput(f"{file}: cannot read ({exc.strerror or exc})") from exc
        name = Path(file).relative_to(root).as_posix() if root else Path(file).as_posix()
        return cls(name, data, options)

    def tags(self, *names: str) -> list:
        """Elements with any of these tag names, in document order within each tag."""
        if len(names) == 1:
            return self._by_tag.get(names[0], [])
        return [element for name in names for element in self._by_tag.get(name, ())]

    def head_titles(self) -> list:
        """The <title> elements of the <head>."""
        return [t for t in self.tags("title") if t.getparent() is not None and t.getparent().tag == "head"]

    def with_role(self, *roles: str) -> list:
        """Elements whose explicit role (first token) is one of ``roles``."""
        return [element for role in roles for element in self.by_role.get(role, ())]

    def element_by_id(self, id_: str):
        found = self.ids.get(id_)
        return found[0] if found else None

    def is_hidden(self, element) -> bool:
        """Hidden from everyone: itself or an ancestor has ``hidden``/aria-hidden=true/display:none inline."""
        return element in self.hidden

    def text_name(self, element) -> str:
        """Visible text of an element, with image alt text, skipping aria-hidden parts."""
        parts = []
        if element.text:
            parts.append(element.text)
        for child in element:
            if isinstance(child.tag, str) and child.get("aria-hidden") != "true" and "hidden" not in child.attrib:
                if child.tag in ("img", "area") or (child.tag == "input" and child.get("type") == "image"):
                    parts.append(self.labelledby_name(child) or folded(child.get("aria-label"))
                                 or folded(child.get("alt")) or folded(child.get("title")))
                elif child.tag == "svg":
                    parts.append(child.get("aria-label") or folded(" ".join(child.xpath("./*[local-name()='title']//text()"))))
                else:
                    parts.append(self.accessible_name(child) if child.get("aria-label") else self.text_name(child))
            if child.tail:
                parts.append(child.tail)
        return folded(" ".join(parts))

    def labelledby_name(self, element) -> str:
        ids = (element.get("aria-labelledby") or "").split()
        return folded(" ".join(self.text_name(e) for e in (self.element_by_id(i) for i in ids) if e is not None))

    def accessible_name(self, element, use_text: bool = True) -> str:
        """A simplified accessible-name computation: labelledby, aria-label, content, title."""
        attrib = element.attrib
        if use_text and "aria-labelledby" not in attrib and "aria-label" not in attrib \
                and element.text and element.text.strip() and element not in self.hidden:
            return element.text.strip()  # the common case: plain text content
        name = self.labelledby_name(element) or folded(element.get("aria-label"))
        if not name and use_text:
            name = self.text_name(element)
        return name or folded(element.get("title"))

    def selector(self, element) -> str:
        """A CSS selector for an element: its id when unique, else a nth-of-type path."""
        steps = []
        node = element
        while node is not None and isinstance(node.tag, str):
            id_ = node.get("id")
            if id_ and len(self.ids.get(id_, [])) == 1 and re.fullmatch(r"[A-Za-z_][\w-]*", id_):
                steps.append(f"#{id_}")
                break
            parent = node.getparent()
            if parent is None:
                steps.append(node.tag)
                break
            same = [c for c in parent if c.tag == node.tag]
            steps.append(node.tag if len(same) == 1 else f"{node.tag}:nth-of-type({same.index(node) + 1})")
            node = parent
        return " > ".join(reversed(steps))

    def snippet(self, element, limit: int = 240) -> str:
        """The element's start tag (and a little content) for reports."""
        source = etree.tostring(element, encoding="unicode", method="html", with_tail=False)
        return source if len(source) <= limit else source[:limit] + "…"
