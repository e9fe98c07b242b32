"""Publishes lifecycle notices as ordinary articles and guards events already published.

Settings: ``GOVSITE_TODAY`` (the build's day; default today in Beijing), ``GOVSITE_LIFECYCLE``
(``lead_days``, ``offline_notice_days``), ``GOVSITE_RECORD`` (this site's record of published
events and URLs, set by ``invoke build``).
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import markdown
from pelican import signals
from pelican.contents import Article
from pelican.urlwrappers import Category

from govsite.errors import ContentInvalid, Problem
from govsite.lifecycle import Timeline, compare_published, today_of
from govsite.notices import home_banner, notices_for


def _context(generator):
    return generator.settings["JINJA_GLOBALS"]["govsite"]


def check_published(pelican) -> None:
    """Fail before building when an event already published was changed or removed."""
    settings = pelican.settings
    record = settings.get("GOVSITE_RECORD")
    if not record or not Path(record).is_file():
        return
    site = settings["JINJA_GLOBALS"]["govsite"].site
    recorded = json.loads(Path(record).read_text("utf-8")).get("events", [])
    timeline = Timeline.of(site, today_of(settings), settings.get("GOVSITE_LIFECYCLE"))
    changes = compare_published(recorded, list(timeline.events))
    if changes:
        raise ContentInvalid([Problem(site.file, "lifecycle", None, f"published events to stay as published: {c}; "
                                      "add a new event (e.g. info_change) instead") for c in changes])


def add_notices(generator) -> None:
    """Append this site's lifecycle notices to the articles (before categories are built)."""
    context = _context(generator)
    settings = generator.settings
    today = today_of(settings)
    options = settings.get("GOVSITE_LIFECYCLE")
    zone = ZoneInfo(settings.get("TIMEZONE", "Asia/Shanghai"))
    renderer = markdown.Markdown(**settings["MARKDOWN"])  # as Pelican's own Markdown reader does
    banner_slugs = set(home_banner(context.site, today, options))
    added = []
    for notice in notices_for(context.site, context.group, today, options):
        metadata = {
            "title": notice.title, "date": notice.published.replace(tzinfo=zone),
            "category": Category(notice.column, settings), "slug": notice.slug, "source": notice.source,
            "summary": notice.body.split("\n")[0][:120], "keywords": "公告",
        }
        article = Article(renderer.reset().convert(notice.body), metadata=metadata, settings=settings,
                          source_path=os.path.join(settings["PATH"], "lifecycle", notice.slug + ".md"),
                          context=generator.context)
        article.lifecycle_notice = notice
        added.append(article)
    generator.articles.extend(added)
    generator.articles.sort(key=lambda a: a.date, reverse=True)
    generator.context["lifecycle_banner"] = [a for a in added if a.lifecycle_notice.slug in banner_slugs]
    timeline = Timeline.of(context.site, today, options)
    generator.context["lifecycle_maintenance"] = timeline.maintenance()


def register() -> None:
    """Connect the receivers."""
    signals.initialized.connect(check_published)
    signals.article_generator_pretaxonomy.connect(add_notices)
