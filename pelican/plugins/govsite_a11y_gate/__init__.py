"""Pelican plugin: the accessibility gate on the site's output at the end of every build.
(The namespace plugin `govsite_a11y_gate`: the stage lives in govsite/plugins/a11y_gate.py; govsite.stages
runs it in the platform's order, wherever PLUGINS lists it.)
"""

from govsite.plugins.a11y_gate import register

__all__ = ["register"]
