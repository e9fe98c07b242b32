"""Images and attachments of the old site copied into ``images/`` and ``attachments/`` of the new one.

The old URL path is kept as the file's path (``/uploads/2024/03/W0203.jpg`` ->
``images/uploads/2024/03/W0203.jpg``), each segment reduced to safe characters (Chinese as pinyin
initials: ``/新闻图片/会场.png`` -> ``images/xwtp/hc.png``); the same old URL
is copied once; a name taken by different bytes gets a hash suffix. Inline ``data:`` images of a
raster type (PNG, JPEG, GIF, WebP, their bytes checked) are written to ``images/inline/<hash>.<ext>``;
any other ``data:`` URI (an SVG, which can carry scripts, HTML, undecodable) is not imported and
says why. A file of a type the platform does not publish from its folder, and an SVG that could run
script or load from elsewhere (govsite/svg_safety.py), are not imported either (status ``refused``,
the reason in the report). Nothing is ever overwritten (see content.SiteWriter).
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from govsite.articles import (
    ATTACHMENT_TYPES, EXTRA_ATTACHMENT_TYPES, EXTRA_IMAGE_TYPES, IMAGE_TYPES, static_type_problem,
)
from govsite.svg_safety import svg_dangers

from .columns import pinyin_segment
from .content import PathEscape, SiteWriter, safe_segment
from .sources import Source

#: Files linked from a body that are copied as attachments (the platform's types plus archives).
LINKED_FILES = ATTACHMENT_TYPES | EXTRA_ATTACHMENT_TYPES
IMAGE_SUFFIXES = IMAGE_TYPES | EXTRA_IMAGE_TYPES
_MAGIC = ((b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"GIF8", ".gif"), (b"BM", ".bmp"),
          (b"RIFF", ".webp"), (b"%PDF", ".pdf"))
_DATA_URI = re.compile(r"^data:(?P<type>[\w/+.-]+)?(?:;[\w.+-]+=[\w.+-]+)*(?P<b64>;base64)?,(?P<data>.*)$", re.S | re.I)


def sniff_suffix(data: bytes) -> str:
    for magic, suffix in _MAGIC:
        if data.startswith(magic):
            return suffix
    if b"<svg" in data[:2048]:
        return ".svg"
    return ""


def kind_of(url: str) -> str:
    """``images``, ``attachments`` or "" (a page or unknown) by the URL's file extension."""
    if url.startswith("data:image/"):
        return "images"
    suffix = posixpath.splitext(unquote(urlsplit(url).path))[1].lower()
    if suffix in IMAGE_SUFFIXES:
        return "images"
    if suffix in LINKED_FILES:
        return "attachments"
    return ""


@dataclass
class Asset:
    """One copied (or not) file of the old site."""

    old_url: str
    rel: str = ""            # site-relative path in the new site, "" when not copied
    status: str = ""         # imported, unchanged, skipped, missing, failed, refused
    reason: str = ""
    size: int = 0


class Assets:
    """Copies images and attachments on first use and remembers the result."""

    def __init__(self, source: Source, writer: SiteWriter):
        self.source = source
        self.writer = writer
        self.by_key: dict[str, Asset] = {}
        self.taken: dict[str, str] = {}      # rel -> sha256 of what this run put there

    def get(self, url: str, folder: str) -> Asset:
        """The asset for an absolute URL (or data URI), copied into ``folder`` the first time."""
        key = url[:200] if url.startswith("data:") else self.source.key(url)
        if key in self.by_key:
            return self.by_key[key]
        asset = Asset(old_url=self.source.public_url(url) if not url.startswith("data:") else "data:")
        self.by_key[key] = asset
        if url.startswith("data:"):
            image = decode_inline_image(url)
            if image is None:
                asset.status, asset.reason = "failed", "not imported: only an inline PNG, JPEG, GIF or WebP image is"
                return asset
            data, suffix = image
            rel = f"images/inline/{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
        else:
            data = self.source.fetch(url)
            if data is None:
                asset.status, asset.reason = "missing", "not in the source"
                return asset
            rel = self._path_for(url, folder, data)
        if refusal := refused_file(rel, data):
            asset.status, asset.reason = "refused", refusal
            return asset
        self._place(asset, rel, data)
        return asset

    def _path_for(self, url: str, folder: str, data: bytes) -> str:
        path = unquote(urlsplit(url).path)
        base = self.source.base_path
        if path.startswith(base):
            path = path[len(base):]
        segments = [s for s in path.split("/") if s]
        if segments and segments[0].lower() == folder:
            segments = segments[1:]
        if not segments:
            segments = ["file"]
        name = segments[-1]
        stem, suffix = posixpath.splitext(name)
        sniffed = sniff_suffix(data)
        if folder == "images" and sniffed and suffix.lower() not in IMAGE_SUFFIXES:
            suffix = sniffed
        query = urlsplit(url).query
        if query:
            stem += "-" + hashlib.sha1(query.encode()).hexdigest()[:8]
        cleaned = [safe_segment(pinyin_segment(s)) for s in segments[:-1]]
        suffix = ("." + safe_segment(suffix.lstrip(".").lower())[:10]) if suffix.strip(".") else ""
        cleaned.append(safe_segment(pinyin_segment(stem), "file") + suffix)
        return "/".join([folder, *cleaned])

    def _place(self, asset: Asset, rel: str, data: bytes) -> None:
        digest = hashlib.sha256(data).hexdigest()
        asset.size = len(data)
        candidates = [rel]
        stem, suffix = posixpath.splitext(rel)
        candidates.append(f"{stem}-{digest[:8]}{suffix}")
        for candidate in candidates:
            if self.taken.get(candidate) not in (None, digest):
                continue
            try:
                decision = self.writer.decide(candidate, data)
            except PathEscape as exc:
                asset.status, asset.reason = "failed", str(exc)
                return
            if decision.action == "skip" and candidate != candidates[-1]:
                continue          # taken by someone else's different file: next name
            self.taken[candidate] = digest
            asset.rel = candidate
            if decision.action == "skip":
                asset.status, asset.reason = "skipped", decision.reason
                return
            self.writer.write(candidate, data, decision)
            asset.status = "imported" if decision.action in ("write", "update") else "unchanged"
            asset.reason = decision.reason
            return


def refused_file(rel: str, data: bytes) -> str:
    """Why a file of the old site is not imported ("" when it is): a type the platform never publishes
    from its folder, or an SVG that could run script or load from elsewhere (never sanitised: dropped)."""
    if problem := static_type_problem(rel, rel):
        return f"not imported: {problem.value} is not a type published from {rel.split('/')[0]}/ ({problem.expected})"
    if rel.lower().endswith(".svg") and (dangers := svg_dangers(data)):
        return ("not imported: an SVG that could run script or load from elsewhere ("
                + "; ".join(d.found for d in dangers[:5]) + "): export it again as plain SVG or PNG and add it by hand")
    return ""


#: The inline image types imported, with the suffix their bytes must sniff as.
INLINE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/jpg": ".jpg", "image/gif": ".gif",
                "image/webp": ".webp"}


def decode_inline_image(uri: str) -> tuple[bytes, str] | None:
    """``(bytes, suffix)`` of a ``data:`` URI that is a PNG, JPEG, GIF or WebP image (its bytes say so
    too); None for anything else."""
    match = _DATA_URI.match(uri)
    if not match:
        return None
    suffix = INLINE_TYPES.get((match["type"] or "").lower())
    try:
        data = base64.b64decode(match["data"], validate=False) if match["b64"] else \
            unquote(match["data"]).encode("utf-8")
    except (ValueError, TypeError):
        return None
    return (data, suffix) if suffix and sniff_suffix(data) == suffix else None
