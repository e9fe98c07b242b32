"""政民互动 (standards.md, 二(二)4): letters and their replies, interviews and surveys as published records.

A static site takes no submissions; it publishes what came in and what was answered. ``records`` reads
and validates the data files (``content/<site>/letters|interviews|surveys/*.toml``), ``statistics``
counts them on the working-day calendar, ``pages`` writes them as escaped HTML, ``settings`` validates
``GOVSITE_INTERACTION``. The Pelican side is ``govsite/plugins/interaction.py``; the reply rules are
``govsite/compliance/replies.py``.
"""
