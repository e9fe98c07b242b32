"""SVG files a site publishes: nothing in them may run script, show HTML or load from elsewhere.

An SVG is an XML document: opened directly on the site's domain (``/images/logo.svg``), its
``<script>``, ``on*`` attributes and ``javascript:`` links run with the site's rights. So every SVG
the build publishes (``images/``, ``attachments/``, the ``logo``) is parsed with lxml as a browser
would read it (no DTD loaded, no entity expanded, no network) and refused, fail closed, when it has:

- a DOCTYPE (and so any ENTITY declaration), a processing instruction (``<?xml-stylesheet?>``) or
  an entity reference; or when it is not well-formed XML with an SVG root element;
- a ``<script>``, ``<foreignObject>``, ``<handler>``, ``<iframe>``, ``<embed>`` or ``<object>``
  element (any namespace, any case), or any element in the XHTML namespace;
- an ``on*`` attribute, or a ``javascript:``/``vbscript:``/``data:`` URL in a URL attribute
  (``href``, ``xlink:href``, ``src``, SMIL ``to``/``from``/``values``/``by``: the body rules of
  govsite/body_safety.py); the one exception is an inline PNG, JPEG, GIF or WebP in ``<image>``;
- an animation (``<animate>``, ``<set>``...) of ``href`` or of an event attribute;
- an external load: a URL with a scheme or a host (``https:``, ``//host``) in ``href``/``src`` of
  any element but ``<a>`` (a link is followed only when clicked), a ``url(...)`` in CSS that is not
  a same-document ``#fragment``, ``@import``, ``image-set()`` and the like, or ``xml:base``.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree

from .body_safety import Danger, attribute_dangers
from .errors import Problem
from .urls import as_browser_reads, url_scheme

SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
#: Elements an SVG may not contain (local names, lower case), with the reason.
REFUSED_ELEMENTS = {
    "script": "scripts are not allowed in an SVG",
    "foreignobject": "HTML inside an SVG (foreignObject) is not allowed",
    "handler": "event handlers are not allowed in an SVG",
    "listener": "event listeners are not allowed in an SVG",
    "iframe": "embedded pages are not allowed in an SVG",
    "embed": "embedded objects are not allowed in an SVG",
    "object": "embedded objects are not allowed in an SVG",
}
ANIMATIONS = frozenset({"animate", "set", "animatetransform", "animatemotion", "animatecolor"})
#: The only data: URL an SVG may hold: an inline raster image in ``<image href>``.
RASTER_DATA = re.compile(r"data:image/(?:png|jpeg|jpg|gif|webp)[;,]", re.I)
EXPECTED = "a plain SVG image (fix or remove the file, or export it again as plain SVG, or as PNG)"
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.S)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.S)
#: CSS that loads something other than through ``url()``, or runs code in old browsers.
_CSS_REFUSED = re.compile(r"@import|image-set\(|\bimage\(|cross-fade\(|\bsrc\(|-moz-binding|behavior\s*:|expression\(")


def _parser() -> lxml.etree.XMLParser:
    """An XML parser that loads no DTD, expands no entity and never touches the network."""
    return lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                                huge_tree=False)


def _qname(name: str) -> tuple[str, str]:
    """``(namespace, local name)`` of an lxml tag or attribute name."""
    qname = lxml.etree.QName(name)
    return qname.namespace or "", qname.localname


def _attribute_name(name: str) -> str:
    """An attribute's name as written (``xlink:href``, ``xml:base``, ``onload``)."""
    namespace, local = _qname(name)
    return {XLINK_NS: "xlink:", XML_NS: "xml:"}.get(namespace, "") + local


def _normalized(url: str) -> str:
    """A URL as a browser reads it (``urls.as_browser_reads``), a backslash read as a slash."""
    return as_browser_reads(url).replace("\\", "/")


def is_local(url: str) -> bool:
    """Whether a URL stays on the site: no scheme and no host (``#id``, ``photo.png``, ``/images/x.png``)."""
    return not url_scheme(url) and not _normalized(url).startswith("//")


def css_dangers(tag: str, css: str) -> list[Danger]:
    """External loads in CSS text (a ``style`` attribute, a presentation attribute, a ``<style>``)."""
    text = _CSS_COMMENT.sub("", _CSS_ESCAPE.sub(lambda m: chr(int(m[1], 16)) if m[1] else m[2], css)).lower()
    found = [Danger(f"<{tag}> CSS {m[0]}", "no CSS that loads files or runs code: " + EXPECTED)
             for m in _CSS_REFUSED.finditer(text)]
    for match in _CSS_URL.finditer(text):
        if not match[2].strip().startswith("#"):
            found.append(Danger(f"<{tag}> CSS url({match[2].strip()[:60]})",
                                "only url(#id) references inside the SVG: " + EXPECTED))
    return found


def _url_dangers(tag: str, name: str, value: str) -> list[Danger]:
    """An ``href``/``src`` that loads from another address (links of ``<a>`` may go anywhere safe)."""
    if tag == "a" or is_local(value):
        return []
    return [Danger(f"<{tag} {name}={value[:60]}>", "nothing loaded from another address: " + EXPECTED)]


def element_dangers(element) -> list[Danger]:
    """What is dangerous about one element of an SVG: itself, its attributes, its CSS."""
    namespace, local = _qname(element.tag)
    tag = local.lower()
    found = []
    if namespace == XHTML_NS:
        found.append(Danger(f"<html:{local}>", "no HTML elements in an SVG: " + EXPECTED))
    if tag in REFUSED_ELEMENTS:
        found.append(Danger(f"<{local}>", f"no <{local}> element: {REFUSED_ELEMENTS[tag]}"))
    attributes = []
    for raw_name, value in element.attrib.items():
        name = _attribute_name(raw_name)
        local_name = _qname(raw_name)[1].lower()
        if name == "xml:base":
            found.append(Danger(f"<{local} xml:base=...>", "no xml:base: " + EXPECTED))
        if local_name in ("href", "src"):
            if tag == "image" and RASTER_DATA.match(_normalized(value)):
                continue  # an inline PNG, JPEG, GIF or WebP (an image never runs script)
            found += _url_dangers(tag, name, value)
        if tag in ANIMATIONS and local_name == "attributename" and (
                value.strip().lower().split(":")[-1] == "href" or value.strip().lower().startswith("on")):
            found.append(Danger(f"<{local} attributeName={value.strip()}>",
                                f"no animation of {value.strip()}: it can turn a link into a script"))
        found += css_dangers(local, value) if "(" in value or "@" in value else []
        attributes.append((name, value))
    found += attribute_dangers(local, attributes)
    if tag == "style":
        found += css_dangers(local, "".join(element.itertext()))
    return found


def svg_dangers(data: bytes) -> list[Danger]:
    """Every dangerous construct of an SVG file's bytes, each once, in a stable order."""
    try:
        root = lxml.etree.fromstring(data, _parser())
    except (lxml.etree.XMLSyntaxError, ValueError) as exc:
        return [Danger("not well-formed XML", f"an SVG file that is well-formed XML ({exc})")]
    found = set()
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        found.add(Danger("<!DOCTYPE>", "no DOCTYPE or ENTITY declaration (delete the <!DOCTYPE ...> line): "
                         + EXPECTED))
    if _qname(root.tag) != (SVG_NS, "svg"):
        found.add(Danger(f"root element <{root.tag}>", f'an <svg xmlns="{SVG_NS}"> root element'))
    siblings = [*root.itersiblings(preceding=True), *root.itersiblings()]
    for node in [*siblings, *root.iter()]:
        if isinstance(node, lxml.etree._ProcessingInstruction):
            found.add(Danger(f"<?{node.target} ...?>", "no processing instruction (<?xml-stylesheet?>): " + EXPECTED))
        elif isinstance(node, lxml.etree._Entity):
            found.add(Danger(f"&{node.name};", "no entity reference: " + EXPECTED))
        elif isinstance(node.tag, str):
            found.update(element_dangers(node))
    return sorted(found)


def check_svg(file: Path | str, data: bytes | None = None, field: str = "SVG") -> list[Problem]:
    """The problems of one SVG file (read from ``file`` unless ``data`` is given), naming the file."""
    if data is None:
        data = Path(file).read_bytes()
    return [Problem(file, field, danger.found, danger.expected) for danger in svg_dangers(data)]
