# ruff: noqa: F811  (fixtures imported from the neighbouring test modules)
"""Every attention item links to exactly the list it counts (#10.9): the subcommittee's
「確認を待っている進捗報告」 opens the board filtered to 提出済み, a lead's overdue, due-soon and
sent-back reports open the board filtered to them and to the groups they lead, and the
council's attention includes the undecided agenda items of upcoming meetings."""

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

import plans.council.attention  # noqa: F401  (registers the attention providers)
import plans.progress.attention  # noqa: F401
from plans.models import AgendaItem, ProgressReport, Project, Reminder, ReportingPeriod
from plans.progress.services import reports_due
from takatsu_portal.core import attention
from takatsu_portal.core.attention import items_for
from takatsu_portal.core.fiscal import today
from tests.plans.factories import (
    AgendaItemFactory,
    MeetingFactory,
    PlanFactory,
    ProjectFactory,
    WorkingGroupFactory,
)

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


def board_rows(client, url):
    """The board's rows at `url`, rendered afresh: these tests read the view's context, which a
    copy of the board kept in the shared cache (core/shared_cache.py) does not carry."""
    attention.changed()
    return client.get(url).context["rows"]


def board_codes(client, url):
    return sorted(row.project.code for row in board_rows(client, url))


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


def cells_marked(client, url, key):
    """(project code, period number) of every matrix cell of the page marked `key`."""
    return sorted(
        (row.project.code, cell["period"].number)
        for row in board_rows(client, url)
        for cell in row.cells
        if cell["badge"].key == key
    )


def test_a_leads_overdue_reports_open_the_board_filtered_to_overdue(client, people, filed):
    # R-2 owes both periods (the first sent back), R-3 the first: three reports, as the
    # reminders count them; the sent-back one is in the sent-back item too.
    item = item_titled(people.lead, "期限を過ぎた進捗報告が3件")
    assert parse_qs(urlsplit(item.url).query)["report_state"] == ["overdue"]
    client.force_login(people.lead)
    assert board_codes(client, item.url) == ["R-2", "R-3"]
    assert cells_marked(client, item.url, "overdue") == [("R-2", 1), ("R-2", 2), ("R-3", 1)]


# ---------------------------------------------------------------------------------------------
# 「期限が近い」: the lead's reports due within PROGRESS_REMINDER_DAYS working days


@pytest.fixture
def due_soon(office, people, group, other_group, monkeypatch, settings):
    """Monday 13 July 2026; the first period is due on Wednesday the 15th (within the five
    working days of the reminders), the second in October.

    R-A no report         R-B a draft          R-C submitted (filed)   R-D sent back
    R-E completed         R-F started after the first period ended
    R-G another lead's group (due soon, not this lead's)
    R-H a second group this lead also leads
    """
    settings.PROGRESS_REMINDER_DAYS = 5
    monkeypatch.setattr("takatsu_portal.core.fiscal.clock", lambda: date(2026, 7, 13))
    plan = PlanFactory(office=office, fiscal_year=2026, stage="in_progress")
    first, second = ReportingPeriod.objects.bulk_create(
        [
            ReportingPeriod(
                plan=plan,
                number=1,
                label="第1四半期（4〜6月）",
                starts_on=date(2026, 4, 1),
                ends_on=date(2026, 6, 30),
                due_on=date(2026, 7, 15),
            ),
            ReportingPeriod(
                plan=plan,
                number=2,
                label="第2四半期（7〜9月）",
                starts_on=date(2026, 7, 1),
                ends_on=date(2026, 9, 30),
                due_on=date(2026, 10, 15),
            ),
        ]
    )
    second_group = WorkingGroupFactory(office=office, lead=people.lead, name="広報ワーキング")

    def project(code, working_group=group, **kwargs):
        return ProjectFactory(plan=plan, code=code, working_group=working_group, **kwargs)

    project("R-A")
    report(project("R-B"), first, people.lead, state=State.DRAFT)
    report(project("R-C"), first, people.lead, state=State.SUBMITTED)
    report(project("R-D"), first, people.lead, state=State.CHANGES_REQUESTED)
    project("R-E", status=Project.Status.COMPLETED)
    project("R-F", starts_on=date(2026, 7, 10))
    project("R-G", working_group=other_group)
    project("R-H", working_group=second_group)
    return plan


def test_a_leads_reports_due_soon_open_exactly_the_board_rows_they_count(client, people, due_soon):
    item = item_titled(people.lead, "期限が近い進捗報告が4件")
    query = parse_qs(urlsplit(item.url).query)
    assert query["report_state"] == ["due_soon"]
    assert query["plan"] == [str(due_soon.pk)]

    client.force_login(people.lead)
    # The board lists exactly the counted projects (of both the lead's groups, not R-G) and
    # marks exactly the counted reports 期限間近.
    counted = ["R-A", "R-B", "R-D", "R-H"]
    assert board_codes(client, item.url) == counted
    assert cells_marked(client, item.url, "due_soon") == [(code, 1) for code in counted]
    # The reminders count the same reports by the same rule.
    assert (
        sorted(
            project.code
            for project, period, lead, kind in reports_due(today=today())
            if lead == people.lead and kind == Reminder.Kind.BEFORE_DUE
        )
        == counted
    )


def test_the_board_filters_every_report_due_soon_and_ignores_mine_for_others(
    client, people, due_soon
):
    client.force_login(people.subcommittee)
    url = f"{reverse('plans:progress')}?plan={due_soon.pk}&report_state=due_soon"
    assert board_codes(client, url) == ["R-A", "R-B", "R-D", "R-G", "R-H"]
    # 「自分がリーダーのワーキンググループだけ」 is offered to leads only; typed by someone
    # else it narrows nothing.
    response = client.get(url + "&mine=1")
    assert "mine" not in response.context["filter"].form.fields
    assert board_codes(client, url + "&mine=1") == ["R-A", "R-B", "R-D", "R-G", "R-H"]


def test_a_lead_filters_the_board_to_their_own_groups(client, people, due_soon):
    client.force_login(people.lead)
    url = f"{reverse('plans:progress')}?plan={due_soon.pk}"
    response = client.get(url)
    assert "自分がリーダーのワーキンググループだけ" in response.text
    assert board_codes(client, url + "&mine=1") == [
        "R-A",
        "R-B",
        "R-C",
        "R-D",
        "R-E",
        "R-F",
        "R-H",
    ]


def test_nothing_is_due_soon_outside_the_reminder_days(client, people, due_soon, monkeypatch):
    # Tuesday 7 July: the 15th is six working days away.
    monkeypatch.setattr("takatsu_portal.core.fiscal.clock", lambda: date(2026, 7, 7))
    assert not [i for i in items_for(people.lead) if i.title.startswith("期限が近い")]
    client.force_login(people.lead)
    url = f"{reverse('plans:progress')}?plan={due_soon.pk}&report_state=due_soon"
    assert board_codes(client, url) == []


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


def test_the_councils_items_on_several_meetings_open_exactly_those_meetings(
    client, people, office, plan
):
    soon = MeetingFactory(office=office, held_on=today() + timedelta(days=7), title="第2回")
    later = MeetingFactory(office=office, held_on=today() + timedelta(days=40), title="第3回")
    AgendaItemFactory(meeting=soon, plan=plan, title="計画の承認", order=1)
    AgendaItemFactory(meeting=later, plan=plan, title="事業の承認", order=1)
    AgendaItemFactory(meeting=later, plan=plan, title="事業企画案", order=2)
    decided = MeetingFactory(office=office, held_on=today() + timedelta(days=20), title="臨時")
    AgendaItemFactory(meeting=decided, title="報告", decision=AgendaItem.Decision.APPROVED)
    past = MeetingFactory(office=office, held_on=today() - timedelta(days=30), title="前回")
    AgendaItemFactory(meeting=past, plan=plan, title="古い議題", order=1)

    item = item_titled(people.council, "区企画調整会議の決定を待っている議題が3件")
    client.force_login(people.council)
    response = client.get(item.url)
    meetings = list(response.context["page_obj"].object_list)
    assert meetings == [soon, later]  # soonest first; neither decided nor past ones
    assert sum(m.pending_count for m in meetings) == 3
    assert "すべての会議を表示する" in response.content.decode()
    # Without the filter, every meeting.
    assert len(client.get(reverse("plans:meeting_list")).context["page_obj"].object_list) == 4
