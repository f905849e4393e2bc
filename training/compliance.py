"""Required-training compliance (受講義務の充足状況), for one fiscal year.

Who is counted, and where: the people of the office on the year's reference day (`as_of`:
today for the current year, 31 March for a past one), in the section they belonged to that day.
For the current year that is the user's row as it is; for a past year it is read from the
user's history (django-simple-history records every change of `User`, with its date), so a
person who moved from 区民課 to 保険年金課 in October is counted under 保険年金課 for that year, and
a person who has left since is still counted for the years they worked. Completions count
wherever the person was when they completed.

What counts: a completed enrolment (`completed_on`) of the rule's course, or of any course of
its category, dated within the fiscal year (rules due each fiscal year) or between joining and
the deadline (rules due N months after joining, which apply to people who joined the office in
that fiscal year: `User.date_joined`).

Everything is read in a fixed number of queries (people, roles, window sections, rules,
completions), whatever the number of staff; the rest is done in Python.
"""

from collections import defaultdict, namedtuple
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from takatsu_portal.accounts.models import Section
from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.fiscal import FiscalYear, today

from .models import Enrolment, Requirement, add_months

Audience = Requirement.Audience

# A person as the compliance pages need them: plain values, not model instances (2,000 staff
# are read in one query and never saved). `joined` is the local date of `date_joined`.
Person = namedtuple("Person", "pk username full_name full_name_kana staff_number joined")
PERSON_FIELDS = ["pk", "username", "full_name", "full_name_kana", "staff_number", "date_joined"]


@dataclass
class Gap:
    requirement: Requirement
    deadline: object
    overdue: bool


@dataclass
class PersonStatus:
    person: object
    section_id: int
    required: list = field(default_factory=list)  # requirements that apply
    gaps: list = field(default_factory=list)  # Gap of each unmet requirement

    @property
    def compliant(self):
        return not self.gaps


@dataclass
class SectionSummary:
    section: Section
    in_scope: int = 0
    missing: int = 0
    gaps: int = 0

    @property
    def rate(self):
        if not self.in_scope:
            return None
        return round((self.in_scope - self.missing) * 100 / self.in_scope, 1)


@dataclass
class Compliance:
    fiscal_year: FiscalYear
    as_of: object
    requirements: list
    people: list  # PersonStatus of everyone with at least one requirement
    sections: list  # SectionSummary, organisation order

    @property
    def missing_people(self):
        return [p for p in self.people if p.gaps]


def reference_day(fiscal_year):
    """Today for the current fiscal year, its last day for a past one, its first for a future
    one."""
    day = today()
    if day in fiscal_year:
        return day
    return fiscal_year.end if day > fiscal_year.end else fiscal_year.start


def _end_of(day):
    return datetime.combine(
        day + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
    )


def _person(row, tz):
    *values, date_joined = row
    return Person(*values, timezone.localtime(date_joined, tz).date())


def _people(office, fiscal_year, as_of, *, section_ids=None, user_ids=None):
    """(Person, section id) of the office's staff on `as_of`, and the queryset of those users
    (a subquery for the completions: cheaper than a list of 2,000 ids)."""
    tz = timezone.get_current_timezone()
    User = get_user_model()
    current = as_of == today()
    qs = User.objects.filter(date_joined__lt=_end_of(as_of))
    if user_ids is not None:
        qs = qs.filter(pk__in=user_ids)
    if current:
        qs = qs.filter(is_active=True, section__isnull=False)
        if office is not None:
            qs = qs.filter(section__department__office=office)
        if section_ids is not None:
            qs = qs.filter(section_id__in=section_ids)
        rows = qs.values_list(*PERSON_FIELDS, "section_id")
        return [(_person(row[:-1], tz), row[-1]) for row in rows], qs
    # A past year: the section and the active flag of the last history record before the end
    # of the reference day.
    history = User.history.filter(id=OuterRef("pk"), history_date__lt=_end_of(as_of)).order_by(
        "-history_date", "-history_id"
    )
    qs = qs.annotate(
        section_then=Subquery(history.values("section_id")[:1]),
        active_then=Subquery(history.values("is_active")[:1]),
    ).filter(active_then=True, section_then__isnull=False)
    if office is not None:
        office_sections = Section.objects.filter(department__office=office).values("pk")
        qs = qs.filter(section_then__in=office_sections)
    if section_ids is not None:
        qs = qs.filter(section_then__in=section_ids)
    rows = qs.values_list(*PERSON_FIELDS, "section_then")
    return [(_person(row[:-1], tz), row[-1]) for row in rows], qs


def _window_section_ids(office):
    """Sections that run a service window (the `windows` relation that the resident-feedback
    app adds to Section, when it is installed; training does not import it)."""
    if not any(rel.related_name == "windows" for rel in Section._meta.related_objects):
        return set()
    qs = Section.objects.filter(windows__is_active=True)
    if office is not None:
        qs = qs.filter(department__office=office)
    return set(qs.values_list("pk", flat=True))


def _role_members(user_ids, roles):
    names = {Role(role).label: Role(role) for role in roles}
    members = defaultdict(set)
    if not names:
        return members
    for user_id, name in Group.user_set.through.objects.filter(
        group__name__in=list(names), user_id__in=user_ids
    ).values_list("user_id", "group__name"):
        members[names[name]].add(user_id)
    return members


def requirements_of(office):
    qs = Requirement.objects.filter(is_active=True).select_related("course", "section")
    return list(qs.filter(office=office) if office is not None else qs)


def applies(requirement, person, section_id, fiscal_year, *, roles, window_sections):
    joined_this_year = person.joined in fiscal_year
    if requirement.due == Requirement.Due.AFTER_JOINING and not joined_this_year:
        return False
    audience = requirement.audience
    if audience == Audience.ALL:
        return True
    if audience == Audience.ROLE:
        return person.pk in roles.get(Role(requirement.role), ()) if requirement.role else False
    if audience == Audience.SECTION:
        return requirement.section_id == section_id
    if audience == Audience.WINDOW:
        return section_id in window_sections
    if audience == Audience.JOINERS:
        return joined_this_year
    return False


def _met(requirement, completions, joined, fiscal_year, deadline):
    """Whether one of the person's completions (course id, category, date) satisfies the rule."""
    if requirement.due == Requirement.Due.AFTER_JOINING:
        start, end = joined, deadline
    else:
        start, end = fiscal_year.start, fiscal_year.end
    for course_id, category, day in completions:
        if not (start <= day <= end):
            continue
        if requirement.course_id and course_id == requirement.course_id:
            return True
        if requirement.category and category == requirement.category:
            return True
    return False


def compute(office, fiscal_year, *, section_ids=None, user_ids=None, sections=None):
    """The compliance of the office's staff (optionally of some sections or people) for
    `fiscal_year`."""
    as_of = reference_day(fiscal_year)
    requirements = requirements_of(office)
    people, people_qs = [], None
    if requirements:
        people, people_qs = _people(
            office, fiscal_year, as_of, section_ids=section_ids, user_ids=user_ids
        )
    ids = [p.pk for p, _ in people]
    roles = _role_members(
        ids, {r.role for r in requirements if r.audience == Audience.ROLE and r.role}
    )
    windows = (
        _window_section_ids(office)
        if any(r.audience == Audience.WINDOW for r in requirements)
        else set()
    )
    completions = defaultdict(list)
    if ids:
        rows = Enrolment.objects.filter(
            user_id__in=people_qs.values("pk") if len(ids) > 50 else ids,
            completed_on__gte=fiscal_year.start,
            completed_on__lte=add_months(fiscal_year.end, 12),
        ).values_list("user_id", "session__course_id", "session__course__category", "completed_on")
        for user_id, course_id, category, day in rows:
            completions[user_id].append((course_id, category, day))
    day = today()
    statuses = []
    for person, section_id in people:
        status = PersonStatus(person=person, section_id=section_id)
        joined = person.joined
        for requirement in requirements:
            if not applies(
                requirement, person, section_id, fiscal_year, roles=roles, window_sections=windows
            ):
                continue
            status.required.append(requirement)
            deadline = requirement.deadline_for(joined, fiscal_year)
            if not _met(requirement, completions[person.pk], joined, fiscal_year, deadline):
                status.gaps.append(Gap(requirement, deadline, overdue=deadline < day))
        if status.required:
            statuses.append(status)
    if sections is None:
        sections = Section.objects.with_department()
        if office is not None:
            sections = sections.for_office(office)
        if section_ids is not None:
            sections = sections.filter(pk__in=section_ids)
    summaries = {s.pk: SectionSummary(section=s) for s in sections}
    position = {pk: index for index, pk in enumerate(summaries)}
    for status in statuses:
        summary = summaries.get(status.section_id)
        if summary is None:
            continue
        summary.in_scope += 1
        if status.gaps:
            summary.missing += 1
            summary.gaps += len(status.gaps)
        status.section = summary.section
    for status in statuses:
        if not hasattr(status, "section"):
            status.section = None
    position = {pk: index for index, pk in enumerate(summaries)}
    statuses.sort(
        key=lambda s: (
            position.get(s.section_id, len(position)),
            s.person.full_name_kana,
            s.person.pk,
        )
    )
    return Compliance(
        fiscal_year=fiscal_year,
        as_of=as_of,
        requirements=requirements,
        people=statuses,
        sections=list(summaries.values()),
    )


def gaps_of(user, fiscal_year=None):
    """What `user` still has to complete this fiscal year (the home page)."""
    fiscal_year = fiscal_year or FiscalYear.current()
    office = user.office
    if office is None:
        return []
    result = compute(office, fiscal_year, user_ids=[user.pk], sections=[user.section])
    return result.people[0].gaps if result.people else []


def missing_in_section(section, fiscal_year=None):
    """How many people of `section` still lack a required course (the manager's home page)."""
    fiscal_year = fiscal_year or FiscalYear.current()
    result = compute(
        section.department.office, fiscal_year, section_ids=[section.pk], sections=[section]
    )
    return len(result.missing_people)
