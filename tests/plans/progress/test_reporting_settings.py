"""The plan's reporting settings (報告期間の設定): the subcommittee chooses monthly or quarterly
reports and how many days after a period's end they are due; due dates move back off weekends
and holidays; the frequency is fixed once reports exist; who may and who may not."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from plans.models import ReportingFrequency, ReportingPeriod, Stage
from plans.progress import services as progress_services
from tests.plans.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(plan):
    return reverse("plans:plan_reporting", args=[plan.pk])


def text(response):
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def post(client, plan, frequency="quarterly", due_days=10, version=None):
    return client.post(
        url(plan),
        {
            "reporting_frequency": frequency,
            "report_due_days": due_days,
            "version": plan.version if version is None else version,
        },
    )


def due_dates(plan):
    return [p.due_on for p in plan.periods.order_by("number")]


def test_subcommittee_sets_quarterly_reports_due_ten_days_after_each_quarter(client, people, plan):
    client.force_login(people.subcommittee)
    response = post(client, plan, "quarterly", 10)
    assert response.status_code == 302
    assert response.url == url(plan)
    plan.refresh_from_db()
    assert plan.reporting_frequency == ReportingFrequency.QUARTERLY
    assert plan.report_due_days == 10
    assert [p.label for p in plan.periods.all()] == [
        "第1四半期（4〜6月）",
        "第2四半期（7〜9月）",
        "第3四半期（10〜12月）",
        "第4四半期（1〜3月）",
    ]
    assert due_dates(plan) == [
        datetime.date(2026, 7, 10),  # Friday: stays
        datetime.date(2026, 10, 9),  # 10 Oct is a Saturday: back to Friday
        datetime.date(2027, 1, 8),  # 10 Jan Sunday, 11 Jan Coming of Age Day: back to Friday
        datetime.date(2027, 4, 9),  # 10 Apr is a Saturday
    ]
    page = text(client.get(url(plan)))
    assert "2026年7月10日（金）" in page
    assert "2026年10月9日（金）" in page
    assert "2027年1月8日（金）" in page


def test_monthly_reports_make_twelve_periods_moved_off_weekends_and_holidays(client, people, plan):
    client.force_login(people.subcommittee)
    post(client, plan, "monthly", 10)
    periods = list(plan.periods.all())
    assert len(periods) == 12
    assert periods[0].label == "4月" and periods[-1].label == "3月"
    assert periods[0].starts_on == datetime.date(2026, 4, 1)
    assert periods[0].ends_on == datetime.date(2026, 4, 30)
    # 10 May 2026 is a Sunday: due on Friday 8 May.
    assert periods[0].due_on == datetime.date(2026, 5, 8)
    assert periods[-1].ends_on == datetime.date(2027, 3, 31)
    assert all(p.due_on.weekday() < 5 for p in periods)


def test_due_dates_move_back_over_the_year_end_closure(people, plan):
    # November ends on the 30th; 29 days later is 29 December, closed until 3 January.
    periods = progress_services.plan_set_reporting(
        plan=plan, by=people.subcommittee, frequency=ReportingFrequency.MONTHLY, due_days=29
    )
    november = next(p for p in periods if p.label == "11月")
    assert november.due_on == datetime.date(2026, 12, 28)


def test_changing_the_frequency_before_any_report_rebuilds_the_periods(client, people, plan):
    client.force_login(people.subcommittee)
    post(client, plan, "monthly", 10)
    plan.refresh_from_db()
    post(client, plan, "quarterly", 5)
    assert plan.periods.count() == 4
    assert ReportingPeriod.objects.filter(plan=plan).count() == 4


def test_the_frequency_is_fixed_once_reports_exist_but_due_days_may_move(
    client, people, plan, group, sections
):
    plan.stage = Stage.IN_PROGRESS
    plan.save()
    progress_services.plan_set_reporting(
        plan=plan, by=people.subcommittee, frequency=ReportingFrequency.QUARTERLY, due_days=10
    )
    project = ProjectFactory(plan=plan, working_group=group, section=sections.kumin)
    progress_services.report_start(project=project, period=plan.periods.first(), by=people.lead)
    plan.refresh_from_db()
    client.force_login(people.subcommittee)
    response = post(client, plan, "monthly", 10)
    assert response.status_code == 200
    assert "進捗報告が提出された後は、報告の頻度を変えられません。" in text(response)
    plan.refresh_from_db()
    assert plan.reporting_frequency == ReportingFrequency.QUARTERLY
    assert plan.periods.count() == 4

    response = post(client, plan, "quarterly", 20)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.report_due_days == 20
    # 30 June + 20 days is Monday 20 July, Marine Day (海の日): due on Friday 17 July.
    assert plan.periods.get(number=1).due_on == datetime.date(2026, 7, 17)
    assert plan.periods.count() == 4


def test_due_days_are_checked(client, people, plan):
    client.force_login(people.subcommittee)
    response = post(client, plan, "quarterly", 61)
    assert response.status_code == 200
    assert "この値は 60 以下でなければなりません。" in text(response)
    response = post(client, plan, "weekly", 10)
    assert response.status_code == 200
    assert not plan.periods.exists()


def test_a_concurrent_change_of_the_plan_is_refused(client, people, plan):
    stale = plan.version
    plan.summary = "部会が先に直した概要"
    plan.version += 1
    plan.save()
    client.force_login(people.subcommittee)
    response = post(client, plan, "monthly", 15, version=stale)
    assert response.status_code == 200
    page = text(response)
    assert "他の人が先に保存した変更" in page
    plan.refresh_from_db()
    assert plan.reporting_frequency == ReportingFrequency.QUARTERLY
    assert plan.report_due_days == 10
    assert not plan.periods.exists()
    # The form now carries the current version: saving again is a knowing choice.
    assert f'name="version" value="{plan.version}"' in response.content.decode()


def test_before_saving_the_page_previews_the_periods_and_creates_nothing(client, people, plan):
    client.force_login(people.subcommittee)
    response = client.get(url(plan))
    assert response.status_code == 200
    page = text(response)
    assert "報告期間はまだ作成されていません" in page
    assert "2026年7月10日（金）" in page
    assert not plan.periods.exists()


@pytest.mark.parametrize("role", ["lead", "council", "manager", "admin"])
def test_readers_see_the_periods_but_cannot_set_them(client, people, plan, role):
    progress_services.plan_set_reporting(
        plan=plan, by=people.subcommittee, frequency=ReportingFrequency.QUARTERLY, due_days=10
    )
    plan.refresh_from_db()
    client.force_login(getattr(people, role))
    response = client.get(url(plan))
    assert response.status_code == 200
    assert "2026年7月10日（金）" in text(response)
    assert 'name="report_due_days"' not in response.content.decode()
    response = post(client, plan, "monthly", 10)
    assert response.status_code == 403
    assert "報告期間を設定できるのは推進部会の委員です。" in text(response)
    assert plan.periods.count() == 4


def test_staff_cannot_see_the_reporting_settings(client, people, plan):
    client.force_login(people.staff)
    response = client.get(url(plan))
    assert response.status_code == 403
    assert "進捗報告は、ワーキンググループリーダー" in text(response)


def test_a_member_of_another_office_finds_nothing(client, stranger, plan):
    client.force_login(stranger)
    assert client.get(url(plan)).status_code == 404
    assert post(client, plan).status_code == 404
    assert not plan.periods.exists()


def test_the_plan_page_links_to_the_settings_for_the_subcommittee_only(client, people, plan):
    plan_url = reverse("plans:plan_detail", args=[plan.pk])
    client.force_login(people.subcommittee)
    assert url(plan) in client.get(plan_url).content.decode()
    client.force_login(people.lead)
    assert url(plan) not in client.get(plan_url).content.decode()
