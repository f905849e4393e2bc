"""Counting findings for the summary page and the council's report: by barrier, place and
state, per fiscal year of the inspection, and the share closed within the due date. Every
number is counted by the database (a fixed number of queries whatever the number of rows)."""

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractMonth, ExtractYear

from takatsu_portal.core import charts
from takatsu_portal.core.fiscal import FiscalYear

from .models import Barrier, Finding, PlaceType

STATES = Finding.State


def _fiscal_year_of(year, month):
    return year if month >= 4 else year - 1


def fiscal_years(findings):
    """The fiscal years of the inspections that have findings, newest first (one query)."""
    rows = (
        findings.annotate(
            y=ExtractYear("inspection__inspected_on"), m=ExtractMonth("inspection__inspected_on")
        )
        .values_list("y", "m")
        .distinct()
    )
    return sorted({_fiscal_year_of(y, m) for y, m in rows}, reverse=True)


def in_year(findings, fiscal_year):
    if fiscal_year is None:
        return findings
    return findings.filter(inspection__inspected_on__range=(fiscal_year.start, fiscal_year.end))


def _state_counts(findings, group):
    """{group value: {state: count}} in one query."""
    out = {}
    for row in findings.order_by().values(group, "state").annotate(n=Count("id")):
        out.setdefault(row[group], {})[row["state"]] = row["n"]
    return out


def _rows(counts, labels):
    rows = []
    for key, label in labels:
        by_state = counts.get(key, {})
        cells = [by_state.get(state, 0) for state in STATES.values]
        rows.append({"label": label, "cells": cells, "total": sum(cells)})
    return rows


def within_due_by_year(findings):
    """Per fiscal year: findings, closed, closed within the due date, and the share (one
    query)."""
    rows = (
        findings.order_by()
        .annotate(
            y=ExtractYear("inspection__inspected_on"), m=ExtractMonth("inspection__inspected_on")
        )
        .values("y", "m")
        .annotate(
            total=Count("id"),
            closed=Count("id", filter=Q(state=STATES.CLOSED)),
            on_time=Count("id", filter=Q(state=STATES.CLOSED, closed_on__lte=F("due_on"))),
        )
    )
    years = {}
    for row in rows:
        fy = _fiscal_year_of(row["y"], row["m"])
        entry = years.setdefault(fy, {"total": 0, "closed": 0, "on_time": 0})
        for key in ("total", "closed", "on_time"):
            entry[key] += row[key]
    out = []
    for year in sorted(years):
        entry = years[year]
        share = round(entry["on_time"] * 100 / entry["total"], 1) if entry["total"] else None
        out.append({"fiscal_year": FiscalYear(year), **entry, "share": share})
    return out


def summary_context(findings, fiscal_year):
    """Tables and charts of the summary page (and the report)."""
    selected = in_year(findings, fiscal_year)
    by_barrier = _rows(_state_counts(selected, "barrier"), Barrier.choices)
    by_type = [
        row
        for row in _rows(_state_counts(selected, "place__place_type"), PlaceType.choices)
        if row["total"]
    ]
    places = {}
    for row in (
        selected.order_by()
        .values(
            "place_id", "place__name", "place__floor__name", "place__floor__building__name", "state"
        )
        .annotate(n=Count("id"))
    ):
        label = " ".join(
            row[key]
            for key in ("place__floor__building__name", "place__floor__name", "place__name")
        )
        places.setdefault((label, row["place_id"]), {})[row["state"]] = row["n"]
    by_place = sorted(
        _rows(places, [(key, key[0]) for key in places]),
        key=lambda r: (-r["total"], r["label"]),
    )
    years = within_due_by_year(findings)
    scope = fiscal_year.era_label if fiscal_year else "全年度"
    figures = []
    if any(row["total"] for row in by_barrier):
        figures.append(
            charts.bar_figure(
                title=f"バリア別の指摘事項（{scope}）",
                labels=[row["label"] for row in by_barrier],
                values=[row["total"] for row in by_barrier],
                value_header="指摘事項",
                unit="件",
                row_header="バリア",
                chart_id="insp-barrier",
            )
        )
        states = [sum(row["cells"][i] for row in by_barrier) for i in range(len(STATES.values))]
        figures.append(
            charts.bar_figure(
                title=f"状況別の指摘事項（{scope}）",
                labels=[label for _, label in STATES.choices],
                values=states,
                value_header="指摘事項",
                unit="件",
                row_header="状況",
                chart_id="insp-state",
                colour=charts.PALETTE[2],
            )
        )
    years_with_findings = [row for row in years if row["total"]]
    if years_with_findings:
        figures.append(
            charts.bar_figure(
                title="期限内に完了した指摘事項の割合（年度別）",
                labels=[row["fiscal_year"].era_label for row in years_with_findings],
                values=[row["share"] for row in years_with_findings],
                value_header="期限内に完了した割合",
                unit="%",
                row_header="年度",
                chart_id="insp-on-time",
                colour=charts.PALETTE[1],
            )
        )
    return {
        "state_labels": [label for _, label in STATES.choices],
        "by_barrier": by_barrier,
        "by_type": by_type,
        "by_place": by_place,
        "years": years,
        "figures": figures,
        "total": sum(row["total"] for row in by_barrier),
    }
