"""Pelican plugin: Pagefind site search over the built site (before the accessibility gate)."""

from .search_plugin import register

__all__ = ["register"]
