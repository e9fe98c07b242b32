"""Validates ``GOVSITE_SEARCH`` at ``initialized`` and indexes the output at ``finalized``.

Run before the gate (govsite.stages), so the gate checks the site with its search page
and bundle in place. With ``enabled = False`` the search page is not rendered and no form shows.
"""

from __future__ import annotations

from pathlib import Path

from govsite import stages
from govsite.incremental import linked_identities
from govsite.output_listing import output_listing
from govsite.lifecycle import effective_site, today_of
from govsite.search import SearchSettings, group_bundles, group_scope_label, index_site, previous_output

STAGE = "search"

SETTINGS_KEY = "GOVSITE_SEARCH_SETTINGS"
#: The last indexing result, left in the settings for the build summary and benchmarks.
RESULT_KEY = "GOVSITE_SEARCH_RESULT"


def check_settings(pelican) -> None:
    """Validate once; drop the search page when search is off."""
    settings = pelican.settings
    search = SearchSettings.of(settings.get("GOVSITE_SEARCH"))
    settings[SETTINGS_KEY] = search
    context = settings.get("JINJA_GLOBALS", {}).get("govsite")  # set by the identity stage (it runs first)
    if context is not None:
        today, options = today_of(settings), settings.get("GOVSITE_LIFECYCLE")
        bundles = group_bundles(context.site, context.group,
                                lambda site: effective_site(site, today, options)) if search.group else []
        settings["JINJA_GLOBALS"]["govsite_search"] = {
            "group": bundles, "scope_label": group_scope_label(context.site.name) if bundles else ""}
    if not search.enabled:
        settings["DIRECT_TEMPLATES"] = [t for t in settings.get("DIRECT_TEMPLATES", []) if t != "search"]


def index_output(pelican) -> None:
    """Index the content regions of the built pages into ``<output>/search-index/``."""
    settings = pelican.settings
    search = settings[SETTINGS_KEY]
    if not search.enabled:
        return
    site = settings["JINJA_GLOBALS"]["govsite"].site
    cache = Path(settings["CACHE_PATH"]) if settings.get("CACHE_PATH") else None
    settings[RESULT_KEY] = index_site(settings["OUTPUT_PATH"], search,
                                      previous=previous_output(settings["OUTPUT_PATH"], site.domain),
                                      memo=cache / "govsite-search-regions.json" if cache else None,
                                      cache=cache / "govsite-search-parts" if cache else None,
                                      linked=linked_identities(settings, settings["OUTPUT_PATH"]),
                                      listing=output_listing(settings))


def register() -> None:
    """Hand the receivers to govsite.stages, which runs them in the platform's order."""
    stages.connect(STAGE, {"initialized": check_settings, "finalized": index_output})
