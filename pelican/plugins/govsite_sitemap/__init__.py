"""Pelican plugin: writes sitemap.xml and robots.txt for the site.
(The namespace plugin `govsite_sitemap`: the stage lives in govsite/plugins/sitemap.py; govsite.stages
runs it in the platform's order, wherever PLUGINS lists it.)
"""

from govsite.plugins.sitemap import register

__all__ = ["register"]
