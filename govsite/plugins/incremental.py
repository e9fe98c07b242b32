"""Gives Pelican the incremental writer (``govsite.incremental.IncrementalWriter``) and removes the
per-build costs of Pelican's that grow with the site: a Markdown instance per file, and every article
converted in one process (``govsite.markdown_reader``); every article and column list page rendered
in one process (``govsite.parallel_pages``); once all content is read, every URL formatted on each
access (``govsite.frozen_urls``) and column membership scanned as a list (``index_memberships``); and every
date formatted and every relative source path computed again on every build (``govsite.date_memo``,
``govsite.source_paths``); and in a process that builds a site again (``govsite build --watch``), every
unchanged article read again (``govsite.content_index``).

Without the ``GOVSITE_INCREMENTAL`` setting (set by ``invoke build``) it renders every page.
"""

from __future__ import annotations

from govsite import content_index, date_memo, frozen_urls, source_paths, stages
from govsite.frozen_urls import freeze_urls
from govsite.incremental import IncrementalWriter, index_memberships
from govsite.markdown_reader import close_prefetch, prefetch_articles, use_reusing_reader
from govsite.parallel_pages import use_parallel_pages

STAGE = "incremental"
#: The ``(url, save_as)`` each article was frozen with, kept for the next build (``content_index.kept_results``).
URLS_RESULT = "frozen_urls"


def get_writer(pelican):
    """The writer class Pelican should use."""
    return IncrementalWriter


def register() -> None:
    """Hand the receivers to govsite.stages, which runs them in the platform's order."""
    use_parallel_pages()
    date_memo.install()
    source_paths.install()
    content_index.install(lambda: stages.dispatcher_ids("content_object_init"))
    frozen_urls.install()
    stages.connect(STAGE, {
        "get_writer": get_writer,
        "readers_init": use_reusing_reader,
        "article_generator_init": prefetch_articles,
        "article_generator_pretaxonomy": close_prefetch,
        "article_generator_finalized": freeze_article_urls,
        "all_generators_finalized": freeze_all_urls,
        "article_writer_finalized": drop_pages_linked_ahead,
    })


def drop_pages_linked_ahead(generator, writer=None) -> None:
    """Once the article pages, column lists and feeds are written, before any other generator writes:
    unlink the live pages linked ahead that this build did not keep (``IncrementalWriter``)."""
    if isinstance(writer, IncrementalWriter):
        writer.drop_pages_linked_ahead()


def writes_through_no_link() -> bool:
    """Whether the writer Pelican will use is the incremental writer alone (it never writes through a
    page linked ahead); asked once the plugins are loaded."""
    from pelican import signals

    return set(signals.get_writer.receivers) == {id(get_writer)}


def freeze_article_urls(generator) -> None:
    """Format the articles' URLs once, as soon as they are final (the last stage at this signal): the
    output path check and the writer then use them."""
    settings = generator.settings
    formatted = freeze_urls([*generator.articles, *generator.translations, *generator.hidden_articles,
                             *generator.hidden_translations, *generator.drafts, *generator.drafts_translations],
                            content_index.kept_results(settings, URLS_RESULT))
    content_index.keep_results(settings, URLS_RESULT, formatted)


def freeze_all_urls(generators) -> None:
    """Compute each URL once (Pelican formats it from the settings on every access)."""
    for generator in generators:
        freeze_urls([*getattr(generator, "articles", ()), *getattr(generator, "translations", ()),
                     *getattr(generator, "drafts", ()), *getattr(generator, "pages", ()),
                     *getattr(generator, "hidden_pages", ())])
        index_memberships(generator)
