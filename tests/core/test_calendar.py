"""Working days of the ward office (takatsu_portal/core/calendar.py): weekends, public
holidays (jpholiday) and the year-end closure of 29 December – 3 January."""

from datetime import date

import pytest

from takatsu_portal.core.calendar import is_closed, previous_working_day, working_days_before


@pytest.mark.parametrize(
    "day",
    [
        "2026-04-29",  # 昭和の日 (Wednesday)
        "2026-05-03",  # 憲法記念日 (Sunday)
        "2026-05-04",  # みどりの日
        "2026-05-05",  # こどもの日
        "2026-05-06",  # 振替休日 for 5/3
        "2026-09-21",  # 敬老の日
        "2026-09-22",  # 国民の休日 between two holidays (Silver Week)
        "2026-09-23",  # 秋分の日
        "2026-12-29",  # year-end closure (a Tuesday)
        "2026-12-31",
        "2027-01-01",  # 元日
        "2027-01-02",
        "2027-01-03",
        "2026-01-12",  # 成人の日 (second Monday of January)
        "2027-01-11",
        "2026-11-28",  # a Saturday
        "2026-11-29",  # a Sunday
    ],
)
def test_the_office_is_closed_on_weekends_holidays_and_over_new_year(day):
    assert is_closed(date.fromisoformat(day))


@pytest.mark.parametrize(
    "day",
    [
        "2026-04-28",  # the Tuesday before 昭和の日
        "2026-04-30",
        "2026-05-01",  # the Friday inside Golden Week
        "2026-05-07",  # the first day back
        "2026-09-18",  # the Friday before Silver Week
        "2026-09-24",
        "2026-12-28",  # the last day before the year-end closure
        "2027-01-04",  # the first day of the new year
        "2026-11-25",  # an ordinary Wednesday
    ],
)
def test_the_office_is_open_on_other_weekdays(day):
    assert not is_closed(date.fromisoformat(day))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-05-05", "2026-05-01"),  # Golden Week: back over 5/4, 5/3 (Sun), 5/2 (Sat)
        ("2026-05-06", "2026-05-01"),  # the substitute holiday too
        ("2026-05-03", "2026-05-01"),
        ("2026-04-29", "2026-04-28"),  # 昭和の日
        ("2027-01-02", "2026-12-28"),  # the year-end closure, across the calendar year
        ("2027-01-03", "2026-12-28"),
        ("2026-12-29", "2026-12-28"),
        ("2026-09-23", "2026-09-18"),  # Silver Week: three holidays after a weekend
        ("2026-10-10", "2026-10-09"),  # Saturday → Friday
        ("2026-10-11", "2026-10-09"),  # Sunday → Friday
        ("2026-10-12", "2026-10-09"),  # スポーツの日 (Monday) → Friday
        ("2026-11-25", "2026-11-25"),  # an open day stays
    ],
)
def test_the_previous_working_day_is_the_day_itself_or_the_last_open_day_before(day, expected):
    assert previous_working_day(date.fromisoformat(day)) == date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        ("2026-05-07", 1, "2026-05-01"),  # the day before Golden Week ends is its Friday
        ("2026-05-08", 5, "2026-04-27"),  # 5/7, 5/1, 4/30, 4/28 (4/29 is a holiday), 4/27
        ("2027-01-04", 1, "2026-12-28"),  # back over New Year
        ("2027-01-05", 3, "2026-12-25"),  # 1/4, 12/28, 12/25
        ("2026-09-24", 1, "2026-09-18"),  # back over Silver Week
        ("2026-11-27", 5, "2026-11-19"),  # 11/26, 25, 24, (23 勤労感謝の日, 22, 21), 20, 19
        ("2026-11-30", 1, "2026-11-27"),  # Monday → the Friday before
        ("2026-11-29", 1, "2026-11-27"),  # from a Sunday: the last working day before it
        ("2026-11-25", 0, "2026-11-25"),
    ],
)
def test_working_days_before_counts_only_open_days(day, count, expected):
    assert working_days_before(date.fromisoformat(day), count) == date.fromisoformat(expected)


def test_fiscal_2026_has_241_working_days():
    """The whole calendar at once: 365 days less 104 weekend days, 17 holidays on weekdays
    (9/22 included) and the three weekdays of the year-end closure that are no holiday."""
    from datetime import timedelta

    start = date(2026, 4, 1)
    open_days = [
        day for day in (start + timedelta(days=n) for n in range(365)) if not is_closed(day)
    ]
    assert len(open_days) == 365 - 104 - 17 - 3
    assert all(day.weekday() < 5 for day in open_days)
