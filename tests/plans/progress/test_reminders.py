"""Reminders of progress reports (plans/progress.py send_reminders, the daily beat task
plans.send_progress_reminders): the working-group lead hears once before the due date and once
when it has passed, and never twice, however often the task runs."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from plans.models import (
    ProgressReport,
    Project,
    Reminder,
    ReportingFrequency,
    ReportingPeriod,
    Stage,
)
from plans.progress.services import period_specs, reminder_kind, send_reminders
from plans.tasks import send_progress_reminders
from takatsu_portal.core import attention
from takatsu_portal.core.fiscal import FiscalYear, today
from takatsu_portal.core.models import Notification
from tests.plans.factories import PlanFactory, ProjectFactory, WorkingGroupFactory
from tests.worker import celery_worker

pytestmark = pytest.mark.django_db

D = date.fromisoformat
QUARTERLY = ReportingFrequency.QUARTERLY
MONTHLY = ReportingFrequency.MONTHLY


def make_periods(plan, frequency=QUARTERLY, due_days=10):
    """The plan's periods as plan_set_reporting makes them."""
    return [
        ReportingPeriod.objects.create(
            plan=plan,
            number=spec.number,
            label=spec.label,
            starts_on=spec.starts_on,
            ends_on=spec.ends_on,
            due_on=spec.due_on,
        )
        for spec in period_specs(plan.fiscal_year, frequency, due_days)
    ]


def file_report(project, period, state, author):
    report = ProgressReport.objects.create(
        project=project, period=period, author=author, state=state, do_text="実施した。"
    )
    # Made without the services, which would tell the home page's cached attention lists.
    attention.changed()
    return report


@pytest.fixture
def plan(office):
    return PlanFactory(office=office, fiscal_year=2026, stage=Stage.IN_PROGRESS)


@pytest.fixture
def periods(plan):
    """FY2026 by quarter, due 10 days after: 7/10 (Fri), 10/9, 1/8, 4/9."""
    return make_periods(plan)


@pytest.fixture
def project(plan, group):
    return ProjectFactory(
        plan=plan, working_group=group, code="R8-01", title="窓口案内の改善",
        status=Project.Status.IN_PROGRESS,
    )  # fmt: skip


def reminders():
    return list(Reminder.objects.values_list("period__number", "kind", "recipient__username"))


# ---------------------------------------------------------------------------------------------
# When


def test_the_first_quarter_is_due_on_friday_10_july(periods):
    assert periods[0].due_on == D("2026-07-10")


def test_the_lead_is_reminded_five_working_days_before_the_due_date(project, periods, people):
    # 7/10 (Fri) less five working days: 7/9, 7/8, 7/7, 7/6, 7/3.
    assert send_reminders(today=D("2026-07-02")) == 0
    assert send_reminders(today=D("2026-07-03")) == 1

    assert reminders() == [(1, Reminder.Kind.BEFORE_DUE, "wglead")]


def test_the_lead_is_reminded_again_the_day_after_the_due_date(project, periods):
    send_reminders(today=D("2026-07-06"))
    assert send_reminders(today=D("2026-07-10")) == 0  # still on time on the day itself

    assert send_reminders(today=D("2026-07-11")) == 1

    assert sorted(reminders()) == [
        (1, Reminder.Kind.BEFORE_DUE, "wglead"),
        (1, Reminder.Kind.OVERDUE, "wglead"),
    ]


def test_run_every_day_of_the_quarter_it_sends_one_reminder_of_each_kind(project, periods):
    day, sent = D("2026-06-01"), 0
    while day <= D("2026-08-31"):
        sent += send_reminders(today=day)
        day += timedelta(days=1)

    assert sent == 2
    assert Notification.objects.filter(recipient=project.working_group.lead).count() == 2


def test_running_twice_on_the_same_day_sends_nothing_the_second_time(project, periods):
    assert send_reminders(today=D("2026-07-13")) == 1

    assert send_reminders(today=D("2026-07-13")) == 0
    assert Reminder.objects.count() == Notification.objects.count() == 1


def test_a_reminder_another_worker_recorded_first_is_not_sent_again(project, periods):
    """Two workers at once: the one that loses finds the Reminder row of the one that won
    (the unique constraint makes the second insert wait for the first and then fail)."""
    Reminder.objects.create(
        project=project,
        period=periods[0],
        kind=Reminder.Kind.OVERDUE,
        recipient=project.working_group.lead,
    )

    assert send_reminders(today=D("2026-07-13")) == 0
    assert not Notification.objects.exists()


def test_the_reminder_window_counts_working_days_over_golden_week(plan, project):
    """April by month, due 5 days after its end: 5/5 is a holiday, so 5/1 (Fri); five working
    days before it is 4/23 (4/29 昭和の日 does not count)."""
    april = make_periods(plan, MONTHLY, 5)[0]
    assert april.due_on == D("2026-05-01")

    assert reminder_kind(april, today=D("2026-04-22")) is None
    assert reminder_kind(april, today=D("2026-04-23")) == Reminder.Kind.BEFORE_DUE
    assert reminder_kind(april, today=D("2026-05-01")) == Reminder.Kind.BEFORE_DUE
    assert reminder_kind(april, today=D("2026-05-02")) == Reminder.Kind.OVERDUE
    assert send_reminders(today=D("2026-04-23")) == 1


def test_the_reminder_window_counts_working_days_over_new_year(plan, project, periods):
    """The third quarter is due 1/10 → 1/8 (Fri); the five working days before it reach back
    over the closure (1/7, 1/6, 1/5, 1/4, 12/28)."""
    third = periods[2]
    assert third.due_on == D("2027-01-08")

    assert reminder_kind(third, today=D("2026-12-25")) is None
    assert reminder_kind(third, today=D("2026-12-28")) == Reminder.Kind.BEFORE_DUE


def test_the_setting_sets_how_many_working_days_before(project, periods, settings):
    settings.PROGRESS_REMINDER_DAYS = 1

    assert send_reminders(today=D("2026-07-08")) == 0
    assert send_reminders(today=D("2026-07-09")) == 1


# ---------------------------------------------------------------------------------------------
# Which reports


@pytest.mark.parametrize("state", [ProgressReport.State.SUBMITTED, ProgressReport.State.ACCEPTED])
def test_no_reminder_once_the_report_is_filed(project, periods, people, state):
    file_report(project, periods[0], state, people.lead)

    assert send_reminders(today=D("2026-07-13")) == 0


@pytest.mark.parametrize(
    "state", [ProgressReport.State.DRAFT, ProgressReport.State.CHANGES_REQUESTED]
)
def test_a_draft_or_a_report_sent_back_is_not_filed(project, periods, people, state):
    file_report(project, periods[0], state, people.lead)

    assert send_reminders(today=D("2026-07-13")) == 1


def test_a_report_filed_for_one_period_does_not_count_for_the_next(project, periods, people):
    file_report(project, periods[0], ProgressReport.State.ACCEPTED, people.lead)
    file_report(project, periods[1], ProgressReport.State.DRAFT, people.lead)

    assert send_reminders(today=D("2026-10-13")) == 1
    assert reminders() == [(2, Reminder.Kind.OVERDUE, "wglead")]


def test_each_period_still_to_file_gets_its_own_reminder(project, periods):
    assert send_reminders(today=D("2026-10-13")) == 2
    assert sorted(reminders()) == [
        (1, Reminder.Kind.OVERDUE, "wglead"),
        (2, Reminder.Kind.OVERDUE, "wglead"),
    ]


def test_each_project_of_the_lead_gets_its_own_reminder(project, periods, plan, group):
    ProjectFactory(plan=plan, working_group=group, status=Project.Status.PLANNED)

    assert send_reminders(today=D("2026-07-13")) == 2


def test_no_reminder_for_a_project_without_a_working_group(plan, periods):
    ProjectFactory(plan=plan, working_group=None, status=Project.Status.IN_PROGRESS)

    assert send_reminders(today=D("2026-07-13")) == 0


@pytest.mark.parametrize("status", [Project.Status.COMPLETED, Project.Status.SUSPENDED])
def test_no_reminder_for_a_finished_or_stopped_project(project, periods, status):
    Project.objects.filter(pk=project.pk).update(status=status)

    assert send_reminders(today=D("2026-07-13")) == 0


@pytest.mark.parametrize(
    "stage", [Stage.DRAFT, Stage.PLAN_APPROVED, Stage.PROJECTS_DRAFTED, Stage.CLOSED]
)
def test_no_reminder_for_a_plan_not_in_a_reporting_stage(project, periods, plan, stage):
    plan.stage = stage
    plan.save()

    assert send_reminders(today=D("2026-07-13")) == 0


@pytest.mark.parametrize(
    "stage", [Stage.PROJECTS_APPROVED, Stage.BUDGET_REQUESTED, Stage.IN_PROGRESS]
)
def test_reminders_from_the_projects_approval_to_the_year_end(project, periods, plan, stage):
    plan.stage = stage
    plan.save()

    assert send_reminders(today=D("2026-07-13")) == 1


def test_no_reminder_to_a_lead_who_has_left(project, periods, people):
    people.lead.is_active = False
    people.lead.save()

    assert send_reminders(today=D("2026-07-13")) == 0


def test_a_new_lead_hears_of_the_report_the_old_lead_was_reminded_of(
    project, periods, group, people
):
    send_reminders(today=D("2026-07-13"))
    group.lead = people.other_lead
    group.save()

    assert send_reminders(today=D("2026-07-14")) == 1
    assert sorted(reminders()) == [
        (1, Reminder.Kind.OVERDUE, "wglead"),
        (1, Reminder.Kind.OVERDUE, "wglead2"),
    ]


def test_another_offices_plan_reminds_its_own_lead(project, periods, stranger):
    other_group = WorkingGroupFactory(office=stranger.section.department.office, lead=stranger)
    other_plan = PlanFactory(
        office=stranger.section.department.office, fiscal_year=2026, stage=Stage.IN_PROGRESS
    )
    make_periods(other_plan)
    ProjectFactory(plan=other_plan, working_group=other_group, status=Project.Status.IN_PROGRESS)

    assert send_reminders(today=D("2026-07-13")) == 2
    assert sorted(r[2] for r in reminders()) == ["miyamae", "wglead"]


# ---------------------------------------------------------------------------------------------
# What the lead receives


def test_the_lead_gets_a_notification_and_an_email_and_nobody_else_does(
    project, periods, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(today=D("2026-07-06"))

    notification = Notification.objects.get()
    assert notification.recipient == people.lead
    assert notification.message == (
        "R8-01「窓口案内の改善」の第1四半期（4〜6月）の進捗報告の期限は2026年7月10日です"
    )
    assert [message.to for message in mail.outbox] == [[people.lead.email]]
    assert "2026年7月10日" in mail.outbox[0].subject
    assert notification.url in mail.outbox[0].body


def test_the_overdue_notification_says_the_due_date_has_passed(project, periods, people):
    send_reminders(today=D("2026-07-13"))

    assert Notification.objects.get().message == (
        "R8-01「窓口案内の改善」の第1四半期（4〜6月）の進捗報告が"
        "期限（2026年7月10日）を過ぎています"
    )


def test_the_notification_links_to_the_report_of_the_project_and_period(project, periods):
    send_reminders(today=D("2026-07-13"))

    url = Notification.objects.get().url
    assert url == reverse("plans:report_start", args=[project.pk, periods[0].pk])
    assert url.endswith(f"/projects/{project.pk}/reports/{periods[0].pk}/")


# ---------------------------------------------------------------------------------------------
# The beat task


def test_the_daily_task_reminds_as_of_today(project, periods, monkeypatch):
    monkeypatch.setattr("takatsu_portal.core.fiscal.clock", lambda: D("2026-07-13"))

    assert send_progress_reminders.delay().get() == 1
    assert send_progress_reminders.delay().get() == 0
    assert reminders() == [(1, Reminder.Kind.OVERDUE, "wglead")]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_beat_task_runs_in_a_real_worker_and_sends_each_reminder_once(
    master_data, office, people
):
    """Through Redis to a `celery worker` process on the test database (which sees only
    committed rows, hence transaction=True), with dates around the real today: of one project's
    two periods one was due yesterday, the other is months away; another project has filed."""
    day = today()
    plan = PlanFactory(office=office, fiscal_year=FiscalYear.of(day).year, stage=Stage.IN_PROGRESS)
    group = WorkingGroupFactory(office=office, lead=people.lead)
    due = ReportingPeriod.objects.create(
        plan=plan, number=1, label="第1期", starts_on=day - timedelta(days=40),
        ends_on=day - timedelta(days=11), due_on=day - timedelta(days=1),
    )  # fmt: skip
    ReportingPeriod.objects.create(
        plan=plan, number=2, label="第2期", starts_on=day - timedelta(days=10),
        ends_on=day + timedelta(days=80), due_on=day + timedelta(days=90),
    )  # fmt: skip
    project = ProjectFactory(plan=plan, working_group=group, status=Project.Status.IN_PROGRESS)
    filed = ProjectFactory(plan=plan, working_group=group, status=Project.Status.IN_PROGRESS)
    file_report(filed, due, ProgressReport.State.SUBMITTED, people.lead)

    with celery_worker():
        first = send_progress_reminders.delay().get(timeout=30)
        second = send_progress_reminders.delay().get(timeout=30)

    assert (first, second) == (1, 0)
    reminder = Reminder.objects.get()
    assert (reminder.project, reminder.period, reminder.kind, reminder.recipient) == (
        project,
        due,
        Reminder.Kind.OVERDUE,
        people.lead,
    )
    notification = Notification.objects.get()
    assert notification.recipient == people.lead
    assert notification.url.endswith(f"/reports/{due.pk}/")


# ---------------------------------------------------------------------------------------------
# The home page: what the lead has to file, what the subcommittee has to review


def home(client, user):
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


@pytest.fixture
def on_day(monkeypatch):
    def set_today(day):
        monkeypatch.setattr("takatsu_portal.core.fiscal.clock", lambda: D(day))

    return set_today


def test_the_lead_sees_an_overdue_report_linked_to_it(client, project, periods, on_day, people):
    on_day("2026-07-13")

    html = home(client, people.lead)

    assert "期限を過ぎた進捗報告が1件あります" in html
    assert reverse("plans:report_start", args=[project.pk, periods[0].pk]) in html
    assert "最も古い期限は令和8年7月10日です。" in html
    assert "期限超過" in html  # the danger level's label


def test_a_draft_is_still_to_file_but_a_submitted_report_is_not(
    client, project, periods, on_day, people, plan, group
):
    on_day("2026-10-13")
    file_report(project, periods[0], ProgressReport.State.SUBMITTED, people.lead)
    file_report(project, periods[1], ProgressReport.State.DRAFT, people.lead)

    assert "期限を過ぎた進捗報告が1件あります" in home(client, people.lead)


def test_several_overdue_reports_link_to_the_board_of_the_plan_and_group(
    client, project, periods, on_day, people, plan, group
):
    on_day("2026-10-13")
    ProjectFactory(plan=plan, working_group=group, status=Project.Status.IN_PROGRESS)

    html = home(client, people.lead)

    assert "期限を過ぎた進捗報告が4件あります" in html  # two projects × two quarters
    # The board of that plan, filtered to the overdue reports of the lead's groups (#10.9).
    assert f"{reverse('plans:progress')}?report_state=overdue&amp;plan={plan.pk}&amp;mine=1" in html


def test_the_lead_sees_a_report_due_within_the_reminder_days(
    client, project, periods, on_day, people
):
    on_day("2026-07-02")
    assert "期限が近い進捗報告" not in home(client, people.lead)

    on_day("2026-07-03")
    html = home(client, people.lead)
    assert "期限が近い進捗報告が1件あります" in html
    assert "期限は令和8年7月10日（金）です。" in html


def test_the_lead_sees_a_report_sent_back_for_changes(client, project, periods, on_day, people):
    on_day("2026-06-15")
    report = file_report(project, periods[0], ProgressReport.State.CHANGES_REQUESTED, people.lead)

    html = home(client, people.lead)
    assert "推進部会から修正依頼を受けた進捗報告が1件あります" in html
    assert reverse("plans:report_detail", args=[report.pk]) in html
    assert "期限を過ぎているものがあります" not in html
    assert "期限が近い進捗報告" not in html

    on_day("2026-07-13")  # now past its due date: sent back and late, and overdue like
    # every report not submitted nor accepted (as the reminders and the board count it)
    html = home(client, people.lead)
    assert "期限を過ぎているものがあります" in html
    assert "期限を過ぎた進捗報告が1件あります" in html


def test_finished_projects_and_projects_of_other_groups_are_not_the_leads(
    client, project, periods, on_day, people, plan, other_group
):
    on_day("2026-07-13")
    Project.objects.filter(pk=project.pk).update(status=Project.Status.COMPLETED)
    ProjectFactory(plan=plan, working_group=other_group, status=Project.Status.IN_PROGRESS)

    assert "進捗報告が" not in home(client, people.lead)
    assert "期限を過ぎた進捗報告が1件あります" in home(client, people.other_lead)


@pytest.mark.parametrize("who", ["other_lead", "staff", "subcommittee", "council", "manager"])
def test_nobody_else_sees_the_leads_reports_to_file(client, project, periods, on_day, people, who):
    on_day("2026-07-13")

    assert "進捗報告が" not in home(client, getattr(people, who))


def test_nothing_to_file_before_the_reminder_days_or_in_a_closed_plan(
    client, project, periods, on_day, people, plan
):
    on_day("2026-06-01")
    assert "進捗報告が" not in home(client, people.lead)

    on_day("2026-07-13")
    plan.stage = Stage.CLOSED
    plan.save()
    assert "進捗報告が" not in home(client, people.lead)


def test_the_subcommittee_sees_the_reports_waiting_for_review(
    client, project, periods, on_day, people, plan, group
):
    on_day("2026-07-13")
    first = file_report(project, periods[0], ProgressReport.State.SUBMITTED, people.lead)

    html = home(client, people.subcommittee)
    assert "推進部会の確認を待っている進捗報告が1件あります" in html
    assert reverse("plans:report_detail", args=[first.pk]) in html

    other = ProjectFactory(plan=plan, working_group=group, status=Project.Status.IN_PROGRESS)
    file_report(other, periods[0], ProgressReport.State.SUBMITTED, people.lead)
    file_report(other, periods[1], ProgressReport.State.ACCEPTED, people.lead)
    html = home(client, people.subcommittee)
    assert "推進部会の確認を待っている進捗報告が2件あります" in html
    assert f"{reverse('plans:progress')}?report_state=submitted&amp;plan={plan.pk}" in html


@pytest.mark.parametrize("who", ["lead", "staff", "council", "manager", "admin"])
def test_nobody_else_sees_the_reports_waiting_for_review(
    client, project, periods, on_day, people, who
):
    file_report(project, periods[0], ProgressReport.State.SUBMITTED, people.lead)

    assert "確認を待っている進捗報告" not in home(client, getattr(people, who))


def test_another_offices_subcommittee_does_not_see_our_reports(
    client, project, periods, people, stranger
):
    file_report(project, periods[0], ProgressReport.State.SUBMITTED, people.lead)

    assert "確認を待っている進捗報告" not in home(client, stranger)


def _many_projects(plan, group, periods, lead, count):
    """`count` projects of the lead's group, each with every kind of report."""
    projects = ProjectFactory.create_batch(
        count, plan=plan, working_group=group, status=Project.Status.IN_PROGRESS
    )
    states = list(ProgressReport.State)
    ProgressReport.objects.bulk_create(
        ProgressReport(
            project=project, period=period, author=lead, state=states[(i + j) % len(states)]
        )
        for i, project in enumerate(projects)
        for j, period in enumerate(periods[:3])
    )


@pytest.mark.parametrize("count", [10, 200])
def test_the_home_page_items_run_a_fixed_number_of_queries(
    count, plan, group, periods, people, on_day, django_assert_num_queries
):
    from plans.progress.attention import progress_reports_to_file, progress_reports_to_review

    on_day("2027-01-12")
    _many_projects(plan, group, periods, people.lead, count)
    lead = type(people.lead).objects.get(pk=people.lead.pk)
    subcommittee = type(people.subcommittee).objects.get(pk=people.subcommittee.pk)
    lead.office, subcommittee.office  # noqa: B018  (loaded once per request by the layout)

    with django_assert_num_queries(4):  # the roles, the projects, the periods, the reports
        items = progress_reports_to_file(lead)
    assert {item.level for item in items} == {"danger"}
    with django_assert_num_queries(2):  # the roles, the reports
        assert len(progress_reports_to_review(subcommittee)) == 1


def test_each_office_is_reminded_its_own_number_of_working_days_before(
    project, periods, office, settings
):
    settings.PROGRESS_REMINDER_DAYS = 5
    office.progress_reminder_days = 1
    office.save()
    # 7/10 (Fri) less one working day is 7/9: the install's five days (7/3) no longer apply.
    assert send_reminders(today=D("2026-07-03")) == 0
    assert send_reminders(today=D("2026-07-08")) == 0
    assert send_reminders(today=D("2026-07-09")) == 1
    assert reminders() == [(1, Reminder.Kind.BEFORE_DUE, "wglead")]


def test_an_office_without_its_own_number_uses_the_setting(project, periods, office, settings):
    settings.PROGRESS_REMINDER_DAYS = 1
    assert office.progress_reminder_days is None
    assert send_reminders(today=D("2026-07-08")) == 0
    assert send_reminders(today=D("2026-07-09")) == 1
