"""Gives Pelican the incremental writer (``govsite.incremental.IncrementalWriter``); once all content
is read, fixes every article's and page's URL (``freeze_urls``) and makes column membership a set
lookup (``index_memberships``): two per-build costs of Pelican's that grow with the site.

Without the ``GOVSITE_INCREMENTAL`` setting (set by ``invoke build``) it renders every page.
"""

from __future__ import annotations

from pelican import signals

from govsite.incremental import IncrementalWriter, freeze_urls, index_memberships


def get_writer(pelican):
    """The writer class Pelican should use."""
    return IncrementalWriter


def register() -> None:
    """Connect the receivers."""
    signals.get_writer.connect(get_writer)
    signals.all_generators_finalized.connect(freeze_all_urls)


def freeze_all_urls(generators) -> None:
    """Compute each URL once (Pelican formats it from the settings on every access)."""
    for generator in generators:
        freeze_urls([*getattr(generator, "articles", ()), *getattr(generator, "translations", ()),
                     *getattr(generator, "drafts", ()), *getattr(generator, "pages", ()),
                     *getattr(generator, "hidden_pages", ())])
        index_memberships(generator)
