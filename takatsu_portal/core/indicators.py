"""Sources of indicator values: data one app owns that another app's indicator reads.

A plan's project measures itself with indicators (plans); the actual value of an indicator may
come from data that another app keeps (the share of satisfied answers of a resident survey in
feedback, the completion rate of a course in training). The app that owns the data registers
an `IndicatorSource` in its AppConfig.ready(); the app that shows indicators asks the registry,
so neither imports the other.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class IndicatorSource:
    """`value(ref, *, section, starts_on, ends_on)` is the measured value (a Decimal, or None
    when there is nothing to measure) of the row `ref` (the id of a question, a course, ...)
    for the section and the period, in one or two queries. `options(office)` is the queryset
    of rows of that office an indicator may name, and `option_label(row)` their label."""

    key: str
    label: str
    unit: str
    value: Callable[..., Decimal | None]
    options: Callable
    option_label: Callable = str


_sources: dict[str, IndicatorSource] = {}


def register(source):
    """Register `source` under its key (a second registration of the same key replaces it)."""
    _sources[source.key] = source
    return source


def get(key):
    """The source registered under `key`, or None when no installed app provides it."""
    return _sources.get(key)


def sources():
    return list(_sources.values())
