"""Legacy values written into text formats as text: Markdown metadata lines and TOML.

A value from an old page may hold anything: newlines (a new ``Status: draft`` or ``Slug: ../x``
line in a Markdown header), control characters (invalid in the Atom feed), invisible format
characters at its ends, quotes and backslashes (a TOML string cut short). Each writer here takes
the decoded text and writes it so that the reader gets exactly that text back, on one line where
the format is line based.
"""

from __future__ import annotations

import re
import unicodedata

from govsite.toml_files import toml_string, toml_value  # noqa: F401  (the writers, shared)

_WHITESPACE = re.compile(r"[\s\x1c-\x1f\x85\u2028\u2029]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def _trim(text: str) -> str:
    """Whitespace and invisible format characters (zero-width spaces, BOM, bidi marks) off both ends."""
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or unicodedata.category(text[start]) == "Cf"):
        start += 1
    while end > start and (text[end - 1].isspace() or unicodedata.category(text[end - 1]) == "Cf"):
        end -= 1
    return text[start:end]


def one_line(value: str | None) -> str:
    """The value as one line of text: every run of whitespace (newlines too) one space, controls out."""
    text = _SURROGATES.sub("\ufffd", value or "")
    text = _WHITESPACE.sub(" ", text)
    return _trim(_CONTROLS.sub("", text))


def header_value(value: str | None) -> str:
    """A value for a ``Key: value`` metadata line of a Markdown file: one line, nothing around it.

    Python-Markdown's meta extension ends a value at the line's end and strips it, so one line
    without leading or trailing space reads back as exactly this text.
    """
    return one_line(value)


def toml_comment(text: str) -> str:
    """Text for a ``# comment``: one line (a newline would start a line TOML reads as data)."""
    return one_line(text)
