"""Pelican plugin: the 办事指南 pages and the 政务服务事项目录 (the site's and, on a portal, the group's).
(The namespace plugin `govsite_service_guides`: the stage lives in govsite/plugins/service_guides.py; govsite.stages
runs it in the platform's order, wherever PLUGINS lists it.)
"""

from govsite.plugins.service_guides import register

__all__ = ["register"]
