"""Project proposals (事業企画案): submission, the subcommittee's decision, correction, scope."""

import pytest
from django.core import mail
from django.urls import reverse

import takatsu_portal.core.notifications.attention  # noqa: F401
from plans.models import Project, Proposal, Stage
from plans.proposals.views import suggest_project_code
from takatsu_portal.core.models import Notification, Policy
from tests.factories import own_area, own_policy
from tests.plans.factories import PlanFactory, ProjectFactory, ProposalFactory

pytestmark = pytest.mark.django_db

DECIDE_REFUSAL = "提案を判断できるのは推進部会の委員です（判断前のみ）。"
EDIT_REFUSAL = "提案を修正できるのは提案者です（部会の判断前のみ）。"


@pytest.fixture
def proposal(plan, people, sections, group):
    return ProposalFactory(
        plan=plan,
        proposer=people.staff,
        section=sections.kumin,
        working_group=group,
        title="フロアマップの多言語化",
        budget_estimate=1_234_567,
    )


def form_data(plan, sections, **overrides):
    data = {
        "plan": plan.pk,
        "title": "窓口呼出表示の多言語化",
        "description": "呼出番号の表示に英語・中国語・韓国語を加える。",
        "policies": [own_policy(1).pk, own_policy(5).pk],
        "initiative_area": own_area(1).pk,
        "section": sections.kumin.pk,
        "working_group": "",
        "budget_estimate": "1,234,567",
    }
    data.update(overrides)
    return data


def decide(client, proposal, action, **fields):
    data = {"action": action, f"{action}-version": proposal.version}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return client.post(reverse("plans:proposal_decide", args=[proposal.pk]), data)


# ---------------------------------------------------------------------------------------------
# Submitting


def test_staff_submits_a_proposal_and_the_subcommittee_is_notified(
    client, people, plan, sections, django_capture_on_commit_callbacks
):
    client.force_login(people.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("plans:proposal_create"), form_data(plan, sections))
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response.url == proposal.get_absolute_url()
    assert (proposal.proposer, proposal.status, proposal.budget_estimate) == (
        people.staff,
        Proposal.Status.SUBMITTED,
        1_234_567,
    )
    assert sorted(p.number for p in proposal.policies.all()) == [1, 5]
    notification = Notification.objects.get()
    assert notification.recipient == people.subcommittee
    assert notification.url == proposal.get_absolute_url()
    assert "窓口呼出表示の多言語化" in notification.message
    assert [m.to for m in mail.outbox] == [[people.subcommittee.email]]
    assert "窓口呼出表示の多言語化" in mail.outbox[0].subject


def test_the_subcommittee_of_another_office_is_not_notified(
    client, people, plan, sections, stranger
):
    client.force_login(people.staff)
    client.post(reverse("plans:proposal_create"), form_data(plan, sections))
    assert not Notification.objects.filter(recipient=stranger).exists()


def test_the_form_offers_the_current_plan_and_the_users_section_by_default(
    client, people, plan, sections, office
):
    PlanFactory(office=office, fiscal_year=2025, stage=Stage.CLOSED, title="令和7年度の計画")
    client.force_login(people.other_lead)
    response = client.get(reverse("plans:proposal_create"))
    form = response.context["form"]
    assert form["plan"].value() == plan.pk
    assert form["section"].value() == sections.hoken.pk
    html = response.content.decode()
    assert plan.title in html
    assert "令和7年度の計画" not in html  # closed plans take no proposals


def test_a_closed_plan_takes_no_proposals(client, people, office, sections):
    closed = PlanFactory(office=office, fiscal_year=2025, stage=Stage.CLOSED)
    client.force_login(people.staff)
    response = client.post(reverse("plans:proposal_create"), form_data(closed, sections))
    assert response.status_code == 200
    assert "plan" in response.context["form"].errors
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1234567", 1_234_567), ("１，２３４，５６７", 1_234_567), ("300,000円", 300_000), ("0", 0)],
)
def test_the_budget_estimate_accepts_amounts_as_people_write_them(
    client, people, plan, sections, typed, stored
):
    client.force_login(people.staff)
    client.post(reverse("plans:proposal_create"), form_data(plan, sections, budget_estimate=typed))
    assert Proposal.objects.get().budget_estimate == stored


@pytest.mark.parametrize("typed", ["12万", "1,234.5", "-100", "abc"])
def test_the_budget_estimate_must_be_whole_yen(client, people, plan, sections, typed):
    client.force_login(people.staff)
    response = client.post(
        reverse("plans:proposal_create"), form_data(plan, sections, budget_estimate=typed)
    )
    assert response.status_code == 200
    assert "金額は数字で入力してください" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_proposal_needs_at_least_one_policy(client, people, plan, sections):
    client.force_login(people.staff)
    response = client.post(reverse("plans:proposal_create"), form_data(plan, sections, policies=[]))
    assert response.status_code == 200
    assert "基本方針を一つ以上選んでください。" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_dissolved_working_group_is_not_offered(client, people, plan, sections, office, group):
    from tests.plans.factories import WorkingGroupFactory

    old = WorkingGroupFactory(
        office=office, lead=people.lead, name="解散したワーキング", dissolved_on="2026-06-30"
    )
    client.force_login(people.staff)
    response = client.post(
        reverse("plans:proposal_create"), form_data(plan, sections, working_group=old.pk)
    )
    assert "working_group" in response.context["form"].errors
    client.post(reverse("plans:proposal_create"), form_data(plan, sections, working_group=group.pk))
    assert Proposal.objects.get().working_group == group


def test_staff_without_a_section_cannot_submit(client, plan):
    from takatsu_portal.accounts.roles import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(section=None, roles=[Role.STAFF]))
    response = client.get(reverse("plans:proposal_create"))
    assert response.status_code == 302
    assert response.url == reverse("plans:proposal_list")


# ---------------------------------------------------------------------------------------------
# Reading


def test_the_detail_page_shows_the_proposal_and_the_proposers_button(client, people, proposal):
    client.force_login(people.staff)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "フロアマップの多言語化" in html
    assert "1,234,567円" in html
    assert "窓口改善ワーキング" in html
    assert "推進部会の判断を待っています。" in html
    assert reverse("plans:proposal_edit", args=[proposal.pk]) in html
    assert reverse("plans:proposal_decide", args=[proposal.pk]) not in html


def test_the_subcommittee_sees_the_decision_panel_with_the_next_free_code(
    client, people, plan, proposal
):
    for number in range(1, 7):
        ProjectFactory(plan=plan, code=f"R8-{number:02d}")
    client.force_login(people.subcommittee)
    response = client.get(proposal.get_absolute_url())
    html = response.content.decode()
    assert reverse("plans:proposal_decide", args=[proposal.pk]) in html
    assert response.context["decision_forms"]["adopt"]["code"].value() == "R8-07"
    assert reverse("plans:proposal_edit", args=[proposal.pk]) not in html


def test_the_suggested_code_follows_the_plans_numbering(plan):
    assert suggest_project_code(plan) == "R8-01"
    ProjectFactory(plan=plan, code="R8-01")
    ProjectFactory(plan=plan, code="R8-003")
    ProjectFactory(plan=plan, code="R8-002")
    ProjectFactory(plan=plan, code="特別")
    assert suggest_project_code(plan) == "R8-004"


def test_the_detail_page_lists_the_agenda_items_that_took_up_the_proposal(
    client, people, office, proposal
):
    from tests.plans.factories import AgendaItemFactory, MeetingFactory

    meeting = MeetingFactory(office=office, title="令和8年度 第2回区企画調整会議")
    item = AgendaItemFactory(meeting=meeting, title="事業企画案の審議", subject="proposals")
    item.proposals.add(proposal)
    client.force_login(people.staff)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "令和8年度 第2回区企画調整会議" in html
    assert "事業企画案の審議" in html
    assert meeting.get_absolute_url() in html


def test_the_history_page_lists_the_changes(client, people, proposal):
    client.force_login(people.staff)
    response = client.get(reverse("plans:proposal_history", args=[proposal.pk]))
    assert response.status_code == 200
    assert "変更履歴：フロアマップの多言語化" in response.content.decode()


def test_anonymous_visitors_are_sent_to_login(client, proposal):
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["proposal_detail", "proposal_edit", "proposal_history"])
def test_another_offices_member_gets_404(client, stranger, proposal, name):
    client.force_login(stranger)
    assert client.get(reverse(f"plans:{name}", args=[proposal.pk])).status_code == 404


def test_another_offices_subcommittee_cannot_decide(client, stranger, proposal):
    client.force_login(stranger)
    response = decide(client, proposal, "reject", comment="対象外")
    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


# ---------------------------------------------------------------------------------------------
# Deciding


def test_adoption_creates_the_project_and_tells_the_proposer(
    client, people, plan, proposal, group, django_capture_on_commit_callbacks
):
    client.force_login(people.subcommittee)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(
            client,
            proposal,
            "adopt",
            code="R8-01",
            working_group="",
            comment="重点事業として採択する。",
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    project = Project.objects.get()
    assert (project.plan, project.code, project.title, project.budget_requested) == (
        plan,
        "R8-01",
        "フロアマップの多言語化",
        1_234_567,
    )
    assert project.working_group == group
    assert [p.number for p in project.policies.all()] == [5]
    assert (proposal.status, proposal.project, proposal.decided_by) == (
        Proposal.Status.ADOPTED,
        project,
        people.subcommittee,
    )
    assert proposal.decision_comment == "重点事業として採択する。"
    notification = Notification.objects.get(recipient=people.staff)
    assert "「採択」" in notification.message
    assert [m.to for m in mail.outbox] == [[people.staff.email]]

    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "重点事業として採択する。" in page
    assert project.get_absolute_url() in page
    assert reverse("plans:proposal_decide", args=[proposal.pk]) not in page

    client.force_login(people.staff)
    home = client.get(reverse("home")).content.decode()
    assert "事業企画案「フロアマップの多言語化」は「採択」となりました" in home
    assert proposal.get_absolute_url() in home


def test_adoption_may_assign_another_working_group(client, people, proposal, other_group):
    client.force_login(people.subcommittee)
    decide(client, proposal, "adopt", code="R8-01", working_group=other_group.pk, comment="採択")
    assert Project.objects.get().working_group == other_group


def test_adoption_is_refused_once_the_projects_are_approved(client, people, plan, proposal):
    plan.stage = Stage.PROJECTS_APPROVED
    plan.save()
    client.force_login(people.subcommittee)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "事業が承認された後の計画には提案を採択できません。" in page
    assert 'value="adopt"' not in page

    response = decide(client, proposal, "adopt", code="R8-01", comment="採択する。")
    assert response.status_code == 400
    assert "事業が承認された後の計画には、提案を採択できません。" in response.content.decode()
    assert not Project.objects.exists()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_a_project_code_already_in_the_plan_is_refused_on_its_field(client, people, plan, proposal):
    ProjectFactory(plan=plan, code="R8-01")
    client.force_login(people.subcommittee)
    response = decide(client, proposal, "adopt", code="R8-01", comment="採択する。")
    assert response.status_code == 400
    errors = response.context["decision_forms"]["adopt"].errors
    assert errors["code"] == ["事業コード「R8-01」はこの計画ですでに使われています。"]
    assert Project.objects.count() == 1
    proposal.refresh_from_db()
    assert (proposal.status, proposal.project) == (Proposal.Status.SUBMITTED, None)


def test_adoption_needs_a_code_and_a_comment(client, people, proposal):
    client.force_login(people.subcommittee)
    response = decide(client, proposal, "adopt", code="", comment="")
    assert response.status_code == 400
    html = response.content.decode()
    assert "事業コードを入力してください。" in html
    assert "提案者へのコメントを入力してください。" in html
    assert not Project.objects.exists()


def test_return_then_resubmit(client, people, plan, sections, proposal):
    client.force_login(people.subcommittee)
    response = decide(client, proposal, "return", comment="概算額の内訳を示してください。")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.RETURNED
    assert "「差し戻し」" in Notification.objects.get(recipient=people.staff).message

    client.force_login(people.staff)
    page = client.get(reverse("plans:proposal_edit", args=[proposal.pk])).content.decode()
    assert "概算額の内訳を示してください。" in page
    data = form_data(plan, sections, title="フロアマップの多言語化（内訳付き）")
    data.pop("plan")
    data["version"] = proposal.version
    data["description"] = "翻訳 200,000円、印刷 100,000円。"
    data["budget_estimate"] = "300,000"
    response = client.post(reverse("plans:proposal_edit", args=[proposal.pk]), data)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert (proposal.title, proposal.budget_estimate, proposal.plan) == (
        "フロアマップの多言語化（内訳付き）",
        300_000,
        plan,
    )
    assert proposal.history.first().history_change_reason == "再提出"

    client.force_login(people.subcommittee)
    assert (
        reverse("plans:proposal_decide", args=[proposal.pk])
        in client.get(proposal.get_absolute_url()).content.decode()
    )


def test_returning_needs_a_comment(client, people, proposal):
    client.force_login(people.subcommittee)
    response = decide(client, proposal, "return", comment=" ")
    assert response.status_code == 400
    assert "差し戻しの理由を入力してください。" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_rejection_needs_a_reason(client, people, proposal):
    client.force_login(people.subcommittee)
    response = decide(client, proposal, "reject", comment="")
    assert response.status_code == 400
    assert "不採択の理由を入力してください。" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert not Notification.objects.exists()


def test_rejection_with_a_reason_tells_the_proposer(client, people, proposal):
    client.force_login(people.subcommittee)
    response = decide(client, proposal, "reject", comment="既存事業と重複するため。")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_comment) == (
        Proposal.Status.REJECTED,
        "既存事業と重複するため。",
    )
    assert "「不採択」" in Notification.objects.get(recipient=people.staff).message
    assert not Project.objects.exists()


@pytest.mark.parametrize("who", ["staff", "lead", "council", "manager", "admin"])
def test_only_the_subcommittee_decides(client, people, proposal, who):
    client.force_login(getattr(people, who))
    response = decide(client, proposal, "adopt", code="R8-01", comment="採択")
    assert response.status_code == 403
    assert DECIDE_REFUSAL in response.content.decode()
    assert not Project.objects.exists()


def test_a_decided_proposal_is_not_decided_again(client, people, proposal):
    client.force_login(people.subcommittee)
    decide(client, proposal, "reject", comment="重複")
    proposal.refresh_from_db()
    response = decide(client, proposal, "adopt", code="R8-01", comment="やはり採択")
    assert response.status_code == 403
    assert not Project.objects.exists()


def test_a_decision_on_a_stale_page_is_refused(client, people, proposal):
    from takatsu_portal.core.versioning import save_versioned

    stale_version = proposal.version
    proposal.title = "修正された題名"
    save_versioned(proposal, by=people.staff)
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("plans:proposal_decide", args=[proposal.pk]),
        {"action": "reject", "reject-comment": "不要", "reject-version": stale_version},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    page = client.get(response.url).content.decode()
    assert "他の人が更新しました" in page


def test_an_unknown_action_is_a_bad_request(client, people, proposal):
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("plans:proposal_decide", args=[proposal.pk]), {"action": "approve"}
    )
    assert response.status_code == 400


def test_deciding_needs_post(client, people, proposal):
    client.force_login(people.subcommittee)
    response = client.get(reverse("plans:proposal_decide", args=[proposal.pk]))
    assert response.status_code == 405


# ---------------------------------------------------------------------------------------------
# Correcting


def edit_data(proposal, sections, **overrides):
    data = form_data(proposal.plan, sections, title="修正後の題名", version=proposal.version)
    data.pop("plan")
    data.update(overrides)
    return data


def test_the_proposer_corrects_an_open_proposal(client, people, sections, proposal):
    client.force_login(people.staff)
    response = client.post(
        reverse("plans:proposal_edit", args=[proposal.pk]), edit_data(proposal, sections)
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.version, proposal.status) == (
        "修正後の題名",
        2,
        Proposal.Status.SUBMITTED,
    )


@pytest.mark.parametrize("who", ["lead", "subcommittee", "manager", "admin"])
def test_nobody_but_the_proposer_corrects(client, people, sections, proposal, who):
    client.force_login(getattr(people, who))
    response = client.post(
        reverse("plans:proposal_edit", args=[proposal.pk]), edit_data(proposal, sections)
    )
    assert response.status_code == 403
    assert EDIT_REFUSAL in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.title == "フロアマップの多言語化"


@pytest.mark.parametrize("status", [Proposal.Status.ADOPTED, Proposal.Status.REJECTED])
def test_the_proposer_cannot_correct_a_decided_proposal(client, people, proposal, status):
    Proposal.objects.filter(pk=proposal.pk).update(status=status)
    client.force_login(people.staff)
    response = client.get(reverse("plans:proposal_edit", args=[proposal.pk]))
    assert response.status_code == 403
    assert EDIT_REFUSAL in response.content.decode()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert reverse("plans:proposal_edit", args=[proposal.pk]) not in page


def test_two_corrections_at_once_do_not_overwrite_each_other(client, people, sections, proposal):
    client.force_login(people.staff)
    url = reverse("plans:proposal_edit", args=[proposal.pk])
    first = edit_data(proposal, sections, title="一人目の修正")
    second = edit_data(proposal, sections, title="二人目の修正")
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert response.status_code == 200
    html = response.content.decode()
    assert "他の人が先に保存した変更" in html
    assert "一人目の修正" in html
    proposal.refresh_from_db()
    assert proposal.title == "一人目の修正"
    # The form now carries the current version: saving again is a deliberate overwrite.
    assert response.context["form"]["version"].value() == "2"


# ---------------------------------------------------------------------------------------------
# List


def test_the_list_shows_the_current_years_plan_by_default(client, people, office, plan, sections):
    older = PlanFactory(office=office, fiscal_year=2025)
    ProposalFactory(plan=plan, section=sections.kumin, title="今年度の提案")
    ProposalFactory(plan=older, section=sections.kumin, title="前年度の提案")
    client.force_login(people.staff)
    html = client.get(reverse("plans:proposal_list")).content.decode()
    assert "今年度の提案" in html
    assert "前年度の提案" not in html
    assert reverse("plans:proposal_create") in html

    everything = client.get(reverse("plans:proposal_list") + "?plan=").content.decode()
    assert "今年度の提案" in everything and "前年度の提案" in everything


def test_the_list_filters_by_status_and_section(client, people, plan, sections):
    ProposalFactory(plan=plan, section=sections.kumin, title="区民課の提案")
    ProposalFactory(
        plan=plan, section=sections.hoken, title="保険年金課の提案", status=Proposal.Status.RETURNED
    )
    client.force_login(people.staff)
    url = reverse("plans:proposal_list")
    by_section = client.get(url, {"section": sections.hoken.pk}).content.decode()
    assert "保険年金課の提案" in by_section and "区民課の提案" not in by_section
    by_status = client.get(url, {"status": "submitted"}).content.decode()
    assert "区民課の提案" in by_status and "保険年金課の提案" not in by_status


def test_the_list_shows_only_the_users_office(client, stranger, plan, sections):
    ProposalFactory(plan=plan, section=sections.kumin, title="高津区の提案")
    client.force_login(stranger)
    html = client.get(reverse("plans:proposal_list") + "?plan=").content.decode()
    assert "高津区の提案" not in html


def _bulk_proposals(plan, section, proposer, count):
    area = own_area(2)
    rows = Proposal.objects.bulk_create(
        Proposal(
            plan=plan,
            title=f"提案{i}",
            description="内容",
            initiative_area=area,
            section=section,
            proposer=proposer,
            budget_estimate=1000 * i,
        )
        for i in range(count)
    )
    through = Proposal.policies.through
    policies = list(Policy.objects.for_office(plan.office)[:2])
    through.objects.bulk_create(
        through(proposal_id=row.pk, policy_id=policy.pk) for row in rows for policy in policies
    )


@pytest.mark.parametrize("count", [10, 500])
def test_the_list_runs_a_fixed_number_of_queries(
    client, people, plan, sections, group, count, django_assert_max_num_queries
):
    _bulk_proposals(plan, sections.kumin, people.staff, count)
    Proposal.objects.filter(pk__in=Proposal.objects.values("pk")[:3]).update(working_group=group)
    client.force_login(people.staff)
    client.get(reverse("plans:proposal_list"))  # warm the session and the caches
    with django_assert_max_num_queries(14):
        response = client.get(reverse("plans:proposal_list"), {"section": sections.kumin.pk})
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == min(count, 30)


# ---------------------------------------------------------------------------------------------
# Home page


def test_subcommittee_members_see_the_proposals_waiting_for_them(
    client, people, plan, sections, stranger
):
    ProposalFactory(plan=plan, section=sections.kumin)
    ProposalFactory(plan=plan, section=sections.kumin)
    ProposalFactory(plan=plan, section=sections.kumin, status=Proposal.Status.RETURNED)
    client.force_login(people.subcommittee)
    html = client.get(reverse("home")).content.decode()
    assert "推進部会の判断を待っている事業企画案が2件あります" in html
    assert reverse("plans:proposal_list") + "?plan=&amp;status=submitted" in html

    for user in (people.staff, people.council, stranger):
        client.force_login(user)
        assert "推進部会の判断を待っている" not in client.get(reverse("home")).content.decode()


def test_the_waiting_proposals_item_runs_one_query(
    people, plan, sections, django_assert_num_queries
):
    from plans.proposals.attention import proposals_waiting_for_decision

    ProposalFactory(plan=plan, section=sections.kumin)
    user = type(people.subcommittee).objects.get(pk=people.subcommittee.pk)
    user.office  # noqa: B018  (loaded once per request by the layout anyway)
    with django_assert_num_queries(2):  # the roles, then the count
        items = proposals_waiting_for_decision(user)
    assert len(items) == 1
