"""Pelican namespace plugin: every govsite stage at once (``PLUGINS = ["govsite"]``), in the
order govsite.stages declares."""

from govsite.plugins import register

__all__ = ["register"]
