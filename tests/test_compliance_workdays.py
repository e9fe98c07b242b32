"""The working-day calendar: statutory holidays, adjusted Saturdays, years past chinese_calendar's data."""

import logging
from datetime import date

import pytest

from govsite.compliance.config import load_config
from govsite.compliance.workdays import WorkdayCalendar
from govsite.errors import ContentInvalid


def test_national_day_week_and_the_adjusted_saturday():
    cal = WorkdayCalendar()
    assert not any(cal.is_workday(date(2026, 10, d)) for d in range(1, 8)), "1–7 October 2026 are holidays"
    assert cal.is_workday(date(2026, 10, 10)), "Saturday 10 October 2026 is an adjusted working day (调休)"
    assert not cal.is_workday(date(2026, 10, 11))
    # a policy issued on 30 September: 8, 9, 10 (Sat), 12, 13 October are its five working days
    assert cal.add_workdays(date(2026, 9, 30), 5) == date(2026, 10, 13)
    assert cal.workdays_between(date(2026, 9, 30), date(2026, 10, 13)) == 5
    assert cal.workdays_between(date(2026, 9, 30), date(2026, 10, 7)) == 0


def test_a_year_past_the_data_falls_back_to_monday_to_friday_with_one_warning(caplog):
    cal = WorkdayCalendar()
    with caplog.at_level(logging.WARNING, logger="govsite.compliance.workdays"):
        assert not cal.is_workday(date(2027, 1, 2))  # a Saturday
        assert cal.is_workday(date(2027, 10, 1)), "unknown holiday: counted as a Friday"
        assert cal.add_workdays(date(2027, 9, 30), 5) == date(2027, 10, 7)
    warnings = [r for r in caplog.records if "2027" in r.getMessage()]
    assert len(warnings) == 1 and "GOVSITE_COMPLIANCE['workdays'][2027]" in warnings[0].getMessage()


def test_a_year_past_the_data_with_an_override_table(caplog):
    overrides = {2027: {"holidays": [f"2027-10-0{d}" for d in range(1, 8)], "workdays": ["2027-09-26", "2027-10-09"]}}
    cal = WorkdayCalendar(load_config({"workdays": overrides})["workdays"])
    with caplog.at_level(logging.WARNING):
        assert not cal.is_workday(date(2027, 10, 1))
        assert cal.is_workday(date(2027, 9, 26)) and cal.is_workday(date(2027, 10, 9)), "adjusted weekend days"
        assert cal.add_workdays(date(2027, 9, 30), 3) == date(2027, 10, 11)
    assert not caplog.records, "no fallback warning when the year is in the table"
    assert WorkdayCalendar(overrides).is_workday(date(2026, 10, 10)), "known years still use the package"


def test_override_table_is_validated_naming_the_key():
    with pytest.raises(ContentInvalid, match=r"GOVSITE_COMPLIANCE\['workdays'\]\[2027\]\['holidays'\]"):
        load_config({"workdays": {2027: {"holidays": ["2026-10-01"]}}})
    with pytest.raises(ContentInvalid, match="workdays"):
        load_config({"workdays": {2027: {"holiday": []}}})
