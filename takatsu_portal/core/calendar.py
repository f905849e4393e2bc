"""Working days of a Japanese ward office: not Saturday or Sunday, not a public holiday
(jpholiday, which follows the Cabinet Office's list), and not the year-end closure of
29 December to 3 January (年末年始の休庁日) that every city office keeps."""

from datetime import date, timedelta

import jpholiday


def is_closed(day: date) -> bool:
    if day.weekday() >= 5:
        return True
    if (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3):
        return True
    return jpholiday.is_holiday(day)


def previous_working_day(day: date) -> date:
    """`day` itself when the office is open that day, else the last open day before it."""
    while is_closed(day):
        day -= timedelta(days=1)
    return day


def working_days_before(day: date, count: int) -> date:
    """The working day `count` working days before `day` (for reminders)."""
    while count > 0:
        day -= timedelta(days=1)
        if not is_closed(day):
            count -= 1
    return day
