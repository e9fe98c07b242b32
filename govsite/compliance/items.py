"""The facts the rules need about one article, independent of Pelican (so rules test with small data)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

#: Attachment types whose text is scanned for personal information.
TEXT_ATTACHMENTS = (".txt", ".html", ".htm", ".md", ".csv")
_TAG = re.compile(r"<[^>]+>")


@dataclass
class Item:
    """One published article of a site."""

    file: str
    slug: str
    title: str
    column: str  # column slug
    column_type: str
    date: datetime
    body: str = ""  # HTML as rendered
    summary: str = ""
    author: str = ""
    reviewer: str = ""
    source: str = ""
    original_url: str = ""
    issued: datetime | None = None
    policy: str = ""
    form: str = ""
    image: str = ""
    attachments: tuple[str, ...] = ()  # paths of attachments in the site folder
    generated: bool = False  # made by the platform (lifecycle notices), not written by an editor

    def texts(self) -> dict[str, str]:
        """Every text field a reader sees, by metadata field name."""
        fields = {"Title": self.title, "Summary": self.summary, "body": self.body, "Author": self.author,
                  "Reviewer": self.reviewer, "Source": self.source}
        return {name: value for name, value in fields.items() if value}

    @property
    def year(self) -> int:
        return self.date.year


def plain(html: str) -> str:
    """Text of an HTML fragment (tags replaced by spaces)."""
    return _TAG.sub(" ", html or "")


def text_attachments(item: Item, site_folder: Path) -> list[Path]:
    """The item's attachments that are text files and exist."""
    paths = [site_folder / a for a in item.attachments if Path(a).suffix.lower() in TEXT_ATTACHMENTS]
    return [p for p in paths if p.is_file()]
