"""Pelican plugin: the portal's syndicated items reprinted on every department site (转载).
(The namespace plugin `govsite_syndication`: the stage lives in govsite/plugins/syndication.py; govsite.stages
runs it in the platform's order, wherever PLUGINS lists it.)
"""

from govsite.plugins.syndication import register

__all__ = ["register"]
