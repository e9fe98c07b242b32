"""Pelican's Markdown reader, with one Python-Markdown instance per process instead of one per file,
and the articles a build must read converted in worker processes ahead of Pelican's reading.

Pelican's ``MarkdownReader.read`` constructs ``Markdown(**MARKDOWN)`` for every file: loading and
configuring the extensions (extra, toc, meta) cost 3.4 s of a cold 10,000-article build here.
Python-Markdown supports reuse: ``reset()`` between documents clears every extension's state. The
output is the same as Pelican's own reader's (tested on every Markdown file of the demo and the
test group).

Pelican reads articles one by one in one process. When a build has many articles to read (none in
Pelican's cache: a first or full build), ``prefetch_articles`` hands them to worker processes (one
per core) as the articles generator starts; Pelican's reading then takes each file's converted body
and raw metadata from them (waiting for its batch) and does the rest itself: metadata fields, the
content object, the signals. A file that changed since a worker read it, or that a worker could not
convert, is converted here as before (the same error, if any, reported by Pelican).
"""

from __future__ import annotations

import os
import pickle
from concurrent.futures import CancelledError, Future

from markdown import Markdown
from markdown.preprocessors import Preprocessor
from pelican.cache import FileDataCacher
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from .workers import process_pool

#: Below this many articles to read, converting them here is faster than starting workers.
PARALLEL_THRESHOLD = 200
#: Files per worker task.
BATCH = 50


class _Placeholder(Preprocessor):
    """Does nothing; stands as ``meta`` for Pelican's ``_parse_metadata``, which removes ``meta``
    from the instance it formats metadata fields with (once per call)."""

    def run(self, lines):
        return lines


class ReusingMarkdownReader(MarkdownReader):
    """``MarkdownReader`` that reuses two instances: one for documents (with the meta extension),
    one for formatted metadata fields such as ``Summary`` (Pelican's ``_parse_metadata``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._document: Markdown | None = None
        self._fields: Markdown | None = None
        self.prefetched: Prefetch | None = None

    def read(self, source_path):
        self._source_path = source_path
        converted = self.prefetched.take(source_path) if self.prefetched else None
        if converted is None:
            if self._document is None:
                self._document = Markdown(**self.settings["MARKDOWN"])
            converted = convert(self._document, source_path)
        content, meta = converted
        if meta is None:
            return content, {}
        if self._fields is None:
            self._fields = Markdown(**self.settings["MARKDOWN"])
        elif "meta" not in self._fields.preprocessors:
            self._fields.preprocessors.register(_Placeholder(self._fields), "meta", 0)
        self._md = self._fields
        return content, self._parse_metadata(meta)


def convert(document: Markdown, source_path: str) -> tuple[str, dict | None]:
    """The file's body HTML and raw metadata (None: the meta extension is not loaded)."""
    document.reset()
    with pelican_open(source_path) as text:
        content = document.convert(text)
    return content, getattr(document, "Meta", None)


_worker_document: tuple[str, Markdown] | None = None  # a worker's instance, for one MARKDOWN setting


def convert_batch(markdown: bytes, paths: list[str]) -> dict[str, tuple[int, int, str, dict | None]]:
    """A worker's task: ``{path: (size, mtime_ns, body, metadata)}`` of the files it could convert (a
    file it could not is left to Pelican's own reading, which reports the error)."""
    global _worker_document
    if _worker_document is None or _worker_document[0] != markdown:
        _worker_document = (markdown, Markdown(**pickle.loads(markdown)))
    document, converted = _worker_document[1], {}
    for path in paths:
        try:
            info = os.stat(path)
            converted[path] = (info.st_size, info.st_mtime_ns, *convert(document, path))
        except Exception:  # noqa: BLE001 - converted again by Pelican's reading, which reports it
            continue
    return converted


class Prefetch:
    """Articles being converted in worker processes, taken one by one by the reader."""

    def __init__(self, markdown: bytes, paths: list[str], workers: int):
        self._pool = process_pool(workers)
        self._batches: dict[str, Future] = {}
        for start in range(0, len(paths), BATCH):
            batch = paths[start:start + BATCH]
            future = self._pool.submit(convert_batch, markdown, batch)
            self._batches.update((path, future) for path in batch)

    def take(self, path: str) -> tuple[str, dict | None] | None:
        """The converted body and metadata of ``path``; None: convert it here (not prefetched, changed
        since it was converted, or the worker failed)."""
        future = self._batches.pop(path, None)
        if future is None:
            return None
        try:
            found = future.result().get(path)
        except (Exception, CancelledError):  # noqa: BLE001 - a broken worker, a closed pool: read here
            return None
        if found is None:
            return None
        size, mtime_ns, content, meta = found
        try:
            info = os.stat(path)
        except OSError:
            return None
        return (content, meta) if (info.st_size, info.st_mtime_ns) == (size, mtime_ns) else None

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


_active: list[ReusingMarkdownReader] = []  # readers with workers: closed when reading ends or the next build starts


def prefetch_articles(generator) -> None:
    """``article_generator_init`` receiver: convert the articles Pelican will read (not in its caches)
    in worker processes when there are many."""
    close_prefetch()
    reader = generator.readers.readers.get("md")
    workers = os.cpu_count() or 1
    if not isinstance(reader, ReusingMarkdownReader) or workers < 2:
        return
    settings = generator.settings
    paths = []
    for name in generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"]):
        path = os.path.abspath(os.path.join(generator.path, name))
        if os.path.splitext(name)[1][1:] in reader.file_extensions and not _in_cache(generator, name) \
                and not _in_cache(generator.readers, path):
            paths.append(path)
    if len(paths) < PARALLEL_THRESHOLD:
        return
    try:
        markdown = pickle.dumps(reader.settings["MARKDOWN"])
    except Exception:  # noqa: BLE001 - a setting that cannot go to a worker: Pelican reads them all here
        return
    reader.prefetched = Prefetch(markdown, paths, workers)
    _active.append(reader)


def _in_cache(cacher, key: str) -> bool:
    """Whether Pelican's cache holds an entry for ``key``, without checking its stamp (an md5 of the
    file, which Pelican's reading computes anyway): a cached file that changed is not prefetched,
    Pelican reads it itself."""
    return FileDataCacher.get_cached_data(cacher, key, None) is not None


def close_prefetch(*_args) -> None:
    """Stop the workers (``article_generator_pretaxonomy``: reading is over)."""
    while _active:
        reader = _active.pop()
        prefetched, reader.prefetched = reader.prefetched, None
        if prefetched is not None:
            prefetched.close()


def use_reusing_reader(readers) -> None:
    """``readers_init`` receiver: read Markdown files with ``ReusingMarkdownReader``."""
    for extension in MarkdownReader.file_extensions:
        if readers.reader_classes.get(extension) is MarkdownReader:
            readers.reader_classes[extension] = ReusingMarkdownReader
