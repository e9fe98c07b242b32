"""Pelican plugin: render only the article pages whose inputs changed (see govsite/incremental.py)."""

from .incremental_plugin import register

__all__ = ["register"]
