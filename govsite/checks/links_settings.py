"""``GOVSITE_LINKS``: the link checker's settings, validated once (errors name the setting and key).

The advertising domains are not here: they are the accessibility gate's ``GOVSITE_A11Y['ad_domains']``
(one list for both checks).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from govsite.errors import ProblemsFound, Problem

SETTING = "GOVSITE_LINKS"

DEFAULTS: dict[str, object] = {
    "fail": True,              # broken internal links fail the build (False: reported only)
    "group_output": "",        # the folder holding every site's output (<folder>/<domain>/); '' = the build's
    "cross_site": True,        # check links to the group's other sites against their output
    "unverifiable_fails": False,  # a link to a group site without output fails (default: reported)
    "external_timeout": 10.0,  # seconds per external request
    "external_ttl_hours": 24.0,  # how long an external result is cached
    "external_host_delay": 1.0,  # seconds between two requests to the same host
    "external_concurrency": 8,   # requests in flight at once (all hosts)
    "external_cache": ".cache/links-external.json",
}


class LinksSettingsInvalid(ProblemsFound):
    what = f"the link checker's settings ({SETTING}) are invalid"


@dataclass(frozen=True)
class LinkSettings:
    fail: bool = True
    group_output: str = ""
    cross_site: bool = True
    unverifiable_fails: bool = False
    external_timeout: float = 10.0
    external_ttl_hours: float = 24.0
    external_host_delay: float = 1.0
    external_concurrency: int = 8
    external_cache: str = ".cache/links-external.json"


def load_link_settings(value: dict | None, source: str = "pelicanconf.py", **overrides) -> LinkSettings:
    """Validate ``GOVSITE_LINKS`` laid over the defaults; raise LinksSettingsInvalid naming every bad key."""
    if value is not None and not isinstance(value, dict):
        raise LinksSettingsInvalid([Problem(source, SETTING, value, "a dict of link-checker settings")])
    raw, problems = dict(DEFAULTS), []
    for key, item in {**(value or {}), **{k: v for k, v in overrides.items() if v is not None}}.items():
        if key not in DEFAULTS:
            close = difflib.get_close_matches(key, list(DEFAULTS), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(Problem(source, f"{SETTING}[{key!r}]", item, "a known key: " + ", ".join(DEFAULTS) + hint))
        else:
            raw[key] = item
    for key in ("fail", "cross_site", "unverifiable_fails"):
        if not isinstance(raw[key], bool):
            problems.append(Problem(source, f"{SETTING}[{key!r}]", raw[key], "True or False"))
    for key in ("group_output", "external_cache"):
        if not isinstance(raw[key], str):
            problems.append(Problem(source, f"{SETTING}[{key!r}]", raw[key], "a folder or file path (a string)"))
    for key in ("external_timeout", "external_ttl_hours", "external_host_delay"):
        if isinstance(raw[key], bool) or not isinstance(raw[key], (int, float)) or raw[key] < 0 \
                or (key == "external_timeout" and raw[key] == 0):
            problems.append(Problem(source, f"{SETTING}[{key!r}]", raw[key], "a non-negative number (timeout > 0)"))
    if isinstance(raw["external_concurrency"], bool) or not isinstance(raw["external_concurrency"], int) \
            or raw["external_concurrency"] < 1:
        problems.append(Problem(source, f"{SETTING}['external_concurrency']", raw["external_concurrency"],
                                "a positive integer"))
    if problems:
        raise LinksSettingsInvalid(problems)
    return LinkSettings(**raw)
