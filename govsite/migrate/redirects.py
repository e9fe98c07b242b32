"""The register of old URL -> new path that the lifecycle redirects are generated from.

``content/<site-id>/redirects.csv``, header ``old_url,new_path``: ``old_url`` as found on the old
site (absolute URL or root-relative path), ``new_path`` relative to the new site's root. An
existing register is merged: no row is ever dropped; a row the importer wrote earlier follows the
page when it moves, a row written by someone else is kept and the conflict reported.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

HEADER = ("old_url", "new_path")
FILE = "redirects.csv"


def read(path: Path) -> dict[str, str]:
    """Existing rows in order (a file without the header is read as rows too)."""
    rows: dict[str, str] = {}
    if not path.is_file():
        return rows
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            if len(row) < 2 or tuple(c.strip() for c in row[:2]) == HEADER:
                continue
            rows.setdefault(row[0].strip(), row[1].strip())
    return rows


def merge(existing: dict[str, str], ours: dict[str, str], ours_before: dict[str, str]) -> tuple[dict, list, int]:
    """``(rows, conflicts, added)``: existing rows kept; ours added or, where we wrote them, updated."""
    rows = dict(existing)
    conflicts, added = [], 0
    for old, new in ours.items():
        if old not in rows:
            rows[old] = new
            added += 1
        elif rows[old] != new:
            if ours_before.get(old) == rows[old]:
                rows[old] = new
            else:
                conflicts.append({"old_url": old, "kept": rows[old], "importer": new})
    return rows, conflicts, added


def render(rows: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for old, new in rows.items():
        writer.writerow((old, new))
    return out.getvalue().encode("utf-8")
