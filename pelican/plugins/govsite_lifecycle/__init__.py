"""Pelican plugin: lifecycle notices, the maintenance page, and the published-events check.
(The namespace plugin `govsite_lifecycle`: the stage lives in govsite/plugins/lifecycle.py; govsite.stages
runs it in the platform's order, wherever PLUGINS lists it.)
"""

from govsite.plugins.lifecycle import register

__all__ = ["register"]
