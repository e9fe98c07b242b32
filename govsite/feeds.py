"""Feeds whose titles and summaries are the exact text of the metadata.

Pelican's writer builds each entry's title with ``Markup(item.title).striptags()``, which deletes
anything that looks like a tag and decodes character references (a title ``a <b> &lt;`` becomes
``a  <``), and puts the metadata ``Summary`` into ``<summary type="html">`` as markup. Here the
titles (feed and entries) are the text as written, which feedgenerator writes as XML text, and an
entry's summary is its plain-text description, HTML-escaped for ``type="html"``: a feed reader shows
exactly the text the page shows. A feed without entries is dated at the start of the build day
(feedgenerator would write the wall clock, so the same content gave different bytes on every build).
"""

from __future__ import annotations

from datetime import datetime, time
from html import escape
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pelican.writers import Writer

from .lifecycle import today_of
from .theme_context import description_of


def feed_title(site_name: str, title: str | None) -> str:
    """The feed's title as Pelican composes it (``<site> - <title>``), as plain text."""
    return f"{site_name} - {title}" if title else site_name


def feed_summary(item) -> str | None:
    """An entry's summary as ``type="html"`` content: the escaped plain-text description (None when empty)."""
    text = getattr(item, "description", None)
    if text is None:
        text = description_of(item)
    return escape(text, quote=False) if text else None


def is_absolute(url: str) -> bool:
    """Whether a URL names its scheme (another site's page, as in a portal's 政策礼包 feeds)."""
    return urlsplit(str(url)).scheme in ("http", "https")


def build_day_start(settings: dict) -> datetime:
    """Midnight of the build day (``govsite.lifecycle.today_of``) in the site's time zone."""
    return datetime.combine(today_of(settings), time(), ZoneInfo(settings.get("TIMEZONE") or "UTC"))


def dated_without_entries(feed, settings: dict) -> None:
    """Date ``feed`` at the start of the build day while it has no entries (not the wall clock)."""
    newest = feed.latest_post_date
    feed.latest_post_date = lambda: newest() if feed.items else build_day_start(settings)


class TextFeedWriter(Writer):
    """Pelican's writer with feed titles and summaries kept as text (see the module docstring), and an
    entry's absolute URL (another site of the group) kept as it is: with ``RELATIVE_URLS`` Pelican
    joins every entry URL to the site's as a path."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        join = self.urljoiner
        self.urljoiner = lambda base, url: str(url) if is_absolute(url) else join(base, url)

    def _create_new_feed(self, feed_type, feed_title_text, context):
        feed = super()._create_new_feed(feed_type, feed_title_text, context)
        feed.feed["title"] = feed_title(context["SITENAME"], feed_title_text)
        dated_without_entries(feed, self.settings)
        return feed

    def _add_item_to_the_feed(self, feed, item):
        super()._add_item_to_the_feed(feed, item)
        entry = feed.items[-1]
        entry["title"] = str(item.title)
        entry["description"] = feed_summary(item)
