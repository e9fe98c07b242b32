"""``GOVSITE_COMPLIANCE`` (pelicanconf.py): defaults, validation (errors name the key), per-site facts.

Every key is optional; ``load_config(value)`` returns the full configuration or raises
:class:`~govsite.errors.ContentInvalid` listing every bad key.
"""

from __future__ import annotations

import copy
import difflib
from datetime import date
from pathlib import Path

from govsite.errors import ContentInvalid, Problem
from govsite.vocabulary import COLUMN_FRESHNESS, COLUMN_TYPES

from .findings import FAMILIES
from .privacy import ACTIONS, KINDS

LEVELS = ("error", "warning", "off")
SOURCE = "pelicanconf.py"

DEFAULTS: dict = {
    # 1. privacy: the action per kind, and the e-mail domains that are not personal
    "privacy": {"id_card": "fail", "bank_card": "fail", "mobile": "mask", "email": "mask",
                "email_domains": [".gov.cn", ".政务"]},
    # 2. review separation and reprints
    "review": {"reviewer": "error", "reprint": "error"},
    # 3. deadlines, in working days; dates in the future or before the file's first commit
    "deadlines": {"policy_days": 5, "interpretation_days": 3, "late": "warning", "metadata": "error", "future": "error",
                  "backdating": "error", "backdating_tolerance_hours": 24, "git": True},
    # working-day overrides for years chinese_calendar does not know: {2027: {"holidays": [], "workdays": []}}
    "workdays": {},
    # 4. interpretation coverage
    "interpretations": {"missing": "error", "graphic_share": 0.8, "graphic_below": "warning"},
    # 5. column inspection: days per column type override govsite.vocabulary.COLUMN_FRESHNESS;
    # migration_grace_days: after site.toml [compliance] migrated, freshness errors are warnings this long
    # (a project default, not a national number)
    "freshness": {"days": {}, "home_days": 14, "home_warn_days": 10, "stale": "warning", "approaching": "warning",
                  "blank": "warning", "undated": "error", "veto_stale_columns": 5, "veto_blank_columns": 5,
                  "veto_unupdated_columns": 10, "migration_grace_days": 30},
    # 6. wording: the shipped lexicon plus extra files/entries, minus removed ones
    "wording": {"default_lexicon": True, "lexicon_files": [], "serious": {}, "sensitive": [], "remove": [],
                "serious_level": "error", "sensitive_level": "warning"},
    # 7. service guides: the same 事项编码 on two sites with a different 办理时限 or 收费标准
    "guides": {"mismatch": "warning"},
}


def load_config(value: dict | None, source: str = SOURCE) -> dict:
    """The configuration with defaults filled in; every problem names its key."""
    problems: list[Problem] = []
    config = copy.deepcopy(DEFAULTS)
    if value is None:
        return config
    key = "GOVSITE_COMPLIANCE"
    if not isinstance(value, dict):
        raise ContentInvalid([Problem(source, key, value, "a dict of rule families: " + ", ".join(DEFAULTS))])
    for section, given in value.items():
        if section not in DEFAULTS:
            _unknown(problems, source, key, section, DEFAULTS)
            continue
        if section == "workdays":
            config[section] = _workdays(problems, source, f"{key}['workdays']", given)
            continue
        if not isinstance(given, dict):
            problems.append(Problem(source, f"{key}[{section!r}]", given, "a dict"))
            continue
        for name, item in given.items():
            field = f"{key}[{section!r}][{name!r}]"
            if name not in DEFAULTS[section]:
                _unknown(problems, source, f"{key}[{section!r}]", name, DEFAULTS[section])
            elif (expected := _expected(section, name, item)) is not None:
                problems.append(Problem(source, field, item, expected))
            else:
                config[section][name] = item
    if problems:
        raise ContentInvalid(problems)
    return config


def _unknown(problems, source, where, name, allowed) -> None:
    close = difflib.get_close_matches(str(name), list(allowed), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    problems.append(Problem(source, f"{where}[{name!r}]", name, "a known key: " + ", ".join(allowed) + hint))


def _expected(section: str, name: str, value) -> str | None:
    """What is expected of one value, or None when it is fine."""
    default = DEFAULTS[section][name]
    if section == "privacy" and name in KINDS:
        return None if value in ACTIONS else "one of: " + ", ".join(ACTIONS)
    if isinstance(default, str):
        return None if value in LEVELS else "one of: " + ", ".join(LEVELS)
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "True or False"
    if name == "graphic_share":
        return None if isinstance(value, (int, float)) and 0 <= value <= 1 else "a share between 0 and 1"
    if isinstance(default, int):
        return None if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else \
            "a whole number >= 0"
    if name == "days":
        if not isinstance(value, dict):
            return "a dict {column type: [stale days, warn days]}"
        for column_type, pair in value.items():
            if column_type not in COLUMN_TYPES:
                return f"column types from govsite.vocabulary ({', '.join(COLUMN_TYPES)}), not {column_type!r}"
            if not (isinstance(pair, (list, tuple)) and len(pair) == 2 and all(isinstance(d, int) for d in pair)
                    and pair[1] <= pair[0]):
                return f"[stale days, warn days] with warn <= stale for {column_type!r}"
        return None
    if name == "serious":
        ok = isinstance(value, dict) and all(isinstance(k, str) and k and isinstance(v, str) for k, v in value.items())
        return None if ok else "a dict {wrong form: correct form}"
    if isinstance(default, list):
        ok = isinstance(value, list) and all(isinstance(v, str) and v for v in value)
        if ok and name == "lexicon_files":
            missing = [v for v in value if not Path(v).is_file()]
            return f"existing lexicon files (not found: {', '.join(missing)})" if missing else None
        return None if ok else "a list of non-empty strings"
    return None


def _workdays(problems, source, field, value) -> dict:
    if not isinstance(value, dict):
        problems.append(Problem(source, field, value, "a dict {year: {'holidays': [...], 'workdays': [...]}}"))
        return {}
    for year, table in value.items():
        where = f"{field}[{year!r}]"
        if not str(year).isdigit() or not isinstance(table, dict) or set(table) - {"holidays", "workdays"}:
            problems.append(Problem(source, where, table, "a year with {'holidays': [dates], 'workdays': [dates]}"))
            continue
        for kind, days in table.items():
            for day in days if isinstance(days, (list, tuple)) else [days]:
                try:
                    parsed = day if isinstance(day, date) else date.fromisoformat(str(day))
                except ValueError:
                    parsed = None
                if parsed is None or parsed.year != int(year):
                    problems.append(Problem(source, f"{where}[{kind!r}]", day, f"dates YYYY-MM-DD in {year}"))
    return value


def freshness_days(config: dict) -> dict[str, tuple[int, int]]:
    """Stale and warn days per column type: govsite.vocabulary's table with the configured overrides."""
    return {**COLUMN_FRESHNESS, **{t: tuple(p) for t, p in config["freshness"]["days"].items()}}


def site_facts(site, today: date) -> dict:
    """The site's ``[compliance]`` table (site.toml), with defaults; problems name the file and field."""
    facts = dict(site.compliance)
    unknown = [f for f in facts.get("warn_only", ()) if f not in FAMILIES]
    if unknown:
        raise ContentInvalid([Problem(site.file, "compliance.warn_only", unknown,
                                      "rule families: " + ", ".join(FAMILIES))])
    # a frozen sample (demo, fixtures) is inspected as of its day, never later than the build day
    facts["as_of"] = min(facts.get("as_of") or today, today)
    return facts

