"""The city's comparison and the council report count compliance in the database (one aggregate
query whatever the number of staff) and give the same figures as the per-person computation
(compliance.compute) that the 受講状況 page's exports use."""

from collections import defaultdict
from datetime import timedelta

import pytest

from takatsu_portal.accounts.roles import Role
from takatsu_portal.compare.stats import percent
from takatsu_portal.core.fiscal import today
from tests.factories import DepartmentFactory, OfficeFactory, SectionFactory
from training import compliance
from training.comparison import compliance_values
from training.models import Category, Requirement

from .factories import CourseFactory
from .test_compliance import CURRENT, PAST, completed, dated_user

pytestmark = pytest.mark.django_db


def per_person(offices, fiscal_year):
    """The figures counted person by person from compliance.compute (the reference)."""
    section_office = {
        section.pk: section.department.office_id
        for section in compliance.Section.objects.filter(
            department__office__in=offices
        ).select_related("department")
    }
    result = compliance.compute(None, fiscal_year, section_ids=list(section_office), sections=[])
    values = defaultdict(lambda: {"in_scope": 0, "missing": 0, "overdue": 0})
    for status in result.people:
        office = values[section_office[status.section_id]]
        office["in_scope"] += 1
        office["missing"] += bool(status.gaps)
        office["overdue"] += any(gap.overdue for gap in status.gaps)
    for office in values.values():
        office["rate"] = percent(office["in_scope"] - office["missing"], office["in_scope"])
    return dict(values)


def make_wards(size):
    """Three offices of `size` people each: 高津 with a yearly rule and a rule for joiners
    (within one month), 宮前 with a yearly rule of its own, 幸 with none. Some completed last
    year, some this year, some joined this year."""
    offices = []
    long_ago = PAST.start - timedelta(days=400)
    # Joined this fiscal year, long enough ago that the month for joiners may have passed.
    joined = max(CURRENT.start, today() - timedelta(days=60))
    for code, name in (
        ("takatsu", "高津区役所"),
        ("miyamae", "宮前区役所"),
        ("saiwai", "幸区役所"),
    ):
        office = OfficeFactory(code=code, name=name)
        department = DepartmentFactory(office=office)
        sections = [SectionFactory(department=department, sort_order=n) for n in range(2)]
        offices.append((office, sections))
    (takatsu, t_sections), (miyamae, m_sections), (saiwai, s_sections) = offices
    course = CourseFactory(office=takatsu, category=Category.SERVICE)
    Requirement.objects.create(office=takatsu, title="接遇研修", audience="all", course=course)
    Requirement.objects.create(
        office=takatsu,
        title="新任職員研修",
        audience="joiners",
        category=Category.SERVICE,
        due="after_joining",
        months=1,
    )
    Requirement.objects.create(
        office=miyamae, title="接遇研修（宮前）", audience="all", course=course
    )
    for index, (office, sections) in enumerate(offices):
        for n in range(size):
            section = sections[n % 2]
            person = dated_user(section, joined if n % 3 == 0 else long_ago, roles=[Role.STAFF])
            if n % 4 == 1:
                completed(person, course, PAST.start + timedelta(days=20 + index))
            if n % 5 == 2:
                completed(person, course, CURRENT.start + timedelta(days=5 + index))
    return [office for office, _ in offices]


@pytest.mark.parametrize("size", [3, 15])
def test_comparison_counts_in_one_query_and_agrees_with_each_person(
    size, django_assert_max_num_queries
):
    offices = make_wards(size)
    takatsu, miyamae, saiwai = offices
    for fiscal_year in (CURRENT, PAST):
        with django_assert_max_num_queries(3):
            values = compliance_values(offices, fiscal_year)
        assert values == per_person(offices, fiscal_year)
        assert saiwai.pk not in values
    current = compliance_values(offices, CURRENT)
    assert current[takatsu.pk]["in_scope"] >= size
    assert 0 < current[takatsu.pk]["missing"] < current[takatsu.pk]["in_scope"]
    # Last year's yearly rules are past their deadline: everyone missing one is overdue.
    past = compliance_values(offices, PAST)
    assert past[miyamae.pk]["missing"] > 0
    assert past[miyamae.pk]["overdue"] == past[miyamae.pk]["missing"]


@pytest.mark.parametrize("size", [3, 15])
def test_council_summary_counts_by_section_in_one_query(size, django_assert_max_num_queries):
    takatsu = make_wards(size)[0]
    for fiscal_year in (CURRENT, PAST):
        with django_assert_max_num_queries(3):
            result = compliance.summary(takatsu, fiscal_year)
        reference = compliance.compute(takatsu, fiscal_year)
        assert [(s.section.pk, s.in_scope, s.missing, s.gaps) for s in result.sections] == [
            (s.section.pk, s.in_scope, s.missing, s.gaps) for s in reference.sections
        ]
        assert sum(s.in_scope for s in result.sections) > 0
        assert [r.pk for r in result.requirements] == [r.pk for r in reference.requirements]
