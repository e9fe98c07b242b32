"""Articles the platform generates inside a Pelican run (lifecycle notices, syndicated reprints),
added to the article generator before categories are built (``article_generator_pretaxonomy``), and
the pages it generates (reports, letters, guides, notices)."""

from __future__ import annotations

import markdown
from pelican.contents import Article, Page


def markdown_renderer(settings) -> markdown.Markdown:
    """A Markdown converter configured as Pelican's own Markdown reader is."""
    return markdown.Markdown(**settings["MARKDOWN"])


def make_article(generator, html: str, metadata: dict, source_path: str) -> Article:
    """A Pelican article from rendered HTML and metadata, in the generator's context."""
    return Article(html, metadata=metadata, settings=generator.settings, source_path=source_path,
                   context=generator.context)


def make_page(generator, html: str, metadata: dict, source_path) -> Page:
    """A Pelican page from rendered HTML and metadata (a platform page: a report, a list, a notice)."""
    return Page(html, metadata=metadata, settings=generator.settings, source_path=str(source_path),
                context=generator.context)


def add_articles(generator, articles: list) -> None:
    """Append articles to the generator, newest first as Pelican orders them."""
    generator.articles.extend(articles)
    generator.articles.sort(key=lambda a: a.date, reverse=True)
