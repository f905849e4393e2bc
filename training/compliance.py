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

Everything is decided by the database in one query over the people (each rule becomes two
boolean columns: whether it applies to the person, and whether it is unmet), so the page's
summary by section is one aggregate and its list of missing people one slice, whatever the
number of staff; Python only builds the rows it shows.
"""

from collections import namedtuple
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from takatsu_portal.accounts.models import Section
from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.fiscal import FiscalYear, today

from .models import Enrolment, Requirement

Audience = Requirement.Audience

# A person as the compliance pages need them: plain values, not model instances (2,000 staff
# are read in one query and never saved). `joined` is the local date of `date_joined`.
Person = namedtuple("Person", "pk username full_name full_name_kana staff_number joined")


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
    section: object = None

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
    people: list  # PersonStatus of everyone with at least one requirement (None: not read)
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


def _start_of(day):
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _end_of(day):
    return _start_of(day + timedelta(days=1))


class LastDayWithin(Func):
    """The day before `months` months after a date (`Requirement.deadline_for` in SQL: the day
    of the month kept, or the month's last day when the month is shorter)."""

    output_field = DateField()

    def __init__(self, day, months):
        self.months = int(months)
        super().__init__(day)

    def as_sql(self, compiler, connection, **extra):
        day, params = compiler.compile(self.source_expressions[0])
        return f"(CAST(({day}) + make_interval(months => %s) AS date) - 1)", (
            *params,
            self.months,
        )

    def as_sqlite(self, compiler, connection, **extra):
        day, params = compiler.compile(self.source_expressions[0])
        # date(d, '+N months') overflows into the next month (31 Jan + 1 month = 3 March); the
        # smaller of it and the target month's last day is the clamped day.
        return (
            f"date(min(date({day}, %s), date({day}, 'start of month', %s, '-1 day')), '-1 day')",
            (*params, f"+{self.months} months", *params, f"+{self.months + 1} months"),
        )


def requirements_of(office):
    if office is not None:
        qs = Requirement.objects.for_office(office)
    else:
        qs = Requirement.objects.city_wide("every office's rules, for the city")
    return list(qs.filter(is_active=True).select_related("course", "section"))


def _window_sections():
    """Sections that run a service window (the `windows` relation that the resident-feedback
    app adds to Section, when it is installed; training does not import it), as a subquery."""
    if not any(rel.related_name == "windows" for rel in Section._meta.related_objects):
        return None
    return Section.objects.filter(windows__is_active=True).values("pk")


NEVER = Q(pk__in=[])
ALWAYS = Q(pk__isnull=False)


def _applies(requirement, joined_this_year, windows):
    """The condition, on a person row annotated with `section_ref`, that the rule applies."""
    audience = requirement.audience
    if audience == Audience.ALL:
        condition = ALWAYS
    elif audience == Audience.ROLE and requirement.role:
        condition = Q(
            Exists(
                Group.user_set.through.objects.filter(
                    user_id=OuterRef("pk"), group__name=Role(requirement.role).label
                )
            )
        )
    elif audience == Audience.SECTION and requirement.section_id:
        condition = Q(section_ref=requirement.section_id)
    elif audience == Audience.WINDOW and windows is not None:
        condition = Q(section_ref__in=windows)
    elif audience == Audience.JOINERS:
        condition = joined_this_year
    else:
        return NEVER
    if requirement.due == Requirement.Due.AFTER_JOINING:
        condition &= joined_this_year
    return condition


def _met(requirement, index, fiscal_year):
    """A completion that satisfies the rule: of its course (or of a course of its category),
    dated within the fiscal year, or between joining and the deadline."""
    completions = Enrolment.objects.filter(user_id=OuterRef("pk"))
    if requirement.due == Requirement.Due.AFTER_JOINING:
        completions = completions.filter(
            completed_on__gte=OuterRef("joined_on"), completed_on__lte=OuterRef(f"deadline_{index}")
        )
    else:
        completions = completions.filter(
            completed_on__gte=fiscal_year.start, completed_on__lte=fiscal_year.end
        )
    if requirement.course_id:
        completions = completions.filter(session__course_id=requirement.course_id)
    else:
        completions = completions.filter(session__course__category=requirement.category)
    return Exists(completions)


def _flag(condition):
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def people_queryset(office, fiscal_year, requirements, *, section_ids=None, user_ids=None):
    """The office's staff on the year's reference day, one row per person with `section_ref`
    (their section that day), `joined_on`, and for each rule i the flags `applies_i` (the rule
    applies to them), `met_i` (a completion satisfies it) and `late_i` (its deadline for them
    is before today, `Requirement.deadline_for`). Each flag is computed once per person;
    `_select` combines them."""
    as_of = reference_day(fiscal_year)
    day = today()
    tz = timezone.get_current_timezone()
    User = get_user_model()
    qs = User.objects.filter(date_joined__lt=_end_of(as_of))
    if user_ids is not None:
        qs = qs.filter(pk__in=user_ids)
    if as_of == today():
        qs = qs.filter(is_active=True, section__isnull=False).annotate(section_ref=F("section_id"))
        if office is not None:
            qs = qs.filter(section__department__office=office)
    else:
        # A past year: the section and the active flag of the last history record before the
        # end of the reference day.
        history = User.history.filter(id=OuterRef("pk"), history_date__lt=_end_of(as_of)).order_by(
            "-history_date", "-history_id"
        )
        qs = qs.annotate(
            section_ref=Subquery(history.values("section_id")[:1]),
            active_then=Subquery(history.values("is_active")[:1]),
        ).filter(active_then=True, section_ref__isnull=False)
        if office is not None:
            qs = qs.filter(
                section_ref__in=Section.objects.filter(department__office=office).values("pk")
            )
    if section_ids is not None:
        qs = qs.filter(section_ref__in=section_ids)
    qs = qs.annotate(joined_on=TruncDate("date_joined", tzinfo=tz))
    joined_this_year = Q(
        date_joined__gte=_start_of(fiscal_year.start), date_joined__lt=_end_of(fiscal_year.end)
    )
    windows = (
        _window_sections() if any(r.audience == Audience.WINDOW for r in requirements) else None
    )
    for index, requirement in enumerate(requirements):
        if requirement.due == Requirement.Due.AFTER_JOINING:
            qs = qs.annotate(
                **{f"deadline_{index}": LastDayWithin(F("joined_on"), requirement.months or 0)}
            )
        applies = _applies(requirement, joined_this_year, windows)
        if office is None:
            # Several offices at once (a section-less administrator, the city's comparison): a
            # rule holds only the people of the office that set it.
            applies &= Q(
                section_ref__in=Section.objects.filter(
                    department__office_id=requirement.office_id
                ).values("pk")
            )
        if requirement.due == Requirement.Due.AFTER_JOINING:
            late = _flag(Q(**{f"deadline_{index}__lt": day}))
        else:
            late = Value(fiscal_year.end < day, output_field=BooleanField())
        qs = qs.annotate(
            **{
                f"applies_{index}": _flag(applies),
                f"met_{index}": _met(requirement, index, fiscal_year),
                f"late_{index}": late,
            }
        )
    return qs


PERSON_COLUMNS = ["person_id", "username", "full_name", "kana", "staff_number", "joined_on"]


def _inner_sql(qs, count):
    """The SQL of `qs` with the columns `_select` reads, compiled once per queryset object (the
    page's summary and its slice share one)."""
    cached = getattr(qs, "_compliance_inner_sql", None)
    if cached is None:
        # No ORDER BY inside (the user model's default ordering would sort every name).
        inner = (
            qs.order_by()
            .annotate(person_id=F("pk"), kana=F("full_name_kana"))
            .values(
                *PERSON_COLUMNS,
                "section_ref",
                *(f"applies_{i}" for i in range(count)),
                *(f"met_{i}" for i in range(count)),
                *(f"late_{i}" for i in range(count)),
            )
        )
        cached = qs._compliance_inner_sql = inner.query.sql_with_params()
    return cached


def _select(qs, requirements, columns, *, where="", group="", order="", limit=None, offset=0):
    """Rows of a SELECT over `qs` (people_queryset) as a derived table, so each person's flags
    are computed once however often the outer query combines them. `where` may use ANY_RULE
    and ANY_GAP; GAPS is the number of unmet rules of a row, ANY_OVERDUE whether one of them
    is past its deadline."""
    count = len(requirements)
    gap = [f"(applies_{i} AND NOT met_{i})" for i in range(count)]
    words = {
        "ANY_RULE": "(" + " OR ".join(f"applies_{i}" for i in range(count)) + ")",
        "ANY_GAP": "(" + " OR ".join(gap) + ")",
        "ANY_OVERDUE": "(" + " OR ".join(f"({g} AND late_{i})" for i, g in enumerate(gap)) + ")",
        "GAPS": "(" + " + ".join(f"CASE WHEN {g} THEN 1 ELSE 0 END" for g in gap) + ")",
    }
    inner_sql, params = _inner_sql(qs, count)
    outer = f"SELECT {', '.join(columns)} FROM (INNER) AS people"  # noqa: S608
    if where:
        outer += f" WHERE {where}"
    if group:
        outer += f" GROUP BY {group}"
    if order:
        outer += f" ORDER BY {order}"
    if limit is not None:
        outer += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    for word, expression in words.items():
        outer = outer.replace(word, expression)
    # Only this module's column names, operators and whole numbers are written into the text;
    # every value is a parameter of the inner query.
    # Kana in code-point order (as Python sorts them) without the slower locale collation.
    collate = ' COLLATE "C"' if connections[qs.db].vendor == "postgresql" else ""
    sql = outer.replace(" KANA_ORDER", collate).replace("INNER", inner_sql, 1)
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _sections(office, section_ids, sections):
    if sections is None:
        sections = Section.objects.with_department()
        if office is not None:
            sections = sections.for_office(office)
        if section_ids is not None:
            sections = sections.filter(pk__in=section_ids)
    return list(sections)


def section_summaries(
    office, fiscal_year, *, section_ids=None, sections=None, requirements=None, people=None
):
    """By section (organisation order): people in scope, people missing a rule, unmet rules.
    One aggregate query (and one for the sections when they are not given). `people` is the
    `people_queryset` of those sections when the caller has it already."""
    requirements = requirements_of(office) if requirements is None else requirements
    summaries = {s.pk: SectionSummary(section=s) for s in _sections(office, section_ids, sections)}
    if not requirements or not summaries:
        return list(summaries.values())
    if people is None:
        people = people_queryset(office, fiscal_year, requirements, section_ids=list(summaries))
    rows = _select(
        people,
        requirements,
        [
            "section_ref",
            "COUNT(*)",
            "SUM(CASE WHEN ANY_GAP THEN 1 ELSE 0 END)",
            "SUM(GAPS)",
        ],
        where="ANY_RULE",
        group="section_ref",
    )
    for section_id, in_scope, missing, gaps in rows:
        summary = summaries[section_id]
        summary.in_scope, summary.missing, summary.gaps = in_scope, missing or 0, gaps or 0
    return list(summaries.values())


def office_summaries(fiscal_year, section_office, *, requirements=None):
    """By office, for every office at once (the city's comparison): people in scope, people
    missing a rule and people with a rule past its deadline, each person held to the rules of
    the office of their section. `section_office` maps each section to count to its office's
    id. One aggregate query (and one for the rules when they are not given); offices whose
    people no rule applies to are absent."""
    requirements = requirements_of(None) if requirements is None else requirements
    if not requirements or not section_office:
        return {}
    people = people_queryset(None, fiscal_year, requirements, section_ids=list(section_office))
    # Section to office as whole numbers only, like `_order`.
    cases = " ".join(f"WHEN {int(s)} THEN {int(o)}" for s, o in section_office.items())
    rows = _select(
        people,
        requirements,
        [
            f"CASE section_ref {cases} END",
            "COUNT(*)",
            "SUM(CASE WHEN ANY_GAP THEN 1 ELSE 0 END)",
            "SUM(CASE WHEN ANY_OVERDUE THEN 1 ELSE 0 END)",
        ],
        where="ANY_RULE",
        group="1",
    )
    return {
        office: {"in_scope": in_scope, "missing": missing or 0, "overdue": overdue or 0}
        for office, in_scope, missing, overdue in rows
    }


def summary(office, fiscal_year):
    """The office's compliance by section without the people (the council report): the rules,
    the sections and one aggregate query."""
    requirements = requirements_of(office)
    return Compliance(
        fiscal_year=fiscal_year,
        as_of=reference_day(fiscal_year),
        requirements=requirements,
        people=None,
        sections=section_summaries(office, fiscal_year, requirements=requirements),
    )


def _status_columns(requirements):
    count = len(requirements)
    return [
        *PERSON_COLUMNS,
        "section_ref",
        *(f"applies_{i}" for i in range(count)),
        *(f"met_{i}" for i in range(count)),
    ]


def _status(row, requirements, fiscal_year, sections, day):
    """A PersonStatus from one row of `_status_columns`."""
    count = len(requirements)
    *values, joined = row[: len(PERSON_COLUMNS)]
    if isinstance(joined, str):  # SQLite gives the date as text
        joined = date.fromisoformat(joined)
    person = Person(*values, joined)
    section_id = row[len(PERSON_COLUMNS)]
    applies = row[len(PERSON_COLUMNS) + 1 : len(PERSON_COLUMNS) + 1 + count]
    met = row[len(PERSON_COLUMNS) + 1 + count :]
    status = PersonStatus(person=person, section_id=section_id, section=sections.get(section_id))
    for requirement, required, done in zip(requirements, applies, met, strict=True):
        if not required:
            continue
        status.required.append(requirement)
        if not done:
            deadline = requirement.deadline_for(person.joined, fiscal_year)
            status.gaps.append(Gap(requirement, deadline, overdue=deadline < day))
    return status


def _order(sections):
    """People in organisation order of their section (the position of `section_ref` among
    `sections`, whole numbers only), then by kana and id."""
    cases = " ".join(f"WHEN {int(pk)} THEN {index}" for index, pk in enumerate(sections))
    if not cases:  # no section order given: by kana alone (a bare 0 would be a column number)
        return "kana KANA_ORDER, person_id"
    return f"CASE section_ref {cases} ELSE {len(sections)} END, kana KANA_ORDER, person_id"


class MissingPeople:
    """The people missing a rule, in organisation order, for a Paginator: its length is the
    summaries' total (no COUNT query) and a slice reads only that page's people."""

    def __init__(self, people, fiscal_year, requirements, sections, summaries):
        self.people, self.fiscal_year = people, fiscal_year
        self.requirements = requirements
        self.sections = {s.pk: s for s in sections}
        self.total = sum(s.missing for s in summaries)

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(self.total)
        if stop <= start or not self.requirements:
            return []
        rows = _select(
            self.people,
            self.requirements,
            _status_columns(self.requirements),
            where="ANY_GAP",
            order=_order(self.sections),
            limit=stop - start,
            offset=start,
        )
        day = today()
        return [
            _status(row, self.requirements, self.fiscal_year, self.sections, day) for row in rows
        ]


def compute(
    office, fiscal_year, *, section_ids=None, user_ids=None, sections=None, requirements=None
):
    """The compliance of the office's staff (optionally of some sections or people) for
    `fiscal_year`, every person in scope with their gaps (exports, the council report, one
    person's home page). One query besides the rules and the sections."""
    as_of = reference_day(fiscal_year)
    requirements = requirements_of(office) if requirements is None else requirements
    section_list = _sections(office, section_ids, sections)
    by_pk = {s.pk: s for s in section_list}
    statuses = []
    if requirements:
        qs = people_queryset(
            office, fiscal_year, requirements, section_ids=section_ids, user_ids=user_ids
        )
        day = today()
        rows = _select(
            qs, requirements, _status_columns(requirements), where="ANY_RULE", order=_order(by_pk)
        )
        statuses = [_status(row, requirements, fiscal_year, by_pk, day) for row in rows]
    summaries = {pk: SectionSummary(section=s) for pk, s in by_pk.items()}
    for status in statuses:
        summary = summaries.get(status.section_id)
        if summary is None:
            continue
        summary.in_scope += 1
        if status.gaps:
            summary.missing += 1
            summary.gaps += len(status.gaps)
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
    summaries = section_summaries(
        section.department.office, fiscal_year, section_ids=[section.pk], sections=[section]
    )
    return summaries[0].missing
