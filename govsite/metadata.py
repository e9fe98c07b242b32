"""Government page metadata (政府网站网页元数据): which tags a page carries, with what values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from .registry import Column, Site
from .vocabulary import PAGE_TYPE_TAGS, PUBDATE_FORMAT

BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class ArticleFacts:
    """What the metadata needs to know about one article, independent of Pelican."""

    title: str
    date: datetime
    source: str
    author: str
    keywords: tuple[str, ...]
    description: str
    image_url: str
    url: str


def format_pubdate(moment: datetime) -> str:
    """``YYYY-MM-DD HH:MM`` in Beijing time (naive datetimes are taken as Beijing time)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(BEIJING)
    return moment.strftime(PUBDATE_FORMAT)


def page_metadata(
    site: Site,
    page_type: str,
    column: Column | None = None,
    article: ArticleFacts | None = None,
) -> list[tuple[str, str]]:
    """The ``(name, content)`` pairs of the metadata tags for one page, in standard order."""
    if page_type not in PAGE_TYPE_TAGS:
        raise ValueError(f"unknown page type {page_type!r}; expected one of {sorted(PAGE_TYPE_TAGS)}")
    values = {
        "SiteName": site.name,
        "SiteDomain": site.domain,
        "SiteIDCode": site.site_code,
    }
    if column is not None:
        values |= {
            "ColumnName": column.name,
            "ColumnDescription": column.description,
            "ColumnKeywords": ",".join(column.keywords),
            "ColumnType": column.type,
        }
    if article is not None:
        values |= {
            "ArticleTitle": article.title,
            "PubDate": format_pubdate(article.date),
            "ContentSource": article.source or site.organizer,
            "Keywords": ",".join(article.keywords),
            "Author": article.author,
            "Description": article.description,
            "Image": article.image_url,
            "Url": article.url,
        }
    tags = PAGE_TYPE_TAGS[page_type]
    missing = [tag for tag in tags if tag not in values]
    if missing:
        raise ValueError(f"a {page_type} page needs " + ", ".join(missing))
    return [(tag, values[tag]) for tag in tags]
