"""Each person's training record: completed courses, with hours, per fiscal year."""

from collections import defaultdict
from decimal import Decimal

from takatsu_portal.core.fiscal import FiscalYear


def record_rows(user):
    """The person's enrolments that reached a session (completed or with attendance), newest
    first, with the session and course (one query)."""
    return list(
        user.training_enrolments.all()
        .exclude(completed_on__isnull=True, attendance="")
        .select_related("session", "session__course")
        .order_by("-session__starts_at", "-id")
    )


def hours_by_year(rows):
    """[(FiscalYear, completed count, hours)] newest first, from completed rows."""
    totals = defaultdict(lambda: [0, Decimal(0)])
    for row in rows:
        if row.completed_on:
            total = totals[FiscalYear.of(row.completed_on)]
            total[0] += 1
            total[1] += row.session.course.hours
    return [(year, n, hours) for year, (n, hours) in sorted(totals.items(), reverse=True)]


HEADER = ["年度", "研修名", "分野", "実施日", "出欠", "修了日", "時間数"]


def export_rows(rows):
    for row in rows:
        session = row.session
        yield (
            row.pk,
            [
                FiscalYear.of(session.day).label,
                session.course.title,
                session.course.get_category_display(),
                session.day,
                row.get_attendance_display() if row.attendance else "",
                row.completed_on,
                session.course.hours if row.completed_on else Decimal(0),
            ],
        )
