"""URLs in untrusted markup, read the way a browser reads them: one place for the content checks
(``govsite.body_safety``, ``govsite.svg_safety``) and the migration sanitizer (``migrate.sanitize``).

A browser removes tabs and newlines from a URL and strips leading and trailing spaces and control
characters before it looks for the scheme, so ``java\\tscript:`` and `` JAVASCRIPT:`` are both
``javascript:``. We also strip invisible format characters at the edges and judge every decoding of
character references (a value decoded once more by another tool must not become a script): both
only ever make a check stricter.
"""

from __future__ import annotations

import html
import re

#: Attributes whose value is a URL (or a list of URLs) a browser, or a script library, may load or
#: navigate to; ``to``/``from``/``values``/``by`` are SVG animation values (they can animate ``href``).
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "srcset", "imagesrcset", "poster", "background",
    "cite", "data", "codebase", "longdesc", "lowsrc", "dynsrc", "ping", "manifest", "icon", "profile",
    "usemap", "archive", "classid", "itemtype", "to", "from", "values", "by",
    "data-src", "data-original", "data-href", "data-url",
})
#: Attributes holding several URLs.
LIST_ATTRIBUTES = frozenset({"srcset", "imagesrcset", "values", "ping", "archive"})

_EDGES = re.compile(r"^[\s\x00-\x20\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]+"
                    r"|[\s\x00-\x20\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]+$")
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_LIST_SEPARATORS = re.compile(r"[,;\s]+")


def is_url_attribute(name: str) -> bool:
    """Whether an attribute (any case, any namespace prefix ending in ``:href``) holds a URL."""
    name = name.lower()
    return name in URL_ATTRIBUTES or name.endswith(":href")


def readings(value: str) -> list[str]:
    """The value and each decoding of its character references, down to one that decodes no further."""
    found = [value]
    while len(found) < 6:
        decoded = html.unescape(found[-1])
        if decoded == found[-1]:
            break
        found.append(decoded)
    return found


def as_browser_reads(value: str) -> str:
    """The URL with tabs and newlines removed and spaces, control and format characters stripped at the edges."""
    return _EDGES.sub("", _TAB_NEWLINE.sub("", value))


def url_scheme(value: str) -> str:
    """The lower-case scheme of a URL as a browser parses it ('' for a relative URL)."""
    match = _SCHEME.match(as_browser_reads(value))
    return match.group(1).lower() if match else ""


def urls_in(name: str, value: str) -> list[str]:
    """The URLs in one attribute value: the value itself, and each candidate of a list attribute."""
    if name.lower() in LIST_ATTRIBUTES:
        return [value, *(part for part in _LIST_SEPARATORS.split(value) if part)]
    return [value]
