"""Re-indexing a part of a site's search index in a long-lived build (``govsite build --watch``):
merged from the part as this process last wrote it, not computed again from all its pages.

The process remembers the last ``REMEMBERED_PARTS`` parts it indexed (their pages, region digests,
result rows, normalised texts and ``PartPostings``). A part to index whose pages are the same as a
remembered part's, and whose remembered folder the build can still link from (its fingerprint is
in the previous bundle), is written by splicing only its changed pages' runs into the posting lists:
the shard files and text chunks those pages do not touch are hard-linked from the previous bundle.
Anything else (pages added, removed or moved between parts; a cold process) indexes the part whole
and remembers it. Either way the files are the bytes a fresh index writes (``tests/test_search.py``).

Memory: a remembered part holds its normalised text (2 bytes a CJK character), its shards' JSON,
8 bytes per run (a gram on a page) and ~300 bytes per gram: 17 MB for a part of 994 pages of the
10,000-article benchmark site (3.1 MB of text, 7.7 MB of JSON, 622,000 runs), so about 70 MB at
most whatever the site's size (parts have at most ``part_pages`` pages).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .files import link_or_copy
from .search_index import (CHUNK_PAGES, PAGES_FILE, PartPostings, chunk_file_text, pages_file_text, shard_count,
                           write_part)
from .search_text import PageRecord, normalise

#: Parts a process remembers (the ones it indexed last).
REMEMBERED_PARTS = 4


@dataclass
class RememberedPart:
    """A part as this process last wrote it."""

    fingerprint: str
    options: object           # what else decides the records (the excluded selectors)
    pages: tuple[str, ...]
    regions: list[str]        # the pages' region digests
    rows: list[list]          # pages.json's rows
    texts: list[str]          # the pages' normalised texts
    postings: PartPostings


_remembered: OrderedDict[str, RememberedPart] = OrderedDict()


def forget() -> None:
    """Forget every remembered part (tests)."""
    _remembered.clear()


def index_part(folder: Path, fingerprint: str, pages: tuple[str, ...], regions: list[str], options,
               record: Callable[[int], PageRecord | None], known: dict[str, Path]) -> bool:
    """Write the part into ``folder``, merged when a remembered part has the same pages and its folder
    is among ``known`` (``{fingerprint: folder}`` of the previous bundle), else whole; ``record(i)``
    reads page ``i``. True: merged."""
    old = next((part for part in _remembered.values() if part.pages == pages and part.options == options
                and part.fingerprint in known), None)
    if old is not None:
        del _remembered[old.fingerprint]   # changed below: remembered again once written
        changed = {i: record(i) for i, (was, now) in enumerate(zip(old.regions, regions)) if was != now}
        if None not in changed.values():
            _merge(old, changed, known[old.fingerprint], folder)
            old.fingerprint, old.regions = fingerprint, list(regions)
            _remember(old)
            return True
    records = [record(i) for i in range(len(pages))]
    if None in records:  # a page lost its region while being read: index what there is, remember nothing
        write_part(folder, [r for r in records if r is not None])
        return False
    texts = [normalise(r.text) for r in records]
    postings = PartPostings(texts, shard_count(len(records)))
    write_part(folder, records, postings)
    _remember(RememberedPart(fingerprint, options, pages, list(regions), [r.row() for r in records], texts, postings))
    return False


def _remember(part: RememberedPart) -> None:
    _remembered[part.fingerprint] = part
    while len(_remembered) > REMEMBERED_PARTS:
        _remembered.popitem(last=False)


def _merge(part: RememberedPart, changed: dict[int, PageRecord], source: Path, folder: Path) -> None:
    """Update ``part`` with the ``changed`` pages' records and write it into ``folder``: the files
    they do not change linked from ``source`` (the part's folder in the previous bundle)."""
    shards = part.postings.shards
    touched: set[int] = set()
    rows_changed = False
    for page, record in changed.items():
        text = normalise(record.text)
        touched |= part.postings.replace_page(page, part.texts[page], text)
        part.texts[page] = text
        rows_changed |= part.rows[page] != record.row()
        part.rows[page] = record.row()
    for sub in ("s", "t"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    if rows_changed:
        (folder / PAGES_FILE).write_text(pages_file_text(part.rows, shards), "utf-8")
    else:
        link_or_copy(source / PAGES_FILE, folder / PAGES_FILE)
    for number in range(shards):
        name = f"s/{number}.json"
        if number in touched:
            text = part.postings.shard_text(number)
            if text:
                (folder / name).write_text(text, "utf-8")
        elif (source / name).exists():
            link_or_copy(source / name, folder / name)
    chunks = {page // CHUNK_PAGES for page in changed}
    for chunk in range((len(part.pages) + CHUNK_PAGES - 1) // CHUNK_PAGES):
        name = f"t/{chunk}.json"
        if chunk in chunks:
            texts = json.loads((source / name).read_text("utf-8"))
            for page, record in changed.items():
                if page // CHUNK_PAGES == chunk:
                    texts[page - chunk * CHUNK_PAGES] = record.text
            (folder / name).write_text(chunk_file_text(texts), "utf-8")
        else:
            link_or_copy(source / name, folder / name)
