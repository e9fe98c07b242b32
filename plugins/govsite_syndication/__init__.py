"""Pelican plugin: the portal's syndicated items reprinted on every department site (转载)."""

from .syndication_plugin import register

__all__ = ["register"]
