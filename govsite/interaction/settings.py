"""``GOVSITE_INTERACTION`` (pelicanconf.py): the reply limit in working days and the level of each rule."""

from __future__ import annotations

from govsite.errors import ContentInvalid, Problem

SETTING = "GOVSITE_INTERACTION"
LEVELS = ("error", "warning", "off")
#: ``reply_workdays``: a letter is answered within this many working days of its receipt (a project
#: default; set the number the region's rules give). ``late``: a reply after the limit (a past fact,
#: reported); ``unanswered``: a published letter without a reply after the limit (fixable: reply);
#: ``echo``: a reply that only repeats the letter (for review). ``letters_per_page``: letters on one
#: page of ``letters.html``, ``letters-2.html``, ... (newest first).
DEFAULTS = {"reply_workdays": 15, "late": "warning", "unanswered": "error", "echo": "warning", "letters_per_page": 50}


def load_settings(value, source: str = "pelicanconf.py") -> dict:
    """The settings with defaults filled in; every bad key is a problem naming it."""
    if value is None:
        return dict(DEFAULTS)
    if not isinstance(value, dict):
        raise ContentInvalid([Problem(source, SETTING, value, "a dict with keys " + ", ".join(DEFAULTS))])
    problems = []
    for key, item in value.items():
        where = f"{SETTING}[{key!r}]"
        if key not in DEFAULTS:
            problems.append(Problem(source, where, item, "a known key: " + ", ".join(DEFAULTS)))
        elif key in ("reply_workdays", "letters_per_page"):
            if not (isinstance(item, int) and not isinstance(item, bool) and item >= 1):
                what = "working days" if key == "reply_workdays" else "letters"
                problems.append(Problem(source, where, item, f"a whole number of {what} >= 1"))
        elif item not in LEVELS:
            problems.append(Problem(source, where, item, "one of: " + ", ".join(LEVELS)))
    if problems:
        raise ContentInvalid(problems)
    return {**DEFAULTS, **value}


#: Where the stage leaves its settings and, per site, what the compliance stage checks (``Result``).
OPTIONS_KEY = "GOVSITE_INTERACTION_OPTIONS"
RESULT_KEY = "GOVSITE_INTERACTION_RESULT"
