"""Resident voices in numbers: the monthly statistics (the 「月別の統計」 page and the
satisfaction report), counted by the database."""

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncDate, TruncMonth

from takatsu_portal.accounts.models import Section
from takatsu_portal.compare.stats import percent
from takatsu_portal.core.fiscal import today

from ..models import ResidentVoice

# ---------------------------------------------------------------------------------------------
# Answered by the due date


def on_time_counts(*, on):
    """The aggregates `judged` (voices whose answer can be judged on day `on`: with a due
    date, and answered or still open past it) and `on_time` (answered by the due date), for
    aggregate() or annotate(). The 「月別の統計」 page, the satisfaction report and the city's
    comparison of offices count by this one rule."""
    answered = Q(answered_at__isnull=False)
    with_due = Q(due_on__isnull=False)
    return {
        "judged": Count("id", filter=with_due & (answered | Q(due_on__lt=on))),
        "on_time": Count("id", filter=with_due & answered & Q(answered_at__date__lte=F("due_on"))),
    }


# ---------------------------------------------------------------------------------------------
# Resident voices: the monthly statistics (the 「月別の統計」 page and the satisfaction report)


def _monthly_table(rows, *, key, labels, months):
    """[(label, [count per month], total)] for every key in `labels` (in that order), from
    aggregate rows {"month", key, "n"}; and the totals per month."""
    counts = {}
    for row in rows:
        counts[(row[key], row["month"])] = row["n"]
    table = []
    for value, label in labels:
        cells = [counts.get((value, month), 0) for month in months]
        table.append((label, cells, sum(cells)))
    totals = [sum(row[1][i] for row in table) for i in range(len(months))]
    return table, totals


def voice_statistics_data(voices, fy, *, on=None):
    """Monthly counts by category and by section of the voices received in fiscal year `fy`,
    the share answered by the due date and the average days to answer (all in the database)."""
    day = on or today()
    months = fy.months
    in_year = voices.filter(received_on__range=(fy.start, fy.end))
    monthly = in_year.annotate(month=TruncMonth("received_on")).order_by()
    by_category, category_totals = _monthly_table(
        monthly.values("month", "category").annotate(n=Count("id")),
        key="category",
        labels=ResidentVoice.Category.choices,
        months=months,
    )
    section_rows = list(monthly.values("month", "section_id").annotate(n=Count("id")))
    # The sections of these voices: scoped as the voices are (core/scoping.py).
    sections = Section.objects.filter(pk__in=in_year.values("section_id"))
    by_section, section_totals = _monthly_table(
        section_rows,
        key="section_id",
        labels=[(section.pk, section.name) for section in sections],
        months=months,
    )
    answered = Q(answered_at__isnull=False)
    summary = in_year.aggregate(
        total=Count("id"),
        answered=Count("id", filter=answered),
        **on_time_counts(on=day),
        average=Avg(
            ExpressionWrapper(
                TruncDate("answered_at") - F("received_on"), output_field=DurationField()
            ),
            filter=answered,
        ),
    )
    average = summary["average"]
    return {
        "months": months,
        "by_category": by_category,
        "category_totals": category_totals,
        "by_section": by_section,
        "section_totals": section_totals,
        "total": summary["total"],
        "answered": summary["answered"],
        "judged": summary["judged"],
        "on_time": summary["on_time"],
        "on_time_rate": percent(summary["on_time"], summary["judged"]),
        "average_days": (
            round(average.total_seconds() / 86400, 1) if average is not None else None
        ),
    }
