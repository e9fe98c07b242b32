"""Turn the bytes of a legacy page into text without mojibake.

Order: byte-order mark, the charset declared by HTTP (WARC records), the charset declared in the
page (``<meta charset>`` / ``http-equiv``), then detection. A declared charset is believed only
when the bytes really decode with it; GB2312 and GBK are read as GB18030 (their superset: pages
declared GB2312 routinely contain GBK characters). A Latin-1 declaration on bytes that are valid
UTF-8 or GB18030 with Chinese text is the classic source of mojibake, and is overruled.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from govsite.charset import declared_charset

_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_:.\-]+)""", re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: Characters typical of UTF-8 or GBK bytes read as Latin-1 / cp1252 (the mojibake signature).
_MOJIBAKE = re.compile(r"[\u00c0-\u00ff][\u0080-\u00bf\u2018-\u203a\u0152-\u017e]")

#: Encodings read as a superset that never loses characters.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
             "cp936": "gb18030", "euc-cn": "gb18030", "hz-gb-2312": "hz", "iso-8859-1": "cp1252",
             "latin-1": "cp1252", "latin1": "cp1252", "ascii": "utf-8", "us-ascii": "utf-8",
             "big5": "big5hkscs", "unicode": "utf-16", "utf8": "utf-8"}
_LATIN = {"cp1252", "windows-1252", "iso8859-1", "latin_1"}


@dataclass(frozen=True)
class Decoded:
    """A page's text, the encoding used and how it was chosen (``bom``, ``http``, ``meta``, ``detected``)."""

    text: str
    encoding: str
    how: str
    note: str = ""


def normalize(name: str | None) -> str | None:
    """A Python codec name for a declared charset, or None when Python knows no such codec."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _SUPERSET.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def charset_of(content_type: str | None) -> str | None:
    """The ``charset=`` parameter of an HTTP Content-Type header."""
    match = _HTTP_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(data: bytes, http_content_type: str | None = None) -> Decoded:
    """Decode a page; never returns mojibake when any common encoding reads the bytes cleanly."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            text = data[len(bom):].decode(encoding if encoding != "utf-16" else
                                          ("utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"), "replace")
            return Decoded(text, encoding, "bom")
    notes = []
    for how, declared in (("http", charset_of(http_content_type)), ("meta", declared_charset(data))):
        encoding = normalize(declared)
        if declared and not encoding:
            notes.append(f"{how} charset {declared!r} unknown")
            continue
        if not encoding:
            continue
        text = _strict(data, encoding)
        if text is None:
            notes.append(f"{how} charset {declared!r} does not decode the bytes")
            continue
        if encoding in _LATIN and (better := _better_than_latin(data)) is not None:
            notes.append(f"{how} charset {declared!r} overruled (the bytes are {better.encoding})")
            return Decoded(better.text, better.encoding, "detected", "; ".join(notes))
        return Decoded(text, encoding, how, "; ".join(notes))
    detected = _detect(data)
    return Decoded(detected.text, detected.encoding, "detected", "; ".join(notes + ([detected.note] if detected.note else [])))


def _better_than_latin(data: bytes) -> Decoded | None:
    for encoding in ("utf-8", "gb18030"):
        text = _strict(data, encoding)
        if text is not None and _CJK.search(text):
            return Decoded(text, encoding, "detected")
    return None


def _detect(data: bytes) -> Decoded:
    """No usable declaration: UTF-8 if it decodes, GB18030 if it decodes to Chinese, else detection."""
    text = _strict(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8", "detected")
    text = _strict(data, "gb18030")
    if text is not None and _CJK.search(text) and not _MOJIBAKE.search(text):
        return Decoded(text, "gb18030", "detected")
    best = from_bytes(data[:200_000], cp_isolation=["utf_8", "gb18030", "big5", "cp1252", "utf_16"]).best()
    if best is not None:
        encoding = normalize(best.encoding) or "utf-8"
        text = data.decode(encoding, "replace")
        return Decoded(text, encoding, "detected", "encoding guessed by charset-normalizer")
    return Decoded(data.decode("gb18030", "replace"), "gb18030", "detected",
                   "no encoding decodes the bytes cleanly; undecodable bytes replaced")


def looks_like_mojibake(text: str) -> bool:
    """True when text shows the signature of UTF-8/GBK bytes decoded as Latin-1."""
    return len(_MOJIBAKE.findall(text)) >= 3
