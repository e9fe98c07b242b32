"""Pelican plugin: writes sitemap.xml and robots.txt for the site."""

from .sitemap_plugin import register

__all__ = ["register"]
