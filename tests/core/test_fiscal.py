from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from takatsu_portal.core.fiscal import FiscalYear, wareki


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2026, 4, 1), 2026),
        (date(2027, 3, 31), 2026),
        (date(2026, 3, 31), 2025),
        (date(2026, 11, 25), 2026),
        (date(2027, 1, 1), 2026),
    ],
)
def test_fiscal_year_runs_from_april_to_march(day, year):
    assert FiscalYear.of(day) == FiscalYear(year)
    assert day in FiscalYear(year)


def test_fiscal_year_of_an_aware_datetime_uses_tokyo_time():
    # 2027-03-31 20:00 UTC is already 1 April in Tokyo: the next fiscal year.
    moment = datetime(2027, 3, 31, 20, 0, tzinfo=ZoneInfo("UTC"))
    assert FiscalYear.of(moment) == FiscalYear(2027)


@pytest.mark.parametrize(
    ("year", "label"),
    [
        (2026, "令和8年度（2026年度）"),
        (2020, "令和2年度（2020年度）"),
        (2019, "令和元年度（2019年度）"),
        (2018, "平成30年度（2018年度）"),
        (1989, "平成元年度（1989年度）"),
    ],
)
def test_fiscal_year_label_gives_era_and_western_year(year, label):
    assert FiscalYear(year).label == label


def test_fiscal_year_bounds_and_neighbours():
    fy = FiscalYear(2026)
    assert (fy.start, fy.end) == (date(2026, 4, 1), date(2027, 3, 31))
    assert fy.next() == FiscalYear(2027)
    assert fy.previous() == FiscalYear(2025)
    assert fy.days_left(date(2027, 3, 30)) == 1


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 11, 25), "令和8年11月25日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
    ],
)
def test_wareki_dates_change_era_on_the_right_day(day, text):
    assert wareki(day) == text


def test_wareki_with_weekday():
    assert wareki(date(2026, 11, 25), weekday=True) == "令和8年11月25日（水）"


def test_template_filters_format_japanese_dates_years_and_yen():
    html = Template(
        "{% load portal %}{{ d|wareki_date }}|{{ d|fiscal_year }}|{{ 2026|fiscal_year }}|"
        "{{ amount|yen }}|{{ d|date:'DATE_FORMAT' }}"
    ).render(Context({"d": date(2026, 11, 25), "amount": 1234567}))
    assert html == (
        "令和8年11月25日|令和8年度（2026年度）|令和8年度（2026年度）|1,234,567円|2026年11月25日"
    )


def test_the_fiscal_months_run_from_april_to_march():
    months = FiscalYear(2026).months
    assert [m.month for m in months] == [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
    assert all(m.day == 1 for m in months)
    assert months[0] == date(2026, 4, 1)
    assert months[-1].year == 2027
