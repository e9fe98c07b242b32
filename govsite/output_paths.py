"""Two things published at one path: found before anything is written, naming both.

Pelican stops with ``FileOverwriteFailedError`` naming only the output file when two articles share a
slug, or when a page's ``Slug`` is ``index``, ``sitemap`` or ``404`` (the platform's own pages); the
web office needs the source files instead. ``collisions`` takes every claim on an output path (content
items, static files, the platform's pages, column lists and feeds) and reports each path claimed twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

from .errors import Problem


@dataclass(frozen=True)
class Claim:
    """Something that will be written at ``path``: a content file (``source``) or the platform's ``what``."""

    path: str
    what: str
    source: str = ""

    def describe(self) -> str:
        return self.source or self.what


def collisions(claims: list[Claim]) -> list[Problem]:
    """One problem per later claim on a path an earlier claim already has (content files reported
    against themselves, the platform's pages never)."""
    first: dict[str, Claim] = {}
    problems = []
    ordered = sorted(claims, key=lambda c: (c.path, c.source != "", c.source))  # the platform's first
    for claim in ordered:
        earlier = first.setdefault(claim.path, claim)
        if earlier is claim:
            continue
        blamed = claim if claim.source else earlier
        other = earlier if blamed is claim else claim
        problems.append(Problem(blamed.source or blamed.what, "Slug (output path)", blamed.path,
                                f"an output path nothing else uses: {claim.path} is also {other.describe()} "
                                "(set another Slug or rename the file)"))
    return problems


#: The context key where the platform's own generators list the :class:`Claim` of each file they will
#: write (e.g. the 政策礼包 pages), before the static generator reads its files.
CONTEXT_CLAIMS = "govsite_claims"


def pelican_claims(context: dict, settings: dict) -> list[Claim]:
    """Every output path of a Pelican run whose generators have all read their content."""
    claims = list(context.get(CONTEXT_CLAIMS, ()))
    articles = list(chain(context.get("articles", []), context.get("hidden_articles", []),
                          context.get("drafts", [])))
    for item in chain(articles, *(a.translations for a in articles), context.get("pages", []),
                      context.get("hidden_pages", []), context.get("draft_pages", [])):
        save_as = item.save_as  # a property Pelican computes on every access
        if save_as:
            claims.append(Claim(_clean(save_as), "an article or page", item.source_path))
    for static in context.get("staticfiles", []):
        claims.append(Claim(_clean(static.save_as), "a static file", static.source_path))
    for name in settings.get("DIRECT_TEMPLATES", []):
        save_as = settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
        if save_as:
            claims.append(Claim(_clean(save_as), f"the platform's {name} page"))
    for category, _ in context.get("categories", []):
        if category.save_as:
            claims.append(Claim(_clean(category.save_as), f"the list page of column {category.slug}"))
        feed = settings.get("CATEGORY_FEED_ATOM")
        if feed:
            claims.append(Claim(_clean(feed.format(slug=category.slug)), f"the feed of column {category.slug}"))
    if settings.get("FEED_ALL_ATOM"):
        claims.append(Claim(_clean(settings["FEED_ALL_ATOM"]), "the site's feed"))
    return list(dict.fromkeys(claims))  # Pelican lists an article of a duplicated slug twice (as a translation)


def _clean(path: str) -> str:
    return path.replace("\\", "/").lstrip("/")
