"""The registry of comparison metrics (区役所比較). The floor does not know what a plan, a
resident voice or a training course is: each domain app registers the figures it can compare
between offices in its AppConfig.ready (`plans/comparison.py`, `feedback/comparison.py`, ...),
and the comparison page, its exports and the city-wide report show whatever is registered.

A metric computes its values for every office at once, in a fixed number of queries whatever
the number of offices (group by office in the database, never a loop of queries per office).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One figure of a metric: its key in the values, its Japanese header and unit."""

    key: str
    label: str
    unit: str = ""


@dataclass(frozen=True)
class Metric:
    """A table of the comparison: one row per office, one cell per column.

    `values(offices, fiscal_year)` returns {office id: {column key: value}} (a value may be
    None: nothing to count); a missing office has no value at all. `chart` names the column
    drawn as a bar per office (None: the table alone, e.g. for dates and stages); `note`
    explains how the figures are counted, under the table.

    The page keeps the comparison in the cache until a data generation of a compared office
    moves (comparison.comparison_cached): every change the services report. `stamp(offices,
    fiscal_year)`, when given, is what else the values depend on: rows written without such a
    report (residents' survey answers, training's enrolments), as one cheap query whose result
    moves with them (a module-level function: the registry is kept with the cached page)."""

    key: str
    title: str
    columns: tuple[Column, ...]
    values: Callable
    chart: str | None = None
    note: str = ""
    order: int = 100
    stamp: Callable | None = None


REGISTRY: dict[str, Metric] = {}


def register(metric):
    REGISTRY[metric.key] = metric
    return metric


def metrics():
    """Every registered metric, in the order of the page."""
    return sorted(REGISTRY.values(), key=lambda m: (m.order, m.key))
