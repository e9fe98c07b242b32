"""Pelican's relative source paths (``Content.get_relative_source_path``), remembered.

Pelican computes a content's path relative to the content folder (``os.path.relpath`` of two
``abspath``) whenever it formats a URL (``url_format``: every ``save_as`` and ``url``), builds an
``Article`` and lists a source: six times per article per build, 2.6 s of a warm 10,000-article
publish under cProfile. For an absolute source path and an absolute ``PATH`` the result depends on
those two strings only, so it is remembered by them (at most ``LIMIT``, emptied when full: a
long-lived ``govsite build --watch`` does not grow); any other call is Pelican's own.
"""

from __future__ import annotations

import os

from pelican.contents import Content

#: Most paths kept (one per source file of the sites built in this process).
LIMIT = 1 << 16
_pelican_relative = Content.get_relative_source_path
_memo: dict[tuple[str, str], str | None] = {}


def relative_source_path(content, source_path: str | None = None) -> str | None:
    """``Content.get_relative_source_path``, remembered for absolute paths."""
    path = source_path or content.source_path
    base = content.settings["PATH"]
    if path is None or not isinstance(path, str) or not isinstance(base, str) \
            or not (os.path.isabs(path) and os.path.isabs(base)):
        return _pelican_relative(content, source_path)
    key = (base, path)
    if key not in _memo:
        if len(_memo) >= LIMIT:
            _memo.clear()
        _memo[key] = _pelican_relative(content, path)
    return _memo[key]


def install() -> None:
    """Make every content (articles, pages, static files) use the memo; idempotent."""
    Content.get_relative_source_path = relative_source_path
