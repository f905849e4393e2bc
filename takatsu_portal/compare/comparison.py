"""The comparison of offices for a fiscal year: every registered metric's table, the chart of
its chosen column, and the same figures as rows for CSV, .xlsx and the city-wide report."""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string

from takatsu_portal.accounts.models import Office
from takatsu_portal.accounts.permissions import within_office
from takatsu_portal.core import attention, generations
from takatsu_portal.core.charts import bar_figure, format_number
from takatsu_portal.core.fiscal import FiscalYear, today

from .registry import metrics

NO_VALUE = "―"


def offices_for(user):
    """The offices `user` may compare (the one scope rule): every office, or their own."""
    return list(within_office(user, Office.objects.order_by("sort_order", "id")))


def fiscal_year_choices(count=5):
    """This fiscal year and the four before it, newest first."""
    current = FiscalYear.current().year
    return [FiscalYear(year) for year in range(current, current - count, -1)]


def cell_text(value, unit=""):
    """A value as the page and the report print it."""
    if value is None:
        return NO_VALUE
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, str):
        return value
    return format_number(value, unit)


@dataclass
class Table:
    metric: object
    rows: list  # [(office, [value per column])]
    figure: object | None

    @property
    def headers(self):
        return [
            f"{column.label}（{column.unit}）" if column.unit else column.label
            for column in self.metric.columns
        ]

    @property
    def text_rows(self):
        return [(office, [cell_text(v) for v in values]) for office, values in self.rows]


@dataclass
class Comparison:
    fiscal_year: FiscalYear
    offices: list
    tables: list

    def flat_rows(self):
        """One row per metric, office and column: the long format of the exports."""
        for table in self.tables:
            for office, values in table.rows:
                for column, value in zip(table.metric.columns, values, strict=True):
                    if isinstance(value, date):
                        value = value.isoformat()
                    yield [table.metric.title, office.name, column.label, value, column.unit]


EXPORT_HEADER = ["指標", "区役所", "項目", "値", "単位"]


def compare(offices, fiscal_year):
    """Every registered metric for `offices` in `fiscal_year`: a fixed number of queries for
    any number of offices (each metric groups by office)."""
    tables = []
    for metric in metrics():
        values = metric.values(offices, fiscal_year) if offices else {}
        rows = [
            (office, [values.get(office.pk, {}).get(c.key) for c in metric.columns])
            for office in offices
        ]
        figure = None
        if metric.chart is not None and offices:
            column = next(c for c in metric.columns if c.key == metric.chart)
            index = metric.columns.index(column)
            figure = bar_figure(
                title=f"{metric.title}：{column.label}",
                labels=[office.name for office in offices],
                values=[values_[index] for _, values_ in rows],
                value_header=column.label,
                unit=column.unit,
                row_header="区役所",
                chart_id=f"compare-{metric.key}",
            )
        tables.append(Table(metric=metric, rows=rows, figure=figure))
    return Comparison(fiscal_year=fiscal_year, offices=offices, tables=tables)


@dataclass
class ShownComparison:
    """The comparison as the page shows it: the figures (for the exports) and the HTML of its
    tables and charts (compare/_tables.html, rendered without the request)."""

    comparison: Comparison
    html: str


def _generation_keys(offices):
    """The data generations the comparison of `offices` is stamped with: everyone's (a change
    that concerns every office) and each compared office's own (core/attention.py), so that a
    change of one ward's rows is seen at the next request, and a change of a ward not compared
    leaves the entry alone."""
    return [
        attention.GENERATION_KEY,
        *(attention.OFFICE_GENERATION_KEY.format(office.pk) for office in offices),
    ]


def comparison_cached(offices, fiscal_year):
    """The comparison of `offices` in `fiscal_year` with its page HTML, kept in the cache per
    fiscal year and set of offices until a data generation of a compared office moves, a
    metric's `stamp` changes (rows written without a generation: survey answers, training
    records) or the day changes; SHARED_CACHE_SECONDS bounds its life (0: computed at every
    request). A hit costs one cache round trip and the metrics' stamps (one query each),
    whatever the number of offices; a miss, `compare()`'s fixed number of queries."""
    registered = metrics()
    extra = (
        today().isoformat(),
        tuple(metric.key for metric in registered),
        *(metric.stamp(offices, fiscal_year) for metric in registered if metric.stamp),
    )
    ids = ",".join(str(office.pk) for office in offices)
    key = f"compare:{fiscal_year.year}:{hashlib.sha256(ids.encode()).hexdigest()[:32]}"

    def compute():
        comparison = compare(offices, fiscal_year)
        html = render_to_string(
            "compare/_tables.html", {"comparison": comparison, "fiscal_year": fiscal_year}
        )
        rows = {table.metric.key: [v for _, v in table.rows] for table in comparison.tables}
        return {"rows": rows, "html": html}

    entry = generations.cached(
        key,
        _generation_keys(offices),
        compute,
        seconds=settings.SHARED_CACHE_SECONDS,
        extra=extra,
    )
    tables = [
        Table(
            metric=metric,
            rows=list(zip(offices, entry["rows"][metric.key], strict=True)),
            figure=None,
        )
        for metric in registered
    ]
    return ShownComparison(
        comparison=Comparison(fiscal_year=fiscal_year, offices=offices, tables=tables),
        html=entry["html"],
    )
