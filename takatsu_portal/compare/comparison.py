"""The comparison of offices for a fiscal year: every registered metric's table, the chart of
its chosen column, and the same figures as rows for CSV, .xlsx and the city-wide report."""

from dataclasses import dataclass
from datetime import date

from takatsu_portal.accounts.models import Office
from takatsu_portal.accounts.permissions import within_office
from takatsu_portal.core.charts import bar_figure, format_number
from takatsu_portal.core.fiscal import FiscalYear

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
