"""Projects (事業): the list and its filters, create, detail, edit with milestones and
indicators, concurrent edits, delete, history; who may and who may not."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Indicator, Milestone, Project, Stage
from takatsu_portal.core import attention
from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.core.indicators import choice_value
from takatsu_portal.core.models import InitiativeArea, Policy
from tests.factories import own_area, own_policy
from tests.plans.factories import (
    IndicatorFactory,
    MilestoneFactory,
    PlanFactory,
    ProjectFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("plans:project_list")


def detail(project):
    return reverse("plans:project_detail", args=[project.pk])


def edit(project):
    return reverse("plans:project_edit", args=[project.pk])


def delete(project):
    return reverse("plans:project_delete", args=[project.pk])


def create(plan):
    return reverse("plans:project_create") + f"?plan={plan.pk}"


@pytest.fixture
def project(plan, sections, group):
    return ProjectFactory(
        plan=plan,
        code="R8-01",
        title="総合案内の改善",
        section=sections.kumin,
        working_group=group,
        budget_requested=1_200_000,
    )


@pytest.fixture
def other_project(plan, sections, other_group):
    return ProjectFactory(
        plan=plan,
        code="R8-02",
        title="庁舎サインの統一",
        section=sections.hoken,
        working_group=other_group,
    )


def form_data(project=None, **overrides):
    """A complete POST of the project form with empty milestone and indicator formsets."""
    data = {
        "code": project.code if project else "R8-10",
        "title": project.title if project else "新しい事業",
        "description": project.description if project else "",
        "policies": [p.pk for p in project.policies.all()] if project else [own_policy(1).pk],
        "initiative_area": project.initiative_area_id if project else own_area(1).pk,
        "section": project.section_id if project else "",
        "working_group": (project.working_group_id or "") if project else "",
        "budget_requested": project.budget_requested if project else 0,
        "budget_approved": "",
        "status": project.status if project else Project.Status.PLANNED,
        "version": project.version if project else "",
    }
    for prefix, rows in (
        ("milestones", project.milestones.all() if project else []),
        ("indicators", project.indicators.all() if project else []),
    ):
        rows = list(rows)
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-project"] = project.pk
            if prefix == "milestones":
                data.update(
                    {
                        f"{prefix}-{i}-title": row.title,
                        f"{prefix}-{i}-due_on": row.due_on.isoformat(),
                        f"{prefix}-{i}-done_on": row.done_on.isoformat() if row.done_on else "",
                    }
                )
            else:
                data.update(
                    {
                        f"{prefix}-{i}-name": row.name,
                        f"{prefix}-{i}-unit": row.unit,
                        f"{prefix}-{i}-baseline": row.baseline,
                        f"{prefix}-{i}-target": row.target,
                        f"{prefix}-{i}-direction": row.direction,
                        f"{prefix}-{i}-source": choice_value(row.source_key, row.source_ref),
                    }
                )
    data.update(overrides)
    return data


def add_row(data, prefix, index, **values):
    data[f"{prefix}-TOTAL_FORMS"] = int(data[f"{prefix}-TOTAL_FORMS"]) + 1
    for key, value in values.items():
        data[f"{prefix}-{index}-{key}"] = value
    return data


# ---------------------------------------------------------------------------------------------
# List


def codes(response):
    return [p.code for p in response.context["page_obj"].object_list]


def test_list_shows_the_plans_projects_with_their_columns(client, people, plan, project):
    client.force_login(people.staff)
    response = client.get(LIST, {"plan": plan.pk})
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "R8-01",
        "総合案内の改善",
        "区民課",
        "窓口改善ワーキング",
        "計画中",
        "1,200,000円",
        "<caption",
    ]:
        assert text in html
    assert 'aria-current="page"' in html and ">事業</a>" in html  # the plans sub-navigation


def test_list_defaults_to_the_current_fiscal_years_plan(client, people, office, sections):
    current = PlanFactory(office=office, fiscal_year=FiscalYear.current().year)
    older = PlanFactory(office=office, fiscal_year=FiscalYear.current().year - 1)
    ProjectFactory(plan=current, code="NOW-1", section=sections.kumin)
    ProjectFactory(plan=older, code="OLD-1", section=sections.kumin)
    client.force_login(people.staff)
    assert codes(client.get(LIST)) == ["NOW-1"]
    assert sorted(codes(client.get(LIST, {"plan": ""}))) == ["NOW-1", "OLD-1"]
    assert codes(client.get(LIST, {"plan": older.pk})) == ["OLD-1"]


def test_list_shows_every_plan_when_this_year_has_none(client, people, office, sections):
    older = PlanFactory(office=office, fiscal_year=FiscalYear.current().year - 1)
    ProjectFactory(plan=older, code="OLD-1", section=sections.kumin)
    client.force_login(people.staff)
    assert codes(client.get(LIST)) == ["OLD-1"]


def test_list_filters_by_policy_area_section_group_and_status(
    client, people, plan, project, other_project, sections, group, other_group
):
    other_project.policies.set([own_policy(4)])
    other_project.initiative_area = own_area(5)
    other_project.status = Project.Status.IN_PROGRESS
    other_project.save()
    client.force_login(people.staff)
    base = {"plan": plan.pk}
    assert codes(client.get(LIST, base)) == ["R8-01", "R8-02"]
    assert codes(client.get(LIST, {**base, "policy": own_policy(4).pk})) == ["R8-02"]
    assert codes(client.get(LIST, {**base, "initiative_area": own_area(1).pk})) == ["R8-01"]
    assert codes(client.get(LIST, {**base, "section": sections.hoken.pk})) == ["R8-02"]
    assert codes(client.get(LIST, {**base, "working_group": group.pk})) == ["R8-01"]
    assert codes(client.get(LIST, {**base, "status": "in_progress"})) == ["R8-02"]


def test_list_searches_code_title_and_description(client, people, plan, project, other_project):
    other_project.description = "案内板のピクトグラムを統一する。"
    other_project.save()
    client.force_login(people.staff)
    assert codes(client.get(LIST, {"plan": plan.pk, "q": "r8-01"})) == ["R8-01"]
    assert codes(client.get(LIST, {"plan": plan.pk, "q": "総合案内"})) == ["R8-01"]
    assert codes(client.get(LIST, {"plan": plan.pk, "q": "ピクトグラム"})) == ["R8-02"]
    assert codes(client.get(LIST, {"plan": plan.pk, "q": "該当なし"})) == []


def test_list_paginates_by_25_sorted_by_code(client, people, plan, sections):
    for n in range(30, 0, -1):
        ProjectFactory(plan=plan, code=f"C-{n:02d}", section=sections.kumin)
    client.force_login(people.staff)
    first = client.get(LIST, {"plan": plan.pk})
    assert codes(first) == [f"C-{n:02d}" for n in range(1, 26)]
    # The "next" link keeps the filters.
    next_link = re.search(r'href="([^"]*)">次へ', first.content.decode()).group(1)
    second = client.get(LIST + unescape(next_link))
    assert second.context["filter"].form.cleaned_data["plan"] == plan
    assert codes(second) == [f"C-{n:02d}" for n in range(26, 31)]


def test_list_never_shows_another_offices_projects(client, people, stranger, project):
    client.force_login(stranger)
    response = client.get(LIST, {"plan": ""})
    assert codes(response) == []
    # Another office's plan is not a valid choice for the filter either.
    assert codes(client.get(LIST, {"plan": project.plan_id})) == []


def test_list_offers_create_and_import_only_to_those_who_may(client, people, project):
    client.force_login(people.subcommittee)
    html = client.get(LIST).content.decode()
    assert "新規作成" in html and "取込み" in html and "CSV出力" in html and "Excel出力" in html
    client.force_login(people.lead)
    html = client.get(LIST).content.decode()
    assert "新規作成" in html and "取込み" not in html
    client.force_login(people.staff)
    html = client.get(LIST).content.decode()
    assert "新規作成" not in html and "取込み" not in html and "CSV出力" in html


def test_export_links_keep_the_current_filters(client, people, plan, project):
    client.force_login(people.staff)
    html = client.get(LIST, {"plan": plan.pk, "q": "案内", "status": "planned"}).content.decode()
    assert (
        f"/plans/projects/export.csv?plan={plan.pk}&amp;q=%E6%A1%88%E5%86%85&amp;status=planned"
        in html
    )
    assert (
        f"/plans/projects/export.xlsx?plan={plan.pk}&amp;q=%E6%A1%88%E5%86%85&amp;status=planned"
        in html
    )


def _bulk_projects(plan, sections, groups, count, start=0):
    policies = list(Policy.objects.for_office(plan.office))
    areas = list(InitiativeArea.objects.for_office(plan.office))
    projects = Project.objects.bulk_create(
        Project(
            plan=plan,
            code=f"B-{n:04d}",
            title=f"事業{n}",
            initiative_area=areas[n % len(areas)],
            section=(sections.kumin, sections.hoken)[n % 2],
            working_group=groups[n % len(groups)],
            budget_requested=n * 1000,
        )
        for n in range(start, start + count)
    )
    Through = Project.policies.through
    Through.objects.bulk_create(
        Through(project_id=p.pk, policy_id=policies[i % len(policies)].pk)
        for i, p in enumerate(projects)
    )


def test_list_runs_the_same_number_of_queries_for_10_and_500_projects(
    client, people, plan, sections, group, other_group, django_assert_max_num_queries
):
    client.force_login(people.staff)
    url = f"{LIST}?plan={plan.pk}"
    _bulk_projects(plan, sections, [group, other_group, None], 10)
    client.get(url)  # warm the session and caches
    # Both requests compute the list (the kept copy would hide its queries); the rows are
    # added behind the services' back, which would announce them.
    attention.changed()
    with CaptureQueriesContext(connection) as at_ten:
        assert client.get(url).status_code == 200
    _bulk_projects(plan, sections, [group, other_group, None], 490, start=10)
    attention.changed()
    with django_assert_max_num_queries(len(at_ten)):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 500


# ---------------------------------------------------------------------------------------------
# Create


def test_subcommittee_creates_a_project_with_milestones_and_indicators(
    client, people, plan, sections, group
):
    client.force_login(people.subcommittee)
    data = form_data(section=sections.kumin.pk, working_group=group.pk, budget_requested=800000)
    add_row(data, "milestones", 0, title="試行", due_on="2026-09-30", done_on="")
    add_row(
        data,
        "indicators",
        0,
        name="待ち時間",
        unit="分",
        baseline="20",
        target="10",
        direction="decrease",
    )
    response = client.post(create(plan), data)
    project = Project.objects.get(plan=plan, code="R8-10")
    assert response.status_code == 302 and response.url == detail(project)
    assert project.budget_requested == 800000
    assert list(project.policies.values_list("number", flat=True)) == [1]
    assert project.milestones.get().title == "試行"
    assert project.indicators.get().target == 10
    assert project.history.first().history_user == people.subcommittee


def test_create_refuses_a_code_already_used_in_the_plan(client, people, plan, project, sections):
    client.force_login(people.subcommittee)
    response = client.post(create(plan), form_data(code="R8-01", section=sections.kumin.pk))
    assert response.status_code == 200
    assert "すでに使われています" in response.content.decode()
    assert Project.objects.filter(code="R8-01").count() == 1


def test_create_needs_at_least_one_policy(client, people, plan, sections):
    client.force_login(people.subcommittee)
    data = form_data(section=sections.kumin.pk)
    del data["policies"]
    response = client.post(create(plan), data)
    assert response.status_code == 200
    assert not Project.objects.filter(code="R8-10").exists()


def test_lead_creates_a_project_for_their_own_group(client, people, plan, sections, group):
    client.force_login(people.lead)
    response = client.post(
        create(plan), form_data(section=sections.kumin.pk, working_group=group.pk)
    )
    assert response.status_code == 302
    assert Project.objects.get(code="R8-10").working_group == group


def test_lead_cannot_create_a_project_for_another_group(
    client, people, plan, sections, group, other_group
):
    client.force_login(people.lead)
    page = client.get(create(plan))
    choices = list(page.context["form"].fields["working_group"].queryset)
    assert choices == [group]
    response = client.post(
        create(plan), form_data(section=sections.kumin.pk, working_group=other_group.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["working_group"]
    response = client.post(create(plan), form_data(section=sections.kumin.pk, working_group=""))
    assert response.context["form"].errors["working_group"]
    assert not Project.objects.filter(code="R8-10").exists()


@pytest.mark.parametrize("role", ["staff", "council", "manager"])
def test_others_cannot_create_projects(client, people, plan, sections, role):
    client.force_login(getattr(people, role))
    assert client.get(create(plan)).status_code == 403
    response = client.post(create(plan), form_data(section=sections.kumin.pk))
    assert response.status_code == 403
    assert "事業を追加できるのは" in response.content.decode()
    assert not Project.objects.filter(code="R8-10").exists()


def test_nobody_adds_projects_to_a_closed_plan(client, people, plan):
    plan.stage = Stage.CLOSED
    plan.save()
    client.force_login(people.subcommittee)
    assert client.get(create(plan)).status_code == 403


def test_stranger_cannot_create_in_another_offices_plan(client, stranger, plan):
    client.force_login(stranger)
    assert client.get(create(plan)).status_code == 404


def test_create_without_a_plan_goes_to_the_current_one(client, people, office):
    current = PlanFactory(office=office, fiscal_year=FiscalYear.current().year)
    client.force_login(people.subcommittee)
    response = client.get(reverse("plans:project_create"))
    assert response.status_code == 302 and response.url == create(current)


# ---------------------------------------------------------------------------------------------
# Detail


def test_detail_shows_every_field_milestones_indicators_and_proposal(client, people, plan, project):
    MilestoneFactory(project=project, title="案内表示の試行", due_on=datetime.date(2026, 9, 30))
    IndicatorFactory(project=project, name="窓口の満足度", unit="%", baseline=72, target=80)
    ProposalFactory(plan=plan, title="総合案内の提案", project=project, section=project.section)
    client.force_login(people.staff)
    response = client.get(detail(project))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "R8-01 総合案内の改善",
        "総合案内の表示を見直す。",
        "区民に対して親切で分かりやすい区役所",
        "窓口サービスの満足度の向上",
        "区民課",
        "窓口改善ワーキング",
        "1,200,000円",
        "（未査定）",
        "案内表示の試行",
        "2026年9月30日",
        "窓口の満足度",
        ">72<",
        ">80<",
        "増やす",
        "総合案内の提案",
        "変更履歴",
    ]:
        assert text in html, text
    assert "編集する" not in html and "削除する" not in html


def test_detail_links_the_project_it_was_carried_over_from(client, people, office, plan, project):
    next_plan = PlanFactory(office=office, fiscal_year=2027)
    carried = ProjectFactory(
        plan=next_plan, code="R9-01", section=project.section, carried_over_from=project
    )
    client.force_login(people.staff)
    html = client.get(detail(carried)).content.decode()
    assert "前年度の事業" in html and detail(project) in html


def test_detail_offers_edit_and_delete_by_permission(client, people, project, other_project):
    client.force_login(people.subcommittee)
    html = client.get(detail(project)).content.decode()
    assert "編集する" in html and "削除する" in html
    client.force_login(people.lead)
    assert "編集する" in client.get(detail(project)).content.decode()
    html = client.get(detail(other_project)).content.decode()
    assert "編集する" not in html and "削除する" not in html


def test_stranger_gets_404_for_every_project_page(client, stranger, project):
    client.force_login(stranger)
    for url in [
        detail(project),
        edit(project),
        delete(project),
        reverse("plans:project_history", args=[project.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(edit(project), form_data(project)).status_code == 404
    assert client.post(delete(project)).status_code == 404
    assert Project.objects.filter(pk=project.pk).exists()


# ---------------------------------------------------------------------------------------------
# Edit


def test_lead_edits_their_own_groups_project(client, people, project):
    client.force_login(people.lead)
    assert client.get(edit(project)).status_code == 200
    response = client.post(edit(project), form_data(project, title="総合案内の改善（改訂）"))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "総合案内の改善（改訂）"
    assert project.version == 2


def test_lead_cannot_edit_another_groups_project(client, people, other_project):
    client.force_login(people.lead)
    response = client.get(edit(other_project))
    assert response.status_code == 403
    assert "担当ワーキンググループのリーダー" in response.content.decode()
    response = client.post(edit(other_project), form_data(other_project, title="書き換え"))
    assert response.status_code == 403
    other_project.refresh_from_db()
    assert other_project.title == "庁舎サインの統一"


def test_lead_cannot_move_their_project_to_another_group(client, people, project, other_group):
    client.force_login(people.lead)
    response = client.post(edit(project), form_data(project, working_group=other_group.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["working_group"]
    project.refresh_from_db()
    assert project.working_group.name == "窓口改善ワーキング"


def test_subcommittee_edits_any_project(client, people, project, other_project, other_group):
    client.force_login(people.subcommittee)
    response = client.post(edit(other_project), form_data(other_project, budget_approved=300000))
    assert response.status_code == 302
    other_project.refresh_from_db()
    assert other_project.budget_approved == 300000
    response = client.post(edit(project), form_data(project, working_group=other_group.pk))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.working_group == other_group


@pytest.mark.parametrize("role", ["staff", "council", "manager", "admin"])
def test_others_cannot_edit_projects(client, people, project, role):
    client.force_login(getattr(people, role))
    assert client.get(edit(project)).status_code == 403
    assert client.post(edit(project), form_data(project, title="書き換え")).status_code == 403
    project.refresh_from_db()
    assert project.title == "総合案内の改善"


def test_nobody_edits_a_project_of_a_closed_plan(client, people, plan, project):
    plan.stage = Stage.CLOSED
    plan.save()
    client.force_login(people.subcommittee)
    assert client.get(edit(project)).status_code == 403


def test_edit_adds_changes_and_removes_milestones_and_indicators(client, people, project):
    keep = MilestoneFactory(project=project, title="試行", due_on=datetime.date(2026, 9, 30))
    drop = MilestoneFactory(project=project, title="やめる予定", due_on=datetime.date(2026, 10, 31))
    indicator = IndicatorFactory(project=project)
    client.force_login(people.subcommittee)
    data = form_data(project)
    data["milestones-0-done_on"] = "2026-10-01"  # rows are ordered by due date: keep, drop
    data["milestones-1-DELETE"] = "on"
    add_row(data, "milestones", 2, title="本格実施", due_on="2027-01-15")
    data["indicators-0-target"] = "85"
    response = client.post(edit(project), data)
    assert response.status_code == 302, response.context["form"].errors
    assert [m.title for m in project.milestones.all()] == ["試行", "本格実施"]
    keep.refresh_from_db()
    assert keep.done_on == datetime.date(2026, 10, 1)
    assert not Milestone.objects.filter(pk=drop.pk).exists()
    indicator.refresh_from_db()
    assert indicator.target == 85


def test_add_row_button_shows_one_more_empty_row_without_saving(client, people, project):
    client.force_login(people.subcommittee)
    data = form_data(project, title="まだ保存しない")
    data["add_milestones"] = "1"
    response = client.post(edit(project), data)
    assert response.status_code == 200
    assert response.context["milestones"].total_form_count() == 1
    project.refresh_from_db()
    assert project.title == "総合案内の改善"


def test_indicator_target_must_point_the_chosen_way(client, people, project):
    client.force_login(people.subcommittee)
    data = form_data(project)
    add_row(
        data,
        "indicators",
        0,
        name="待ち時間",
        unit="分",
        baseline="20",
        target="25",
        direction="decrease",
    )
    response = client.post(edit(project), data)
    assert response.status_code == 200
    assert "「減らす」指標の目標値は基準値より小さく" in response.content.decode()
    assert not Indicator.objects.filter(project=project).exists()
    project.refresh_from_db()
    assert project.version == 1  # nothing saved, not even the project


def test_second_of_two_concurrent_edits_is_refused_and_overwrites_nothing(client, people, project):
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(people.subcommittee)
    second.force_login(people.lead)
    form_first = first.get(edit(project)).context["form"]
    form_second = second.get(edit(project)).context["form"]
    assert form_first["version"].value() == form_second["version"].value() == 1
    assert first.post(edit(project), form_data(project, title="部会の修正")).status_code == 302
    response = second.post(edit(project), form_data(project, title="リーダーの修正"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "他の人が更新しました" in html
    assert "他の人が先に保存した変更" in html and "部会の修正" in html
    assert 'value="リーダーの修正"' in html  # the second editor's input is kept
    project.refresh_from_db()
    assert project.title == "部会の修正"
    assert project.version == 2
    # Saving again after seeing the other change is a deliberate choice, and works.
    assert response.context["form"]["version"].value() == "2"
    again = second.post(edit(project), form_data(project, title="リーダーの修正"))
    assert again.status_code == 302
    project.refresh_from_db()
    assert project.title == "リーダーの修正"


# ---------------------------------------------------------------------------------------------
# Delete


def test_subcommittee_deletes_a_project_of_a_draft_plan(client, people, plan, project):
    MilestoneFactory(project=project)
    client.force_login(people.subcommittee)
    assert client.get(delete(project)).status_code == 200
    response = client.post(delete(project))
    assert response.status_code == 302
    assert response.url == f"{LIST}?plan={plan.pk}"
    assert not Project.objects.filter(pk=project.pk).exists()


def test_project_of_an_approved_plan_cannot_be_deleted(client, people, plan, project):
    plan.stage = Stage.PLAN_APPROVED
    plan.save()
    client.force_login(people.subcommittee)
    response = client.post(delete(project))
    assert response.status_code == 403
    assert "削除できません" in response.content.decode()
    assert Project.objects.filter(pk=project.pk).exists()


def test_project_in_progress_cannot_be_deleted(client, people, project):
    project.status = Project.Status.IN_PROGRESS
    project.save()
    client.force_login(people.subcommittee)
    assert client.get(delete(project)).status_code == 403
    assert client.post(delete(project)).status_code == 403
    assert Project.objects.filter(pk=project.pk).exists()


@pytest.mark.parametrize("role", ["staff", "lead", "council", "admin"])
def test_others_cannot_delete_projects(client, people, project, role):
    client.force_login(getattr(people, role))
    assert client.post(delete(project)).status_code == 403
    assert Project.objects.filter(pk=project.pk).exists()


def test_deleting_an_adopted_project_keeps_its_proposal(client, people, plan, project):
    proposal = ProposalFactory(plan=plan, project=project, section=project.section)
    client.force_login(people.subcommittee)
    client.post(delete(project))
    proposal.refresh_from_db()
    assert proposal.project is None


# ---------------------------------------------------------------------------------------------
# History


def test_history_shows_who_changed_what(client, people, project):
    people.lead.full_name = "溝口 一郎"
    people.lead.save()
    client.force_login(people.lead)
    client.post(
        edit(project), form_data(project, title="総合案内の改善（改訂）", budget_requested=1500000)
    )
    client.force_login(people.staff)
    response = client.get(reverse("plans:project_history", args=[project.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "溝口 一郎" in html
    assert "事業名" in html and "総合案内の改善（改訂）" in html
    assert "予算要求額（円）" in html and "1500000" in html
    # The detail page shows the latest entries too.
    assert "溝口 一郎" in client.get(detail(project)).content.decode()


# ---------------------------------------------------------------------------------------------
# Each office's own guideline


def test_the_form_offers_only_the_offices_own_policies_and_areas(client, people, plan, stranger):
    miyamae = stranger.office
    Policy.objects.filter(office=miyamae, number=1).update(title="宮前区の言葉で書いた方針")
    client.force_login(people.subcommittee)
    response = client.get(create(plan))
    form = response.context["form"]
    assert {p.office_id for p in form.fields["policies"].queryset} == {plan.office_id}
    assert {a.office_id for a in form.fields["initiative_area"].queryset} == {plan.office_id}
    numbers = form.fields["policies"].queryset.values_list("number", flat=True)
    assert list(numbers) == [1, 2, 3, 4, 5]
    assert "宮前区の言葉で書いた方針" not in response.content.decode()


def test_the_form_refuses_another_offices_policy_and_area(client, people, plan, sections, stranger):
    client.force_login(people.subcommittee)
    data = form_data(
        section=sections.kumin.pk,
        policies=[own_policy(1, stranger.office).pk],
        initiative_area=own_area(1, stranger.office).pk,
    )
    response = client.post(create(plan), data)
    assert response.status_code == 400 or response.status_code == 200
    errors = response.context["form"].errors
    assert "policies" in errors and "initiative_area" in errors
    assert not Project.objects.filter(plan=plan, code="R8-10").exists()


def test_a_new_project_points_at_the_offices_own_policy(client, people, plan, sections):
    client.force_login(people.subcommittee)
    client.post(create(plan), form_data(section=sections.kumin.pk))
    project = Project.objects.get(plan=plan, code="R8-10")
    assert [p.office_id for p in project.policies.all()] == [plan.office_id]
    assert project.initiative_area.office_id == plan.office_id
