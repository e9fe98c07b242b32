"""Masking in the output only: a Pelican article's rendered fields, and text attachments in the output."""

from __future__ import annotations

from pathlib import Path

from govsite.files import write_text_atomic

from .privacy import Match, mask

#: Item text fields → the Pelican metadata key and attribute carrying them.
FIELDS = {"Title": "title", "Summary": "summary", "Author": "author", "Reviewer": "reviewer", "Source": "source"}


def _forget_rendered(article) -> None:
    """Drop Pelican's memoized content and summary of this article so the masked text is rendered."""
    for method in (article.get_content, article.get_summary):
        for key in [k for k in method.cache if k and k[0] is article]:
            del method.cache[key]


def mask_article(article, masks: dict[str, list[Match]]) -> None:
    """Replace personal information in what Pelican renders for ``article``; the source is untouched."""
    from govsite.theme_context import description_of

    if "body" in masks:
        article._content = mask(article._content, masks["body"])
    for field, key in FIELDS.items():
        if field not in masks:
            continue
        value = mask(str(article.metadata.get(key, "")), masks[field])
        article.metadata[key] = value
        if key == "summary":
            article._summary = value
        elif key != "author":
            setattr(article, key, value)
        else:
            article.author.name = value
    _forget_rendered(article)
    if hasattr(article, "description"):
        article.description = description_of(article)


def mask_attachments(output: Path | str, masks: dict[str, list[Match]]) -> list[Path]:
    """Rewrite the output copies of text attachments (keys are paths relative to the site folder)."""
    written = []
    for relative, matches in masks.items():
        target = Path(output) / relative
        if relative in FIELDS or relative == "body" or not target.is_file():
            continue
        write_text_atomic(target, mask(target.read_text("utf-8", errors="replace"), matches))  # replaced, not written in place
        written.append(target)
    return written
