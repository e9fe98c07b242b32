"""Pelican plugin: render only the article pages whose inputs changed (see govsite/incremental.py).
(The namespace plugin `govsite_incremental`: the stage lives in govsite/plugins/incremental.py; govsite.stages
runs it in the platform's order, wherever PLUGINS lists it.)
"""

from govsite.plugins.incremental import register

__all__ = ["register"]
