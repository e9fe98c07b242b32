"""Pelican plugin: the site's identity, columns and government metadata for the theme."""

from .identity_plugin import register

__all__ = ["register"]
