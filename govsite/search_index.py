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
from dataclasses import dataclass
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
    grams in code-point order, bigrams before characters (the same bytes in every process).

    Computed on arrays of code points (one sort for the bigrams, one for the characters), not
    character by character: a part of 1,000 pages in about a third of the time."""
    grouped: list[dict[str, list[int]]] = [{} for _ in range(shards)]
    for lists in gram_lists(texts):
        _fill(grouped, lists)
    return grouped


@dataclass(frozen=True)
class GramLists:
    """The posting lists of one kind of gram (bigrams, or characters), flat: gram ``i`` is
    ``grams[i]``, its list ``flat[starts[i]:starts[i + 1]]``, made of runs (one page's part of the
    list each) ``gram_runs[i]`` to ``gram_runs[i + 1]``; run ``r`` starts at ``flat[run_heads[r]]`` and is
    about page ``run_pages[r]``."""

    grams: list[str]
    hashes: np.ndarray
    starts: np.ndarray      # len(grams) + 1 values, the last one flat.size
    flat: np.ndarray
    gram_runs: np.ndarray   # len(grams) + 1 values
    run_heads: np.ndarray
    run_pages: np.ndarray


def gram_lists(texts: list[str]) -> tuple[GramLists, ...]:
    """The bigram and the character lists of the normalised ``texts`` (page ids = list positions);
    none for no text."""
    if not texts:
        return ()
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
    bigrams = _bigram_lists(keys[order], pages[pairs][order], positions[pairs][order])
    solo = np.flatnonzero(codes != _SPACE)
    order = np.argsort(codes[solo], kind="stable")
    unigrams = _unigram_lists(codes[solo][order], pages[solo][order])
    return tuple(lists for lists in (bigrams, unigrams) if lists is not None)


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


def _bigram_lists(keys: np.ndarray, pages: np.ndarray, positions: np.ndarray) -> GramLists | None:
    """Per gram (``keys`` sorted): ``page delta, count, first position, position deltas...`` per page."""
    total = keys.size
    if not total:
        return None
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
    gram_runs = np.searchsorted(run_starts, gram_starts)
    return GramLists([chr(a) + chr(b) for a, b in zip(first.tolist(), second.tolist())], _hashes(first, second),
                     np.append(heads[gram_runs], flat.size), flat, np.append(gram_runs, run_starts.size),
                     heads, run_pages)


def _unigram_lists(chars: np.ndarray, pages: np.ndarray) -> GramLists | None:
    """Per character (``chars`` sorted): the deltas of the pages it is on (a run: one delta)."""
    if not chars.size:
        return None
    keep = _starts(chars)
    keep[1:] |= pages[1:] != pages[:-1]                    # once per character per page
    chars, pages = chars[keep], pages[keep]
    new_char = _starts(chars)
    starts = np.flatnonzero(new_char)
    firsts = chars[starts]
    bounds = np.append(starts, chars.size)
    return GramLists(list(map(chr, firsts.tolist())), _hashes(firsts), bounds,
                     pages - np.where(new_char, 0, _previous(pages)), bounds, np.arange(chars.size), pages)


def _hashes(*columns: np.ndarray) -> np.ndarray:
    """``gram_hash`` of many grams at once (``columns``: their first, second... code points)."""
    value = np.full(columns[0].size, _FNV_OFFSET, dtype=np.uint64)
    for column in columns:
        value ^= column.astype(np.uint64)
        value *= np.uint64(_FNV_PRIME)                     # < 2**56: no overflow before the mask
        value &= np.uint64(0xFFFFFFFF)
    return value


def _fill(grouped, lists: GramLists) -> None:
    """Put each gram's list into its shard."""
    bounds = lists.starts.tolist()
    values = lists.flat.tolist()
    shards = (lists.hashes & np.uint64(len(grouped) - 1)).tolist()
    for number, gram in enumerate(lists.grams):
        grouped[shards[number]][gram] = values[bounds[number]:bounds[number + 1]]


#: 10, 100, ... 10**9: the decimal digits of a non-negative int32 are 1 + the powers it reaches.
_POWERS = 10 ** np.arange(1, 10, dtype=np.int64)


class PartPostings:
    """A part's posting lists as the shard files spell them, by gram, for a long-lived build to
    re-write the part after some of its pages changed without computing the others' again
    (``replace_page``). Per gram: ``[text, pages, starts]``, the list's JSON without its brackets, the
    pages of its runs (one page's part of the list each) and where each run starts in ``text``.
    Memory: the shard files' text, plus 8 bytes per run (a gram on a page) and ~300 per gram."""

    def __init__(self, texts: list[str], shards: int):
        """The postings of the normalised ``texts`` (page ids = list positions) in ``shards`` shards."""
        self.shards = shards
        self.grams: dict[str, list] = {}
        self.members: list[set[str]] = [set() for _ in range(shards)]
        for lists in gram_lists(texts):
            spelled = json.dumps(lists.flat.tolist(), separators=(",", ":"))
            widths = np.searchsorted(_POWERS, lists.flat, side="right") + 1
            offsets = np.zeros(lists.flat.size + 1, dtype=np.int64)
            np.cumsum(widths + 1, out=offsets[1:])       # where each number starts in spelled[1:]
            run_of_gram = np.repeat(np.arange(len(lists.grams)), np.diff(lists.gram_runs))
            run_starts = (offsets[lists.run_heads] - offsets[lists.starts[run_of_gram]]).astype(np.int32)
            text_bounds = (offsets[lists.starts] + 1).tolist()
            runs = lists.gram_runs.tolist()
            shard_of = (lists.hashes & np.uint64(shards - 1)).tolist()
            for number, gram in enumerate(lists.grams):
                first, last = runs[number], runs[number + 1]
                self.grams[gram] = [spelled[text_bounds[number]:text_bounds[number + 1] - 1],
                                    lists.run_pages[first:last], run_starts[first:last]]
                self.members[shard_of[number]].add(gram)

    def columns(self) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The lists as columns, to keep in a file: the grams, each list's text length and run count,
        and every run's page and start (the texts are the shard files' own: see ``restored``)."""
        grams = list(self.grams)
        entries = [self.grams[gram] for gram in grams]
        return (grams, np.array([len(e[0]) for e in entries], dtype=np.int64),
                np.array([e[1].size for e in entries], dtype=np.int64),
                np.concatenate([e[1] for e in entries] or [np.zeros(0, np.int32)]).astype(np.int32),
                np.concatenate([e[2] for e in entries] or [np.zeros(0, np.int32)]).astype(np.int32))

    @classmethod
    def restored(cls, shards: int, columns, folder: Path) -> "PartPostings":
        """The postings kept as ``columns()``, their texts read from the part's shard files in ``folder``
        (ValueError: the files are not the ones the columns describe)."""
        grams, lengths, counts, pages, starts = columns
        postings = cls([], shards)
        bounds = np.concatenate([[0], np.cumsum(counts)]).tolist()
        sizes = dict(zip(grams, lengths.tolist()))
        for number, gram in enumerate(grams):
            postings.members[postings.shard(gram)].add(gram)
            postings.grams[gram] = [None, pages[bounds[number]:bounds[number + 1]],
                                    starts[bounds[number]:bounds[number + 1]]]
        for number, members in enumerate(postings.members):
            if not members:
                continue
            text, place = (folder / "s" / f"{number}.json").read_text("utf-8"), 1
            for gram in sorted(members, key=_shard_order):
                key = json.dumps(gram, ensure_ascii=False)
                if text[place:place + len(key) + 2] != key + ":[":
                    raise ValueError(f"{folder}/s/{number}.json: {gram!r} is not where its kept postings say")
                place += len(key) + 2
                postings.grams[gram][0] = text[place:place + sizes[gram]]
                place += sizes[gram] + 2
            if place != len(text):
                raise ValueError(f"{folder}/s/{number}.json: longer than its kept postings say")
        return postings

    def shard(self, gram: str) -> int:
        return gram_hash(gram) & (self.shards - 1)

    def shard_text(self, number: int) -> str | None:
        """The JSON of shard ``number`` (the bytes ``write_part`` writes); None: no gram in it."""
        grams = sorted(self.members[number], key=_shard_order)
        if not grams:
            return None
        return "{" + ",".join(f"{json.dumps(gram, ensure_ascii=False)}:[{self.grams[gram][0]}]" for gram in grams) + "}"

    def replace_page(self, page: int, old_text: str, new_text: str) -> set[int]:
        """Page ``page``'s normalised text is now ``new_text`` (was ``old_text``): splice its runs into
        the lists of the grams whose run on it changed; the shards of those grams."""
        old, new = page_runs(old_text), page_runs(new_text)
        changed = set()
        for gram in old.keys() | new.keys():
            if old.get(gram) != new.get(gram):
                self._splice(gram, page, new.get(gram))
                changed.add(self.shard(gram))
        return changed

    def _splice(self, gram: str, page: int, body: str | None) -> None:
        """Put ``page``'s run of ``gram`` (its numbers after the page delta; None: the page has no
        run) into the gram's list: the next page's delta follows."""
        entry = self.grams.get(gram)
        if entry is None:
            self.grams[gram] = [_run(page, body), np.array([page], dtype=np.int32), np.zeros(1, dtype=np.int32)]
            self.members[self.shard(gram)].add(gram)
            return
        text, pages, starts = entry
        count = pages.size
        here = int(np.searchsorted(pages, page))
        after = here + 1 if here < count and pages[here] == page else here   # the first run after the page
        before = int(pages[here - 1]) if here else 0
        ends = np.append(starts[1:] - 1, len(text))
        middle, middle_pages = [], []
        if body is not None:
            middle.append(_run(page - before, body))
            middle_pages.append(page)
        if after < count:
            run = text[starts[after]:ends[after]]
            comma = run.find(",")
            middle.append(_run(int(pages[after]) - (page if body is not None else before),
                               run[comma + 1:] if comma >= 0 else ""))
            middle_pages.append(int(pages[after]))
        pieces = ([text[:ends[here - 1]]] if here else []) + middle
        rest = text[starts[after + 1] - 1:] if after + 1 < count else ""     # ",<run>,<run>..."
        text = ",".join(pieces) + rest if pieces else rest[1:]
        if not text:
            del self.grams[gram]
            self.members[self.shard(gram)].discard(gram)
            return
        widths = np.concatenate([ends[:here] - starts[:here], [len(m) for m in middle],
                                 ends[after + 1:] - starts[after + 1:]]).astype(np.int32)
        starts = np.zeros(widths.size, dtype=np.int32)
        np.cumsum(widths[:-1] + 1, out=starts[1:])
        self.grams[gram] = [text, np.concatenate([pages[:here], np.array(middle_pages, dtype=np.int32),
                                                  pages[after + 1:]]).astype(np.int32), starts]


def _shard_order(gram: str) -> tuple[bool, str]:
    """The order of a shard's grams: bigrams, then characters, each in code-point order."""
    return len(gram) == 1, gram


def _run(delta: int, body: str) -> str:
    return f"{delta},{body}" if body else str(delta)


def page_runs(text: str) -> dict[str, str]:
    """``{gram: its run's numbers after the page delta}`` of one normalised page text ("" for a character)."""
    return {gram: ",".join(map(str, values[1:])) for gram, values in postings([text]).items()}


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def pages_file_text(rows: list[list], shards: int) -> str:
    return _dump({"format": FORMAT, "shards": shards, "chunk": CHUNK_PAGES, "pages": rows})


def chunk_file_text(texts: list[str]) -> str:
    return _dump(texts)


def write_part(folder: Path, records: list[PageRecord], postings: PartPostings | None = None) -> None:
    """Write the part's files into ``folder`` (which holds none of them yet); ``postings``: the
    records' (``PartPostings``), else computed here."""
    folder.mkdir(parents=True, exist_ok=True)
    shards = shard_count(len(records))
    (folder / PAGES_FILE).write_text(pages_file_text([r.row() for r in records], shards), "utf-8")
    (folder / "s").mkdir(exist_ok=True)
    if postings is None:
        grouped = sharded_postings([normalise(r.text) for r in records], shards)
        texts = [_dump(shard) if shard else None for shard in grouped]
    else:
        texts = [postings.shard_text(number) for number in range(shards)]
    for number, text in enumerate(texts):
        if text:
            (folder / "s" / f"{number}.json").write_text(text, "utf-8")
    (folder / "t").mkdir(exist_ok=True)
    for number in range(0, len(records), CHUNK_PAGES):
        (folder / "t" / f"{number // CHUNK_PAGES}.json").write_text(
            chunk_file_text([r.text for r in records[number:number + CHUNK_PAGES]]), "utf-8")
