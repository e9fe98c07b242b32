"""Feeds whose titles and summaries are the exact text of the metadata.

Pelican's writer builds each entry's title with ``Markup(item.title).striptags()``, which deletes
anything that looks like a tag and decodes character references (a title ``a <b> &lt;`` becomes
``a  <``), and puts the metadata ``Summary`` into ``<summary type="html">`` as markup. Here the
titles (feed and entries) are the text as written, which feedgenerator writes as XML text, and an
entry's summary is its plain-text description, HTML-escaped for ``type="html"``: a feed reader shows
exactly the text the page shows. A feed with no dated entry (an empty column) is ``<updated>`` at
the start of the build day, not at the moment of writing (feedgenerator's default): the same
content builds the same bytes (an unchanged file keeps its mtime; shards equal the whole build).
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
        latest = feed.latest_post_date
        dated = lambda: any(item.get("updateddate") or item.get("pubdate") for item in feed.items)  # noqa: E731
        feed.latest_post_date = lambda: latest() if dated() else self.build_day()
        return feed

    def build_day(self) -> datetime:
        """The start of the build day (``GOVSITE_TODAY`` or today) in the site's time zone."""
        zone = ZoneInfo((self.settings or {}).get("TIMEZONE") or "Asia/Shanghai")
        return datetime.combine(today_of(self.settings), time(), tzinfo=zone)

    def _add_item_to_the_feed(self, feed, item):
        super()._add_item_to_the_feed(feed, item)
        entry = feed.items[-1]
        entry["title"] = str(item.title)
        entry["description"] = feed_summary(item)
