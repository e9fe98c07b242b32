"""Each finished content's URL fields formatted once (Pelican's ``url_format``, ``url``, ``save_as``).

Pelican formats a content's ``url`` and ``save_as`` from the settings on every access: a copy of its
metadata, its relative source path, its slug, date, column and author (``Content.url_format``), then
the setting's pattern, about three times per article per build (the output path check, the URL
freezing, the writer) and once more for every ``url``. Once a generator's content is final (the
stages have run on it), :func:`freeze_urls` keeps on each content those fields, its ``url`` (as
``override_url``, where Pelican itself keeps a fixed URL) and its ``save_as`` (computed by Pelican's
own ``get_url_setting``, its overrides and language-specific settings included; kept apart from
``override_save_as``, which would change the writer's overwrite rules).
"""

from __future__ import annotations

from pelican.contents import Content

#: Where a frozen content keeps its ``url_format`` and its ``save_as``.
FIELDS, SAVE_AS = "_govsite_url_format", "_govsite_save_as"
_pelican_url_format = Content.url_format
_pelican_save_as = Content.save_as


def url_format(content) -> dict:
    """``Content.url_format``: the kept fields of a frozen content, else Pelican's."""
    kept = content.__dict__.get(FIELDS)
    return kept if kept is not None else _pelican_url_format.fget(content)


def save_as(content) -> str:
    """``Content.save_as``: the kept one of a frozen content, else Pelican's."""
    kept = content.__dict__.get(SAVE_AS)
    return kept if kept is not None else _pelican_save_as.fget(content)


def freeze_urls(contents, known: dict | None = None) -> dict[str, tuple[str, str]]:
    """Keep the URL fields, the ``url`` and the ``save_as`` of each content, whose metadata are final;
    idempotent. ``known``: ``{source path: (url, save_as)}`` already formatted for contents whose inputs
    are unchanged (``content_index.kept_results``), taken instead (their fields are then formatted only
    if asked for). Returns ``{source path: (url, save_as)}`` of the contents formatted here that had no
    URL of their own (``URL`` in their metadata)."""
    formatted = {}
    for content in contents:
        kept = content.__dict__
        if SAVE_AS in kept and "override_url" in kept:
            continue  # frozen
        own_url = hasattr(content, "override_url")
        value = known.get(content.source_path) if known and not own_url else None
        if value is not None:
            content.override_url, kept[SAVE_AS] = value
            continue
        if FIELDS not in kept:
            kept[FIELDS] = _pelican_url_format.fget(content)
        if not own_url:
            content.override_url = content.url
        if SAVE_AS not in kept:
            kept[SAVE_AS] = _pelican_save_as.fget(content)
        if not own_url and content.source_path:
            formatted[content.source_path] = (content.override_url, kept[SAVE_AS])
    return formatted


def install() -> None:
    """Make every content use its kept fields once frozen; idempotent."""
    Content.url_format = property(url_format)
    Content.save_as = property(save_as)
