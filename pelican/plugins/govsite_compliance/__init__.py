"""Pelican plugin: publishing compliance (privacy masking, review, deadlines, interpretations, columns, wording).
(The namespace plugin `govsite_compliance`: the stage lives in govsite/plugins/compliance.py; govsite.stages
runs it in the platform's order, wherever PLUGINS lists it.)
"""

from govsite.plugins.compliance import register

__all__ = ["register"]
