"""The HTML parser and the text helpers the importer's hot paths share.

``PARSER`` is lxml.html's parser with lxml's C class lookup (every element an ``HtmlElement``)
instead of lxml.html's Python one, which runs for every element object lxml hands to Python; on
pages with thousands of elements that lookup was a tenth of the extraction time. Only form controls
lose their special classes (``FormElement``, ``InputElement``...), which the importer never uses.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import chain
from operator import methodcaller

from lxml import etree, html as lxml_html

PARSER = lxml_html.HTMLParser()
PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment, pi=lxml_html.HtmlProcessingInstruction,
    entity=lxml_html.HtmlEntity))

#: The text nodes of a subtree in document order: what ``element.itertext()`` yields, in one C call.
texts = etree.XPath("descendant-or-self::text()", smart_strings=False)


_KEYS = methodcaller("keys")
_NAME_SEPARATORS = re.compile(r"[\s_\-]+")


@lru_cache(maxsize=4096)
def _tokens(class_and_id: str) -> frozenset[str]:
    return frozenset(_NAME_SEPARATORS.split(class_and_id.lower()))


def name_tokens(element) -> frozenset[str]:
    """The words of an element's ``class`` and ``id``, lower-case, split at spaces, ``_`` and ``-``
    (``bdshare_box`` gives ``bdshare`` and ``box``); remembered per class and id."""
    return _tokens(f"{element.get('class', '')} {element.get('id', '')}")
_XPATH_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")


def attribute_names(root) -> Counter:
    """How often each attribute name occurs in the subtree (``root`` included), counted in C."""
    return Counter(chain.from_iterable(map(_KEYS, root.iter())))


@lru_cache(maxsize=256)
def _having(names: tuple[str, ...]):
    return etree.XPath(f"descendant-or-self::*[{' or '.join('@' + name for name in names)}]")


def having_attributes(root, names) -> list:
    """The elements of the subtree (``root`` included) with any of the attributes ``names``, in
    document order: one XPath when every name is a plain XML name, else a walk."""
    names = tuple(sorted(set(names)))
    if not names:
        return []
    if all(_XPATH_NAME.fullmatch(name) for name in names):
        return _having(names)(root)
    wanted = set(names)
    return [e for e in root.iter(etree.Element) if not wanted.isdisjoint(e.keys())]


def element(tag: str):
    """A new element of PARSER's documents (``lxml.html.Element`` with the C lookup)."""
    return PARSER.makeelement(tag)


def visible_chars(text: str) -> int:
    """``len(re.sub(r"\\s+", "", text))`` without building the string by regex (``\\s`` and
    ``str.split()`` agree on every code point: tested)."""
    return sum(map(len, text.split()))


def fragment(html_text: str, tag: str = "div"):
    """``lxml.html.fragment_fromstring(html_text, create_parent=tag)`` with PARSER's lookup throughout
    (lxml.html makes the parent with its own parser, which would bring its Python lookup back)."""
    pieces = lxml_html.fragments_fromstring(html_text, parser=PARSER, no_leading_text=False)
    root = element(tag)
    if pieces and isinstance(pieces[0], str):
        root.text = pieces.pop(0)
    root.extend(pieces)
    return root
