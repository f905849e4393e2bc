"""Fiscal years (年度, 1 April – 31 March) and Japanese dates (和暦).

A fiscal year is named by the Western year in which it starts: fiscal 2026 runs from
2026-04-01 to 2027-03-31 and is shown as 「令和8年度（2026年度）」.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

# (first day, era name) from the newest; the first year of an era is 元年.
ERAS = [
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
]
WEEKDAYS = "月火水木金土日"


def _era_of(day):
    for start, name in ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    raise ValueError(f"{day} is before the Showa era")


def era_year_label(era, year):
    return f"{era}{'元' if year == 1 else year}年"


def wareki(day, *, weekday=False):
    """令和8年11月25日 (and （水） when weekday=True)."""
    if isinstance(day, datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    era, year = _era_of(day)
    text = f"{era_year_label(era, year)}{day.month}月{day.day}日"
    if weekday:
        text += f"（{WEEKDAYS[day.weekday()]}）"
    return text


def clock():
    """The portal's one clock: today's date in its time zone. Everything that asks for today
    goes through `today()`, which reads this, so a test sets the date by patching
    `takatsu_portal.core.fiscal.clock` whichever module imported `today`."""
    return timezone.localdate()


def today():
    return clock()


def local_datetime(value):
    """A date and time as people read it in the portal, in the office's time zone
    (TIME_ZONE, Asia/Tokyo): 2026年12月7日 08:53. Never the stored UTC value."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


def local_date(value):
    """A date as the portal writes it: 2026年12月7日."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{value.year}年{value.month}月{value.day}日"


@dataclass(frozen=True, order=True)
class FiscalYear:
    year: int

    @classmethod
    def of(cls, day):
        if isinstance(day, datetime):
            day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def current(cls):
        return cls.of(today())

    @property
    def start(self):
        return date(self.year, 4, 1)

    @property
    def end(self):
        return date(self.year + 1, 3, 31)

    @property
    def months(self):
        """The first day of each of its twelve months, April to March (the rows of every
        monthly table and chart)."""
        return [date(self.year + (month < 4), month, 1) for month in (*range(4, 13), 1, 2, 3)]

    def __contains__(self, day):
        return self.start <= day <= self.end

    def next(self):
        return FiscalYear(self.year + 1)

    def previous(self):
        return FiscalYear(self.year - 1)

    @property
    def era_label(self):
        """令和8年度: the era of the fiscal year's first day, except that fiscal 2019 is
        called 令和元年度 by custom although it began in 平成31年4月."""
        if self.year == 2019:
            return "令和元年度"
        era, year = _era_of(self.start)
        return f"{era_year_label(era, year)}度"

    @property
    def label(self):
        return f"{self.era_label}（{self.year}年度）"

    def __str__(self):
        return self.label

    def days_left(self, day=None):
        return (self.end - (day or today())).days
