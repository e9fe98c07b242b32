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
from pathlib import Path

import numpy as np

from .search_text import PageRecord, normalise

#: Changes when the files' shape or bytes change (part of every part's fingerprint). 2: grams in
#: code-point order in each shard (1: first-seen order).
FORMAT = 2
#: Pages per text chunk file.
CHUNK_PAGES = 32
#: At most this many shard files per part (fewer for a small part: about four pages' worth each).
MAX_SHARDS = 256
PAGES_FILE = "pages.json"
_FNV_OFFSET, _FNV_PRIME = 2166136261, 16777619
_SPACE = ord(" ")
_SHIFT = 21  # code points are below 2**21: a bigram is one 42-bit integer


def gram_hash(gram: str) -> int:
    """32-bit FNV-1a over the code points (the worker computes the same)."""
    value = _FNV_OFFSET
    for char in gram:
        value = ((value ^ ord(char)) * _FNV_PRIME) & 0xFFFFFFFF
    return value


def shard_count(pages: int) -> int:
    """A power of two: about one shard per four pages, at least 1, at most MAX_SHARDS."""
    count = 1
    while count < MAX_SHARDS and count * 4 < pages:
        count *= 2
    return count


def postings(texts: list[str]) -> dict[str, list[int]]:
    """``{gram: flat posting list}`` of the normalised ``texts`` (page ids = list positions)."""
    return sharded_postings(texts, 1)[0]


def sharded_postings(texts: list[str], shards: int) -> list[dict[str, list[int]]]:
    """The postings of ``texts`` split into ``shards`` (a power of two) by ``gram_hash``; each shard's
    grams in code-point order (the same bytes in every process).

    Computed on arrays of code points (one sort for the bigrams, one for the characters), not
    character by character: a part of 1,000 pages in about a third of the time."""
    grouped: list[dict[str, list[int]]] = [{} for _ in range(shards)]
    if not texts:
        return grouped
    lengths = np.fromiter(map(len, texts), dtype=np.int32, count=len(texts))
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    pages = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)
    positions = np.arange(codes.size, dtype=np.int32)
    positions -= np.repeat(np.cumsum(lengths, dtype=np.int32) - lengths, lengths)
    pairs = np.flatnonzero(pages[:-1] == pages[1:])       # a character and the next one of its page
    keys = codes[pairs].astype(np.int64)
    keys <<= _SHIFT
    keys |= codes[pairs + 1]
    order = np.argsort(keys, kind="stable")                # stable: by page, then position, per gram
    _add_bigrams(grouped, keys[order], pages[pairs][order], positions[pairs][order])
    solo = np.flatnonzero(codes != _SPACE)
    order = np.argsort(codes[solo], kind="stable")
    _add_unigrams(grouped, codes[solo][order], pages[solo][order])
    return grouped


def _previous(values: np.ndarray) -> np.ndarray:
    """``values`` shifted one place right (0 first)."""
    shifted = np.empty_like(values)
    shifted[0], shifted[1:] = 0, values[:-1]
    return shifted


def _starts(values: np.ndarray) -> np.ndarray:
    """True where a sorted array's value differs from the one before (and at 0)."""
    marks = np.empty(values.size, dtype=bool)
    marks[0] = True
    np.not_equal(values[1:], values[:-1], out=marks[1:])
    return marks


def _add_bigrams(grouped, keys: np.ndarray, pages: np.ndarray, positions: np.ndarray) -> None:
    """Per gram (``keys`` sorted): ``page delta, count, first position, position deltas...`` per page."""
    total = keys.size
    if not total:
        return
    new_gram = _starts(keys)
    new_run = new_gram.copy()                              # a run: one gram's positions on one page
    new_run[1:] |= pages[1:] != pages[:-1]
    run_starts = np.flatnonzero(new_run)
    run_pages = pages[run_starts]
    flat = np.empty(total + 2 * run_starts.size, dtype=np.int32)
    heads = run_starts + 2 * np.arange(run_starts.size, dtype=run_starts.dtype)
    flat[heads] = run_pages - np.where(new_gram[run_starts], 0, _previous(run_pages))
    flat[heads + 1] = np.diff(run_starts, append=total)
    places = np.cumsum(new_run, dtype=np.int64)
    places *= 2
    places += np.arange(total)                             # each position after its run's two heads
    flat[places] = positions - np.where(new_run, 0, _previous(positions))
    gram_starts = np.flatnonzero(new_gram)
    grams = keys[gram_starts]
    first, second = grams >> _SHIFT, grams & ((1 << _SHIFT) - 1)
    _fill(grouped, [chr(a) + chr(b) for a, b in zip(first.tolist(), second.tolist())],
          _hashes(first, second), heads[np.searchsorted(run_starts, gram_starts)], flat)


def _add_unigrams(grouped, chars: np.ndarray, pages: np.ndarray) -> None:
    """Per character (``chars`` sorted): the deltas of the pages it is on."""
    if not chars.size:
        return
    keep = _starts(chars)
    keep[1:] |= pages[1:] != pages[:-1]                    # once per character per page
    chars, pages = chars[keep], pages[keep]
    new_char = _starts(chars)
    starts = np.flatnonzero(new_char)
    firsts = chars[starts]
    _fill(grouped, list(map(chr, firsts.tolist())), _hashes(firsts), starts,
          pages - np.where(new_char, 0, _previous(pages)))


def _hashes(*columns: np.ndarray) -> np.ndarray:
    """``gram_hash`` of many grams at once (``columns``: their first, second... code points)."""
    value = np.full(columns[0].size, _FNV_OFFSET, dtype=np.uint64)
    for column in columns:
        value ^= column.astype(np.uint64)
        value *= np.uint64(_FNV_PRIME)                     # < 2**56: no overflow before the mask
        value &= np.uint64(0xFFFFFFFF)
    return value


def _fill(grouped, grams: list[str], hashes: np.ndarray, starts: np.ndarray, flat: np.ndarray) -> None:
    """Put ``flat[starts[i]:starts[i+1]]`` as ``grams[i]``'s list into its shard."""
    bounds = starts.tolist() + [flat.size]
    values = flat.tolist()
    shards = (hashes & np.uint64(len(grouped) - 1)).tolist()
    for number, gram in enumerate(grams):
        grouped[shards[number]][gram] = values[bounds[number]:bounds[number + 1]]


def write_part(folder: Path, records: list[PageRecord]) -> None:
    """Write the part's files into ``folder`` (which holds none of them yet)."""
    folder.mkdir(parents=True, exist_ok=True)
    shards = shard_count(len(records))
    dump = lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
    (folder / PAGES_FILE).write_text(dump({"format": FORMAT, "shards": shards, "chunk": CHUNK_PAGES,
                                           "pages": [r.row() for r in records]}), "utf-8")
    grouped = sharded_postings([normalise(r.text) for r in records], shards)
    (folder / "s").mkdir(exist_ok=True)
    for number, shard in enumerate(grouped):
        if shard:
            (folder / "s" / f"{number}.json").write_text(dump(shard), "utf-8")
    (folder / "t").mkdir(exist_ok=True)
    for number in range(0, len(records), CHUNK_PAGES):
        (folder / "t" / f"{number // CHUNK_PAGES}.json").write_text(
            dump([r.text for r in records[number:number + CHUNK_PAGES]]), "utf-8")
