"""Pelican plugin: the 政府网站年度工作报表 as a page of the site; a warning when last year's is missing."""

from .annual_report_plugin import register

__all__ = ["register"]
