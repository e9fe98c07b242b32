"""The official working-day calendar: statutory holidays and adjusted working days (调休).

``chinese_calendar`` knows the State Council's dates up to the end of its data (2026 for the pinned
version; a later date raises NotImplementedError). For later years the configuration gives an
override table ``{year: {"holidays": [...], "workdays": [...]}}``; a year in neither is counted
Monday–Friday, with one warning per year.
"""

from __future__ import annotations

import functools
import logging
from datetime import date, datetime, timedelta

import chinese_calendar

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1 << 13)
def official_workday(day: date) -> bool:
    """``chinese_calendar.is_workday`` (its data is fixed by the pinned version), remembered: a build
    asks it about the same few hundred days for every article's deadlines."""
    return chinese_calendar.is_workday(day)


class WorkdayCalendar:
    """Working days, from an override table first, then chinese_calendar, then Monday–Friday."""

    def __init__(self, overrides: dict | None = None):
        self.overrides = {int(year): (frozenset(map(_day, table.get("holidays", ()))),
                                      frozenset(map(_day, table.get("workdays", ()))))
                          for year, table in (overrides or {}).items()}
        self.guessed_years: set[int] = set()

    def is_workday(self, day: date) -> bool:
        if isinstance(day, datetime):
            day = day.date()
        if day.year in self.overrides:
            holidays, workdays = self.overrides[day.year]
            if day in workdays:
                return True
            return day.weekday() < 5 and day not in holidays
        try:
            return official_workday(day)
        except NotImplementedError:
            if day.year not in self.guessed_years:
                self.guessed_years.add(day.year)
                log.warning("working-day calendar: no holiday data for %s (chinese_calendar %s); counting "
                            "Monday–Friday. Add GOVSITE_COMPLIANCE['workdays'][%s] = {'holidays': [...], "
                            "'workdays': [...]} from the State Council's notice", day.year,
                            chinese_calendar.__version__, day.year)
            return day.weekday() < 5

    def add_workdays(self, start: date, count: int) -> date:
        """The day ``count`` working days after ``start`` (start itself not counted)."""
        day = start.date() if isinstance(start, datetime) else start
        while count > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                count -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        start = start.date() if isinstance(start, datetime) else start
        end = end.date() if isinstance(end, datetime) else end
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_workday(day)
        return count


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
