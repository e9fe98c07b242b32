"""Pelican plugin: every internal link and anchor of the built site resolves (链接可用)."""

from .links_plugin import register

__all__ = ["register"]
