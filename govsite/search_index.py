"""The static search index of one part of a site: exact substring search by construction.

A part's folder holds (read by the theme's search worker, ``search-worker.js``):

- ``pages.json``: ``{"format", "shards", "chunk", "pages": [[path, title, date, column, site, reprint], ...]}``;
  a page's id is its place in that list.
- ``s/<n>.json``: the postings of the grams whose hash (``gram_hash``, FNV-1a over code points)
  falls in shard ``n``: ``{gram: [...]}``. A bigram's list is, per page, ``id delta, count,
  first position, position deltas...`` (positions in the page's ``normalise``d text, in code
  points); a unigram's list is the id deltas only. Bigrams include a boundary (``"年 "``), so any
  normalised query of two or more characters is matched exactly by chaining its bigrams' positions,
  and one character by its unigram.
- ``t/<n>.json``: the texts of pages ``n*chunk ... n*chunk+chunk-1`` (as shown, for the excerpts),
  fetched only for the results on screen.
"""

from __future__ import annotations

import json
import operator
from pathlib import Path

from .search_text import PageRecord, normalise

#: Changes when the files' shape changes (part of every part's fingerprint).
FORMAT = 1
#: Pages per text chunk file.
CHUNK_PAGES = 32
#: At most this many shard files per part (fewer for a small part: about four pages' worth each).
MAX_SHARDS = 256
PAGES_FILE = "pages.json"


def gram_hash(gram: str) -> int:
    """32-bit FNV-1a over the code points (the worker computes the same)."""
    value = 2166136261
    for char in gram:
        value = ((value ^ ord(char)) * 16777619) & 0xFFFFFFFF
    return value


def shard_count(pages: int) -> int:
    """A power of two: about one shard per four pages, at least 1, at most MAX_SHARDS."""
    count = 1
    while count < MAX_SHARDS and count * 4 < pages:
        count *= 2
    return count


def postings(texts: list[str]) -> dict[str, list[int]]:
    """``{gram: flat posting list}`` of the normalised ``texts`` (page ids = list positions)."""
    found: dict[str, list[int]] = {}
    last: dict[str, int] = {}
    for page, text in enumerate(texts):
        local: dict[str, list[int]] = {}
        for position, gram in enumerate(map(operator.add, text, text[1:])):
            spots = local.get(gram)
            if spots is None:
                local[gram] = [position]
            else:
                spots.append(position)
        for gram, spots in local.items():
            entry = found.get(gram)
            if entry is None:
                entry = found[gram] = []
            entry.append(page - last.get(gram, 0))
            entry.append(len(spots))
            entry.append(spots[0])
            if len(spots) > 1:
                entry.extend(map(operator.sub, spots[1:], spots))
            last[gram] = page
        for char in dict.fromkeys(text):      # first-seen order, not a set's: the same bytes in every process
            if char != " ":
                entry = found.get(char)
                if entry is None:
                    entry = found[char] = []
                entry.append(page - last.get(char, 0))
                last[char] = page
    return found


def write_part(folder: Path, records: list[PageRecord]) -> None:
    """Write the part's files into ``folder`` (which holds none of them yet)."""
    folder.mkdir(parents=True, exist_ok=True)
    shards = shard_count(len(records))
    dump = lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
    (folder / PAGES_FILE).write_text(dump({"format": FORMAT, "shards": shards, "chunk": CHUNK_PAGES,
                                           "pages": [r.row() for r in records]}), "utf-8")
    grouped: list[dict[str, list[int]]] = [{} for _ in range(shards)]
    for gram, values in postings([normalise(r.text) for r in records]).items():
        grouped[gram_hash(gram) & (shards - 1)][gram] = values
    (folder / "s").mkdir(exist_ok=True)
    for number, shard in enumerate(grouped):
        if shard:
            (folder / "s" / f"{number}.json").write_text(dump(shard), "utf-8")
    (folder / "t").mkdir(exist_ok=True)
    for number in range(0, len(records), CHUNK_PAGES):
        (folder / "t" / f"{number // CHUNK_PAGES}.json").write_text(
            dump([r.text for r in records[number:number + CHUNK_PAGES]]), "utf-8")
