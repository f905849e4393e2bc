"""Each office's settings (区役所ごとの設定): the portal's name in the header and notification
mails, the plan's deadline; an empty setting keeps the install's Django setting. (The survey
pages and posters: tests/feedback/surveys/test_poster.py; reminders: tests/plans/progress/
test_reminders.py and tests/bulletins/test_reminders.py.)"""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from plans.plan.attention import plan_deadline
from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.models import Notification
from takatsu_portal.core.tasks import send_notification_email
from tests.factories import DepartmentFactory, OfficeFactory, SectionFactory, UserFactory
from tests.plans.factories import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def miyamae():
    office = OfficeFactory(code="miyamae", name="宮前区役所")
    office.portal_name = "宮前区役所サービスポータル"
    office.save()
    return office


def member(office, *roles, **fields):
    section = SectionFactory(department=DepartmentFactory(office=office))
    return UserFactory(roles=list(roles) or [Role.STAFF], section=section, **fields)


def test_the_header_shows_the_portal_name_of_the_users_office(client, miyamae, settings):
    settings.PORTAL_NAME = "高津区役所サービスポータル"
    client.force_login(member(miyamae))
    html = client.get(reverse("home")).content.decode()
    assert "宮前区役所サービスポータル</a>" in html
    assert "<title>" in html and "宮前区役所サービスポータル</title>" in html
    assert "高津区役所サービスポータル" not in html


def test_an_office_without_a_portal_name_and_a_user_without_an_office_see_the_setting(
    client, miyamae, settings
):
    settings.PORTAL_NAME = "川崎市区役所サービスポータル"
    client.force_login(member(OfficeFactory()))
    assert "川崎市区役所サービスポータル</a>" in client.get(reverse("home")).content.decode()
    client.force_login(UserFactory(roles=[Role.CITY], section=None))
    html = client.get(reverse("home")).content.decode()
    assert "川崎市区役所サービスポータル</a>" in html
    assert "宮前区役所サービスポータル" not in html


def test_a_notification_mail_names_the_recipients_portal(miyamae, settings):
    settings.PORTAL_NAME = "高津区役所サービスポータル"
    for office, expected in ((miyamae, "宮前区役所サービスポータル"), (OfficeFactory(), None)):
        user = member(office, email=f"{office.code}@example.jp")
        notification = Notification.objects.create(recipient=user, message="確認してください")
        mail.outbox.clear()
        send_notification_email(notification.pk)
        assert mail.outbox[0].subject == f"[{expected or settings.PORTAL_NAME}] 確認してください"


def test_the_plan_deadline_is_the_offices_own_and_the_end_of_april_by_default(miyamae):
    takatsu = OfficeFactory()
    assert PlanFactory(office=takatsu, fiscal_year=2026).due_date == datetime.date(2026, 4, 30)
    miyamae.plan_due_month, miyamae.plan_due_day = 5, 31
    miyamae.save()
    assert PlanFactory(office=miyamae, fiscal_year=2026).due_date == datetime.date(2026, 5, 31)
    # A day the month lacks is its last day; January to March are the fiscal year's second year.
    miyamae.plan_due_month, miyamae.plan_due_day = 2, 31
    assert miyamae.plan_due_date(2026) == datetime.date(2027, 2, 28)
    miyamae.plan_due_month, miyamae.plan_due_day = 6, 31
    assert miyamae.plan_due_date(2026) == datetime.date(2026, 6, 30)


def test_the_home_pages_deadline_item_uses_the_offices_deadline(miyamae):
    miyamae.plan_due_month, miyamae.plan_due_day = 5, 15
    miyamae.save()
    subcommittee = member(miyamae, Role.STAFF, Role.SUBCOMMITTEE)
    with time_machine.travel("2026-04-10 10:00 +0900", tick=False):
        [item] = plan_deadline(subcommittee)  # no plan yet
        assert "令和8年5月15日" in item.detail and "あと35日" in item.detail
        PlanFactory(office=miyamae, fiscal_year=2026)
        [item] = plan_deadline(subcommittee)
        assert "令和8年5月15日" in item.detail


def test_the_administrator_edits_an_offices_settings_with_history(client, miyamae):
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    client.force_login(admin)
    response = client.post(
        reverse("admin:accounts_office_change", args=[miyamae.pk]),
        {
            "code": "miyamae",
            "name": "宮前区役所",
            "name_translations": "{}",
            "sort_order": 50,
            "portal_name": "みやまえサービスポータル",
            "resident_name": "宮前区役所",
            "public_base_url": "https://miyamae.example.jp",
            "plan_due_month": 5,
            "plan_due_day": 20,
            "progress_reminder_days": 7,
            "bulletin_reminder_days": "",
        },
    )
    assert response.status_code == 302
    miyamae.refresh_from_db()
    assert miyamae.portal_title == "みやまえサービスポータル"
    assert miyamae.public_address == "https://miyamae.example.jp"
    assert miyamae.progress_reminder_working_days == 7
    newest = miyamae.history.first()
    assert newest.history_user == admin
    assert newest.prev_record.portal_name == "宮前区役所サービスポータル"
