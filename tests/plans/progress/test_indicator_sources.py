"""Indicators that take their actual values from a source another app registers with the floor
(takatsu_portal.core.indicators): the project form offers every registered source with the
options of the plan's office; a progress report takes the training records' value (接遇研修
participants of the whole office); plans' models reference no other app; the migration carried
every survey-linked indicator over to source_key/source_ref."""

import datetime
from datetime import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from plans.models import Indicator, IndicatorValue, ReportingPeriod, Stage
from plans.progress import services as progress_services
from takatsu_portal.core import indicators as indicator_sources
from tests.factories import UserFactory
from tests.plans.factories import IndicatorFactory, PlanFactory, ProjectFactory
from tests.training.factories import CourseFactory, SessionFactory
from training.indicators import CATEGORY_PARTICIPANTS, COMPLETION_RATE
from training.models import Category, Enrolment

JST = ZoneInfo("Asia/Tokyo")


def completed(user, course, day):
    start = datetime.datetime.combine(day, time(10), tzinfo=JST)
    session = SessionFactory(
        course=course,
        starts_at=start,
        apply_by=start - datetime.timedelta(days=7),
        cancel_by=start - datetime.timedelta(days=3),
    )
    return Enrolment.objects.create(
        session=session, user=user, state="confirmed", attendance="present", completed_on=day
    )


@pytest.fixture
def setting(db, office, people, sections, group):
    plan = PlanFactory(office=office, stage=Stage.IN_PROGRESS)
    project = ProjectFactory(
        plan=plan, section=sections.kumin, working_group=group, title="接遇研修の充実"
    )
    period = ReportingPeriod.objects.create(
        plan=plan,
        number=1,
        label="第1四半期（4〜6月）",
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 6, 30),
        due_on=datetime.date(2026, 7, 10),
    )
    return project, period


def test_plans_models_reference_no_other_domain_app():
    for field in Indicator._meta.get_fields():
        related = getattr(field, "related_model", None)
        if related is not None:
            assert related._meta.app_label not in {"feedback", "training", "bulletins"}


def test_the_project_form_offers_training_sources_of_this_office_only(
    client, people, setting, stranger
):
    project, _ = setting
    own = CourseFactory(office=project.plan.office, title="窓口接遇研修（基礎）")
    CourseFactory(office=stranger.office, title="宮前区の接遇研修")
    client.force_login(people.subcommittee)
    html = client.get(reverse("plans:project_edit", args=[project.pk])).content.decode()
    assert "研修の修了率" in html and "分野別の研修修了者数" in html
    assert f'value="{COMPLETION_RATE}:{own.pk}"' in html and own.title in html
    assert f'value="{CATEGORY_PARTICIPANTS}:service"' in html
    assert "宮前区の接遇研修" not in html


def test_choosing_a_source_on_the_project_form_stores_its_key_and_ref(client, people, setting):
    from tests.plans.projects.test_projects import form_data

    project, _ = setting
    indicator = IndicatorFactory(project=project, name="接遇研修の修了者数", unit="人", baseline=0)
    indicator.target = 60
    indicator.save()
    client.force_login(people.subcommittee)
    data = form_data(project)
    data["indicators-0-source"] = f"{CATEGORY_PARTICIPANTS}:service"
    response = client.post(reverse("plans:project_edit", args=[project.pk]), data)
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.source_key, indicator.source_ref) == (CATEGORY_PARTICIPANTS, "service")
    # A choice that is not offered is refused with a message on the field, nothing saved.
    data["indicators-0-source"] = f"{COMPLETION_RATE}:999999"
    response = client.post(reverse("plans:project_edit", args=[project.pk]), data)
    assert response.status_code == 200
    assert "正しく選択してください" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.source_ref == "service"


def test_a_source_no_longer_offered_stays_selected_when_the_form_is_saved(client, people, setting):
    from tests.plans.projects.test_projects import form_data

    project, _ = setting
    IndicatorFactory(
        project=project, source_key="survey_satisfaction", source_ref="424242"
    )  # a deleted question
    client.force_login(people.subcommittee)
    html = client.get(reverse("plans:project_edit", args=[project.pk])).content.decode()
    assert 'value="survey_satisfaction:424242" selected' in html
    response = client.post(reverse("plans:project_edit", args=[project.pk]), form_data(project))
    assert response.status_code == 302
    assert Indicator.objects.get(project=project).source_ref == "424242"


def test_a_report_takes_the_office_s_training_completions_from_the_registry(
    people, setting, sections, stranger
):
    project, period = setting
    office = project.plan.office
    indicator = IndicatorFactory(
        project=project, name="接遇研修の修了者数", unit="人", baseline=0, target=60,
        source_key=CATEGORY_PARTICIPANTS, source_ref=Category.SERVICE,
    )  # fmt: skip
    service = CourseFactory(office=office, category=Category.SERVICE)
    security = CourseFactory(office=office, category=Category.SECURITY)
    elsewhere = CourseFactory(office=stranger.office, category=Category.SERVICE)
    completed(people.staff, service, datetime.date(2026, 5, 1))  # 区民課
    completed(people.other_lead, service, datetime.date(2026, 6, 30))  # another section
    completed(people.staff, service, datetime.date(2026, 6, 2))  # the same person again
    completed(people.manager, security, datetime.date(2026, 5, 1))  # another category
    completed(people.manager, service, datetime.date(2026, 7, 1))  # after the period
    completed(UserFactory(section=stranger.section), elsewhere, datetime.date(2026, 5, 1))
    report = progress_services.report_start(project=project, period=period, by=people.lead)
    value = IndicatorValue.objects.get(report=report, indicator=indicator)
    assert (value.actual, value.source) == (Decimal(2), IndicatorValue.Source.AUTOMATIC)
    # A later completion in the period is taken when the report is saved again.
    completed(people.manager, service, datetime.date(2026, 6, 1))
    report.refresh_from_db()
    progress_services.report_save(
        report=report, by=people.lead, values={indicator: Decimal(99)}, expected_version=1
    )
    value.refresh_from_db()
    assert value.actual == Decimal(3)


def test_the_report_form_says_where_a_training_value_comes_from(client, people, setting):
    project, period = setting
    indicator = IndicatorFactory(
        project=project, source_key=CATEGORY_PARTICIPANTS, source_ref=Category.SERVICE
    )
    report = progress_services.report_start(project=project, period=period, by=people.lead)
    client.force_login(people.lead)
    html = client.get(reverse("plans:report_edit", args=[report.pk])).content.decode()
    assert (
        "分野別の研修修了者数（人）を、この期間の記録から自動で計算します（区役所全体）。" in html
    )
    assert f'name="indicator_{indicator.pk}"' in html


def test_registry_measure_is_none_for_an_unknown_source_or_ref(setting):
    _, period = setting
    scope = {
        "section": None,
        "office": None,
        "starts_on": period.starts_on,
        "ends_on": period.ends_on,
    }
    assert indicator_sources.measure("no_such_source", "1", **scope) is None
    assert indicator_sources.measure(COMPLETION_RATE, "not-a-number", **scope) is None
    assert indicator_sources.measure(CATEGORY_PARTICIPANTS, "no_such_category", **scope) is None
    assert indicator_sources.measure("survey_satisfaction", "abc", **scope) is None


@pytest.mark.django_db(transaction=True)
def test_the_migration_carries_survey_questions_over_to_source_key_and_ref(
    master_data, office, people, sections, group
):
    from tests.feedback.factories import QuestionFactory, SurveyFactory

    plan = PlanFactory(office=office, stage=Stage.IN_PROGRESS)
    project = ProjectFactory(plan=plan, section=sections.kumin, working_group=group)
    question = QuestionFactory(
        survey=SurveyFactory(office=office, created_by=people.subcommittee), kind="satisfaction"
    )
    linked = IndicatorFactory(project=project, name="窓口満足度")
    typed = IndicatorFactory(project=project, name="案内の件数")
    before = [("plans", "0007_project_starts_on")]
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("plans")
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    old.get_model("plans", "Indicator").objects.filter(pk=linked.pk).update(
        survey_question_id=question.pk
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)
    Model = apps.get_model("plans", "Indicator")
    linked = Model.objects.get(pk=linked.pk)
    assert (linked.source_key, linked.source_ref) == ("survey_satisfaction", str(question.pk))
    assert Model.objects.get(pk=typed.pk).source_key == ""
    assert "survey_question_id" not in {
        column.name
        for column in connection.introspection.get_table_description(
            connection.cursor(), Model._meta.db_table
        )
    }
