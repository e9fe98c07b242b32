"""Which articles each written page shows: the graph from an output file to its articles.

Recorded by the writer (``govsite.incremental.IncrementalWriter``) as it writes, for a publish
that renders only the pages an edit touches. A page shows:

- an article page: the article and any other an attribute holds: its related items and translations
  (their titles and links), or what a stage adds;
- a page of a template that lists a slice (``SLICED``: a column's list pages): the articles of its
  paginator page;
- a feed: its entries;
- any other page (home, the site's other lists, standalone and generated pages): every article
  (``ALL``), since its template may read any of the site's lists.

What a template reads is the theme's, so the graph rests on the platform theme listing only those;
``tests/test_dependencies.py`` checks it on random edits: every page whose bytes an edit of an
article's title, summary or body changes is one the graph names for that article.

A watching process also remembers what each site's last build was made of (:class:`Inputs`), so
that the next build can tell when the only change is articles edited in place
(:func:`edited_articles`, :func:`kept_in_place`): the writer then keeps the pages that show none of
them (``IncrementalWriter.keep_untouched``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from pelican.contents import Content

#: In the graph: the page shows something of every article (or of what is not traced).
ALL = "*"
#: Templates whose pages show only the articles of their paginator page.
SLICED = frozenset({"category"})
#: Where the writer leaves ``{output name: frozenset of source paths (or ALL)}``.
SHOWN = "GOVSITE_PAGES_SHOWN"
#: ``{site id: the graph of its last successful build in this process}`` (``govsite.build``).
last_built: dict[str, dict[str, frozenset[str]]] = {}
#: The metadata that places an article: its URL and its place in every list (lists are ordered by
#: date: ``DATE_ORDERS``). An edit that keeps all of them changes what the article's pages show, not where.
PLACEMENT = ("date", "category", "slug", "status", "lang", "translation", "tags", "author", "authors", "template",
             "save_as", "url")
#: ``ARTICLE_ORDER_BY`` values under which an article's place in its lists is its date.
DATE_ORDERS = frozenset({"reversed-date", "date"})
#: Where the content index leaves ``{source path: placement}`` of the articles read in a build (and of
#: the edited ones it served from memory).
PLACEMENTS = "GOVSITE_PLACEMENTS"


@dataclass
class Inputs:
    """What a site's last successful build in this process was made of, for telling in-place edits."""
    render: str  # the render fingerprint
    files: dict[str, tuple[int, int, int] | None]  # {name in the site folder: identity; None: modified too recently}
    record: str  # the digest of the site's record after the build
    output: str  # the live output folder it went to
    placements: dict[str, str] = field(default_factory=dict)  # {article source path: placement}


#: ``{site id: Inputs of its last successful build in this process}`` (``govsite.build``).
inputs_built: dict[str, Inputs] = {}


def sources(contents: Iterable) -> set[str]:
    """The source files of ``contents`` (articles and pages; generated ones have none)."""
    return {path for path in (getattr(c, "source_path", None) for c in contents or ()) if path}


def shown_by_article(article) -> frozenset[str]:
    """What an article page shows: the article and every article or page one of its attributes holds
    (its related items, its translations, any a stage adds), as its key covers them."""
    shown = [article]
    for value in vars(article).values():
        if isinstance(value, Content):
            shown.append(value)
        elif isinstance(value, (list, tuple)) and value and isinstance(value[0], Content):
            shown += [item for item in value if isinstance(item, Content)]
    return frozenset(sources(shown))


def shown_by_page(template_name: str | None, localcontext: dict) -> frozenset[str]:
    """What a page of ``template_name`` rendered with ``localcontext`` shows."""
    if template_name not in SLICED:
        return frozenset({ALL})
    found = set()
    for key in ("articles_page", "dates_page"):
        page = localcontext.get(key)
        if page is None:
            return frozenset({ALL})  # not paginated: the template may list the whole column
        found |= sources(page.object_list)
    return frozenset(found)


def dependants(shown: dict[str, frozenset[str]], changed: Iterable[str]) -> set[str]:
    """The pages that show any of the ``changed`` source files (or every article)."""
    changed = set(changed)
    return {name for name, what in shown.items() if ALL in what or not what.isdisjoint(changed)}


def placement(article) -> str:
    """An article's :data:`PLACEMENT` values, as text."""
    metadata = article.metadata
    return repr([(key, _plain(metadata.get(key))) for key in PLACEMENT])


def _plain(value):
    """A metadata value as text (a date, a column, a list of tags)."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value if value is None or isinstance(value, str) else f"{type(value).__name__}:{value}"


def edited_articles(built: Inputs | None, now: Inputs, folder: str) -> frozenset[str] | None:
    """The source paths of the articles edited since ``built``, when nothing else changed: the same
    render fingerprint, record and output folder, the same files, and every changed one an article (``articles/*.md``);
    else None. A file modified too recently at the last build counts as edited."""
    if built is None or (built.render, built.record, built.output) != (now.render, now.record, now.output) \
            or built.files.keys() != now.files.keys():
        return None
    changed = [name for name, identity in now.files.items() if built.files[name] != identity]
    if not all(name.startswith("articles/") and name.endswith(".md") for name in changed):
        return None
    return frozenset(os.path.abspath(os.path.join(folder, name)) for name in changed)


def kept_in_place(edits: frozenset[str] | None, before: dict[str, str], settings: dict) -> frozenset[str] | None:
    """``edits`` when each was read in this build, or taken from the content index, with the placement
    it had at the last build (``PLACEMENTS``), and lists are ordered by date: then only the graph's
    dependants of ``edits`` can change. Else None."""
    if edits is None or settings.get("ARTICLE_ORDER_BY", "reversed-date") not in DATE_ORDERS:
        return None
    read = settings.get(PLACEMENTS) or {}
    return edits if all(path in read and before.get(path) == read[path] for path in edits) else None
