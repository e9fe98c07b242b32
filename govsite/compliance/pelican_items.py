"""Pelican articles → :class:`~compliance.items.Item` (the rules never see Pelican objects)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from govsite.errors import Problem

from .items import Item


def parse_issued(value, zone: ZoneInfo) -> datetime:
    """``Issued: YYYY-MM-DD`` (or with a time) as an aware datetime; ValueError otherwise."""
    text = str(value).strip()
    parsed = datetime.fromisoformat(text.replace("/", "-"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def item_of(article, site, zone: ZoneInfo, problems: list[Problem]) -> Item:
    """The facts of one Pelican article; a bad ``Issued`` is appended to ``problems``."""
    meta = article.metadata
    column = site.column(article.category.slug)
    issued = None
    if meta.get("issued"):
        try:
            issued = parse_issued(meta["issued"], zone)
        except ValueError:
            problems.append(Problem(article.source_path, "Issued", meta["issued"], "a date YYYY-MM-DD"))
    attachments = tuple(entry.partition("|")[0].strip() for entry in (meta.get("attachments") or "").split(";")
                        if entry.strip())
    return Item(
        file=article.source_path, slug=article.slug, title=str(meta.get("title", article.title)),
        column=article.category.slug, column_type=column.type if column else "", date=article.date,
        body=article._content or "", summary=str(meta.get("summary") or ""),
        author=str(meta.get("author") or ""), reviewer=str(meta.get("reviewer") or ""),
        source=str(meta.get("source") or ""), original_url=str(meta.get("originalurl") or ""),
        issued=issued, policy=str(meta.get("policy") or "").strip(), form=str(meta.get("form") or ""),
        image=str(meta.get("image") or ""), attachments=attachments,
        generated=hasattr(article, "lifecycle_notice"),
    )


def page_item(page, build_time: datetime) -> Item:
    """A standalone page (about, contact…) as an item for the text rules (privacy, wording)."""
    meta = page.metadata
    return Item(file=page.source_path, slug=page.slug, title=str(meta.get("title", page.title)), column="",
                column_type="", date=getattr(page, "date", None) or build_time, body=page._content or "",
                summary=str(meta.get("summary") or ""))
