"""Adds the portal's syndicated items (``Syndicate: true``) to a department site's news column as
reprints (转载): dated as the portal item, ``Source`` = the portal's name, ``OriginalURL`` = the
portal article's absolute URL, a visible 来源/原文链接 note, relative links made absolute to the
portal. On a portal, writes ``reports/<domain>/syndication.{json,html}``: which department sites
carry each item.

Settings read: ``GOVSITE_CONTENT`` / ``GOVSITE_SITE_ID`` (through the identity plugin's context),
``GOVSITE_REPORT_DIR``; written: ``GOVSITE_LINKS_KNOWN`` (the portal URLs the reprints link to).
"""

from __future__ import annotations

from pathlib import Path

from pelican.contents import Article
from pelican.readers import Readers
from pelican.urlwrappers import Category

from govsite import stages
from govsite.checks.links import KNOWN_URLS_SETTING
from govsite.errors import ContentInvalid, Problem
from govsite.generated_articles import add_articles, make_article
from govsite.syndication import (
    absolutize_links, carriage, news_column, original_url, reprint_note, syndicated_files, write_carriage_report,
)

STAGE = "syndication"

#: Metadata carried over from the portal item (image and attachments stay on the original).
CARRIED = ("title", "date", "author", "reviewer", "summary", "keywords", "slug", "modified")


def add_reprints(generator) -> None:
    """Append the portal's syndicated items to this department's articles (before categories)."""
    context = generator.settings["JINJA_GLOBALS"]["govsite"]
    site, group = context.site, context.group
    if site.kind != "department" or not site.parent:
        return
    portal = group.portal_of(site)
    files = syndicated_files(portal)
    if not files:
        return
    column = news_column(site)
    settings = generator.settings
    readers = Readers(settings)
    read = {}

    def portal_article(path: Path):
        if path not in read:
            read[path] = readers.read_file(str(portal.folder), str(path), content_class=Article,
                                           context=generator.context)
        return read[path]

    taken = {a.save_as: a.source_path for a in generator.articles}
    known = list(settings.get(KNOWN_URLS_SETTING, ()))
    added, problems = [], []
    for path in files:
        source = portal_article(path)
        url = original_url(portal, source.url)
        body, linked = absolutize_links(source._content, portal, path, url,
                                        lambda target: original_url(portal, portal_article(target).url))
        metadata = {key: source.metadata[key] for key in CARRIED if key in source.metadata}
        metadata |= {"category": Category(column.slug, settings), "source": portal.name, "originalurl": url}
        reprint = make_article(generator, body + reprint_note(portal, url), metadata, str(path))
        reprint.syndicated_from = portal
        if reprint.save_as in taken:
            problems.append(Problem(path, "Slug", metadata.get("slug"),
                                    f"a slug not used in {site.id}'s column {column.slug} that month "
                                    f"(the reprint would overwrite {taken[reprint.save_as]})"))
            continue
        taken[reprint.save_as] = str(path)
        known += [url, *linked]
        added.append(reprint)
    if problems:
        raise ContentInvalid(problems)
    settings[KNOWN_URLS_SETTING] = known
    add_articles(generator, added)


def report_carriage(pelican) -> None:
    """On a portal: which department sites carry each syndicated item (reports/<domain>/syndication.*)."""
    settings = pelican.settings
    context = settings["JINJA_GLOBALS"]["govsite"]
    if context.site.kind != "portal" or not settings.get("GOVSITE_REPORT_DIR"):
        return
    rows = carriage(context.group, context.site)
    write_carriage_report(rows, Path(settings["GOVSITE_REPORT_DIR"]), context.site)


def register() -> None:
    """Hand the receivers to govsite.stages, which runs them in the platform's order."""
    stages.connect(STAGE, {"article_generator_pretaxonomy": add_reprints, "finalized": report_carriage})
