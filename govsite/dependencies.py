"""Which articles each written page shows: the graph from an output file to its articles.

Recorded by the writer (``govsite.incremental.IncrementalWriter``) as it writes, for a publish
that renders only the pages an edit touches. A page shows:

- an article page: the article, its related items and its translations (their titles and links);
- a page of a template that lists a slice (``SLICED``: a column's list pages): the articles of its
  paginator page;
- a feed: its entries;
- any other page (home, the site's other lists, standalone and generated pages): every article
  (``ALL``), since its template may read any of the site's lists.

What a template reads is the theme's, so the graph rests on the platform theme listing only those;
``tests/test_dependencies.py`` checks it on random edits: every page whose bytes an edit of an
article's title, summary or body changes is one the graph names for that article.
"""

from __future__ import annotations

from collections.abc import Iterable

#: In the graph: the page shows something of every article (or of what is not traced).
ALL = "*"
#: Templates whose pages show only the articles of their paginator page.
SLICED = frozenset({"category"})
#: Where the writer leaves ``{output name: frozenset of source paths (or ALL)}``.
SHOWN = "GOVSITE_PAGES_SHOWN"
#: ``{site id: the graph of its last successful build in this process}`` (``govsite.build``).
last_built: dict[str, dict[str, frozenset[str]]] = {}


def sources(contents: Iterable) -> set[str]:
    """The source files of ``contents`` (articles and pages; generated ones have none)."""
    return {path for path in (getattr(c, "source_path", None) for c in contents or ()) if path}


def shown_by_article(article) -> frozenset[str]:
    """What an article page shows."""
    return frozenset(sources([article, *(getattr(article, "related_items", None) or ()),
                              *(getattr(article, "translations", None) or ())]))


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
