"""Pelican plugin: the 政府网站年度工作报表 as a page of the site; a warning when last year's is missing.
(The namespace plugin `govsite_annual_report`: the stage lives in govsite/plugins/annual_report.py; govsite.stages
runs it in the platform's order, wherever PLUGINS lists it.)
"""

from govsite.plugins.annual_report import register

__all__ = ["register"]
