"""TOML files written by people (site.toml, annual/<year>.toml, migration mappings, lexicons): one reader;
and the value writer for TOML the platform writes for people to review (migration drafts, frozen inspections).

A leading UTF-8 byte-order mark (which Windows editors write) is dropped, as most TOML tools do. A
file that is not UTF-8 (UTF-16 from "Unicode" in Notepad, GBK from its "ANSI" in a Chinese Windows)
is refused with a message that names the encoding problem and where it is, never a bare "Invalid
statement (at line 1, column 1)".
"""

from __future__ import annotations

import codecs
import datetime as _dt
import re
import tomllib
from pathlib import Path

#: Byte-order marks of the encodings TOML does not allow, longest first (UTF-32 LE starts like UTF-16 LE).
FOREIGN_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))
SAVE_AS_UTF8 = "save it as UTF-8 (in Notepad: Save As, Encoding UTF-8)"
_SURROGATES = re.compile(r"[\ud800-\udfff]")


class TomlUnreadable(ValueError):
    """Not UTF-8 text or not valid TOML; ``expected`` says what the file must be (for a Problem)."""

    def __init__(self, expected: str):
        super().__init__(expected)
        self.expected = expected


def read_toml(path: Path | str) -> dict:
    """The TOML document of ``path`` (OSError as from reading; TomlUnreadable for its content)."""
    return parse_toml(Path(path).read_bytes())


def parse_toml(data: bytes) -> dict:
    """The TOML document in ``data``: UTF-8, with or without a leading byte-order mark."""
    try:
        return tomllib.loads(toml_text(data))
    except tomllib.TOMLDecodeError as exc:
        raise TomlUnreadable(f"valid TOML ({exc})") from None


def toml_text(data: bytes) -> str:
    """``data`` decoded as UTF-8 (a leading BOM dropped); TomlUnreadable naming the encoding otherwise."""
    for bom, name in FOREIGN_BOMS:
        if data.startswith(bom):
            raise TomlUnreadable(f"UTF-8 text, but the file is {name} (it starts with a {name} byte-order mark); "
                                 + SAVE_AS_UTF8)
    if b"\x00" in data:  # never in TOML; every other byte of UTF-16 text in ASCII
        raise TomlUnreadable(f"UTF-8 text, but the file has NUL bytes (it looks like UTF-16 without a byte-order "
                             f"mark); {SAVE_AS_UTF8}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TomlUnreadable(_not_utf8(data, exc.start)) from None


def _not_utf8(data: bytes, start: int) -> str:
    """What is wrong with bytes that are not UTF-8 from ``start``: where, and the likely encoding."""
    line = data.count(b"\n", 0, start) + 1
    line_start = data.rfind(b"\n", 0, start) + 1
    column = len(data[line_start:start].decode("utf-8", "replace")) + 1
    where = f"byte 0x{data[start]:02x} at line {line}, column {column} is not UTF-8"
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return f"UTF-8 text, but {where}; {SAVE_AS_UTF8}"
    return (f"UTF-8 text, but {where}: the file looks saved as GBK/GB 18030 (Windows' ANSI code page in "
            f"Chinese); {SAVE_AS_UTF8}")


def toml_string(value: str) -> str:
    """A TOML basic string (``"..."``) that reads back as ``value``: quotes, backslashes and every
    control character escaped (TOML allows none of them raw but tab)."""
    out = ['"']
    for char in _SURROGATES.sub("\ufffd", value):
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def toml_value(value) -> str:
    """A TOML value for a string, bool, number, date or list of them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        return toml_string(value)
    raise TypeError(f"no TOML form for {type(value).__name__}")
