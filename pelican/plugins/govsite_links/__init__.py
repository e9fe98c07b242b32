"""Pelican plugin: every internal link and anchor of the built site resolves (链接可用).
(The namespace plugin `govsite_links`: the stage lives in govsite/plugins/links.py; govsite.stages
runs it in the platform's order, wherever PLUGINS lists it.)
"""

from govsite.plugins.links import register

__all__ = ["register"]
