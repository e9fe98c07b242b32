"""Pelican plugin: the quarterly inspection notices (季度检查通报) and the 年度监管报表 on the portal.
(The namespace plugin `govsite_inspection`: the stage lives in govsite/plugins/inspection.py; govsite.stages
runs it in the platform's order, wherever PLUGINS lists it.)
"""

from govsite.plugins.inspection import register

__all__ = ["register"]
