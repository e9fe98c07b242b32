"""Link outcomes remembered between builds (``checks.links``, in the scan cache): a page's links are
resolved again only when the page's bytes changed or what their outcome depends on did — a file of
the site it looks up added or removed, a page whose anchors it checks changed its anchors — so a
one-article publish resolves the links of the changed pages and of the pages pointing at what
appeared, disappeared or lost an anchor (a deleted page still breaks the links of unchanged pages).

Never remembered: a page linking to another site of the group (that output changes without this
site's), and a page with a broken or unverifiable link (its findings are worked out again each time).
"""

from __future__ import annotations

import posixpath

INDEX = "index.html"


def context_key(domain: str, other_domains, ad_domains, unverifiable_fails: bool) -> tuple:
    """What every outcome of a site depends on (a different key: every page is resolved again)."""
    return domain.lower(), tuple(sorted(d.lower() for d in other_domains)), tuple(sorted(ad_domains)), unverifiable_fails


def reusable(outcome) -> bool:
    """Whether a page's outcome may be kept for the next build (only resolving and external links)."""
    return not outcome.cross_site and all(problem[3] == "external" for problem in outcome.problems)


def affected_lookups(old_files: frozenset[str], files: frozenset[str]) -> set[str]:
    """The looked-up paths whose answer may differ between the two file sets: each file added or
    removed, and for an ``index.html`` its folder as ``x/`` and ``x`` (and ``""`` for the root)."""
    affected = set()
    for name in old_files ^ files:
        affected.add(name)
        folder, base = posixpath.split(name)
        if base == INDEX:
            affected.update((folder + "/", folder) if folder else ("",))
    return affected


def changed_anchors(old_pages: dict, scans: dict, hashes: dict[str, str]) -> set[str]:
    """Pages whose anchors differ from the cached scan's (added and removed pages included)."""
    changed = {name for name in old_pages if name not in scans}
    for name, scan in scans.items():
        old = old_pages.get(name)
        if old is None or (old[0] != hashes.get(name) and old[1] != scan.anchors):
            changed.add(name)
    return changed


def reusable_outcomes(cached: dict, context: tuple, files: frozenset[str], scans: dict,
                      hashes: dict[str, str]) -> dict:
    """The cached outcomes that still hold for pages whose bytes are unchanged (``cached``: the scan
    cache as read; ``scans``, ``hashes``: every page of this build; ``files``: every file of the site)."""
    if cached.get("context") != context or not isinstance(cached.get("files"), frozenset):
        return {}
    old_pages, outcomes = cached.get("pages", {}), cached.get("outcomes", {})
    affected = affected_lookups(cached["files"], files)
    anchors = changed_anchors(old_pages, scans, hashes)
    kept = {}
    for name, outcome in outcomes.items():
        old = old_pages.get(name)
        if old is None or name not in scans or old[0] != hashes.get(name):
            continue
        if outcome.lookups.isdisjoint(affected) and outcome.anchor_pages.isdisjoint(anchors) \
                and outcome.anchor_pages <= scans.keys():
            kept[name] = outcome
    return kept


def memo_entries(context: tuple, files: frozenset[str], outcomes: dict) -> dict:
    """What the scan cache keeps for the next build's ``reusable_outcomes``."""
    return {"context": context, "files": files,
            "outcomes": {name: outcome for name, outcome in outcomes.items() if reusable(outcome)}}
