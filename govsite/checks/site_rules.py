"""Rules across the pages of one folder (one site): facts taken from each page, judged together."""

from __future__ import annotations

from collections import defaultdict

from .html_page import Page, folded
from .rules import REVIEW, site_rule

#: A page whose title more pages share is named with this many of the others in its message.
_NAMED = 3


def page_title(page: Page) -> str | None:
    """The page's <title> text, or None for pages that only redirect (they share a title by design)."""
    for meta in page.tags("meta"):
        if (meta.get("name") or "").lower() == "govsite-redirect" or (meta.get("http-equiv") or "").lower() == "refresh":
            return None
    titles = page.head_titles()
    return folded("".join(titles[0].itertext())) if titles else None


@site_rule("page-title-unique", "serious", ("2.4.2",),
           "每个页面的 <title> 都要说明该页的主题并与本站其他页面不同，如“文章标题 - 网站名称”，不要全站使用同一个标题。",
           collect=page_title)
def page_title_unique(titles: dict[str, str]):
    """A title shared by at least half of the site's pages is the template's, not the page's: they fail.
    A few pages sharing one (two notices with one headline) are left for review."""
    pages_by_title = defaultdict(list)
    for page, title in titles.items():
        if title:
            pages_by_title[title].append(page)
    titled = sum(len(pages) for pages in pages_by_title.values())
    for title, pages in pages_by_title.items():
        if len(pages) < 2:
            continue
        template = 2 * len(pages) >= titled
        for page in pages:
            others = [p for p in sorted(pages) if p != page]
            named = ", ".join(others[:_NAMED]) + (f" and {len(others) - _NAMED} more" if len(others) > _NAMED else "")
            message = f"the title {title[:80]!r} is also the title of {named}: it does not tell the pages apart"
            if template:
                yield page, "html > head > title", message
            else:
                yield page, "html > head > title", message + " (review: does it describe each page?)", REVIEW
