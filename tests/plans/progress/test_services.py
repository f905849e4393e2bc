"""The PDCA services of plans/progress.py, called directly: reporting periods and their due
dates, a report's life (start, save, submit, accept or send back), the year-end evaluation and
how far an indicator got. The pages that call them are tested through HTTP elsewhere."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plans.evaluation import services as evaluation_services
from plans.models import (
    Indicator,
    IndicatorValue,
    ProgressReport,
    Project,
    ReportingFrequency,
    ReportingPeriod,
    Stage,
    YearEndEvaluation,
)
from plans.progress import services as progress_services
from takatsu_portal.core.models import Notification
from takatsu_portal.core.versioning import ConflictError
from tests.plans.factories import IndicatorFactory, PlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db

D = date.fromisoformat
QUARTERLY = ReportingFrequency.QUARTERLY
MONTHLY = ReportingFrequency.MONTHLY
State = ProgressReport.State


# ---------------------------------------------------------------------------------------------
# Periods and due dates


def test_fiscal_2026_by_quarter_due_ten_days_after_each_quarter():
    specs = progress_services.period_specs(2026, QUARTERLY, 10)

    assert [(s.number, s.label) for s in specs] == [
        (1, "第1四半期（4〜6月）"),
        (2, "第2四半期（7〜9月）"),
        (3, "第3四半期（10〜12月）"),
        (4, "第4四半期（1〜3月）"),
    ]
    assert [(s.starts_on, s.ends_on) for s in specs] == [
        (D("2026-04-01"), D("2026-06-30")),
        (D("2026-07-01"), D("2026-09-30")),
        (D("2026-10-01"), D("2026-12-31")),
        (D("2027-01-01"), D("2027-03-31")),
    ]
    assert [s.due_on for s in specs] == [
        D("2026-07-10"),  # a Friday
        D("2026-10-09"),  # 10/10 is a Saturday
        D("2027-01-08"),  # 1/10 is a Sunday, 1/9 a Saturday
        D("2027-04-09"),  # 4/10 is a Saturday
    ]


def test_fiscal_2026_by_month_due_five_days_after_each_month():
    specs = progress_services.period_specs(2026, MONTHLY, 5)

    assert [s.label for s in specs] == [f"{m}月" for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]
    assert specs[1].starts_on == D("2026-05-01") and specs[1].ends_on == D("2026-05-31")
    assert specs[10].ends_on == D("2027-02-28")
    assert [s.due_on for s in specs] == [
        D("2026-05-01"),  # 5/5 こどもの日 → back over Golden Week to Friday 5/1
        D("2026-06-05"),
        D("2026-07-03"),  # 7/5 is a Sunday
        D("2026-08-05"),
        D("2026-09-04"),  # 9/5 is a Saturday
        D("2026-10-05"),
        D("2026-11-05"),
        D("2026-12-04"),  # 12/5 is a Saturday
        D("2027-01-05"),  # the office is open again on 1/4
        D("2027-02-05"),
        D("2027-03-05"),
        D("2027-04-05"),
    ]


def test_a_due_date_on_5_may_falls_back_to_the_friday_before_golden_week():
    april = progress_services.period_specs(2026, MONTHLY, 3)[0]

    assert april.ends_on + timedelta(days=3) == D("2026-05-03")  # 憲法記念日, a Sunday
    assert april.due_on == D("2026-05-01")


def test_a_due_date_on_2_january_falls_back_to_the_last_day_before_the_closure():
    december = progress_services.period_specs(2026, MONTHLY, 2)[8]
    third_quarter = progress_services.period_specs(2026, QUARTERLY, 2)[2]

    assert december.due_on == third_quarter.due_on == D("2026-12-28")


def test_a_due_date_in_silver_week_falls_back_to_the_friday_before():
    # August ends 8/31; 23 days later is 9/23 秋分の日, after 9/21 敬老の日 and 9/22 国民の休日.
    august = progress_services.period_specs(2026, MONTHLY, 23)[4]

    assert august.due_on == D("2026-09-18")


@pytest.fixture
def plan(office):
    return PlanFactory(office=office, fiscal_year=2026, stage=Stage.IN_PROGRESS)


def test_the_subcommittee_sets_the_plans_reporting_and_the_periods_follow(plan, people):
    periods = progress_services.plan_set_reporting(
        plan=plan, by=people.subcommittee, frequency=MONTHLY, due_days=5
    )

    assert len(periods) == 12 and periods[0].due_on == D("2026-05-01")
    plan.refresh_from_db()
    assert (plan.reporting_frequency, plan.report_due_days, plan.version) == (MONTHLY, 5, 2)
    assert plan.history.first().history_change_reason == "報告期間の設定"

    progress_services.plan_set_reporting(
        plan=plan, by=people.subcommittee, frequency=QUARTERLY, due_days=10
    )

    assert list(plan.periods.values_list("number", "due_on")) == [
        (1, D("2026-07-10")),
        (2, D("2026-10-09")),
        (3, D("2027-01-08")),
        (4, D("2027-04-09")),
    ]


@pytest.mark.parametrize("who", ["lead", "staff", "council", "manager"])
def test_nobody_else_sets_the_reporting(plan, people, who):
    with pytest.raises(PermissionDenied, match="推進部会の委員"):
        progress_services.plan_set_reporting(
            plan=plan, by=getattr(people, who), frequency=MONTHLY, due_days=5
        )
    assert not plan.periods.exists()


def test_once_reports_exist_the_due_dates_move_but_the_frequency_stays(plan, people, group):
    periods = progress_services.plan_set_reporting(
        plan=plan, by=people.subcommittee, frequency=QUARTERLY, due_days=10
    )
    project = ProjectFactory(plan=plan, working_group=group)
    progress_services.report_start(project=project, period=periods[0], by=people.lead)

    with pytest.raises(ValidationError) as refused:
        progress_services.plan_set_reporting(
            plan=plan, by=people.subcommittee, frequency=MONTHLY, due_days=10
        )
    assert "頻度を変えられません" in str(refused.value)

    progress_services.plan_set_reporting(
        plan=plan, by=people.subcommittee, frequency=QUARTERLY, due_days=2
    )
    assert plan.periods.get(number=3).due_on == D("2026-12-28")
    assert plan.periods.count() == 4


# ---------------------------------------------------------------------------------------------
# A report's life


@pytest.fixture
def periods(plan):
    return [
        ReportingPeriod.objects.create(
            plan=plan,
            number=s.number,
            label=s.label,
            starts_on=s.starts_on,
            ends_on=s.ends_on,
            due_on=s.due_on,
        )
        for s in progress_services.period_specs(2026, QUARTERLY, 10)
    ]


@pytest.fixture
def project(plan, group):
    return ProjectFactory(plan=plan, working_group=group, status=Project.Status.IN_PROGRESS)


@pytest.fixture
def indicator(project):
    return IndicatorFactory(project=project, name="窓口の満足度", baseline=72, target=80)


def filled(report, **fields):
    values = {
        "plan_text": "記入例を3種類の申請書に掲示する。",
        "do_text": "住民票・印鑑登録・転入届の記入例を記載台に掲示した。",
        "check_text": "書き直しの件数が月90件から70件に減った。",
        "act_text": "保険年金課の申請書にも広げる。",
        "progress_percent": 40,
        **fields,
    }
    for name, value in values.items():
        setattr(report, name, value)
    return report


def started(project, period, by, **fields):
    report = progress_services.report_start(project=project, period=period, by=by)
    progress_services.report_save(
        report=filled(report, **fields), by=by, values={}, expected_version=report.version
    )
    return report


@pytest.mark.parametrize("who", ["lead", "subcommittee"])
def test_the_groups_lead_or_the_subcommittee_starts_a_draft(project, periods, people, who):
    report = progress_services.report_start(
        project=project, period=periods[0], by=getattr(people, who)
    )

    assert report.pk and report.state == State.DRAFT and report.version == 1
    assert report.author == getattr(people, who)
    assert report.history.get().history_user == getattr(people, who)


@pytest.mark.parametrize("who", ["other_lead", "staff", "council", "manager", "admin"])
def test_nobody_else_starts_a_report(project, periods, people, who):
    with pytest.raises(PermissionDenied, match="ワーキンググループのリーダーと推進部会"):
        progress_services.report_start(project=project, period=periods[0], by=getattr(people, who))
    assert not ProgressReport.objects.exists()


def test_starting_again_opens_the_same_report(project, periods, people):
    first = progress_services.report_start(project=project, period=periods[0], by=people.lead)

    again = progress_services.report_start(
        project=project, period=periods[0], by=people.subcommittee
    )

    assert again == first and again.author == people.lead
    assert ProgressReport.objects.count() == 1


def test_the_next_report_starts_from_what_the_last_one_said_would_change(project, periods, people):
    started(project, periods[0], people.lead, progress_percent=40, status="at_risk")

    second = progress_services.report_start(project=project, period=periods[1], by=people.lead)

    assert second.plan_text == "保険年金課の申請書にも広げる。"
    assert (second.progress_percent, second.status) == (40, "at_risk")
    assert (second.do_text, second.check_text, second.act_text) == ("", "", "")


def test_a_period_of_another_plan_is_refused(project, people, office):
    other = PlanFactory(office=office, fiscal_year=2025, stage=Stage.IN_PROGRESS)
    period = ReportingPeriod.objects.create(
        plan=other, number=1, label="第1四半期", starts_on=D("2025-04-01"),
        ends_on=D("2025-06-30"), due_on=D("2025-07-10"),
    )  # fmt: skip

    with pytest.raises(ValidationError, match="事業の計画のものではありません"):
        progress_services.report_start(project=project, period=period, by=people.lead)


@pytest.mark.parametrize("stage", [Stage.DRAFT, Stage.PROJECTS_DRAFTED, Stage.CLOSED])
def test_no_report_before_the_projects_approval_or_after_the_year_end(
    project, periods, people, plan, stage
):
    plan.stage = stage
    plan.save()

    with pytest.raises((ValidationError, PermissionDenied)):
        progress_services.report_start(project=project, period=periods[0], by=people.subcommittee)
    assert not ProgressReport.objects.exists()


def test_saving_records_the_indicator_values(project, periods, people, indicator):
    report = progress_services.report_start(project=project, period=periods[0], by=people.lead)
    second = IndicatorFactory(project=project, name="回答数", unit="件", baseline=800, target=1200)

    progress_services.report_save(
        report=filled(report),
        by=people.lead,
        values={indicator: Decimal("75.5"), second: None},
        expected_version=1,
    )

    report.refresh_from_db()
    assert report.version == 2 and report.do_text.startswith("住民票")
    value = IndicatorValue.objects.get()
    assert (value.indicator, value.actual) == (indicator, Decimal("75.50"))
    assert value.history.get().history_user == people.lead

    progress_services.report_save(
        report=report,
        by=people.lead,
        values={indicator: Decimal("76"), second: Decimal("900")},
        expected_version=2,
    )
    assert dict(report.values.values_list("indicator__name", "actual")) == {
        "窓口の満足度": Decimal("76.00"),
        "回答数": Decimal("900.00"),
    }
    assert IndicatorValue.objects.get(indicator=indicator).history.count() == 2

    progress_services.report_save(
        report=report, by=people.lead, values={second: None}, expected_version=3
    )
    assert list(report.values.values_list("indicator__name", flat=True)) == ["窓口の満足度"]


def test_saving_the_same_value_again_writes_no_history(project, periods, people, indicator):
    report = progress_services.report_start(project=project, period=periods[0], by=people.lead)
    progress_services.report_save(
        report=report, by=people.lead, values={indicator: Decimal("75")}, expected_version=1
    )

    progress_services.report_save(
        report=report, by=people.lead, values={indicator: Decimal("75.00")}, expected_version=2
    )

    assert IndicatorValue.objects.get().history.count() == 1


def test_an_indicator_of_another_project_is_refused_and_nothing_is_saved(
    project, periods, people, plan
):
    report = progress_services.report_start(project=project, period=periods[0], by=people.lead)
    foreign = IndicatorFactory(project=ProjectFactory(plan=plan))

    with pytest.raises(ValidationError, match="別の事業の指標"):
        progress_services.report_save(
            report=filled(report), by=people.lead, values={foreign: 1}, expected_version=1
        )

    report.refresh_from_db()
    assert report.version == 1 and report.do_text == ""
    assert not IndicatorValue.objects.exists()


def test_a_save_from_an_older_version_is_refused(project, periods, people):
    report = progress_services.report_start(project=project, period=periods[0], by=people.lead)
    progress_services.report_save(
        report=filled(ProgressReport.objects.get(pk=report.pk)),
        by=people.subcommittee,
        values={},
        expected_version=1,
    )

    with pytest.raises(ConflictError):
        progress_services.report_save(
            report=filled(report, do_text="上書き"), by=people.lead, values={}, expected_version=1
        )
    report.refresh_from_db()
    assert report.do_text.startswith("住民票")


def test_another_lead_cannot_save_the_report(project, periods, people):
    report = progress_services.report_start(project=project, period=periods[0], by=people.lead)

    with pytest.raises(PermissionDenied):
        progress_services.report_save(
            report=filled(report), by=people.other_lead, values={}, expected_version=1
        )


def test_submitting_tells_the_subcommittee(project, periods, people):
    report = started(project, periods[0], people.lead)

    progress_services.report_submit(report=report, by=people.lead, expected_version=report.version)

    report.refresh_from_db()
    assert report.state == State.SUBMITTED and report.submitted_at is not None
    assert report.history.first().history_change_reason == "提出"
    notification = Notification.objects.get()
    assert notification.recipient == people.subcommittee
    assert notification.message.endswith("の第1四半期（4〜6月）の進捗報告が提出されました")
    assert notification.url == report.get_absolute_url()


def test_a_report_without_its_pdca_text_cannot_be_submitted(project, periods, people):
    report = progress_services.report_start(project=project, period=periods[0], by=people.lead)
    progress_services.report_save(
        report=filled(report, check_text=" ", act_text=""),
        by=people.lead,
        values={},
        expected_version=1,
    )

    with pytest.raises(ValidationError) as refused:
        progress_services.report_submit(report=report, by=people.lead, expected_version=2)

    assert refused.value.messages == [
        "提出する前に、評価（Check）・改善（Act）を入力してください。"
    ]
    report.refresh_from_db()
    assert report.state == State.DRAFT


def test_a_submitted_report_cannot_be_edited_until_it_is_sent_back(project, periods, people):
    report = started(project, periods[0], people.lead)
    progress_services.report_submit(report=report, by=people.lead, expected_version=report.version)

    with pytest.raises(ValidationError, match="「提出済み」の報告は編集できません"):
        progress_services.report_save(
            report=report, by=people.lead, values={}, expected_version=report.version
        )


def test_the_subcommittee_accepts_with_a_comment_and_the_lead_hears(project, periods, people):
    report = started(project, periods[0], people.subcommittee)
    progress_services.report_submit(
        report=report, by=people.subcommittee, expected_version=report.version
    )

    progress_services.report_accept(
        report=report, by=people.subcommittee, comment=" 順調です。 ", expected_version=None
    )

    report.refresh_from_db()
    assert report.state == State.ACCEPTED
    assert (report.review_comment, report.reviewed_by) == ("順調です。", people.subcommittee)
    assert report.reviewed_at is not None
    told = Notification.objects.filter(message__endswith="「受理」となりました")
    assert {n.recipient for n in told} == {people.subcommittee, people.lead}


def test_changes_requested_need_a_comment_and_the_lead_resubmits(project, periods, people):
    report = started(project, periods[0], people.lead)
    progress_services.report_submit(report=report, by=people.lead, expected_version=report.version)

    with pytest.raises(ValidationError, match="修正してほしい点"):
        progress_services.report_request_changes(
            report=report, by=people.subcommittee, comment="  "
        )

    progress_services.report_request_changes(
        report=report, by=people.subcommittee, comment="指標の実績値を入力してください。"
    )
    report.refresh_from_db()
    assert report.state == State.CHANGES_REQUESTED and report.is_editable
    assert (
        Notification.objects.filter(
            recipient=people.lead, message__endswith="「修正依頼」となりました"
        ).count()
        == 1
    )

    progress_services.report_save(
        report=filled(report), by=people.lead, values={}, expected_version=report.version
    )
    progress_services.report_submit(report=report, by=people.lead, expected_version=report.version)
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    assert report.history.first().history_change_reason == "再提出"
    assert Notification.objects.filter(message__endswith="再提出されました").exists()


@pytest.mark.parametrize("who", ["lead", "council", "manager", "admin"])
def test_only_the_subcommittee_reviews(project, periods, people, who):
    report = started(project, periods[0], people.lead)
    progress_services.report_submit(report=report, by=people.lead, expected_version=report.version)

    with pytest.raises(PermissionDenied, match="推進部会の委員"):
        progress_services.report_accept(report=report, by=getattr(people, who))
    with pytest.raises(PermissionDenied):
        progress_services.report_request_changes(
            report=report, by=getattr(people, who), comment="修正"
        )
    report.refresh_from_db()
    assert report.state == State.SUBMITTED


def test_a_draft_cannot_be_reviewed(project, periods, people):
    report = started(project, periods[0], people.lead)

    with pytest.raises(ValidationError, match="提出された報告だけ"):
        progress_services.report_accept(report=report, by=people.subcommittee)


def test_a_review_from_an_older_version_is_refused(project, periods, people):
    report = started(project, periods[0], people.lead)
    progress_services.report_submit(report=report, by=people.lead, expected_version=report.version)

    with pytest.raises(ConflictError):
        progress_services.report_accept(report=report, by=people.subcommittee, expected_version=1)


# ---------------------------------------------------------------------------------------------
# Year-end evaluation and achievement


def test_the_subcommittee_evaluates_a_project_and_the_decision_sets_the_carry_over(project, people):
    evaluation = evaluation_services.evaluation_save(
        project=project, by=people.subcommittee, grade="B", reason="目標の8割を達成した。",
        decision=YearEndEvaluation.Decision.FINISH,
    )  # fmt: skip

    assert evaluation.version == 1 and evaluation.evaluated_by == people.subcommittee
    project.refresh_from_db()
    assert not project.carries_over()

    evaluation_services.evaluation_save(
        project=project, by=people.subcommittee, grade="C", reason="一部未達成のため継続する。",
        decision=YearEndEvaluation.Decision.CHANGE, expected_version=1,
    )  # fmt: skip
    project.refresh_from_db()
    assert project.evaluation.grade == "C" and project.evaluation.version == 2
    assert project.carries_over()
    assert YearEndEvaluation.objects.count() == 1


def test_an_evaluation_needs_a_reason(project, people):
    with pytest.raises(ValidationError, match="評価の理由"):
        evaluation_services.evaluation_save(
            project=project, by=people.subcommittee, grade="A", reason=" ", decision="continue"
        )


@pytest.mark.parametrize("who", ["lead", "council", "manager", "admin"])
def test_only_the_subcommittee_evaluates(project, people, who):
    with pytest.raises(PermissionDenied, match="年度末評価"):
        evaluation_services.evaluation_save(
            project=project, by=getattr(people, who), grade="A", reason="達成", decision="finish"
        )


def test_no_evaluation_of_a_plan_not_in_progress(project, people, plan):
    plan.stage = Stage.CLOSED
    plan.save()

    with pytest.raises(PermissionDenied):
        evaluation_services.evaluation_save(
            project=project, by=people.subcommittee, grade="A", reason="達成", decision="finish"
        )


@pytest.mark.parametrize(
    ("baseline", "target", "direction", "actual", "expected"),
    [
        (72, 80, "increase", 76, "50.0"),
        (72, 80, "increase", 80, "100.0"),
        (72, 80, "increase", 84, "150.0"),  # beyond the target
        (72, 80, "increase", 70, "-25.0"),  # moved away from it
        (35, 25, "decrease", 30, "50.0"),
        (90, 45, "decrease", 45, "100.0"),
        (95, 95, "maintain", 96, "100.0"),
        (95, 95, "maintain", 76, "80.0"),
        (0, 0, "maintain", 0, "100"),
    ],
)
def test_achievement_is_the_share_of_the_way_from_baseline_to_target(
    baseline, target, direction, actual, expected
):
    indicator = Indicator(baseline=baseline, target=target, direction=direction)

    assert progress_services.achievement(indicator, Decimal(actual)) == Decimal(expected)


def test_no_achievement_without_an_actual_value():
    assert progress_services.achievement(Indicator(baseline=1, target=2), None) is None
