"""Pelican plugin: 政策礼包 pages and feeds per audience on the portal, audience tags on articles.
(The namespace plugin `govsite_audiences`: the stage lives in govsite/plugins/audiences.py; govsite.stages
runs it in the platform's order, wherever PLUGINS lists it.)
"""

from govsite.plugins.audiences import register

__all__ = ["register"]
