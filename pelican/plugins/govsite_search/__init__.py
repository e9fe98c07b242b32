"""Pelican plugin: site search, the static index of the built site (before the accessibility gate).
(The namespace plugin `govsite_search`: the stage lives in govsite/plugins/search.py; govsite.stages
runs it in the platform's order, wherever PLUGINS lists it.)
"""

from govsite.plugins.search import register

__all__ = ["register"]
