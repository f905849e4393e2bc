"""What training measures for the indicators of plan projects, registered with the floor's
indicator sources so that the plans app reads it without importing training:

- `training_completion_rate` (%): the share of a course's participants in the period
  (confirmed on a session held in the period) who completed it;
- `training_category_participants` (人): the number of people who completed a course of a
  category in the period (each person once).

`ref` is a course id (as text) for the first, a category value for the second; a ref that
names nothing gives None. `section` narrows to the staff of a section, `office` to the courses
of one ward. A plan project counts its whole office (`per_section=False`): a 接遇研修 project
trains every section, not only its responsible one.
"""

from decimal import Decimal

from django.db.models import Count, Q

from takatsu_portal.core import indicators

from .models import Category, Course, Enrolment

COMPLETION_RATE = "training_completion_rate"
CATEGORY_PARTICIPANTS = "training_category_participants"


def _enrolments(office):
    """The enrolments on the courses of `office`, else of every office (the city's figure)."""
    if office is not None:
        return Enrolment.objects.for_office(office)
    return Enrolment.objects.city_wide("every office's, for the city")


def _scope(qs, section):
    return qs.filter(user__section=section) if section is not None else qs


def completion_rate(ref, *, section=None, starts_on, ends_on, office=None):
    """Completed / confirmed participants (%) of the sessions of course `ref` held in the
    period; None without participants. One aggregate query."""
    try:
        course_id = int(ref)
    except (TypeError, ValueError):
        return None
    qs = _scope(
        _enrolments(office).filter(
            session__course_id=course_id,
            state=Enrolment.State.CONFIRMED,
            session__is_cancelled=False,
            session__starts_at__date__range=(starts_on, ends_on),
        ),
        section,
    )
    totals = qs.aggregate(all=Count("id"), done=Count("id", filter=Q(completed_on__isnull=False)))
    if not totals["all"]:
        return None
    return (Decimal(totals["done"]) * 100 / totals["all"]).quantize(Decimal("0.1"))


def category_participants(category, *, section=None, starts_on, ends_on, office=None):
    """People (counted once) who completed a course of `category` in the period, among the
    staff of `section` (else of the courses of `office`, else of every office); None for a
    category that does not exist. One query."""
    if category not in Category.values:
        return None
    qs = _scope(
        _enrolments(office).filter(
            session__course__category=category, completed_on__range=(starts_on, ends_on)
        ),
        section,
    )
    return Decimal(qs.values("user").distinct().count())


class CategoryOption:
    """A category as an option row (the registry's options are rows with a pk and a label)."""

    def __init__(self, value, label):
        self.pk = value
        self.label = label

    def __str__(self):
        return self.label


def course_options(office):
    return Course.objects.for_office(office).order_by("title", "id")


def category_options(office):
    return [CategoryOption(value, label) for value, label in Category.choices]


indicators.register(
    indicators.IndicatorSource(
        key=COMPLETION_RATE,
        label="研修の修了率（年度内の受講者のうち修了した割合）",
        unit="%",
        value=completion_rate,
        options=course_options,
        option_label=lambda course: course.title,
        per_section=False,
    )
)

indicators.register(
    indicators.IndicatorSource(
        key=CATEGORY_PARTICIPANTS,
        label="分野別の研修修了者数（人）",
        unit="人",
        value=category_participants,
        options=category_options,
        option_label=lambda option: option.label,
        per_section=False,
    )
)
