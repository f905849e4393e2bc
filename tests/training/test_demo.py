"""The training demo (demo/training.py), built by the seeders of `manage.py seed_demo`."""

import pytest
from django.urls import reverse

from demo.city import seed_city
from demo.data import training as data
from demo.feedback import seed_feedback
from demo.plans import seed_plans
from demo.training import _held_slots, seed_training
from takatsu_portal.accounts.models import Office, User
from takatsu_portal.core.fiscal import FiscalYear, today
from tests.demo import seeding
from training import compliance
from training.models import Course, Enrolment, Evaluation, Requirement, Session

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Takatsu's sections, with the demo up to training's and the second ward (its own course)
    too, as seed_demo makes it."""

    def build():
        sections = seeding.parts(seed_plans, seed_feedback, seed_training)
        seed_city(sections)
        return sections

    yield from seeding.once(django_db_blocker, build)


def counts():
    return [
        (m.__name__, m.objects.count(), m.history.count())
        for m in (Course, Session, Enrolment, Evaluation, Requirement)
    ]


def test_a_second_run_changes_nothing(seeded):
    # The seeder run again (seed_demo run twice: tests/demo/test_plans.py).
    before = counts()
    tallies = seed_training(seeded)
    assert counts() == before
    assert "受講" in {tally.label for tally in tallies}
    seeding.assert_unchanged(tallies)


def test_a_year_of_courses_with_japanese_titles_and_both_kinds(seeded):
    # Takatsu's courses (the second ward, 宮前区, has its own).
    titles = set(Course.objects.filter(office__code="takatsu").values_list("title", flat=True))
    assert titles == {seed.title for seed in data.COURSES}
    assert Course.objects.filter(kind="nominated").exists()
    assert Course.objects.filter(kind="voluntary", needs_approval=True).exists()
    fy = FiscalYear.current()
    for year in (fy.previous(), fy):
        assert Session.objects.in_fiscal_year(year).count() >= 20


def test_held_sessions_have_attendance_and_evaluations(seeded):
    held = Enrolment.objects.filter(session__starts_at__date__lt=today()).exclude(attendance="")
    assert held.filter(attendance="present").count() > 100
    assert held.filter(attendance="absent").exists()
    assert Evaluation.objects.count() > 100
    assert Enrolment.objects.filter(completed_on__isnull=False).count() > 100


def test_one_full_upcoming_session_with_a_waiting_list(seeded):
    full = [
        s
        for s in Session.objects.upcoming().with_counts()
        if s.waiting_count and s.confirmed_count == s.capacity
    ]
    assert len(full) == 1
    waiting = list(Enrolment.objects.filter(session=full[0]).waiting_in_order())
    assert [e.user.username for e in waiting][1] == "staff"


def test_a_nominated_course_with_nominated_people_and_approvals_waiting(seeded):
    nominated = Enrolment.objects.filter(session__course__kind="nominated")
    assert nominated.exists()
    assert not nominated.filter(nominated_by__isnull=True).exists()
    manager = User.objects.get(username="manager")
    pending = Enrolment.objects.filter(state="pending", user__section=manager.section)
    assert pending.count() == 2


def test_compliance_gaps_in_the_two_gap_sections(seeded):
    office = Office.objects.get(code="takatsu")
    fy = FiscalYear.current()
    result = compliance.compute(office, fy)
    missing = {row.section.name for row in result.sections if row.missing}
    assert set(data.GAP_SECTIONS) <= missing
    seeds = {seed.key: seed for seed in data.COURSES}
    if all(_held_slots(seeds[key], fy, today()) for key in ("service", "security")):
        assert missing == set(data.GAP_SECTIONS)


def test_every_training_page_answers_for_the_demo_trainer(seeded, client):
    client.force_login(User.objects.get(username="trainer"))
    session = Session.objects.filter(starts_at__date__lt=today()).first()
    for url in (
        reverse("training:index"),
        reverse("training:course_list"),
        reverse("training:compliance"),
        reverse("training:requirement_list"),
        reverse("training:session_detail", args=[session.pk]),
        reverse("training:attendance", args=[session.pk]),
        reverse("training:session_results", args=[session.pk]),
        reverse("training:course_results", args=[session.course_id]),
    ):
        assert client.get(url).status_code == 200, url


def test_the_plans_training_project_takes_its_indicator_from_the_training_records(seeded):
    from demo.plans import TRAINING_INDICATOR, seed_indicator_sources
    from plans.models import Indicator, IndicatorValue
    from takatsu_portal.core import indicators

    seed_indicator_sources(None)
    indicator = Indicator.objects.select_related("project__plan__office").get(
        name=TRAINING_INDICATOR["name"], project__plan__fiscal_year=FiscalYear.current().year
    )
    assert (indicator.source_key, indicator.source_ref) == (
        "training_category_participants",
        "service",
    )
    values = IndicatorValue.objects.filter(indicator=indicator).select_related("report__period")
    assert values, "the project's filed periods have a value from the training records"
    for value in values:
        period = value.report.period
        measured = indicators.measure(
            "training_category_participants",
            "service",
            office=indicator.project.plan.office,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
        )
        assert value.source == IndicatorValue.Source.AUTOMATIC
        assert value.actual == measured > 0
    before = list(IndicatorValue.objects.values_list("pk", "actual"))
    tallies = seed_indicator_sources(None)
    assert list(IndicatorValue.objects.values_list("pk", "actual")) == before
    assert all(t.created == 0 and t.updated == 0 for t in tallies)
