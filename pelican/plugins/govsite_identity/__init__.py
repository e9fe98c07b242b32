"""Pelican plugin: the site's identity, columns and government metadata for the theme.
(The namespace plugin `govsite_identity`: the stage lives in govsite/plugins/identity.py; govsite.stages
runs it in the platform's order, wherever PLUGINS lists it.)
"""

from govsite.plugins.identity import register

__all__ = ["register"]
