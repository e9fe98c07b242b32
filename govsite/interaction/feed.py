"""The Atom feed of a site's replies (``feeds/letters.atom.xml``; on the portal, the group's): one entry
per answered letter, newest reply first. Titles are the subject as text (feedgenerator writes XML
text); the summary is the reply as escaped plain text, as govsite/feeds.py does for articles.
"""

from __future__ import annotations

from datetime import datetime, time
from html import escape
from zoneinfo import ZoneInfo

from feedgenerator import Atom1Feed

from govsite.feeds import feed_title
from govsite.registry import Site

from .pages import FEED_PATH as FEED, LETTERS, anchor
from .records import Letter

TITLE = "来信答复"
MAX_ITEMS = 50


def replies_feed(site: Site, letters: list[Letter], zone: ZoneInfo, locations: dict[str, str] | None = None) -> str:
    """The feed's XML text for ``letters`` (only those with a reply are entries), each linked to its
    place in the site's letters pages (``locations``: pages.letter_locations; default the first page)."""
    locations = locations or {}
    feed = Atom1Feed(title=feed_title(site.name, TITLE), link=site.url + LETTERS, feed_url=site.url + FEED,
                     description="", language="zh-CN")
    answered = sorted((item for item in letters if item.done and item.reply_date),
                      key=lambda item: (item.reply_date, item.key), reverse=True)
    for item in answered[:MAX_ITEMS]:
        moment = datetime.combine(item.reply_date, time(), zone)
        feed.add_item(title=item.subject, link=site.url + locations.get(item.key, f"{LETTERS}#{anchor(item)}"),
                      description=escape(item.reply or "", quote=False), pubdate=moment, updateddate=moment,
                      unique_id=f"tag:{site.domain},{item.reply_date}:{item.key}")
    return feed.writeString("utf-8")
