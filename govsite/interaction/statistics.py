"""Open statistics of letters (受理, 转办, 办结, 办结率, 平均办理工作日, 超期) per month, year and site,
on the official working-day calendar; the numbers of the annual report's 互动交流 section.

A letter's handling time runs from the day the writer's letter was received (for a forwarded letter,
the origin site's day) to its reply, in working days; an unanswered letter is overdue once more
working days than the limit have passed by the inspection day (``as_of``). Group figures count a
forwarded letter once, on the site that handles it (the origin's 已转办 record is left out).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable

from govsite.compliance.workdays import WorkdayCalendar

from .records import FORWARDED, Interview, Letter, Survey


@dataclass(frozen=True)
class Counts:
    """The figures of one period (or site)."""

    label: str
    received: int
    forwarded: int
    done: int
    average_workdays: float | None
    overdue: int

    @property
    def rate(self) -> float | None:
        """办结率: done among the letters the site handles itself (received minus forwarded)."""
        handled = self.received - self.forwarded
        return self.done / handled if handled else None


def workdays_used(letter: Letter, calendar: WorkdayCalendar, as_of: date) -> int:
    """Working days from receipt to the reply (to ``as_of`` while unanswered)."""
    end = letter.reply_date if letter.done and letter.reply_date else as_of
    return calendar.workdays_between(letter.started or letter.received, end)


def is_overdue(letter: Letter, calendar: WorkdayCalendar, limit: int, as_of: date) -> bool:
    """Answered after the limit, or still unanswered after it (a forwarded-on letter is not the site's)."""
    return letter.status != FORWARDED and workdays_used(letter, calendar, as_of) > limit


def count(label: str, letters: Iterable[Letter], calendar: WorkdayCalendar, limit: int, as_of: date) -> Counts:
    letters = list(letters)
    done = [item for item in letters if item.done]
    days = [workdays_used(item, calendar, as_of) for item in done]
    return Counts(label, len(letters), sum(item.status == FORWARDED for item in letters), len(done),
                  round(sum(days) / len(days), 1) if days else None,
                  sum(is_overdue(item, calendar, limit, as_of) for item in letters))


def by_period(letters: Iterable[Letter], period: Callable[[Letter], str], calendar: WorkdayCalendar, limit: int,
              as_of: date) -> list[Counts]:
    """Counts per period (by the day each letter was received), oldest first."""
    groups: dict[str, list[Letter]] = {}
    for letter in letters:
        groups.setdefault(period(letter), []).append(letter)
    return [count(label, groups[label], calendar, limit, as_of) for label in sorted(groups)]


def monthly(letters, calendar, limit, as_of) -> list[Counts]:
    return by_period(letters, lambda item: item.received.strftime("%Y-%m"), calendar, limit, as_of)


def yearly(letters, calendar, limit, as_of) -> list[Counts]:
    return by_period(letters, lambda item: str(item.received.year), calendar, limit, as_of)


def counted_once(by_site: dict[str, list[Letter]]) -> list[Letter]:
    """The group's letters, each once: a forwarded letter on the site that handles it."""
    return [item for letters in by_site.values() for item in letters if item.status != FORWARDED]


def annual_numbers(letters: list[Letter], interviews: list[Interview], surveys: list[Survey], year: int,
                   calendar: WorkdayCalendar | None = None) -> dict[tuple[str, str], object]:
    """The annual report's 互动交流 fields computable from the records (only for record kinds present)."""
    calendar = calendar or WorkdayCalendar()
    numbers: dict[tuple[str, str], object] = {}
    if letters:
        received = [item for item in letters if item.received.year == year]
        figures = count(str(year), received, calendar, 0, date(year, 12, 31))
        numbers[("interaction", "messages_received")] = figures.received
        numbers[("interaction", "messages_done")] = figures.done
        numbers[("interaction", "average_days")] = figures.average_workdays or 0.0
        numbers[("interaction", "replies_published")] = sum(
            1 for item in letters if item.done and item.reply_date and item.reply_date.year == year)
    if surveys:
        in_year = [item for item in surveys if item.start.year == year]
        numbers[("interaction", "surveys")] = len(in_year)
        numbers[("interaction", "survey_opinions")] = sum(item.opinions or 0 for item in in_year)
        numbers[("interaction", "survey_results")] = sum(1 for item in in_year if item.result)
    if interviews:
        in_year = [item for item in interviews if item.date.year == year]
        numbers[("interaction", "interviews")] = len(in_year)
        numbers[("interaction", "interview_messages")] = sum(item.messages or 0 for item in in_year)
        numbers[("interaction", "interview_answers")] = sum(len(item.qa) for item in in_year)
    return numbers



def site_annual_numbers(site, group, year: int, calendar: WorkdayCalendar | None = None,
                        compliance: dict | None = None) -> dict:
    """:func:`annual_numbers` from the site's records (raises ContentInvalid on a bad data file);
    ``compliance``: the loaded GOVSITE_COMPLIANCE (its privacy rules, and its working days when no
    ``calendar`` is given)."""
    from .records import group_letters, read_interviews, read_surveys

    if calendar is None and compliance is not None:
        calendar = WorkdayCalendar(compliance["workdays"])

    letters = group_letters(group, date.max, compliance).get(site.id, [])
    return annual_numbers(letters, read_interviews(site, compliance), read_surveys(site, compliance), year, calendar)
