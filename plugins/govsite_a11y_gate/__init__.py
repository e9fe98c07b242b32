"""Pelican plugin: the accessibility gate on the site's output at the end of every build."""

from .gate_plugin import register

__all__ = ["register"]
