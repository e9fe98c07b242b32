"""Article pages and column list pages rendered by forked processes, one share each.

Pelican renders every page in one process, one after another; the rest of the build waits. When a
site has many articles, ``generate_articles`` forks one process per further core once the context
is complete: each child renders a contiguous share of the articles with Pelican's own
``generate_articles`` (the same templates, context and writer, so the same bytes) while this
process renders the first share; ``generate_categories`` shares the columns out by their sizes the
same way. Each child sends back what the writer recorded (the page keys, counts,
kept links, written files, what each page shows, the pages linked ahead it took) and the warnings logged. A child that fails fails the build with its
error; nothing it wrote is published, since the site is built into a staging folder.

Only done when it is safe: a POSIX ``fork``, this process has one thread, the writer is
``IncrementalWriter``, and no receiver listens to a signal Pelican sends per page
(``article_generator_write_article``, ``content_written``), whose effects a child would keep.
"""

from __future__ import annotations

import logging
import os
import pickle
import traceback

from pelican import signals
from pelican.generators import ArticlesGenerator

from .errors import GovsiteError
from .incremental import IncrementalWriter
from .workers import can_fork

#: Below this many articles, one process is faster than forking.
PARALLEL_THRESHOLD = 200
#: The generator's lists Pelican's ``generate_articles`` renders, in its order.
_LISTS = ("translations", "articles", "hidden_translations", "hidden_articles")
_render_articles = ArticlesGenerator.generate_articles
_render_columns = ArticlesGenerator.generate_categories


def generate_articles(generator, write) -> None:
    """``ArticlesGenerator.generate_articles``, in forked processes when there are many articles. A
    publish that keeps the pages showing no edited article (``IncrementalWriter.keep_untouched``) keeps
    them first, in one pass (Pelican's write call for each cost more), and shares out only the rest:
    forking the watching process and taking a share back cost 0.1 s at 10,000 articles."""
    writer = _writer(write)
    if isinstance(writer, IncrementalWriter) and writer.edited_in_place() is not None \
            and not signals.article_generator_write_article.receivers:
        # a publish: the pages showing no edited article kept here, in one pass; the rest written below
        rest = {name: [article for article in getattr(generator, name) if not writer.keep_untouched_article(article)]
                for name in _LISTS}
        return _render_share(generator, write, rest, _generate_articles)
    return _generate_articles(generator, write)


def _generate_articles(generator, write) -> None:
    total = sum(len(getattr(generator, name)) for name in _LISTS)
    processes = _processes(total, write)
    if processes < 2:
        return _render_articles(generator, write)
    for template in {article.template for name in _LISTS for article in getattr(generator, name)}:
        generator.get_template(template)  # loaded (and compiled) once, before the processes part
    _in_processes(generator, write, [_share(generator, n, processes, total) for n in range(processes)],
                  _render_articles)


def generate_categories(generator, write) -> None:
    """``ArticlesGenerator.generate_categories`` (the columns' list pages), in forked processes when the
    columns to render hold many articles: the columns shared out by their sizes."""
    sizes = [len(articles) + 1 for _, articles in generator.categories]
    writer = _writer(write)
    edited = writer.edited_in_place() if isinstance(writer, IncrementalWriter) else None
    work = sum(sizes) if edited is None else sum(  # a column's pages kept untouched are not work
        size if not writer.untouched(column.save_as) else sum(a.source_path in edited for a in articles)
        for size, (column, articles) in zip(sizes, generator.categories))
    processes = min(_processes(work, write), len(sizes))
    if processes < 2:
        return _render_columns(generator, write)
    generator.get_template("category")
    loads, shares = [0] * processes, [[] for _ in range(processes)]
    for index in sorted(range(len(sizes)), key=lambda i: -sizes[i]):  # the largest column first, to the lightest share
        lightest = loads.index(min(loads))
        shares[lightest].append(index)
        loads[lightest] += sizes[index]
    _in_processes(generator, write, [{"categories": [generator.categories[i] for i in sorted(share)]}
                                     for share in shares], _render_columns)


def _processes(total: int, write) -> int:
    """How many processes render ``total`` items (1: this one alone)."""
    if total < PARALLEL_THRESHOLD or not _forkable(_writer(write)):
        return 1
    return min(os.cpu_count() or 1, total // max(PARALLEL_THRESHOLD // 2, 1))


def _writer(write):
    """The writer whose ``write_file`` Pelican passes (a partial of it)."""
    return getattr(getattr(write, "func", write), "__self__", None)


def _in_processes(generator, write, shares: list[dict[str, list]], render) -> None:
    """``render(generator, write)`` once per share (the generator's lists set to it): the first here, the
    others in forked children, whose writer records and warnings are taken back."""
    writer = getattr(write, "func", write).__self__
    before = _writer_state(writer)
    children = []
    for share in shares[1:]:
        reading, writing = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: render its share, report, exit without running the parent's cleanup
            os.close(reading)
            _child(generator, write, writer, share, before, writing, render)
        os.close(writing)
        children.append((pid, reading))
    failures = []
    try:
        _render_share(generator, write, shares[0], render)
    finally:
        for pid, reading in children:
            report = _read_all(reading)
            _, status = os.waitpid(pid, 0)
            if not report:
                failures.append(f"a process rendering pages ended without a report (status {status})")
                continue
            result = pickle.loads(report)
            for level, name, message in result["log"]:
                logging.getLogger(name).log(level, "%s", message)
            if result.get("error"):
                failures.append(result["error"])
            else:
                _merge(writer, result["state"])
    if failures:
        raise GovsiteError("rendering pages in parallel failed:\n" + "\n".join(failures))


def _forkable(writer) -> bool:
    return (can_fork() and isinstance(writer, IncrementalWriter)
            and not signals.article_generator_write_article.receivers and not signals.content_written.receivers)


def _share(generator, number: int, processes: int, total: int) -> dict[str, list]:
    """The ``number``-th of ``processes`` contiguous shares of the articles, as the generator's lists."""
    start, end = total * number // processes, total * (number + 1) // processes
    share, offset = {}, 0
    for name in _LISTS:
        items = getattr(generator, name)
        share[name] = items[max(start - offset, 0):max(end - offset, 0)]
        offset += len(items)
    return share


def _render_share(generator, write, share: dict[str, list], render) -> None:
    """``render`` (Pelican's method) over ``share`` (the generator's lists put back after)."""
    kept = {name: getattr(generator, name) for name in share}
    try:
        for name, items in share.items():
            setattr(generator, name, items)
        render(generator, write)
    finally:
        for name, items in kept.items():
            setattr(generator, name, items)


def _child(generator, write, writer, share, before: dict, writing: int, render) -> None:
    """Render ``share``, write the report to the pipe and exit (never returns)."""
    code, captured = 0, _Capture()
    logging.getLogger().handlers = [captured]  # the parent logs them once, through its own handlers
    try:
        _render_share(generator, write, share, render)
        result = {"state": _changes(before, _writer_state(writer))}
    except BaseException:  # noqa: BLE001 - reported to the parent, which fails the build
        result, code = {"error": traceback.format_exc(limit=8)}, 1
    result["log"] = captured.records
    try:
        data = pickle.dumps(result)
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(data)
    finally:
        os._exit(code)


class _Capture(logging.Handler):
    """The warnings and errors logged in a child, to be logged again by the parent."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[tuple[int, str, str]] = []

    def emit(self, record):
        self.records.append((record.levelno, record.name, record.getMessage()))


def _writer_state(writer) -> dict:
    return {"keys": dict(writer.keys), "counts": dict(writer.counts), "linked": dict(writer.linked),
            "shown": dict(writer.shown),
            "written": set(writer._written_files), "overridden": set(writer._overridden_files),
            "ahead": set(writer._ahead)}


def _changes(before: dict, after: dict) -> dict:
    """What the child's writer recorded since the fork."""
    return {"keys": {k: v for k, v in after["keys"].items() if before["keys"].get(k) != v},
            "counts": {k: v - before["counts"].get(k, 0) for k, v in after["counts"].items()},
            "linked": {k: v for k, v in after["linked"].items() if before["linked"].get(k) != v},
            "shown": {k: v for k, v in after["shown"].items() if before["shown"].get(k) != v},
            "unlinked": [k for k in before["linked"] if k not in after["linked"]],
            "written": after["written"] - before["written"], "overridden": after["overridden"] - before["overridden"],
            "taken_ahead": before["ahead"] - after["ahead"]}


def _merge(writer, changes: dict) -> None:
    writer.keys.update(changes["keys"])
    for key, value in changes["counts"].items():
        writer.counts[key] = writer.counts.get(key, 0) + value
    for path in changes["unlinked"]:
        writer.linked.pop(path, None)
    writer.linked.update(changes["linked"])
    writer.shown.update(changes["shown"])
    writer._written_files |= changes["written"]
    writer._overridden_files |= changes["overridden"]
    for path in changes["taken_ahead"]:  # pages linked ahead the child kept or unlinked
        writer._ahead.pop(path, None)


def _read_all(descriptor: int) -> bytes:
    with os.fdopen(descriptor, "rb") as pipe:
        return pipe.read()


def use_parallel_pages() -> None:
    """Render article pages and column list pages with :func:`generate_articles` and
    :func:`generate_categories` (idempotent)."""
    ArticlesGenerator.generate_articles = generate_articles
    ArticlesGenerator.generate_categories = generate_categories
