"""A sanitised body (lxml element) written as Markdown for Python-Markdown (with ``extra``).

Paragraphs, headings, lists, quotes, emphasis, links and images become Markdown; tables (often
with merged cells in government documents) stay HTML blocks, which Markdown passes through.
Every link and image URL goes through ``url_hook`` so the caller can put a placeholder in and
rewrite it later (old site → new site). An image without ``alt`` is written as HTML without alt:
the missing text alternative is flagged for an editor, never invented.
"""

from __future__ import annotations

import re
from typing import Callable

from lxml import etree

from . import parsing

BLOCKS = frozenset({"p", "div", "section", "article", "center", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
                    "li", "dl", "dt", "dd", "blockquote", "pre", "table", "hr", "figure", "figcaption"})
_ESCAPE_INLINE = re.compile(r"([\\`*_{}\[\]>|])")
# what makes a line a block in Python-Markdown with ``extra`` when it starts the line: a heading
# (``#``, any count, no space needed), a setext underline (``===``/``---``), a rule or a list item
# (``-``/``+``), an ordered item (``1.``), a fence (``~~~``), a definition (``: ``)
_LINE_START = re.compile(r"^(\s*)(#|=|-|\+|~|:|\d+[.)])")
#: Line-start marks Python-Markdown cannot backslash-escape: written as character references.
_REFERENCES = {"=": "&#61;", "~": "&#126;", ":": "&#58;"}
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u2002\u2003\u2009]+")
_ENTITY = re.compile(r"&(?=#?\w+;)")

UrlHook = Callable[[str, str], str]      # (kind "a"|"img", url) -> text to write


def escape(text: str) -> str:
    """Escape Markdown syntax in running text."""
    text = _ENTITY.sub("&amp;", text)
    return _ESCAPE_INLINE.sub(r"\\\1", text).replace("<", "&lt;")


def _run(text: str | None) -> str:
    """A text or tail as Markdown: whitespace runs as one space, syntax escaped ("" for none, at once:
    most tails are empty)."""
    return escape(_SPACES.sub(" ", text)) if text else ""


def _escape_line_start(text: str) -> str:
    m = _LINE_START.match(text)     # anchored at the start: at most this one match
    if m is None:
        return text
    mark = m.group(2)
    if mark[0].isdigit():
        return m.group(1) + mark[:-1] + "\\" + mark[-1] + text[m.end():]
    return m.group(1) + _REFERENCES.get(mark, "\\" + mark) + text[m.end():]



class Converter:
    """One conversion; collects images (url, alt or None) and links on the way."""

    def __init__(self, url_hook: UrlHook):
        self.url_hook = url_hook
        self.images: list[tuple[str, str | None]] = []
        self.links: list[str] = []

    # -- inline -------------------------------------------------------------------------------
    def inline(self, element) -> str:
        parts = [_run(element.text)]
        for child in element:
            if isinstance(child.tag, str):
                parts.append(self.inline_element(child))
            parts.append(_run(child.tail))
        return "".join(parts)

    def inline_element(self, el) -> str:
        tag = el.tag
        if tag == "br":
            return "<br>"
        if tag == "img":
            return self.image(el)
        if tag in BLOCKS:          # block inside inline context: flatten to its text
            return " " + self.inline(el).strip() + " "
        inner = self.inline(el)
        if tag in ("strong", "b"):
            return _wrap(inner, "**")
        if tag in ("em", "i"):
            return _wrap(inner, "*")
        if tag == "code":
            text = _SPACES.sub(" ", el.text_content())       # a newline in a span could start a block
            if not text.strip():
                return text
            fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
            return f"{fence} {text} {fence}" if "`" in text else f"`{text}`"
        if tag in ("sub", "sup", "s", "u", "small"):
            return f"<{tag}>{inner}</{tag}>" if inner.strip() else inner
        if tag == "a":
            href = (el.get("href") or "").strip()
            if not href or href.startswith("#") or href.lower().startswith("javascript:"):
                return inner
            self.links.append(href)
            target = self.url_hook("a", href)
            title = _SPACES.sub(" ", el.get("title") or "").strip()
            label = inner.strip() or escape(title) or escape(href)
            return f"[{label}]({target}" + (f' "{_attr(title)}"' if title and title != label else "") + ")"
        return inner

    def image(self, el) -> str:
        src = (el.get("src") or "").strip()
        if not src:
            return ""
        alt = el.get("alt")
        self.images.append((src, alt))
        target = self.url_hook("img", src)
        if alt is None:
            return f'<img src="{target}">'
        return f"![{escape(_SPACES.sub(' ', alt).strip())}]({target})"

    # -- blocks ------------------------------------------------------------------------------
    def blocks(self, element) -> list[str]:
        """Markdown blocks of an element's content (inline runs become paragraphs)."""
        out: list[str] = []
        run: list[str] = [_run(element.text)]

        def flush():
            text = "".join(run)
            if text and (text := _paragraph(text)):      # most runs between blocks are empty
                out.append(text)
            run.clear()

        for child in element:
            if not isinstance(child.tag, str):
                run.append(_run(child.tail))
                continue
            if child.tag in BLOCKS:
                flush()
                out.extend(self.block(child))
            else:
                run.append(self.inline_element(child))
            run.append(_run(child.tail))
        flush()
        return out

    def block(self, el) -> list[str]:
        tag = el.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = _paragraph(self.inline(el)).replace("<br>\n", " ")
            text = re.sub(r"#+$", lambda m: "\\#" * len(m.group(0)), text)   # a closing # run would be cut off
            return [f"{'#' * int(tag[1])} {text}"] if text else []
        if tag in ("ul", "ol"):
            return [self.list_block(el)] if len(el) else []
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(el))
            return ["\n".join("> " + line if line else ">" for line in inner.split("\n"))] if inner else []
        if tag == "pre":
            text = el.text_content().strip("\n")
            longest = max((len(run) for run in re.findall(r"^\s*(`+|~+)", text, re.M)), default=0)
            fence = "`" * max(3, longest + 1)       # no line of the text can close a longer fence
            return [f"{fence}\n{text}\n{fence}"] if text.strip() else []
        if tag == "hr":
            return ["---"]
        if tag == "table":
            return [self.table(el)]
        if tag == "dl":
            return self.blocks(el)
        if tag in ("dt", "figcaption"):
            text = _paragraph(self.inline(el))
            return [text] if text else []
        return self.blocks(el)     # p, div, section, figure, dd, center, li outside a list

    def list_block(self, el) -> str:
        lines = []
        start = int(el.get("start")) if (el.get("start") or "").isdigit() else 1
        for index, item in enumerate(c for c in el if isinstance(c.tag, str)):
            marker = f"{start + index}." if el.tag == "ol" else "-"
            blocks = self.blocks(item) if item.tag == "li" else self.block(item)
            if not blocks:
                blocks = [""]
            first, rest = blocks[0], blocks[1:]
            pad = " " * 4
            lines.append(f"{marker} " + first.replace("\n", "\n" + pad))
            for block in rest:
                lines.append("\n" + pad + block.replace("\n", "\n" + pad))
        return "\n".join(lines)

    def table(self, el) -> str:
        """A table as an HTML block, its URLs passed through the hook, whitespace tidied."""
        targets: list[str] = []      # the hook's results go in after serialising (it would percent-encode them)

        def mark(url_kind: str, url: str) -> str:
            targets.append(self.url_hook(url_kind, url))
            return f"govsite-url-{len(targets) - 1}-mark"
        for img in el.iter("img"):
            src = (img.get("src") or "").strip()
            if src:
                self.images.append((src, img.get("alt")))
                img.set("src", mark("img", src))
        for a in el.iter("a"):
            href = (a.get("href") or "").strip()
            if href and not href.startswith("#"):
                self.links.append(href)
                a.set("href", mark("a", href))
        for node in el.iter():
            if isinstance(node.tag, str):
                node.text = _SPACES.sub(" ", node.text) if node.text else node.text
                node.tail = _SPACES.sub(" ", node.tail) if node.tail else node.tail
        text = etree.tostring(el, encoding="unicode", method="html").strip()
        text = re.sub(r"govsite-url-(\d+)-mark", lambda m: targets[int(m.group(1))], text)
        # a blank line inside an HTML block would end it
        return re.sub(r"\n\s*\n", "\n", text)


def _wrap(inner: str, mark: str) -> str:
    core = inner.strip()
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()):]
    return f"{lead}{mark}{core}{mark}{trail}"


def _attr(value: str) -> str:
    """A link title inside ``"..."``: its quotes and ampersands as references (read back as the text)."""
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("\\", "\\\\").strip()


def _paragraph(text: str) -> str:
    """A paragraph's text: indentation (全角空格, nbsp) and stray spaces trimmed, line starts escaped."""
    lines = [line.strip(" \u3000\u00a0\t") for line in text.replace("<br>", "\n").split("\n")]
    lines = [_escape_line_start(line) for line in lines]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    # a hard line break inside a paragraph: "<br>" at the end of a line (explicit, no trailing spaces)
    return "<br>\n".join(line for line in lines if line)


def to_markdown(element, url_hook: UrlHook) -> tuple[str, Converter]:
    """The element's content as Markdown (blocks separated by blank lines)."""
    converter = Converter(url_hook)
    blocks = converter.blocks(element)
    return "\n\n".join(b for b in blocks if b.strip()), converter


def fragment(html_text: str):
    """Parse a sanitised HTML fragment into a ``div`` element."""
    return parsing.fragment(html_text or "<p></p>")
