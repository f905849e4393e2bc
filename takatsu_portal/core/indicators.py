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
    """One kind of measured value.

    `value(ref, *, section=None, office=None, starts_on, ends_on)` is the value (a Decimal, or
    None when there is nothing to measure) of the row named by `ref`, a text (a question id, a
    course id, a category key: whatever the owning app's options are keyed by), for the period
    from `starts_on` to `ends_on` (dates, both included), counted only within `section` and/or
    `office` when given, in one or two queries; a `ref` that names nothing gives None.
    `options(office)` are the rows of that office an indicator may name (each with a `pk`;
    `str(row.pk)` is the ref), and `option_label(row)` their label. `per_section` says whether
    a plan project counts only its responsible section (survey answers at its windows) or its
    whole office (training of every member of staff)."""

    key: str
    label: str
    unit: str
    value: Callable[..., Decimal | None]
    options: Callable
    option_label: Callable = str
    per_section: bool = True


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


SEPARATOR = ":"


def choice_value(key, ref):
    """The value of a form choice naming source `key` and row `ref` ("key:ref")."""
    return f"{key}{SEPARATOR}{ref}" if key else ""


def split_choice(value):
    """(key, ref) of a choice made by `choice_value` ("" and "" for none)."""
    key, _, ref = (value or "").partition(SEPARATOR)
    return key, ref


def choices(office):
    """The choices of an indicator form: for each registered source, its options in `office`,
    grouped under the source's label (one query or none per source)."""
    grouped = []
    for source in sources():
        options = [
            (choice_value(source.key, row.pk), source.option_label(row))
            for row in source.options(office)
        ]
        if options:
            grouped.append((f"{source.label}（{source.unit}）", options))
    return grouped


def measure(key, ref, *, section=None, office=None, starts_on, ends_on):
    """The value of source `key` for `ref` in the period (see IndicatorSource.value), counted
    within `section` only when the source counts per section (otherwise in the whole
    `office`), or None when no installed app provides that source or `ref` is empty."""
    source = get(key)
    if source is None or not ref:
        return None
    return source.value(
        ref,
        section=section if source.per_section else None,
        office=office,
        starts_on=starts_on,
        ends_on=ends_on,
    )
