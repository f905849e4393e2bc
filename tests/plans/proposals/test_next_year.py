"""Proposals made during the year are next year's ideas (#10.1): a proposal targets next fiscal
year's plan (created as a draft, after a confirmation, when it does not exist yet); the proposer
withdraws an undecided proposal; the subcommittee moves a proposal to another plan; adopted
into 令和N年度's plan, the suggested project code is RN-…"""

import pytest
from django.urls import reverse

from plans.models import AnnualPlan, Proposal, Stage
from plans.plan import services as plan_services
from plans.proposals import services
from plans.proposals.views import suggest_project_code
from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.core.models import Notification
from tests.factories import own_area, own_policy
from tests.plans.factories import PlanFactory, ProjectFactory, ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def running_plan(office):
    """This fiscal year's plan, under way: no proposal can be adopted into it any more."""
    return PlanFactory(
        office=office, fiscal_year=FiscalYear.current().year, stage=Stage.IN_PROGRESS
    )


@pytest.fixture
def next_year():
    return FiscalYear.current().year + 1


def form_data(sections, **overrides):
    data = {
        "title": "窓口呼出表示の多言語化",
        "description": "呼出番号の表示に英語・中国語・韓国語を加える。",
        "policies": [own_policy(1).pk],
        "initiative_area": own_area(1).pk,
        "section": sections.kumin.pk,
        "working_group": "",
        "budget_estimate": "300,000",
    }
    data.update(overrides)
    return data


@pytest.fixture
def stuck(running_plan, people, sections):
    return ProposalFactory(plan=running_plan, proposer=people.staff, section=sections.kumin)


# ---------------------------------------------------------------------------------------------
# Next year's plan


def test_the_form_defaults_to_next_years_plan_when_this_years_is_under_way(
    client, people, running_plan, next_year
):
    client.force_login(people.staff)
    form = client.get(reverse("plans:proposal_create")).context["form"]
    assert form["plan"].value() in ("", None)  # the choice that makes next year's draft
    html = str(form["plan"])
    assert f"{FiscalYear(next_year).era_label}の計画（まだありません" in html


def test_next_years_plan_is_created_as_a_draft_only_after_a_confirmation(
    client, people, sections, running_plan, next_year
):
    client.force_login(people.staff)
    response = client.post(reverse("plans:proposal_create"), form_data(sections, plan=""))
    assert response.status_code == 200
    assert "確認欄にチェックしてください" in response.content.decode()
    assert not AnnualPlan.objects.filter(fiscal_year=next_year).exists()
    assert not Proposal.objects.exists()

    response = client.post(
        reverse("plans:proposal_create"),
        form_data(sections, plan="", confirm_new_plan="on"),
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    new_plan = proposal.plan
    assert (new_plan.fiscal_year, new_plan.stage, new_plan.office) == (
        next_year,
        Stage.DRAFT,
        running_plan.office,
    )
    assert new_plan.history.first().history_user == people.staff  # traceable


def test_a_proposal_for_next_year_is_adopted_with_next_years_code(
    client, people, sections, running_plan, next_year
):
    next_plan = PlanFactory(office=running_plan.office, fiscal_year=next_year)
    # Projects carried over keep their codes of the year they began.
    ProjectFactory(plan=next_plan, code="R8-01")
    ProjectFactory(plan=next_plan, code="R8-02")
    reiwa = next_year - 2018
    assert suggest_project_code(next_plan) == f"R{reiwa}-01"
    ProjectFactory(plan=next_plan, code=f"R{reiwa}-01")
    assert suggest_project_code(next_plan) == f"R{reiwa}-02"


def test_starting_next_year_fills_the_draft_a_proposal_created(
    people, running_plan, sections, next_year
):
    ProjectFactory(plan=running_plan, code="R8-01")
    draft = plan_services.plan_for_proposal(
        office=running_plan.office, fiscal_year=next_year, by=people.staff
    )
    new_plan = plan_services.plan_start_next_year(plan=running_plan, by=people.subcommittee)
    assert new_plan.pk == draft.pk
    assert new_plan.previous_plan == running_plan
    assert list(new_plan.projects.values_list("code", flat=True)) == ["R8-01"]


# ---------------------------------------------------------------------------------------------
# Withdrawing


def withdraw(client, proposal):
    return client.post(
        reverse("plans:proposal_withdraw", args=[proposal.pk]), {"version": proposal.version}
    )


def test_the_proposer_withdraws_an_undecided_proposal(client, people, stuck):
    client.force_login(people.staff)
    page = client.get(stuck.get_absolute_url()).content.decode()
    assert "取り下げる" in page
    response = withdraw(client, stuck)
    assert response.status_code == 302
    stuck.refresh_from_db()
    assert stuck.status == Proposal.Status.WITHDRAWN
    assert stuck.history.first().history_user == people.staff
    # Withdrawn, it is no longer open: nobody decides or corrects it.
    assert not people.subcommittee.has_perm("plans.decide_proposal", stuck)
    assert not people.staff.has_perm("plans.change_proposal", stuck)


@pytest.mark.parametrize("who", ["subcommittee", "lead"])
def test_only_the_proposer_withdraws(client, people, stuck, who):
    client.force_login(getattr(people, who))
    response = withdraw(client, stuck)
    assert response.status_code == 403
    assert "取り下げられるのは提案者です" in response.content.decode()
    stuck.refresh_from_db()
    assert stuck.status == Proposal.Status.SUBMITTED


# ---------------------------------------------------------------------------------------------
# Moving to another plan


def move(client, proposal, **fields):
    data = {"move-version": proposal.version, "move-comment": "来年度の計画で検討します。"}
    data.update({f"move-{k}": v for k, v in fields.items()})
    return client.post(reverse("plans:proposal_move", args=[proposal.pk]), data)


def test_the_subcommittee_moves_a_stuck_proposal_to_next_years_plan(
    client, people, stuck, running_plan, next_year
):
    next_plan = PlanFactory(office=running_plan.office, fiscal_year=next_year)
    client.force_login(people.subcommittee)
    page = client.get(stuck.get_absolute_url()).content.decode()
    assert "別の計画へ移す" in page
    response = move(client, stuck, plan=next_plan.pk)
    assert response.status_code == 302
    stuck.refresh_from_db()
    assert stuck.plan == next_plan
    assert stuck.status == Proposal.Status.SUBMITTED
    note = Notification.objects.get(recipient=people.staff)
    assert next_plan.title in note.message
    # Now it can be adopted, with next year's code.
    response = client.get(stuck.get_absolute_url())
    assert response.context["adoptable"]
    reiwa = next_year - 2018
    assert response.context["decision_forms"]["adopt"]["code"].value() == f"R{reiwa}-01"


def test_moving_to_next_year_creates_its_draft_after_a_confirmation(
    client, people, stuck, next_year
):
    client.force_login(people.subcommittee)
    response = move(client, stuck, plan="")
    assert response.status_code == 400
    assert "確認欄にチェックしてください" in response.content.decode()
    response = move(client, stuck, plan="", confirm_new_plan="on")
    assert response.status_code == 302
    stuck.refresh_from_db()
    assert stuck.plan.fiscal_year == next_year


def test_staff_cannot_move_a_proposal(client, people, stuck, running_plan, next_year):
    next_plan = PlanFactory(office=running_plan.office, fiscal_year=next_year)
    client.force_login(people.staff)
    response = move(client, stuck, plan=next_plan.pk)
    assert response.status_code == 403
    stuck.refresh_from_db()
    assert stuck.plan == running_plan


def test_a_plan_of_another_office_is_refused(client, people, stuck, stranger, next_year):
    foreign = PlanFactory(office=stranger.office, fiscal_year=next_year)
    client.force_login(people.subcommittee)
    response = move(client, stuck, plan=foreign.pk)
    assert response.status_code == 400
    assert "選べない計画です" in response.content.decode()
    stuck.refresh_from_db()
    assert stuck.plan != foreign


def test_starting_next_year_keeps_the_proposals_already_adopted_into_the_draft(
    people, running_plan, sections, next_year
):
    ProjectFactory(plan=running_plan, code="R8-01")
    draft = plan_services.plan_for_proposal(
        office=running_plan.office, fiscal_year=next_year, by=people.staff
    )
    proposal = ProposalFactory(plan=draft, proposer=people.staff, section=sections.kumin)
    reiwa = next_year - 2018
    services.proposal_adopt(
        proposal=proposal, by=people.subcommittee, comment="採択", code=f"R{reiwa}-01"
    )
    new_plan = plan_services.plan_start_next_year(plan=running_plan, by=people.subcommittee)
    assert new_plan.pk == draft.pk
    assert sorted(new_plan.projects.values_list("code", flat=True)) == ["R8-01", f"R{reiwa}-01"]
