"""What the theme sees as ``govsite``: the site's identity, columns, footer links and metadata."""

from __future__ import annotations

from functools import cached_property
from urllib.parse import quote

from markupsafe import Markup

from . import vocabulary
from .lifecycle import effective_site, today_of
from .metadata import ArticleFacts, format_pubdate, page_metadata
from .registry import Column, Site, SiteGroup


def plain_text(html: str | None) -> str:
    """Text of an HTML fragment, tags stripped and white space folded."""
    return Markup(html or "").striptags()


def description_of(item) -> str:
    """The plain-text summary of an article or page: its ``Summary`` exactly as written (metadata fields
    are plain text), else the text of Pelican's automatic summary of the body."""
    written = item.metadata.get("summary")
    if written is not None:
        return str(written)
    return plain_text(item.summary)


def mailto_url(address: str) -> str:
    """A ``mailto:`` URL of an e-mail address, URL-quoted (the template HTML-escapes it too)."""
    return "mailto:" + quote(address, safe="@+")


def tel_url(phone: str) -> str:
    """A ``tel:`` URL of a phone number as written in site.toml (spaces dropped), URL-quoted."""
    return "tel:" + quote(phone.replace(" ", ""), safe="+")


class ThemeContext:
    """The theme's single entry point to the site model (exposed as the Jinja global ``govsite``)."""

    footer_items = vocabulary.FOOTER_ITEMS

    def __init__(self, site: Site, group: SiteGroup, settings: dict | None = None):
        self.site = site
        self.group = group
        self.settings = settings or {}

    def current(self, site: Site) -> Site:
        """Another site of the group as it stands on the build day (its domain after a domain change)."""
        return effective_site(site, today_of(self.settings), self.settings.get("GOVSITE_LIFECYCLE"))

    @cached_property  # read several times by every page's header: worked out once per build
    def portal(self) -> Site | None:
        """The same-level portal of a department site as it stands today (None on a portal)."""
        return self.current(self.group.portal_of(self.site)) if self.site.parent else None

    @cached_property
    def departments(self) -> list[Site]:
        """The department sites of a portal as they stand today (none on a department)."""
        return [self.current(s) for s in self.group.departments_of(self.site)]

    @property
    def columns(self) -> tuple[Column, ...]:
        """The site's columns, in navigation order."""
        return self.site.columns

    def column(self, category) -> Column | None:
        """The column of a Pelican category (or a slug)."""
        return self.site.column(getattr(category, "slug", category))

    def absolute_url(self, path: str = "") -> str:
        """The canonical absolute URL of a path inside the site."""
        return self.site.url + path.lstrip("/")

    @property
    def mailto_url(self) -> str:
        """The footer's link to the site's contact e-mail address."""
        return mailto_url(self.site.contact.email)

    @property
    def tel_url(self) -> str:
        """The footer's link to the site's contact phone number."""
        return tel_url(self.site.contact.phone)

    @property
    def icp_url(self) -> str:
        return vocabulary.ICP_LOOKUP_URL

    @property
    def police_url(self) -> str:
        return vocabulary.POLICE_LOOKUP_URL.format(code=self.site.police_record_code)

    @property
    def zhaocuo_url(self) -> str:
        template = self.site.badges.zhaocuo_url or vocabulary.ZHAOCUO_URL
        return template.format(site_code=self.site.site_code)

    @property
    def conac_url(self) -> str:
        """Link to the CONAC badge's verification page ('' when no badge id is configured)."""
        badge_id = self.site.badges.conac_id
        return vocabulary.CONAC_SHOW_URL.format(id=badge_id) if badge_id else ""

    @property
    def conac_script(self) -> str:
        """The CONAC badge script, only when the platform allows third-party badge scripts."""
        allowed = self.settings.get("GOVSITE_ALLOW_BADGE_SCRIPTS", False)
        return self.site.badges.conac_script if allowed else ""

    def pubdate(self, moment) -> str:
        """A date as ``YYYY-MM-DD HH:MM`` Beijing time."""
        return format_pubdate(moment)

    def article_facts(self, article) -> ArticleFacts:
        """The metadata facts of a Pelican article (after the plugin has checked it)."""
        image = article.metadata.get("image")
        return ArticleFacts(
            title=article.title,
            date=article.date,
            source=getattr(article, "source", ""),
            author=str(getattr(article, "author", "") or ""),
            keywords=getattr(article, "keyword_list", ()),
            description=getattr(article, "description", ""),
            image_url=self.absolute_url(image) if image else "",
            url=self.absolute_url(article.url),
        )

    def meta(self, page_type: str, article=None, category=None) -> list[tuple[str, str]]:
        """Metadata ``(name, content)`` pairs for a page of this type."""
        column = self.column(article.category if article is not None else category) \
            if (article is not None or category is not None) else None
        facts = self.article_facts(article) if article is not None else None
        return page_metadata(self.site, page_type, column=column, article=facts)
