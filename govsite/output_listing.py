"""A build's output folder listed once for its output checks (links, search, the gate: a walk of
10,000 pages each), and the proof that they checked every page the build publishes: a page that is
not in that listing as the same file (added or replaced after it) fails the build."""

from __future__ import annotations

from govsite.files import Listing, is_page

#: Where a build keeps the listing (its settings: one build).
LISTING = "GOVSITE_OUTPUT_LISTING"


def output_listing(settings: dict) -> Listing:
    """The output folder's files, listed when the first output check asks (the link check: after the
    stages that write into the output at ``finalized``, lifecycle's redirect pages and interaction's
    replies feed, which the link check must see)."""
    listing = settings.get(LISTING)
    if listing is None:
        listing = settings[LISTING] = Listing.of(settings["OUTPUT_PATH"])
    return listing


def pages_after_listing(settings: dict, files) -> list[str]:
    """The pages among ``files`` (the staged walk's ``SiteFile``s) that the checks' listing does not have
    as the same file (inode): written after the checks listed the output. [] when no check listed it."""
    listing = settings.get(LISTING)
    if listing is None:
        return []
    return [f.rel for f in files if not f.hidden and is_page(f.rel) and listing.inodes.get(f.rel) != f.inode]
