"""The charset a page declares for itself: one reading shared by the checks, migration and archives."""

from __future__ import annotations

import re

#: ``<meta charset=...>`` or ``<meta http-equiv=Content-Type content="...; charset=...">``.
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
#: ``<?xml ... encoding="..."?>`` at the very start.
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.I)


def declared_charset(data: bytes) -> str | None:
    """The charset declared by an XML declaration or a ``<meta>`` in the first 4 kB, as written."""
    head = data[:4096]
    match = XML_ENCODING.search(head) or META_CHARSET.search(head)
    return match.group(1).decode("ascii", "replace") if match else None
