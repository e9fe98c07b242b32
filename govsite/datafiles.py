"""Structured content kept as TOML data files (letters, service guides, interviews...): one schema reader.

A content type declares its fields once (``Field``); ``read_folder`` reads every ``*.toml`` file of
a folder of a site, each holding one record or an array of them (``[[letter]]``), and returns the
records with every problem at once: unknown keys (with the closest known one), missing required
fields, wrong types, values outside a fixed list. Each problem names the file, the field (with the
record's place, ``letter[2].reply_date``) and what is expected. Values are untrusted text: the
reader only types them; whoever writes them escapes them.

Symbolic links of a site folder are refused before anything is read (``boundary.link_problems``).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field as dataclass_field
from datetime import date, datetime
from pathlib import Path

from .errors import Problem
from .toml_files import TomlUnreadable, read_toml

#: The name of a data file that is its page's address (``guides/<name>.toml``, ``interviews/<name>.toml``):
#: lower-case ASCII letters and digits, inner hyphens, at most 80 characters.
PAGE_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?")


def page_name_problem(file: Path, reserved: tuple[str, ...] = ()) -> Problem | None:
    """The problem with ``file``'s name as a page address, if any (``reserved``: names the pages around it use)."""
    if PAGE_NAME.fullmatch(file.stem) and file.stem not in reserved:
        return None
    taken = f" (not {' or '.join(reserved)}: those pages exist already)" if reserved else ""
    return Problem(file, "file name", file.name, "a file name <name>.toml, the name in lower-case ASCII letters, "
                   f"digits and hyphens, as it is the page's address{taken}")


#: The kinds of value a field may hold, with what a problem says is expected.
KINDS = {
    "text": "a non-empty text (a TOML string)",
    "date": "a date, written YYYY-MM-DD without quotes",
    "int": "a whole number >= 0",
    "number": "a number >= 0",
    "bool": "true or false",
    "choice": "one of: {choices}",
    "choices": "a list of texts, each one of: {choices}",
    "texts": "a list of non-empty texts",
    "tables": "a list of tables ([[{key}]] entries)",
}
#: Characters never allowed in a text (control characters other than tab and line breaks).
CONTROL = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"} | {"\x7f"}


@dataclass(frozen=True)
class Field:
    """One field of a content type: its TOML key, its label for readers, its kind."""

    key: str
    label: str
    kind: str = "text"
    required: bool = True
    choices: tuple[str, ...] = ()
    #: For ``tables``: the fields of each entry.
    fields: tuple["Field", ...] = ()

    def expected(self) -> str:
        return KINDS[self.kind].format(choices=", ".join(self.choices), key=self.key)


@dataclass
class Record:
    """One record read from a data file: its values by key (absent optional fields are None)."""

    file: Path
    #: The record's place in the file: ``letter[2]`` for the third ``[[letter]]``, "" for a whole file.
    place: str
    values: dict = dataclass_field(default_factory=dict)

    def __getitem__(self, key: str):
        return self.values.get(key)

    def where(self, key: str = "") -> str:
        """The field name a problem about ``key`` of this record gives."""
        return ".".join(part for part in (self.place, key) if part)

    def problem(self, key: str, expected: str) -> Problem:
        """A problem with field ``key`` of this record (for the rules a type checks across fields)."""
        return Problem(self.file, self.where(key), self.values.get(key), expected)


def check_value(spec: Field, value, file: Path, where: str, problems: list[Problem]):
    """``value`` typed by ``spec`` (texts stripped), or None after adding a problem."""
    kind = spec.kind
    ok = False
    if kind == "text":
        ok = isinstance(value, str) and bool(value.strip()) and not CONTROL & set(value)
        value = value.strip() if ok else value
    elif kind == "date":
        ok = isinstance(value, date) and not isinstance(value, datetime)
    elif kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    elif kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
    elif kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "choice":
        ok = isinstance(value, str) and value.strip() in spec.choices
        value = value.strip() if ok else value
    elif kind in ("texts", "choices"):
        ok = isinstance(value, list) and all(isinstance(v, str) and v.strip() and not CONTROL & set(v)
                                             for v in value)
        if ok and kind == "choices":
            ok = all(v.strip() in spec.choices for v in value)
        value = [v.strip() for v in value] if ok else value
    elif kind == "tables":
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            return [check_table(spec.fields, entry, file, f"{where}[{i}]", problems)
                    for i, entry in enumerate(value)]
    if not ok:
        problems.append(Problem(file, where, value, spec.expected()))
        return None
    return value


def check_table(schema: tuple[Field, ...], table: dict, file: Path, place: str,
                problems: list[Problem]) -> dict:
    """The values of one table checked against ``schema``: unknown, missing and mistyped keys reported."""
    known = {spec.key: spec for spec in schema}
    values: dict = {}
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(Problem(file, _join(place, key), table[key],
                                    f"no such field{hint}; known fields: {', '.join(known)}"))
    for spec in schema:
        where = _join(place, spec.key)
        if spec.key not in table:
            if spec.required:
                problems.append(Problem(file, where, None, f"{spec.label}: {spec.expected()}"))
            values[spec.key] = None
            continue
        values[spec.key] = check_value(spec, table[spec.key], file, where, problems)
    return values


def read_records(path: Path, schema: tuple[Field, ...], array: str | None,
                 problems: list[Problem]) -> list[Record]:
    """The records of one data file: the whole file (``array`` None) or each ``[[array]]`` entry."""
    try:
        document = read_toml(path)
    except TomlUnreadable as exc:
        problems.append(Problem(path, "", None, exc.expected))
        return []
    except OSError as exc:
        problems.append(Problem(path, "", None, f"a readable file ({exc.strerror})"))
        return []
    if array is None:
        return [Record(path, "", check_table(schema, document, path, "", problems))]
    entries = document.get(array)
    extra = sorted(set(document) - {array})
    if extra:
        problems.append(Problem(path, extra[0], document[extra[0]], f"only [[{array}]] entries in this file"))
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        problems.append(Problem(path, array, entries, f"one or more [[{array}]] entries"))
        return []
    return [Record(path, f"{array}[{i}]", check_table(schema, entry, path, f"{array}[{i}]", problems))
            for i, entry in enumerate(entries)]


def data_files(folder: Path) -> list[Path]:
    """The ``*.toml`` files of ``folder`` and its subfolders, in a stable order (none if it is absent)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*.toml") if p.is_file())


def read_folder(folder: Path, schema: tuple[Field, ...], array: str | None = None
                ) -> tuple[list[Record], list[Problem]]:
    """Every record of every data file under ``folder``, and every problem found in them."""
    problems: list[Problem] = []
    records = [record for path in data_files(folder) for record in read_records(path, schema, array, problems)]
    return records, problems


def _join(place: str, key: str) -> str:
    return f"{place}.{key}" if place else key
