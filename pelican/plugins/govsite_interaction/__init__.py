"""Pelican plugin: 政民互动 (letters and replies, open statistics, interviews, surveys) as pages of the site.
(The namespace plugin `govsite_interaction`: the stage lives in govsite/plugins/interaction.py; govsite.stages
runs it in the platform's order, wherever PLUGINS lists it.)
"""

from govsite.plugins.interaction import register

__all__ = ["register"]
