"""Rules for article and page metadata: known keys, a real column, images with alt, attachments."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from .boundary import check_inside
from .errors import Problem
from .registry import Site

#: Keys Pelican itself adds to every content item's metadata.
PELICAN_KEYS = frozenset({"reader"})
#: Metadata keys an article may carry (lower case, as Pelican reads them).
ARTICLE_KEYS = frozenset({
    "title", "date", "modified", "category", "source", "author", "authors", "reviewer",
    "summary", "keywords", "image", "imagealt", "attachments", "slug", "status", "tags",
    # publishing compliance (issue 8): a policy's issue date, an interpretation's policy and form,
    # portal items syndicated to every department site, a reprint's original URL
    "issued", "policy", "form", "syndicate", "originalurl",
})
#: Metadata keys a standalone page may carry.
PAGE_KEYS = frozenset({"title", "slug", "summary", "status", "date", "modified", "template", "keywords"})

ATTACHMENT_TYPES = frozenset({
    ".pdf", ".ofd", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".ppt", ".pptx", ".txt", ".zip", ".csv",
})
IMAGE_TYPES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"})


@dataclass(frozen=True)
class Attachment:
    """A file attached to an article (附件), relative to the site folder."""

    path: str
    label: str
    size: int

    @property
    def kind(self) -> str:
        """The file type shown to readers, e.g. ``PDF``."""
        return Path(self.path).suffix.lstrip(".").upper()


#: Plain-text metadata fields; a value written over several lines is one text.
TEXT_FIELDS = ("summary", "keywords")


def join_text_fields(metadata: dict) -> None:
    """Make each plain-text field one string (Markdown's meta reads continued lines as a list)."""
    for key in TEXT_FIELDS:
        if isinstance(metadata.get(key), list):
            metadata[key] = "\n".join(str(line) for line in metadata[key])


def split_keywords(value: str | None) -> tuple[str, ...]:
    """Keywords from a comma-separated string (ASCII, full-width or 顿号 commas)."""
    if not value:
        return ()
    for sep in ("，", "、", ";", "；", "\n"):
        value = value.replace(sep, ",")
    return tuple(k.strip() for k in value.split(",") if k.strip())


def check_keys(file: Path | str, metadata: dict, allowed: frozenset[str]) -> list[Problem]:
    """Unknown metadata keys, each with a suggestion when one is close."""
    problems = []
    for key in metadata:
        if key not in allowed and key not in PELICAN_KEYS:
            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f" (did you mean {close[0].capitalize()!r}?)" if close else ""
            problems.append(Problem(file, key.capitalize(), str(metadata[key]), "no such metadata key" + hint
                                    + "; known keys: " + ", ".join(sorted(k.capitalize() for k in allowed))))
    return problems


def check_column(file: Path | str, site: Site, slug: str | None) -> list[Problem]:
    """The article's Category names one of the site's columns."""
    if slug and site.column(slug):
        return []
    return [Problem(file, "Category", slug, "the slug of one of the site's columns: "
                    + ", ".join(c.slug for c in site.columns))]


def check_image(file: Path | str, site: Site, image: str | None, alt: str | None) -> list[Problem]:
    """A lead image exists in the site folder, is an image, and has alt text."""
    if not image:
        return [Problem(file, "ImageAlt", alt, "no ImageAlt without an Image")] if alt else []
    problems = []
    path = site.folder / image
    if outside := check_inside(site.folder, image, file, "Image"):
        problems.append(outside)
    elif Path(image).suffix.lower() not in IMAGE_TYPES:
        problems.append(Problem(file, "Image", image, "an image file (" + ", ".join(sorted(IMAGE_TYPES)) + ")"))
    elif not path.is_file():
        problems.append(Problem(file, "Image", image, f"a file in the site folder (not found: {path})"))
    if not (alt or "").strip():
        problems.append(Problem(file, "ImageAlt", alt, "a text alternative describing the lead image"))
    return problems


def parse_attachments(file: Path | str, site: Site, value: str | None) -> tuple[list[Attachment], list[Problem]]:
    """Parse ``path | label; path | label`` into attachments that exist in the site folder."""
    attachments, problems = [], []
    for entry in (value or "").split(";"):
        if not entry.strip():
            continue
        path, _, label = (part.strip() for part in entry.partition("|"))
        full = site.folder / path
        if outside := check_inside(site.folder, path, file, "Attachments"):
            problems.append(outside)
        elif Path(path).suffix.lower() not in ATTACHMENT_TYPES:
            problems.append(Problem(file, "Attachments", path,
                                    "a document (" + ", ".join(sorted(ATTACHMENT_TYPES)) + ")"))
        elif not full.is_file():
            problems.append(Problem(file, "Attachments", path, f"a file in the site folder (not found: {full})"))
        else:
            attachments.append(Attachment(path, label or Path(path).name, full.stat().st_size))
    return attachments, problems
