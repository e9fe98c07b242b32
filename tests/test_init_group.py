"""govsite init's starter articles are never dated after the first build (govsite/init_group.py)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from govsite.defaults import TIMEZONE
from govsite.init_group import starter_times


def test_starter_articles_are_dated_now_or_earlier_in_the_platforms_time_zone():
    day, first, second = starter_times(None)
    now = datetime.now(ZoneInfo(TIMEZONE))
    assert day == now.date() or (now.hour, now.minute) == (0, 0)     # the day in Asia/Shanghai, not UTC
    assert first <= second <= now.strftime("%H:%M") or (now.hour, now.minute) == (0, 0)


def test_a_given_day_keeps_the_morning_times():
    assert starter_times(date(2026, 11, 20)) == (date(2026, 11, 20), "09:00", "10:00")
