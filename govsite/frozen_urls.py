"""Each finished content's URL fields formatted once (Pelican's ``url_format``, ``url``).

Pelican formats a content's ``url`` and ``save_as`` from the settings on every access: a copy of its
metadata, its relative source path, its slug, date, column and author (``Content.url_format``), about
three times per article per build (the output path check, the URL freezing, the writer) and
once more for every ``url``. Once a generator's content is final (the stages have run on it),
:func:`freeze_urls` keeps those fields on each content and its ``url``; Pelican's own
``get_url_setting`` then formats ``save_as`` (and a translation's language-specific URLs) from the
kept fields, so its overrides and overwrite rules stay as they are (``override_url`` is where Pelican
itself keeps a fixed URL; no ``override_save_as`` is set: it would change the writer's overwrite
rules).
"""

from __future__ import annotations

from pelican.contents import Content

#: Where a frozen content keeps its ``url_format``.
FIELDS = "_govsite_url_format"
_pelican_url_format = Content.url_format


def url_format(content) -> dict:
    """``Content.url_format``: the kept fields of a frozen content, else Pelican's."""
    kept = content.__dict__.get(FIELDS)
    return kept if kept is not None else _pelican_url_format.fget(content)


def freeze_urls(contents) -> None:
    """Keep the URL fields and the ``url`` of each content, whose metadata are final; idempotent."""
    for content in contents:
        if FIELDS not in content.__dict__:
            content.__dict__[FIELDS] = _pelican_url_format.fget(content)
        if not hasattr(content, "override_url"):
            content.override_url = content.url


def install() -> None:
    """Make every content use its kept fields once frozen; idempotent."""
    Content.url_format = property(url_format)
