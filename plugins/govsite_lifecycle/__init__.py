"""Pelican plugin: lifecycle notices, the maintenance page, and the published-events check."""

from .lifecycle_plugin import register

__all__ = ["register"]
