"""Adds a generator that writes ``sitemap.xml`` and ``robots.txt`` after all content is read.

A generator (rather than a ``finalized`` receiver) so the files are written with the
rest of the output and counted in the build.
"""

from __future__ import annotations

from pathlib import Path

from govsite import stages
from govsite.sitemaps import robots_txt, sitemap_xml

STAGE = "sitemap"
#: The context key where other generators list the pages they write (paths relative to the site root).
EXTRA_PAGES = "govsite_extra_pages"


class SitemapGenerator:
    """Writes the machine-readable site map from the articles, pages and columns in the context."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.output_path = Path(output_path)

    def generate_context(self):
        """Nothing to read: the other generators fill the context."""

    def generate_output(self, writer):
        site = self.settings["JINJA_GLOBALS"]["govsite"]
        entries = [(site.absolute_url(""), None), (site.absolute_url("sitemap.html"), None)]
        for article in self.context.get("articles", []):
            entries.append((site.absolute_url(article.url), getattr(article, "modified", None) or article.date))
        for page in self.context.get("pages", []):
            entries.append((site.absolute_url(page.url), None))
        for category, _ in self.context.get("categories", []):
            entries.append((site.absolute_url(category.url), None))
        for path in self.context.get(EXTRA_PAGES, []):  # the platform's generated pages (政策礼包)
            entries.append((site.absolute_url(path), None))
        self.output_path.mkdir(parents=True, exist_ok=True)
        (self.output_path / "sitemap.xml").write_text(sitemap_xml(entries), encoding="utf-8")
        (self.output_path / "robots.txt").write_text(robots_txt(site.site.url), encoding="utf-8")


def get_generators(pelican):
    """Register the sitemap generator with Pelican."""
    return SitemapGenerator


def register() -> None:
    """Hand the receivers to govsite.stages, which runs them in the platform's order."""
    stages.connect(STAGE, {"get_generators": get_generators})
