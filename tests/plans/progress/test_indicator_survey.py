"""An indicator that takes its actual values from a resident survey: the share of satisfied
answers at the windows of the project's section in each reporting period."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from feedback.models import Question
from plans.models import IndicatorValue, ReportingPeriod, Stage
from plans.progress import services as progress_services
from tests.feedback.factories import (
    AnswerFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
    WindowFactory,
)
from tests.plans.factories import IndicatorFactory, PlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(office, people, sections, group):
    plan = PlanFactory(office=office, stage=Stage.IN_PROGRESS)
    project = ProjectFactory(plan=plan, section=sections.kumin, working_group=group)
    survey = SurveyFactory(office=office, created_by=people.subcommittee)
    question = QuestionFactory(survey=survey, kind=Question.Kind.SATISFACTION)
    indicator = IndicatorFactory(
        project=project, name="窓口満足度", unit="%", baseline=70, target=80,
        source_key="survey_satisfaction", source_ref=str(question.pk),
    )  # fmt: skip
    period = ReportingPeriod.objects.create(
        plan=plan,
        number=1,
        label="第1四半期（4〜6月）",
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 6, 30),
        due_on=datetime.date(2026, 7, 10),
    )
    own = WindowFactory(section=sections.kumin)
    other = WindowFactory(section=sections.hoken)

    def answer(points, *, window=own, day=datetime.date(2026, 5, 10)):
        response = ResponseFactory(survey=survey, window=window, submitted_on=day)
        AnswerFactory(response=response, question=question, number=points)

    for points in (5, 4, 3, 2):
        answer(points)
    answer(5, window=other)  # another section's window
    answer(1, day=datetime.date(2026, 7, 1))  # after the period
    return project, indicator, period, question


def test_a_new_report_takes_the_share_of_satisfied_answers_from_the_survey(people, setting):
    project, indicator, period, _ = setting
    report = progress_services.report_start(project=project, period=period, by=people.lead)
    value = IndicatorValue.objects.get(report=report, indicator=indicator)
    assert (value.actual, value.source) == (Decimal("50.0"), IndicatorValue.Source.AUTOMATIC)


def test_a_typed_value_never_replaces_the_surveys(people, setting):
    project, indicator, period, _ = setting
    report = progress_services.report_start(project=project, period=period, by=people.lead)
    progress_services.report_save(
        report=report, by=people.lead, values={indicator: Decimal("99")}, expected_version=1
    )
    assert IndicatorValue.objects.get(report=report, indicator=indicator).actual == Decimal("50.0")


def test_without_answers_in_the_period_there_is_no_value(people, setting, sections):
    project, indicator, _, _ = setting
    later = ReportingPeriod.objects.create(
        plan=project.plan,
        number=2,
        label="第2四半期（7〜9月）",
        starts_on=datetime.date(2026, 7, 2),
        ends_on=datetime.date(2026, 9, 30),
        due_on=datetime.date(2026, 10, 9),
    )
    report = progress_services.report_start(project=project, period=later, by=people.lead)
    assert not IndicatorValue.objects.filter(report=report, indicator=indicator).exists()


def test_the_report_form_shows_the_survey_value_as_read_only(client, people, setting):
    project, indicator, period, _ = setting
    report = progress_services.report_start(project=project, period=period, by=people.lead)
    client.force_login(people.lead)
    html = client.get(reverse("plans:report_edit", args=[report.pk])).content.decode()
    assert "この期間の記録から自動で計算します（所管課の窓口の回答）。" in html
    assert f'name="indicator_{indicator.pk}"' in html and "disabled" in html


def test_the_project_form_offers_only_this_offices_satisfaction_questions(
    client, people, setting, stranger
):
    project, _, _, question = setting
    foreign = QuestionFactory(
        survey=SurveyFactory(office=stranger.office, created_by=stranger),
        kind=Question.Kind.SATISFACTION,
        text="宮前区の質問",
    )
    QuestionFactory(survey=question.survey, kind=Question.Kind.TEXT, text="自由記述の質問")
    client.force_login(people.subcommittee)
    html = client.get(reverse("plans:project_edit", args=[project.pk])).content.decode()
    assert f"{question.survey.title}：{question.text}" in html
    assert foreign.text not in html
    assert "自由記述の質問" not in html
