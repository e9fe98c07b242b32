"""Re-indexing a part of a site's search index after some of its pages changed: merged from the
part as last written, not computed again from all its pages.

A part's postings as the shard files spell them (``PartPostings``) are kept with its pages and
their region digests: in this process for the last ``REMEMBERED_PARTS`` parts it wrote, and in a
file per part in the site's cache (``<cache>/<fingerprint>.npz``, written by whichever process
indexed the part, worker processes included; only the current parts' files are kept). A part to
index whose pages are the same as a kept part's whose folder the build can still link from (its
fingerprint is in the previous bundle) is written by splicing only its changed pages' runs into
the posting lists: the shard files, text chunks and ``pages.json`` those pages do not change are
hard-linked from the previous bundle. Anything else (pages added, removed or moved between parts;
no kept state) indexes the part whole. Either way the files are the bytes a fresh index writes
(``tests/test_search.py``).

Memory: a remembered part holds its shards' JSON, 8 bytes per run (a gram on a page) and ~300
bytes per gram: 13.5 MB for a part of 994 pages of the 10,000-article benchmark site (7.7 MB of
JSON, 622,000 runs), so about 55 MB at most whatever the site's size (parts have at most
``part_pages`` pages). Disk: a kept part's file holds the runs and the grams, not the JSON (read
from the part's shard files): ~5 MB for such a part.
"""

from __future__ import annotations

import json
import logging
import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from .files import link_or_copy
from .search_index import (CHUNK_PAGES, PAGES_FILE, PartPostings, chunk_file_text, pages_file_text, shard_count,
                           write_part)
from .search_text import PageRecord, normalise

#: Parts a process remembers (the ones it wrote last).
REMEMBERED_PARTS = 4
#: The file of a kept part in the cache folder.
STATE_SUFFIX = ".npz"


@dataclass
class RememberedPart:
    """A part as last written."""

    fingerprint: str
    options: str | None       # what else decides the records (the excluded elements' XPath)
    pages: tuple[str, ...]
    regions: list[str]        # the pages' region digests
    postings: PartPostings


_remembered: OrderedDict[str, RememberedPart] = OrderedDict()


def forget() -> None:
    """Forget every remembered part (tests)."""
    _remembered.clear()


def index_part(folder: Path, fingerprint: str, pages: tuple[str, ...], regions: list[str], options: str | None,
               record: Callable[[int], PageRecord | None], known: dict[str, Path], cache: Path | None = None,
               remember: bool = True) -> bool:
    """Write the part into ``folder``: merged when a kept part (remembered, or in ``cache``) has the
    same pages and its folder is among ``known`` (``{fingerprint: folder}`` of the previous bundle),
    else whole; ``record(i)`` reads page ``i``. The result is kept in ``cache`` and, with
    ``remember`` (not in a worker process: lost with it), in this process. True: merged."""
    old = _kept(folder.name, pages, options, known, cache)
    if old is not None:
        _remembered.pop(old.fingerprint, None)   # changed below: kept again once written
        changed = {i: record(i) for i, (was, now) in enumerate(zip(old.regions, regions)) if was != now}
        if None not in changed.values():
            source = known[old.fingerprint]
            _merge(old.postings, changed, source, folder, len(pages))
            _keep(RememberedPart(fingerprint, options, pages, list(regions), old.postings), cache, remember)
            return True
    records = [record(i) for i in range(len(pages))]
    if None in records:  # a page lost its region while being read: index what there is, keep nothing
        write_part(folder, [r for r in records if r is not None])
        return False
    postings = PartPostings([normalise(r.text) for r in records], shard_count(len(records)))
    write_part(folder, records, postings)
    _keep(RememberedPart(fingerprint, options, pages, list(regions), postings), cache, remember)
    return False


def _kept(directory: str, pages: tuple[str, ...], options, known: dict[str, Path],
          cache: Path | None) -> RememberedPart | None:
    """A kept part with these pages whose folder is in ``known``: remembered, else from ``cache`` (the
    parts that were in the same folder ``directory`` of the bundle)."""
    for part in _remembered.values():
        if part.pages == pages and part.options == options and part.fingerprint in known:
            return part
    if cache is None:
        return None
    for fingerprint, source in known.items():
        if not source.name.startswith(directory):  # the part was elsewhere (a bundle in place: "search-index.previous")
            continue
        path = cache / (fingerprint + STATE_SUFFIX)
        if path.is_file() and _head(path) == {"fingerprint": fingerprint, "options": options, "pages": list(pages)}:
            return load_part(path, source)
    return None


def _keep(part: RememberedPart, cache: Path | None, remember: bool) -> None:
    if remember:
        _remembered[part.fingerprint] = part
        while len(_remembered) > REMEMBERED_PARTS:
            _remembered.popitem(last=False)
    if cache is not None:
        save_part(cache / (part.fingerprint + STATE_SUFFIX), part)


def save_part(path: Path, part: RememberedPart) -> None:
    """Keep ``part`` in the file ``path`` (replaced whole)."""
    grams, lengths, counts, pages, starts = part.postings.columns()
    head = {"fingerprint": part.fingerprint, "options": part.options, "pages": part.pages}
    rest = {"regions": part.regions, "shards": part.postings.shards, "grams": grams}
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + f".tmp{os.getpid()}.npz")
    np.savez(temporary, head=_bytes(head), rest=_bytes(rest), lengths=lengths, counts=counts, run_pages=pages,
             run_starts=starts)
    os.replace(temporary, path)


def _bytes(value) -> np.ndarray:
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode(), dtype=np.uint8)


def _head(path: Path) -> dict | None:
    """What a kept part is (fingerprint, options, pages), read without its postings."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return json.loads(bytes(data["head"]).decode())
    except (OSError, ValueError, KeyError) as error:
        _drop(path, error)
        return None


def load_part(path: Path, folder: Path) -> RememberedPart | None:
    """The part kept in ``path``, its texts read from its folder ``folder``; None (logged) when the
    file or the folder is not what it should be: the part is then indexed whole."""
    try:
        with np.load(path, allow_pickle=False) as data:
            head, rest = (json.loads(bytes(data[key]).decode()) for key in ("head", "rest"))
            columns = (rest["grams"], data["lengths"], data["counts"], data["run_pages"], data["run_starts"])
            postings = PartPostings.restored(rest["shards"], columns, folder)
        return RememberedPart(head["fingerprint"], head["options"], tuple(head["pages"]), rest["regions"], postings)
    except (OSError, ValueError, KeyError, TypeError) as error:
        _drop(path, error)
        return None


def _drop(path: Path, error: Exception) -> None:
    """Remove a kept part that cannot be used (logged): its part is indexed whole, and kept anew."""
    logging.getLogger(__name__).warning("search: kept part %s removed (%s): its part is indexed whole", path, error)
    path.unlink(missing_ok=True)


def forget_stale(cache: Path | None, fingerprints: set[str]) -> None:
    """Remove the kept parts of ``cache`` that are not among ``fingerprints`` (the bundle's parts)."""
    if cache is None or not cache.is_dir():
        return
    for entry in os.scandir(cache):
        if entry.name.removesuffix(STATE_SUFFIX) not in fingerprints or not entry.name.endswith(STATE_SUFFIX):
            os.unlink(entry.path)


def _merge(postings: PartPostings, changed: dict[int, PageRecord], source: Path, folder: Path, count: int) -> None:
    """Write the part into ``folder`` after the ``changed`` pages' records replaced what ``source`` (the
    part's folder in the previous bundle) has of them; the files they do not change linked from it."""
    old_chunks = {chunk: json.loads((source / f"t/{chunk}.json").read_text("utf-8"))
                  for chunk in {page // CHUNK_PAGES for page in changed}}
    old_rows = json.loads((source / PAGES_FILE).read_text("utf-8"))["pages"]
    rows = [*old_rows]
    touched: set[int] = set()
    for page, record in changed.items():
        texts = old_chunks[page // CHUNK_PAGES]
        touched |= postings.replace_page(page, normalise(texts[page % CHUNK_PAGES]), normalise(record.text))
        rows[page] = record.row()
    for sub in ("s", "t"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    if rows != old_rows:
        (folder / PAGES_FILE).write_text(pages_file_text(rows, postings.shards), "utf-8")
    else:
        link_or_copy(source / PAGES_FILE, folder / PAGES_FILE)
    for number in range(postings.shards):
        name = f"s/{number}.json"
        if number in touched:
            text = postings.shard_text(number)
            if text:
                (folder / name).write_text(text, "utf-8")
        elif (source / name).exists():
            link_or_copy(source / name, folder / name)
    for chunk in range((count + CHUNK_PAGES - 1) // CHUNK_PAGES):
        name = f"t/{chunk}.json"
        if chunk in old_chunks:
            texts = list(old_chunks[chunk])
            for page, record in changed.items():
                if page // CHUNK_PAGES == chunk:
                    texts[page % CHUNK_PAGES] = record.text
            (folder / name).write_text(chunk_file_text(texts), "utf-8")
        else:
            link_or_copy(source / name, folder / name)
