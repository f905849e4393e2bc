# ruff: noqa: F811  (fixtures imported from the neighbouring test modules)
"""Every attention item links to exactly the list it counts (#10.9): the subcommittee's
「確認を待っている進捗報告」 opens the board filtered to 提出済み, a lead's overdue and sent-back
reports open the board filtered to them, and the council's attention includes the undecided
agenda items of upcoming meetings."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

import plans.council.attention  # noqa: F401  (registers the attention providers)
import plans.progress.attention  # noqa: F401
from plans.models import AgendaItem, ProgressReport
from takatsu_portal.core.attention import items_for
from takatsu_portal.core.fiscal import today
from tests.plans.factories import AgendaItemFactory, MeetingFactory, ProjectFactory

from .test_board import current_plan, make_periods, report  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

State = ProgressReport.State


def item_titled(user, start):
    return next(i for i in items_for(user) if i.title.startswith(start))


@pytest.fixture
def filed(current_plan, group, people):
    periods = make_periods(current_plan, past=2)
    projects = [
        ProjectFactory(plan=current_plan, code=f"R-{n}", working_group=group) for n in range(4)
    ]
    report(projects[0], periods[0], people.lead, state=State.SUBMITTED)
    report(projects[1], periods[0], people.lead, state=State.SUBMITTED)
    report(projects[2], periods[0], people.lead, state=State.CHANGES_REQUESTED)
    for project in projects:
        if project is not projects[2]:
            report(project, periods[1], people.lead, state=State.ACCEPTED)
    return projects


def board_codes(client, url):
    return sorted(row.project.code for row in client.get(url).context["rows"])


def test_reports_waiting_for_review_open_the_board_filtered_to_submitted(client, people, filed):
    item = item_titled(people.subcommittee, "推進部会の確認を待っている進捗報告が2件")
    assert parse_qs(urlsplit(item.url).query)["report_state"] == ["submitted"]
    client.force_login(people.subcommittee)
    assert board_codes(client, item.url) == ["R-0", "R-1"]


def test_the_board_filters_to_sent_back_and_overdue_reports(client, people, filed):
    client.force_login(people.subcommittee)
    url = reverse("plans:progress")
    assert board_codes(client, f"{url}?report_state=changes_requested") == ["R-2"]
    # R-2 was sent back for the first period and owes the second; R-3 owes the first.
    assert board_codes(client, f"{url}?report_state=overdue") == ["R-2", "R-3"]


def test_a_leads_overdue_reports_open_the_board_filtered_to_overdue(client, people, filed):
    item = item_titled(people.lead, "期限を過ぎた進捗報告が2件")
    assert parse_qs(urlsplit(item.url).query)["report_state"] == ["overdue"]
    client.force_login(people.lead)
    assert board_codes(client, item.url) == ["R-2", "R-3"]


def test_the_council_is_told_of_undecided_items_of_upcoming_meetings(people, office, plan):
    upcoming = MeetingFactory(office=office, held_on=today() + timedelta(days=7))
    AgendaItemFactory(meeting=upcoming, plan=plan, title="計画の承認", order=1)
    AgendaItemFactory(meeting=upcoming, plan=plan, title="事業の承認", order=2)
    AgendaItemFactory(
        meeting=upcoming, title="報告", order=3, decision=AgendaItem.Decision.APPROVED
    )
    past = MeetingFactory(office=office, held_on=today() - timedelta(days=30), title="前回")
    AgendaItemFactory(meeting=past, plan=plan, title="古い議題", order=1)
    item = item_titled(people.council, "区企画調整会議の決定を待っている議題が2件")
    assert item.url == upcoming.get_absolute_url()
    assert not [i for i in items_for(people.staff) if "決定を待っている議題" in i.title]
