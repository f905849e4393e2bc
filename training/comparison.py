"""The training app's figure for the city's comparison of offices (区役所比較, registered in
TrainingConfig.ready): required-training compliance per office for a fiscal year, by the same
rules as the 受講状況 page (compliance.py), for every office at once in a fixed number of
queries: each person is held to the rules of the office of their section."""

from collections import defaultdict

from takatsu_portal.accounts.models import Section
from takatsu_portal.compare.registry import Column, Metric, register
from takatsu_portal.compare.stats import percent
from takatsu_portal.core.fiscal import today

from .compliance import (
    Audience,
    _met,
    _people,
    _role_members,
    _window_section_ids,
    applies,
    reference_day,
    requirements_of,
)
from .models import Enrolment, add_months


def compliance_values(offices, fiscal_year):
    office_ids = {office.pk for office in offices}
    requirements = defaultdict(list)
    for requirement in requirements_of(None):
        if requirement.office_id in office_ids:
            requirements[requirement.office_id].append(requirement)
    if not requirements:
        return {}
    as_of = reference_day(fiscal_year)
    section_office = dict(
        Section.objects.filter(department__office__in=office_ids).values_list(
            "pk", "department__office_id"
        )
    )
    people, people_qs = _people(None, fiscal_year, as_of)
    people = [(p, s) for p, s in people if section_office.get(s) in requirements]
    ids = [p.pk for p, _ in people]
    every = [r for rules in requirements.values() for r in rules]
    roles = _role_members(ids, {r.role for r in every if r.audience == Audience.ROLE and r.role})
    windows = (
        _window_section_ids(None) if any(r.audience == Audience.WINDOW for r in every) else set()
    )
    completions = defaultdict(list)
    if ids:
        rows = Enrolment.objects.filter(
            user_id__in=people_qs.values("pk"),
            completed_on__gte=fiscal_year.start,
            completed_on__lte=add_months(fiscal_year.end, 12),
        ).values_list("user_id", "session__course_id", "session__course__category", "completed_on")
        for user_id, course_id, category, day in rows:
            completions[user_id].append((course_id, category, day))
    day = today()
    values = defaultdict(lambda: {"in_scope": 0, "missing": 0, "overdue": 0})
    for person, section_id in people:
        office_id = section_office[section_id]
        required = False
        missing = overdue = False
        for requirement in requirements[office_id]:
            if not applies(
                requirement, person, section_id, fiscal_year, roles=roles, window_sections=windows
            ):
                continue
            required = True
            deadline = requirement.deadline_for(person.joined, fiscal_year)
            if not _met(requirement, completions[person.pk], person.joined, fiscal_year, deadline):
                missing = True
                overdue = overdue or deadline < day
        if required:
            office = values[office_id]
            office["in_scope"] += 1
            office["missing"] += missing
            office["overdue"] += overdue
    for office in values.values():
        office["rate"] = percent(office["in_scope"] - office["missing"], office["in_scope"])
    return dict(values)


register(
    Metric(
        key="training",
        title="研修の受講義務の充足",
        columns=(
            Column("in_scope", "受講義務のある職員", "人"),
            Column("missing", "未充足の職員", "人"),
            Column("overdue", "うち期限超過", "人"),
            Column("rate", "充足率", "%"),
        ),
        values=compliance_values,
        chart="rate",
        note="各区役所の受講義務の設定（受講状況の画面と同じ規則）による年度の充足状況です。"
        "受講義務を設定していない区役所は空欄です。",
        order=80,
    )
)
