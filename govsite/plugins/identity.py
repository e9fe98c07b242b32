"""Connects the site model (``govsite``) to Pelican: context for the theme, metadata rules, safe bodies.

Settings read (set by ``govsite.build``): ``GOVSITE_CONTENT`` (the group's content
folder) and ``GOVSITE_SITE_ID`` (which site this Pelican run builds).
"""

from __future__ import annotations

import os

from pelican.urlwrappers import Category

from govsite import content_index, stages
from govsite.articles import (
    ARTICLE_KEYS, PAGE_KEYS, check_column, check_image, check_keys, check_static_file, check_todo, check_values,
    join_text_fields, parse_attachments, split_keywords,
)
from govsite.audiences import audiences_of, check_audience
from govsite.body_safety import check_body
from govsite.boundary import check_inside, leaving
from govsite.errors import ContentInvalid, GroupInvalid, Problem
from govsite.lifecycle import effective_site, today_of
from govsite.output_paths import collisions, pelican_claims
from govsite.registry import GROUP_SETTING, load_group
from govsite.theme_context import ThemeContext, description_of

STAGE = "identity"

RELATED_ITEMS = 5
#: What ``article_facts`` found for each article, kept for the next build (``content_index.kept_results``).
FACTS_RESULT = "identity"
#: Problems of ``Slug``/``Status``/``Template`` found as each file is read (Pelican drops a file with an
#: unknown status or a path outside the output before any generator hook sees it).
VALUE_PROBLEMS = "GOVSITE_VALUE_PROBLEMS"


def load_site(pelican) -> None:
    """Load the group, pick this run's site, and give the theme its ``govsite`` global."""
    settings = pelican.settings
    missing = [key for key in ("GOVSITE_CONTENT", "GOVSITE_SITE_ID") if not settings.get(key)]
    if missing:
        raise GroupInvalid([Problem("pelicanconf.py", key, None, "set by `invoke build`, or given with -e")
                            for key in missing])
    group = settings.get(GROUP_SETTING) or load_group(settings["GOVSITE_CONTENT"])
    site = group.get(settings["GOVSITE_SITE_ID"])
    if site is None:
        raise GroupInvalid([Problem(settings["GOVSITE_CONTENT"], "GOVSITE_SITE_ID", settings["GOVSITE_SITE_ID"],
                                    "the id of a site in the group: " + ", ".join(group.sites))])
    site = effective_site(site, today_of(settings), settings.get("GOVSITE_LIFECYCLE"))
    settings.setdefault("JINJA_GLOBALS", {})["govsite"] = ThemeContext(site, group, settings)


def check_values_read(content) -> None:
    """Record the ``Slug``/``Status``/``Template`` problems of each article or page as it is read."""
    if content.settings is None or not content.source_path:
        return
    page = type(content).__name__ == "Page"
    found = check_values(content.source_path, content.metadata, page)
    if found:
        content.settings.setdefault(VALUE_PROBLEMS, []).extend(found)


def value_problems(generator, kind: str = "") -> list[Problem]:
    """The problems :func:`check_values_read` recorded while this generator read its files, and for
    ``kind`` (``ARTICLE`` or ``PAGE``) each file Pelican left out unread: a ``Status: skip``."""
    problems = generator.settings.pop(VALUE_PROBLEMS, [])
    if kind:
        found = generator.get_files(generator.settings[f"{kind}_PATHS"], exclude=generator.settings[f"{kind}_EXCLUDES"])
        for skipped in sorted(set(found) - set(generator.context.get("generated_content", {}))):
            problems += check_values(os.path.join(generator.path, skipped), {"status": "skip"}, kind == "PAGE")
    return problems


def check_articles(generator) -> None:
    """Validate every article's metadata and attach what the theme needs; fail on any problem."""
    settings = generator.settings
    context: ThemeContext = settings["JINJA_GLOBALS"]["govsite"]
    site, problems = context.site, value_problems(generator, "ARTICLE")
    audiences = audiences_of(settings)
    articles = [*generator.articles, *generator.drafts, *generator.hidden_articles,  # every one Pelican writes
                *generator.translations, *generator.hidden_translations, *generator.drafts_translations]
    known, checked = content_index.kept_results(settings, FACTS_RESULT), {}
    for article in articles:
        meta = article.metadata
        join_text_fields(meta)
        facts = known.get(article.source_path)
        if facts is None:
            facts = checked[article.source_path] = article_facts(article, site, settings["DEFAULT_CATEGORY"],
                                                                 audiences)
        found, attachments, tags, keywords = facts
        problems += found
        article.column = site.column(article.category.slug)
        article.audience_tags = tags
        article.attachment_list = list(attachments)
        # Defaults: keywords of the column, the organizer as source (Pelican fills the summary).
        article.keyword_list = keywords or (article.column.keywords if article.column else ())
        article.description = description_of(article)
        article.source = meta.get("source") or site.organizer
    if problems:
        raise ContentInvalid(problems)
    content_index.keep_results(settings, FACTS_RESULT, checked)
    newest: dict = {}  # column -> its newest articles (one sort, not one scan of every article per article)
    for article in sorted(generator.articles, key=lambda a: a.date, reverse=True):
        newest.setdefault(article.category, []).append(article)
    for article in articles:
        candidates = newest.get(article.category, [])[:RELATED_ITEMS + 1]
        article.related_items = [a for a in candidates if a is not article][:RELATED_ITEMS]


def article_facts(article, site, default_category: str, audiences) -> tuple:
    """What one article's metadata and body give, from its file, the site folder and the settings only
    (kept for the next build: ``content_index.kept_results``): ``(problems, attachments, audience
    tags, keywords)``."""
    file, meta = article.source_path, article.metadata
    problems = check_keys(file, meta, ARTICLE_KEYS) + check_todo(file, meta)
    body_file, body_field = body_source(article, site)
    problems += check_body(body_file, article._content, body_field)
    declared = meta.get("category")
    slug = declared.slug if declared else None
    if str(declared) == default_category and not site.column(slug):
        slug = None  # Pelican filled in its default: the article declared no Category
    problems += check_column(file, site, slug)
    problems += check_image(file, site, meta.get("image"), meta.get("imagealt"))
    attachments, found = parse_attachments(file, site, meta.get("attachments"))
    problems += found
    tags, found = check_audience(file, site.column(article.category.slug), meta.get("audience"), audiences)
    problems += found
    return tuple(problems), tuple(attachments), tags, split_keywords(meta.get("keywords"))


def body_source(article, site) -> tuple[str, str]:
    """Where a body comes from, for its problems: the article's file, or for a generated lifecycle
    notice, the site.toml event whose text it is made of."""
    notice = getattr(article, "lifecycle_notice", None)
    if notice is not None:
        return str(site.file), f"lifecycle notice {notice.slug}: body"
    return article.source_path, "body"


def add_empty_columns(generator) -> None:
    """Give every column of site.toml its page and feed, even before its first item: the navigation
    links to every column, and an empty column's page says so (a blank column is an inspection
    finding to fix, not a broken link)."""
    site = generator.settings["JINJA_GLOBALS"]["govsite"].site
    present = {category.slug for category, _ in generator.categories}
    for column in site.columns:
        if column.slug not in present:
            generator.categories.append((Category(column.slug, generator.settings), []))


def check_pages(generator) -> None:
    """Validate standalone pages' metadata keys, values and bodies."""
    problems = value_problems(generator, "PAGE")
    for page in [*generator.pages, *generator.hidden_pages, *generator.draft_pages, *generator.translations,
                 *generator.hidden_translations, *generator.draft_translations]:
        join_text_fields(page.metadata)
        problems += check_body(page.source_path, page._content)
        # Pelican gives every page the DEFAULT_CATEGORY; only a declared one is a problem.
        metadata = {k: v for k, v in page.metadata.items()
                    if not (k == "category" and str(v) == generator.settings["DEFAULT_CATEGORY"])}
        problems += check_keys(page.source_path, metadata, PAGE_KEYS) + check_todo(page.source_path, metadata)
    if problems:
        raise ContentInvalid(problems)


def check_sources(generator) -> None:
    """Every file Pelican is about to read or copy (articles, pages, static files and the
    ``{static}`` links of bodies) lies inside the site folder, and every file published as is lies in
    images/ or attachments/, is of a type that folder may hold and, for an SVG, runs no script: the last
    generator has read them all, and nothing is written yet. A linked file outside the site folder is
    reported against the article or page linking it."""
    folder, context = generator.path, generator.context
    sources = sorted({*context.get("generated_content", {}), *context.get("static_content", {})})
    outside = leaving(folder, sources)
    items = [c for c in context.get("generated_content", {}).values() if c is not None] if outside else []
    problems = value_problems(generator)  # any recorded since the page generator ran
    for source in outside:  # rare: look for the page linking it only then
        linking = next((c.source_path for c in items if source in c.get_static_links()), None)
        problems.append(check_inside(folder, source, linking or source, "{static} link" if linking else "file"))
    problems += [p for static in generator.staticfiles
                 if static.relative_source_path not in outside
                 for p in check_static_file(folder, static.relative_source_path)]
    problems += collisions(pelican_claims(context, generator.settings))
    if problems:
        raise ContentInvalid(problems)


def register() -> None:
    """Hand the receivers to govsite.stages, which runs them in the platform's order."""
    stages.connect(STAGE, {
        "initialized": load_site,
        "content_object_init": check_values_read,
        "article_generator_finalized": (check_articles, add_empty_columns),
        "page_generator_finalized": check_pages,
        "static_generator_finalized": check_sources,
    })
