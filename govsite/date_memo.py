"""Pelican's date formatting (``pelican.utils.strftime``), remembered by the date and the format.

Pelican formats dates with its own ``strftime`` (format directives picked out by regular expressions,
each formatted on its own): for every article's URL (``{date:%Y%m}``), its ``locale_date`` and every
date a template prints, again on every build — 8.9 s of a warm 10,000-article publish under
cProfile. The result is a pure function of the date (its wall-clock fields, UTC offset and zone
name), the format and the process's locale (``LC_TIME``; ``LC_CTYPE`` for the format's characters),
so it is remembered by exactly those: two equal instants in different zones (equal datetimes) are
different keys. The memo holds at most ``LIMIT`` results and is emptied when full, so a long-lived
``govsite build --watch`` does not grow.
"""

from __future__ import annotations

import datetime
import locale

from pelican import utils

#: Most results kept (a 10,000-article site needs about three per article day and format).
LIMIT = 1 << 16
_pelican_strftime = utils.strftime
_memo: dict[tuple, str] = {}


def date_key(date, date_format: str) -> tuple:
    """What Pelican's ``strftime(date, date_format)`` depends on."""
    zone = date.tzname() if isinstance(date, (datetime.datetime, datetime.time)) else None
    return (type(date), date.isoformat(), zone, date_format, locale.setlocale(locale.LC_TIME),
            locale.setlocale(locale.LC_CTYPE))


def strftime(date, date_format: str) -> str:
    """``pelican.utils.strftime``, remembered."""
    key = date_key(date, date_format)
    text = _memo.get(key)
    if text is None:
        text = _pelican_strftime(date, date_format)
        if len(_memo) >= LIMIT:
            _memo.clear()
        _memo[key] = text
    return text


def install() -> None:
    """Make Pelican format dates through the memo (``SafeDatetime.strftime``, the ``strftime``
    template filter and URL formatting all call ``pelican.utils.strftime``); idempotent."""
    utils.strftime = strftime
