"""Pelican plugin: publishing compliance (privacy masking, review, deadlines, interpretations, columns, wording)."""

from .compliance_plugin import register

__all__ = ["register"]
