"""The ward council (区企画調整会議): meetings, agenda items that present a plan at a version,
and the council's decisions, which move the plan. Council members decide; the subcommittee
and the council register meetings and items; everyone reads; another office sees nothing."""

import datetime
import re

import pytest
from django.urls import reverse

from plans.council import services as council_services
from plans.models import AgendaItem, CouncilMeeting, PlanDecision, Proposal, Stage
from plans.plan import services as plan_services
from tests.plans.factories import AgendaItemFactory, MeetingFactory, PlanFactory, ProposalFactory

LIST = reverse("plans:meeting_list")
CREATE = reverse("plans:meeting_create")


def detail_url(meeting):
    return reverse("plans:meeting_detail", args=[meeting.pk])


def edit_url(meeting):
    return reverse("plans:meeting_edit", args=[meeting.pk])


def add_item_url(meeting):
    return reverse("plans:agenda_item_create", args=[meeting.pk])


def decide_url(item):
    return reverse("plans:agenda_item_decide", args=[item.pk])


def decide(client, item, decision, comment=""):
    prefix = f"decide-{item.pk}"
    return client.post(
        decide_url(item), {f"{prefix}-decision": decision, f"{prefix}-comment": comment}
    )


def item_data(plan=None, **overrides):
    data = {
        "item-title": "区役所サービス向上計画（素案）について",
        "item-subject": AgendaItem.Subject.PLAN,
        "item-plan": plan.pk if plan else "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def meeting(office):
    return MeetingFactory(office=office)


@pytest.fixture
def reported_plan(plan, people):
    plan_services.plan_advance(plan=plan, by=people.subcommittee, comment="素案を報告する")
    plan.refresh_from_db()
    return plan


@pytest.fixture
def plan_item(meeting, reported_plan, people):
    return council_services.agenda_item_add(
        meeting=meeting,
        by=people.subcommittee,
        title="計画（素案）の承認",
        subject=AgendaItem.Subject.PLAN,
        plan=reported_plan,
    )


# ---------------------------------------------------------------------------------------------
# The whole flow, through HTTP


def test_the_council_approves_the_plan_presented_at_its_meeting(client, people, plan):
    # The subcommittee reports the draft to the council.
    plan_services.plan_advance(plan=plan, by=people.subcommittee, comment="素案を報告する")
    plan.refresh_from_db()
    assert plan.stage == Stage.REPORTED

    # It registers the meeting and puts the plan on the agenda.
    client.force_login(people.subcommittee)
    response = client.post(
        CREATE,
        {"title": "令和8年度 第1回区企画調整会議", "held_on": "2026-04-24", "place": "第1会議室"},
    )
    meeting = CouncilMeeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(meeting)
    response = client.post(add_item_url(meeting), item_data(plan))
    assert response.status_code == 302
    item = meeting.items.get()
    assert item.presented_version == plan.version
    assert item.order == 1

    # A council member approves it.
    client.force_login(people.council)
    response = decide(client, item, AgendaItem.Decision.APPROVED, "異議なし")
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(meeting)}#item-{item.pk}"
    item.refresh_from_db()
    plan.refresh_from_db()
    assert item.decision == AgendaItem.Decision.APPROVED
    assert item.decided_by == people.council
    assert item.decided_at is not None
    assert plan.stage == Stage.PLAN_APPROVED
    decision = PlanDecision.objects.get(agenda_item=item)
    assert decision.from_stage == Stage.REPORTED
    assert decision.to_stage == Stage.PLAN_APPROVED
    assert decision.decided_by == people.council
    assert "令和8年度 第1回区企画調整会議" in decision.comment

    # Everyone reads the record.
    client.force_login(people.staff)
    html = client.get(detail_url(meeting)).content.decode()
    assert "承認" in html
    assert f"第{item.presented_version}版" in html
    assert str(people.council) in html


def test_approval_with_conditions_records_the_conditions_and_approves(
    client, people, plan_item, reported_plan
):
    client.force_login(people.council)
    response = decide(
        client, plan_item, AgendaItem.Decision.CONDITIONAL, "指標の目標値を見直すこと"
    )
    assert response.status_code == 302
    plan_item.refresh_from_db()
    reported_plan.refresh_from_db()
    assert plan_item.decision == AgendaItem.Decision.CONDITIONAL
    assert plan_item.decision_comment == "指標の目標値を見直すこと"
    assert reported_plan.stage == Stage.PLAN_APPROVED


def test_a_returned_plan_goes_back_to_the_draft(client, people, plan_item, reported_plan):
    client.force_login(people.council)
    response = decide(client, plan_item, AgendaItem.Decision.RETURNED, "重点の説明が不足")
    assert response.status_code == 302
    reported_plan.refresh_from_db()
    assert reported_plan.stage == Stage.DRAFT
    decision = PlanDecision.objects.get(agenda_item=plan_item)
    assert decision.kind == PlanDecision.Kind.SEND_BACK
    assert "重点の説明が不足" in decision.comment


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        (AgendaItem.Decision.RETURNED, "差し戻しには、理由を入力してください。"),
        (AgendaItem.Decision.CONDITIONAL, "条件付き承認には、条件を入力してください。"),
    ],
)
def test_returning_or_conditions_without_a_reason_is_refused(
    client, people, plan_item, reported_plan, decision, message
):
    client.force_login(people.council)
    response = decide(client, plan_item, decision, "  ")
    assert response.status_code == 400
    # The meeting page again (its blank forms may render their own templates first).
    assert "plans/council/detail.html" in {t.name for t in response.templates}
    assert message in response.content.decode()
    plan_item.refresh_from_db()
    reported_plan.refresh_from_db()
    assert plan_item.decision == AgendaItem.Decision.PENDING
    assert reported_plan.stage == Stage.REPORTED


def test_a_plan_edited_after_it_was_presented_cannot_be_decided(
    client, people, plan_item, reported_plan
):
    plan_services.plan_update(
        plan=reported_plan,
        by=people.subcommittee,
        expected_version=reported_plan.version,
        title=reported_plan.title,
        summary="会議の後で書き換えた概要",
    )
    client.force_login(people.council)
    page = client.get(detail_url(plan_item.meeting)).content.decode()
    assert "提示した第2版の後に変更されています（現在 第3版）" in page
    response = decide(client, plan_item, AgendaItem.Decision.APPROVED)
    assert response.status_code == 400
    html = response.content.decode()
    assert "会議に提示した版（第2版）の後に変更されています（現在 第3版）" in html
    assert "改めて議題にしてください" in html
    plan_item.refresh_from_db()
    reported_plan.refresh_from_db()
    assert plan_item.decision == AgendaItem.Decision.PENDING
    assert reported_plan.stage == Stage.REPORTED


def test_a_plan_at_another_stage_cannot_be_decided(client, people, plan_item, reported_plan):
    plan_services.plan_send_back(
        plan=reported_plan, by=people.subcommittee, reason="報告を取り下げる"
    )
    client.force_login(people.council)
    response = decide(client, plan_item, AgendaItem.Decision.APPROVED)
    assert response.status_code == 400
    assert "「素案作成」の段階にあり、この議題で決定できません" in response.content.decode()
    plan_item.refresh_from_db()
    assert plan_item.decision == AgendaItem.Decision.PENDING


def test_a_decided_item_cannot_be_decided_again(client, people, plan_item, reported_plan):
    client.force_login(people.council)
    decide(client, plan_item, AgendaItem.Decision.APPROVED)
    response = decide(client, plan_item, AgendaItem.Decision.RETURNED, "やはり差し戻す")
    assert response.status_code == 400
    assert "この議題の決定はすでに記録されています。" in response.content.decode()
    plan_item.refresh_from_db()
    reported_plan.refresh_from_db()
    assert plan_item.decision == AgendaItem.Decision.APPROVED
    assert reported_plan.stage == Stage.PLAN_APPROVED
    assert PlanDecision.objects.filter(agenda_item=plan_item).count() == 1


@pytest.mark.parametrize("role", ["staff", "lead", "subcommittee", "manager", "admin"])
def test_only_council_members_record_decisions(client, people, plan_item, role):
    client.force_login(getattr(people, role))
    response = decide(client, plan_item, AgendaItem.Decision.APPROVED, "承認")
    assert response.status_code == 403
    assert "決定を記録できるのは区企画調整会議の委員です。" in response.content.decode()
    plan_item.refresh_from_db()
    assert plan_item.decision == AgendaItem.Decision.PENDING


def test_a_council_member_of_another_office_cannot_decide(client, stranger, plan_item):
    client.force_login(stranger)
    response = decide(client, plan_item, AgendaItem.Decision.APPROVED, "承認")
    assert response.status_code == 404


def test_deciding_needs_a_post(client, people, plan_item):
    client.force_login(people.council)
    assert client.get(decide_url(plan_item)).status_code == 405


def test_a_decision_on_proposals_leaves_the_plan_where_it_is(client, people, meeting, plan):
    proposal = ProposalFactory(plan=plan, section=people.staff.section, proposer=people.staff)
    item = council_services.agenda_item_add(
        meeting=meeting,
        by=people.subcommittee,
        title="事業企画案の審議",
        subject=AgendaItem.Subject.PROPOSALS,
        plan=plan,
        proposals=[proposal],
    )
    client.force_login(people.council)
    response = decide(client, item, AgendaItem.Decision.APPROVED, "提案のとおり")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.stage == Stage.DRAFT
    assert not PlanDecision.objects.exists()


def test_the_service_refuses_pending_as_a_decision(people, plan_item):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        council_services.agenda_item_decide(
            item=plan_item, by=people.council, decision=AgendaItem.Decision.PENDING, comment=""
        )


# ---------------------------------------------------------------------------------------------
# Meeting page


def test_staff_read_a_meeting_without_decision_or_agenda_forms(client, people, plan_item):
    client.force_login(people.staff)
    response = client.get(detail_url(plan_item.meeting))
    assert response.status_code == 200
    html = response.content.decode()
    assert "計画（素案）の承認" in html
    assert "未決定" in html
    assert plan_item.plan.get_absolute_url() in html
    assert decide_url(plan_item) not in html
    assert add_item_url(plan_item.meeting) not in html
    assert edit_url(plan_item.meeting) not in html


def test_council_members_see_a_decision_form_without_the_pending_choice(client, people, plan_item):
    client.force_login(people.council)
    response = client.get(detail_url(plan_item.meeting))
    html = response.content.decode()
    assert decide_url(plan_item) in html
    # The blank form comes as HTML (the shared cache keeps it): read its choices there.
    select = re.search(
        rf'<select name="decide-{plan_item.pk}-decision".*?</select>', html, re.DOTALL
    ).group(0)
    assert re.findall(r'<option value="([^"]*)"', select) == [
        AgendaItem.Decision.APPROVED,
        AgendaItem.Decision.CONDITIONAL,
        AgendaItem.Decision.RETURNED,
    ]


def test_a_decided_item_shows_no_decision_form(client, people, plan_item):
    council_services.agenda_item_decide(
        item=plan_item, by=people.council, decision=AgendaItem.Decision.APPROVED, comment=""
    )
    client.force_login(people.council)
    response = client.get(detail_url(plan_item.meeting))
    assert decide_url(plan_item) not in response.content.decode()
    # After the decision the plan moved on (a new version): that is not a "changed" warning.
    assert "後に変更されています" not in response.content.decode()


@pytest.mark.parametrize("role", ["subcommittee", "council"])
def test_the_subcommittee_and_the_council_see_the_form_to_add_an_item(
    client, people, meeting, role
):
    client.force_login(getattr(people, role))
    html = client.get(detail_url(meeting)).content.decode()
    assert add_item_url(meeting) in html
    assert "議題を追加" in html


def test_the_meeting_page_lists_the_proposals_of_an_item(client, people, meeting, plan):
    proposal = ProposalFactory(
        plan=plan, section=people.staff.section, proposer=people.staff, title="多言語の案内"
    )
    item = AgendaItemFactory(meeting=meeting, subject=AgendaItem.Subject.PROPOSALS, plan=plan)
    item.proposals.set([proposal])
    client.force_login(people.staff)
    html = client.get(detail_url(meeting)).content.decode()
    assert proposal.get_absolute_url() in html
    assert "多言語の案内" in html


def test_a_meeting_of_another_office_is_not_found(client, stranger, meeting):
    client.force_login(stranger)
    assert client.get(detail_url(meeting)).status_code == 404
    assert client.get(edit_url(meeting)).status_code == 404
    assert client.post(add_item_url(meeting), {}).status_code == 404


@pytest.mark.parametrize("count", [2, 20])
def test_the_meeting_page_runs_a_fixed_number_of_queries(
    client, people, meeting, plan, count, django_assert_max_num_queries
):
    for n in range(count):
        item = AgendaItemFactory(meeting=meeting, plan=plan, title=f"議題{n}", order=n + 1)
        item.proposals.set(
            [ProposalFactory(plan=plan, section=people.staff.section, proposer=people.staff)]
        )
    client.force_login(people.council)
    with django_assert_max_num_queries(17):
        response = client.get(detail_url(meeting))
    assert len(response.context["items"]) == count


# ---------------------------------------------------------------------------------------------
# Meeting list


def test_everyone_reads_the_meetings_newest_first_with_counts(client, people, office, plan):
    older = MeetingFactory(office=office, title="第1回", held_on=datetime.date(2026, 4, 24))
    newer = MeetingFactory(office=office, title="第2回", held_on=datetime.date(2026, 7, 10))
    AgendaItemFactory(meeting=newer, plan=plan, decision=AgendaItem.Decision.APPROVED)
    AgendaItemFactory(meeting=newer, plan=plan)
    client.force_login(people.staff)
    response = client.get(LIST)
    assert response.status_code == 200
    rows = list(response.context["page_obj"].object_list)
    assert rows == [newer, older]
    assert (rows[0].item_count, rows[0].decided_count) == (2, 1)
    assert (rows[1].item_count, rows[1].decided_count) == (0, 0)
    assert CREATE not in response.content.decode()


@pytest.mark.parametrize("role", ["subcommittee", "council"])
def test_the_subcommittee_and_the_council_see_the_button_to_register(client, people, role):
    client.force_login(getattr(people, role))
    assert "会議を登録する" in client.get(LIST).content.decode()


def test_another_offices_member_sees_none_of_the_meetings(client, stranger, meeting):
    client.force_login(stranger)
    assert list(client.get(LIST).context["page_obj"].object_list) == []


@pytest.mark.parametrize("count", [10, 500])
def test_the_meeting_list_runs_a_fixed_number_of_queries(
    client, people, office, plan, count, django_assert_max_num_queries
):
    meetings = CouncilMeeting.objects.bulk_create(
        CouncilMeeting(
            office=office,
            title=f"第{n + 1}回区企画調整会議",
            held_on=datetime.date(2020, 4, 1) + datetime.timedelta(days=n),
        )
        for n in range(count)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=m, title="議題", subject=AgendaItem.Subject.OTHER, decision=d)
        for m in meetings
        for d in (AgendaItem.Decision.PENDING, AgendaItem.Decision.APPROVED)
    )
    client.force_login(people.staff)
    with django_assert_max_num_queries(11):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == min(count, 20)


# ---------------------------------------------------------------------------------------------
# Registering and editing meetings


def test_the_new_meeting_form_suggests_the_next_title_of_the_year(client, people, office):
    from takatsu_portal.core.fiscal import FiscalYear, today

    fy = FiscalYear.of(today())
    MeetingFactory(office=office, held_on=fy.start)
    client.force_login(people.council)
    response = client.get(CREATE)
    assert response.context["form"]["title"].value() == f"{fy.era_label} 第2回区企画調整会議"


def test_the_council_registers_a_meeting(client, people, office):
    client.force_login(people.council)
    response = client.post(CREATE, {"title": "第2回", "held_on": "2026-07-10", "place": ""})
    assert response.status_code == 302
    meeting = CouncilMeeting.objects.get()
    assert meeting.office == office
    assert meeting.history.first().history_user == people.council


def test_a_meeting_needs_a_date(client, people):
    client.force_login(people.subcommittee)
    response = client.post(CREATE, {"title": "第2回", "held_on": ""})
    assert response.status_code == 200
    assert "held_on" in response.context["form"].errors
    assert not CouncilMeeting.objects.exists()


@pytest.mark.parametrize("role", ["staff", "lead", "manager", "admin"])
def test_others_cannot_register_or_edit_meetings(client, people, meeting, role):
    client.force_login(getattr(people, role))
    response = client.post(CREATE, {"title": "第2回", "held_on": "2026-07-10"})
    assert response.status_code == 403
    assert "推進部会・区企画調整会議の委員" in response.content.decode()
    assert client.get(edit_url(meeting)).status_code == 403
    assert (
        client.post(edit_url(meeting), {"title": "変更", "held_on": "2026-07-10"}).status_code
        == 403
    )
    assert client.get(detail_url(meeting)).status_code == 200
    meeting.refresh_from_db()
    assert meeting.title == "令和8年度 第1回区企画調整会議"
    assert CouncilMeeting.objects.count() == 1


def test_the_subcommittee_edits_a_meeting(client, people, meeting):
    client.force_login(people.subcommittee)
    response = client.post(
        edit_url(meeting),
        {"title": meeting.title, "held_on": "2026-04-27", "place": "大会議室", "notes": "延期"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.held_on == datetime.date(2026, 4, 27)
    assert meeting.place == "大会議室"


def test_anonymous_visitors_are_sent_to_the_login_page(client, meeting):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert client.get(detail_url(meeting)).status_code == 302


# ---------------------------------------------------------------------------------------------
# Adding agenda items


def test_an_item_for_the_plans_approval_needs_a_plan(client, people, meeting):
    client.force_login(people.subcommittee)
    response = client.post(add_item_url(meeting), item_data(None))
    assert response.status_code == 200
    assert "計画を選んでください" in response.context["form"].errors["plan"][0]
    assert not AgendaItem.objects.exists()


def test_an_item_for_the_plans_approval_needs_a_plan_reported_to_the_council(
    client, people, meeting, plan
):
    client.force_login(people.subcommittee)
    response = client.post(add_item_url(meeting), item_data(plan))
    assert response.status_code == 200
    error = response.context["form"].errors["plan"][0]
    assert "「区企画調整会議へ報告」の段階の計画" in error
    assert not AgendaItem.objects.exists()


def test_an_item_for_the_projects_approval_records_the_presented_version(
    client, people, meeting, office
):
    plan = PlanFactory(office=office, fiscal_year=2027, stage=Stage.PROJECTS_DRAFTED, version=7)
    client.force_login(people.council)
    response = client.post(
        add_item_url(meeting),
        item_data(
            plan, **{"item-subject": AgendaItem.Subject.PROJECTS, "item-title": "事業の承認"}
        ),
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert item.presented_version == 7
    assert item.subject == AgendaItem.Subject.PROJECTS


def test_an_item_on_proposals_takes_the_proposals_of_the_chosen_plan(client, people, meeting, plan):
    mine = ProposalFactory(plan=plan, section=people.staff.section, proposer=people.staff)
    client.force_login(people.subcommittee)
    response = client.post(
        add_item_url(meeting),
        item_data(
            plan,
            **{"item-subject": AgendaItem.Subject.PROPOSALS, "item-proposals": [mine.pk]},
        ),
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert list(item.proposals.all()) == [mine]


def test_an_item_on_proposals_needs_at_least_one(client, people, meeting, plan):
    client.force_login(people.subcommittee)
    response = client.post(
        add_item_url(meeting), item_data(plan, **{"item-subject": AgendaItem.Subject.PROPOSALS})
    )
    assert response.status_code == 200
    assert "proposals" in response.context["form"].errors


def test_proposals_of_another_plan_are_refused(client, people, meeting, plan, office):
    other_plan = PlanFactory(office=office, fiscal_year=2027)
    stray = ProposalFactory(
        plan=other_plan, section=people.staff.section, proposer=people.staff, title="別年度の案"
    )
    client.force_login(people.subcommittee)
    response = client.post(
        add_item_url(meeting),
        item_data(
            plan, **{"item-subject": AgendaItem.Subject.PROPOSALS, "item-proposals": [stray.pk]}
        ),
    )
    assert response.status_code == 200
    assert "別年度の案" in response.context["form"].errors["proposals"][0]
    assert not AgendaItem.objects.exists()


def test_plans_and_proposals_of_another_office_are_not_offered(client, people, meeting, stranger):
    foreign_plan = PlanFactory(office=stranger.section.department.office, stage=Stage.REPORTED)
    foreign = ProposalFactory(plan=foreign_plan, proposer=stranger, section=stranger.section)
    client.force_login(people.subcommittee)
    response = client.post(
        add_item_url(meeting),
        item_data(
            foreign_plan,
            **{"item-subject": AgendaItem.Subject.PROPOSALS, "item-proposals": [foreign.pk]},
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "plan" in errors
    assert "proposals" in errors
    assert not AgendaItem.objects.exists()


def test_an_other_item_needs_no_plan(client, people, meeting):
    client.force_login(people.subcommittee)
    response = client.post(
        add_item_url(meeting),
        item_data(None, **{"item-subject": AgendaItem.Subject.OTHER, "item-title": "報告事項"}),
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert item.plan is None
    assert item.presented_version is None


def test_items_are_numbered_in_the_order_they_are_added(client, people, meeting):
    client.force_login(people.subcommittee)
    for title in ("一つ目", "二つ目"):
        client.post(
            add_item_url(meeting),
            item_data(None, **{"item-subject": AgendaItem.Subject.OTHER, "item-title": title}),
        )
    assert list(meeting.items.values_list("order", "title")) == [(1, "一つ目"), (2, "二つ目")]


def test_the_add_item_page_shows_the_form(client, people, meeting):
    client.force_login(people.subcommittee)
    response = client.get(add_item_url(meeting))
    assert response.status_code == 200
    assert 'name="item-subject"' in response.content.decode()


@pytest.mark.parametrize("role", ["staff", "lead", "manager", "admin"])
def test_others_cannot_add_items(client, people, meeting, reported_plan, role):
    client.force_login(getattr(people, role))
    assert client.get(add_item_url(meeting)).status_code == 403
    response = client.post(add_item_url(meeting), item_data(reported_plan))
    assert response.status_code == 403
    assert "議題を追加できるのは推進部会・区企画調整会議の委員です。" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_proposal_status_is_shown_in_the_choices(client, people, meeting, plan):
    ProposalFactory(
        plan=plan,
        section=people.staff.section,
        proposer=people.staff,
        title="案内の改善",
        status=Proposal.Status.RETURNED,
    )
    client.force_login(people.subcommittee)
    html = client.get(add_item_url(meeting)).content.decode()
    assert "案内の改善（差し戻し）" in html


# ---------------------------------------------------------------------------------------------
# The kept page body (plans/council/views.py `meeting_detail`)


def test_the_kept_meeting_page_shows_a_decision_and_its_forms_post_without_script(
    people, plan_item
):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people.council)
    for _ in range(2):  # the second body comes from the cache
        html = client.get(detail_url(plan_item.meeting)).content.decode()
        assert "\x00" not in html
        form = html.index(f'action="{decide_url(plan_item)}"')
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html[form:]).group(1)
    prefix = f"decide-{plan_item.pk}"
    response = client.post(
        decide_url(plan_item),
        {
            "csrfmiddlewaretoken": token,
            f"{prefix}-decision": AgendaItem.Decision.APPROVED,
            f"{prefix}-comment": "異議なし",
        },
    )
    assert response.status_code == 302
    html = client.get(detail_url(plan_item.meeting)).content.decode()
    assert f'action="{decide_url(plan_item)}"' not in html
    assert "異議なし" in html


def test_the_kept_meeting_body_follows_the_readers_permissions(client, people, plan_item):
    client.force_login(people.council)
    assert decide_url(plan_item) in client.get(detail_url(plan_item.meeting)).content.decode()
    client.force_login(people.staff)
    html = client.get(detail_url(plan_item.meeting)).content.decode()
    assert decide_url(plan_item) not in html
    assert add_item_url(plan_item.meeting) not in html
