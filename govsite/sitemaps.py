"""Machine-readable site maps: ``sitemap.xml`` (sitemaps.org 0.9) and ``robots.txt``."""

from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape

from .metadata import BEIJING

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_xml(entries: list[tuple[str, datetime | None]]) -> str:
    """A sitemap of ``(absolute_url, last_modified)`` entries, sorted by URL."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    for url, modified in sorted(set(entries), key=lambda entry: entry[0]):
        lines.append(f"  <url><loc>{escape(url)}</loc>")
        if modified is not None:
            stamp = modified.astimezone(BEIJING) if modified.tzinfo else modified.replace(tzinfo=BEIJING)
            lines.append(f"    <lastmod>{stamp.isoformat(timespec='seconds')}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(site_url: str) -> str:
    """Allow every crawler and point it at the sitemap."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url}sitemap.xml\n"
