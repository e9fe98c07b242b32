"""政策礼包 and 政策找人 (govsite/audiences.py): on a portal, one page and one Atom feed per audience
listing the tagged policy documents and interpretations of the whole group, and an index of the
audiences (``zclb/``); on every site, an article's tags link to those pages.

Validates ``GOVSITE_AUDIENCES`` at ``initialized`` and gives the theme ``govsite_zclb`` (where the
pages are, or None). The pages are written by a generator: the portal's own tagged articles come
from the article generator (the identity stage has checked their tags), its departments' are read
from their sources (``govsite.syndication.foreign_inputs`` lists them for the build fingerprint).
Settings written: ``GOVSITE_LINKS_KNOWN`` (the department articles listed, and on a department the
portal's pages, which the parallel builds are writing).
"""

from __future__ import annotations

from dataclasses import dataclass

from pelican.contents import Article
from pelican.generators import Generator

from govsite import stages
from govsite.audiences import (
    INDEX_PATH, Audience, audiences_of, check_audience, hosts_pages, pages_site, tagged_files,
)
from govsite.checks.links import KNOWN_URLS_SETTING
from govsite.errors import ContentInvalid
from govsite.output_paths import CONTEXT_CLAIMS, Claim
from govsite.plugins.sitemap import EXTRA_PAGES
from govsite.theme_context import description_of, plain_text

STAGE = "audiences"
#: The Jinja global naming where this site's 政策礼包 pages are.
GLOBAL = "govsite_zclb"
#: The length of a feed entry's description made from another site's body (no Summary).
SUMMARY_CHARS = 120


@dataclass(frozen=True)
class Place:
    """Where a site's 政策礼包 pages are: on the site itself (``local``) or at ``root`` (its portal)."""

    local: bool
    root: str
    audiences: tuple[Audience, ...]

    def path_of(self, tag: str) -> str:
        """The page of a tag, relative to the pages' site root ('' for a tag not configured)."""
        return next((a.page_path for a in self.audiences if a.tag == tag), "")

    @property
    def index_path(self) -> str:
        return INDEX_PATH


class Entry:
    """One tagged item as the pages and the feeds show it (a feed entry of Pelican's writer: title,
    absolute ``url``, date, issuing site as author, tags as categories, the plain-text description)."""

    def __init__(self, article, site_name: str, url: str, path: str, description: str):
        self.title = str(article.title)
        self.url = url  # absolute: the feeds and other sites' items
        self.path = path  # relative to the portal's root for its own items, else ''
        self.date = article.date
        if hasattr(article, "modified"):
            self.modified = article.modified
        self.author = site_name
        self.site_name = site_name
        self.column = article.column
        self.tags = list(article.audience_tags)
        self.description = description
        self.summary = None

    def get_content(self, site_url):
        """No body in the feeds: the entry links to the page on its own site."""
        return None


def foreign_description(article) -> str:
    """Another site's item described from its source alone: its ``Summary``, else the start of its
    body's text (Pelican's own summary would resolve the body's ``{filename}`` links against this
    site and warn)."""
    written = article.metadata.get("summary")
    if written is not None:
        return str(written)
    text = plain_text(article._content)
    return text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS] + "…"


def check_settings(pelican) -> None:
    """Validate ``GOVSITE_AUDIENCES``; give the theme where the pages are (None: no pages)."""
    settings = pelican.settings
    audiences = audiences_of(settings)
    context = settings["JINJA_GLOBALS"]["govsite"]
    leader = pages_site(context.group, context.site)
    place = None
    if leader is not None and audiences:
        local = leader.id == context.site.id
        root = "" if local else context.current(leader).url
        place = Place(local, root, audiences)
        if not local:  # the article pages link to the portal's pages, which its build is writing
            known = [root + a.page_path for a in audiences] + [root + INDEX_PATH]
            settings[KNOWN_URLS_SETTING] = [*settings.get(KNOWN_URLS_SETTING, ()), *known]
    settings["JINJA_GLOBALS"][GLOBAL] = place


class AudienceGenerator(Generator):
    """The 政策礼包 pages and feeds of a site that leads a group (nothing on other sites)."""

    def generate_context(self):
        govsite = self.settings["JINJA_GLOBALS"]["govsite"]
        place = self.settings["JINJA_GLOBALS"].get(GLOBAL)
        self.entries = None
        if place is None or not place.local or not hosts_pages(govsite.site):
            return
        entries = [Entry(a, govsite.site.name, govsite.absolute_url(a.url), a.url, description_of(a))
                   for a in self.context.get("articles", []) if getattr(a, "audience_tags", ())]
        entries += self.department_entries(govsite, place.audiences)
        entries.sort(key=lambda e: e.date, reverse=True)
        self.entries, self.audiences = entries, place.audiences
        self.settings[KNOWN_URLS_SETTING] = [*self.settings.get(KNOWN_URLS_SETTING, ()),
                                             *(e.url for e in entries if not e.path)]
        paths = [(INDEX_PATH, "the platform's 政策礼包 index")]
        for audience in place.audiences:
            paths += [(audience.page_path, f"the platform's 政策礼包 page of {audience.tag}"),
                      (audience.feed_path, f"the platform's 政策礼包 feed of {audience.tag}")]
        self.context.setdefault(CONTEXT_CLAIMS, []).extend(Claim(path, what) for path, what in paths)
        self.context.setdefault(EXTRA_PAGES, []).extend(path for path, _ in paths if path.endswith(".html"))

    def department_entries(self, govsite, audiences) -> list[Entry]:
        """The departments' published tagged items, read from their sources; bad tags fail the build
        naming the file (as the department's own build does)."""
        entries, problems = [], []
        for site in govsite.group.members_of(govsite.site)[1:]:
            root = govsite.current(site).url
            for path in tagged_files(site):
                article = self.readers.read_file(str(site.folder), str(path), content_class=Article,
                                                 context=self.context)
                column = site.column(getattr(article.category, "slug", ""))
                if column is None or article.status != "published":
                    continue  # no such column: the department's own build names the problem
                article.column = column
                article.audience_tags, found = check_audience(path, column, article.metadata.get("audience"),
                                                              audiences)
                problems += found
                entries.append(Entry(article, site.name, root + article.url, "", foreign_description(article)))
        if problems:
            raise ContentInvalid(problems)
        return entries

    def generate_output(self, writer):
        if self.entries is None:
            return
        relative = self.settings.get("RELATIVE_URLS")
        tagged = {a.tag: [e for e in self.entries if a.tag in e.tags] for a in self.audiences}
        writer.write_file(INDEX_PATH, self.get_template("audiences"), self.context, relative,
                          audiences=self.audiences, tagged=tagged, page_name="zclb")
        for audience in self.audiences:
            writer.write_file(audience.page_path, self.get_template("audience"), self.context, relative,
                              audience=audience, entries=tagged[audience.tag], page_name=f"zclb/{audience.slug}")
            writer.write_feed(tagged[audience.tag], self.context, audience.feed_path, audience.feed_path,
                              feed_title=f"政策礼包：{audience.tag}")


def get_generators(pelican):
    """The 政策礼包 generator."""
    return AudienceGenerator


def register() -> None:
    """Hand the receivers to govsite.stages, which runs them in the platform's order."""
    stages.connect(STAGE, {"initialized": check_settings, "get_generators": get_generators})
