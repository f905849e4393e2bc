"""Evaluation results: counts per point of the two 5-point questions, means and comments, for
one session or every session of a course. A fixed number of queries whatever the answers."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count

from takatsu_portal.core import charts

from .models import Evaluation


@dataclass
class Summary:
    count: int
    satisfaction_mean: Decimal | None
    usefulness_mean: Decimal | None
    satisfaction: list  # [(label, count)] from 5 to 1
    usefulness: list
    figures: list


def _mean(value):
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def summarise(evaluations, *, title):
    totals = evaluations.aggregate(n=Count("id"), sat=Avg("satisfaction"), use=Avg("usefulness"))
    sat_counts = dict(evaluations.values_list("satisfaction").annotate(c=Count("id")).order_by())
    use_counts = dict(evaluations.values_list("usefulness").annotate(c=Count("id")).order_by())
    sat = [(label, sat_counts.get(value, 0)) for value, label in Evaluation.SCALE]
    use = [(label, use_counts.get(value, 0)) for value, label in Evaluation.USEFUL_SCALE]
    figures = []
    if totals["n"]:
        figures = [
            charts.bar_figure(
                title=f"{title}：満足度",
                labels=[label for label, _ in sat],
                values=[count for _, count in sat],
                value_header="回答数",
                unit="件",
                row_header="満足度",
                chart_id="chart-satisfaction",
            ),
            charts.bar_figure(
                title=f"{title}：業務への有用度",
                labels=[label for label, _ in use],
                values=[count for _, count in use],
                value_header="回答数",
                unit="件",
                row_header="有用度",
                chart_id="chart-usefulness",
            ),
        ]
    return Summary(
        count=totals["n"],
        satisfaction_mean=_mean(totals["sat"]),
        usefulness_mean=_mean(totals["use"]),
        satisfaction=sat,
        usefulness=use,
        figures=figures,
    )


def comments(evaluations):
    """Comments without names: the organiser reads what was said, not who said it."""
    return list(
        evaluations.exclude(comments="")
        .order_by("submitted_at", "id")
        .values_list("comments", flat=True)
    )
