"""Rules for article and page metadata: known keys, a real column, images with alt, attachments."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from .boundary import check_inside
from .errors import Problem
from .registry import Site
from .svg_safety import check_svg

#: Keys Pelican itself adds to every content item's metadata.
PELICAN_KEYS = frozenset({"reader"})
#: Metadata keys an article may carry (lower case, as Pelican reads them).
ARTICLE_KEYS = frozenset({
    "title", "date", "modified", "category", "source", "author", "authors", "reviewer",
    "summary", "keywords", "image", "imagealt", "attachments", "slug", "status", "tags",
    # publishing compliance (issue 8): a policy's issue date, an interpretation's policy and form,
    # portal items syndicated to every department site, a reprint's original URL
    "issued", "policy", "form", "syndicate", "originalurl",
    # 政策礼包 (issue 19): the audiences of a policy document or interpretation (govsite/audiences.py)
    "audience",
})
#: Metadata keys a standalone page may carry.
PAGE_KEYS = frozenset({"title", "slug", "summary", "status", "date", "modified", "template", "keywords"})

#: A ``Todo:`` line marks a draft an editor must finish (``invoke migrate`` writes one for a page the
#: old site lacked): any article or page carrying it stops the build, so nothing with a TODO goes live.
TODO_KEY = "todo"

#: A ``Slug:`` is one URL-safe name (it becomes a file name and a URL): lower-case ASCII letters and
#: digits, with single ``-``, ``_`` or ``.`` between them; so no ``/``, no ``..``, no markup, no spaces.
SLUG = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*")
SLUG_MAX = 100
#: The statuses an article or page may declare (Pelican's ``skip`` would drop a file silently).
STATUSES = ("published", "draft", "hidden")
#: The theme's templates a page may name in ``Template:``.
PAGE_TEMPLATES = ("page",)

ATTACHMENT_TYPES = frozenset({
    ".pdf", ".ofd", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".ppt", ".pptx", ".txt", ".zip", ".csv",
})
IMAGE_TYPES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"})
#: Other raster images a site may publish in images/ (icons and scans kept from an old site).
EXTRA_IMAGE_TYPES = frozenset({".bmp", ".ico", ".tif", ".tiff"})
#: Other files a body may link from attachments/ (archives and media kept from an old site).
EXTRA_ATTACHMENT_TYPES = frozenset({".rar", ".7z", ".gz", ".tar", ".odt", ".ods", ".odp", ".rtf", ".ceb", ".mp3",
                                    ".mp4"})
#: The only folders files are published from, each with the file types it may hold: nothing a browser
#: would run as a page or script (.html, .js, .svgz, .php, no extension...) is ever published.
STATIC_TYPES = {
    "images": IMAGE_TYPES | EXTRA_IMAGE_TYPES,
    "attachments": ATTACHMENT_TYPES | EXTRA_ATTACHMENT_TYPES | IMAGE_TYPES | EXTRA_IMAGE_TYPES,
}


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
        if key not in allowed and key not in PELICAN_KEYS and key != TODO_KEY:
            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f" (did you mean {close[0].capitalize()!r}?)" if close else ""
            problems.append(Problem(file, key.capitalize(), str(metadata[key]), "no such metadata key" + hint
                                    + "; known keys: " + ", ".join(sorted(k.capitalize() for k in allowed))))
    return problems


def check_todo(file: Path | str, metadata: dict) -> list[Problem]:
    """A ``Todo:`` line: the file is a draft (its value says what to write)."""
    if TODO_KEY not in metadata:
        return []
    return [Problem(file, "Todo", str(metadata[TODO_KEY]), "the file finished as the Todo line asks, then the "
                    "Todo line deleted (a draft is never published)")]


def check_values(file: Path | str, metadata: dict, page: bool) -> list[Problem]:
    """``Slug``, ``Status`` and (pages) ``Template`` hold only what the platform publishes safely."""
    problems = []
    slug = metadata.get("slug")
    if slug is not None and not (SLUG.fullmatch(str(slug)) and len(str(slug)) <= SLUG_MAX):
        problems.append(Problem(file, "Slug", str(slug), f"a URL-safe name matching {SLUG.pattern} (at most "
                                f"{SLUG_MAX} characters): lower-case ASCII letters and digits with -, _ or . "
                                "between them, no / or .. (e.g. 20261120-budget or zcjd)"))
    status = metadata.get("status")
    if status is not None and str(status) not in STATUSES:
        problems.append(Problem(file, "Status", str(status), "one of: " + ", ".join(STATUSES)))
    template = metadata.get("template")
    if page and template is not None and str(template) not in PAGE_TEMPLATES:
        problems.append(Problem(file, "Template", str(template), "one of the theme's page templates: "
                                + ", ".join(PAGE_TEMPLATES) + " (or no Template line)"))
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


def static_type_problem(file: Path | str, relative: str) -> Problem | None:
    """A problem when a published file (``relative`` to the site folder) is not of a type its folder
    may hold, or lies outside images/ and attachments/."""
    parts = Path(relative).parts
    folder = parts[0] if len(parts) > 1 else ""
    allowed = STATIC_TYPES.get(folder)
    if allowed is None:
        return Problem(file, "file", relative, "a file in images/ or attachments/ (only those folders are "
                                               "published): move it there and link to it from there")
    if Path(relative).suffix.lower() in allowed:
        return None
    return Problem(file, "file type", Path(relative).suffix or "(no extension)",
                   f"a file type published from {folder}/: " + ", ".join(sorted(allowed))
                   + " (nothing a browser could run as a page or a script): remove the file, or convert it")


def check_static_file(folder: Path | str, relative: str) -> list[Problem]:
    """The problems of one file the build publishes: its type, and for an SVG, its content."""
    file = Path(folder) / relative
    if problem := static_type_problem(file, relative):
        return [problem]
    return check_svg(file) if file.suffix.lower() == ".svg" else []
