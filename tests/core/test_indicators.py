"""The registry of indicator sources (core/indicators.py): `measure` asks the registered source,
and counts within a section only for a source that counts per section."""

import datetime

import pytest

from takatsu_portal.core import indicators, tabular

PERIOD = {"starts_on": datetime.date(2026, 4, 1), "ends_on": datetime.date(2026, 6, 30)}


@pytest.fixture
def registered():
    calls = []

    def value(ref, *, section=None, office=None, starts_on, ends_on):
        calls.append((ref, section, office, starts_on, ends_on))
        return len(calls)

    keys = []
    for key, per_section in (("tests.windows", True), ("tests.office", False)):
        indicators.register(
            indicators.IndicatorSource(
                key=key,
                label=key,
                unit="件",
                value=value,
                options=lambda office: [],
                per_section=per_section,
            )
        )
        keys.append(key)
    yield calls
    for key in keys:
        indicators._sources.pop(key, None)


def test_measure_counts_within_the_section_only_for_a_per_section_source(registered):
    assert indicators.measure("tests.windows", "7", section="区民課", office="高津", **PERIOD) == 1
    assert indicators.measure("tests.office", "7", section="区民課", office="高津", **PERIOD) == 2
    assert registered == [
        ("7", "区民課", "高津", PERIOD["starts_on"], PERIOD["ends_on"]),
        ("7", None, "高津", PERIOD["starts_on"], PERIOD["ends_on"]),
    ]


def test_measure_is_none_without_the_source_or_a_ref(registered):
    assert indicators.measure("tests.missing", "7", **PERIOD) is None
    assert indicators.measure("tests.windows", "", **PERIOD) is None
    assert registered == []


def test_a_sheet_of_formatted_empty_rows_is_refused_at_the_one_limit():
    rows = [["見出し"]] + [[""]] * (tabular.SHEET_ROWS_PER_ROW * 2)
    with pytest.raises(tabular.ImportRefused, match="2行までのファイル"):
        list(tabular._limited(iter(rows), max_rows=2))
    list(tabular._limited(iter(rows[: tabular.SHEET_ROWS_PER_ROW * 2]), max_rows=2))
