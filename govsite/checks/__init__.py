"""Accessibility and compliance checks, usable on any folder of HTML.

So far: the government page metadata and footer function-area rules
(``checks.govmeta``). ``python -m govsite.checks PATH...`` runs them.
"""
