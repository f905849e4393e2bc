"""The year-end evaluation: the project form (plans:project_evaluation) and the plan's summary
(plans:plan_evaluation), and how the decision drives "start next year"."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.evaluation import services as evaluation_services
from plans.models import Project, Stage, YearEndEvaluation
from plans.plan import services as plan_services
from plans.progress import services as progress_services
from tests.factories import own_area, own_policy
from tests.plans.factories import IndicatorFactory, PlanFactory, ProjectFactory
from tests.plans.progress.test_board import make_periods
from tests.plans.progress.test_timeline import file_report

pytestmark = pytest.mark.django_db

REFUSAL = "年度末評価を記録できるのは推進部会の委員です（事業実施中の計画のみ）。"


@pytest.fixture
def plan(office):
    return PlanFactory(office=office, stage=Stage.IN_PROGRESS)


@pytest.fixture
def project(plan, group, sections):
    return ProjectFactory(plan=plan, code="R8-01", working_group=group, section=sections.kumin)


def url(project):
    return reverse("plans:project_evaluation", args=[project.pk])


def evaluate(project, by, grade="A", decision="continue", reason="目標を上回った。"):
    return evaluation_services.evaluation_save(
        project=project, by=by, grade=grade, reason=reason, decision=decision
    )


# ---------------------------------------------------------------------------------------------
# The project's evaluation


def test_subcommittee_records_the_evaluation(client, people, project):
    client.force_login(people.subcommittee)
    page = client.get(url(project)).content.decode()
    assert 'name="grade"' in page and "評価を記録する" in page
    response = client.post(
        url(project), {"grade": "B", "reason": "満足度は目標に近い。", "decision": "change"}
    )
    assert response.status_code == 302
    assert response.url == url(project)
    evaluation = YearEndEvaluation.objects.get(project=project)
    assert (evaluation.grade, evaluation.decision, evaluation.evaluated_by) == (
        "B",
        "change",
        people.subcommittee,
    )
    assert evaluation.history.get().history_user == people.subcommittee
    page = client.get(url(project)).content.decode()
    assert "B：概ね達成" in page and "満足度は目標に近い。" in page
    assert "見直して継続" in page and "次年度の計画に引き継ぎます" in page


def test_subcommittee_revises_an_evaluation_with_its_version(client, people, project):
    evaluation = evaluate(project, people.subcommittee)
    client.force_login(people.subcommittee)
    response = client.post(
        url(project),
        {"grade": "C", "reason": "見直した。", "decision": "finish", "version": evaluation.version},
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.grade, evaluation.decision, evaluation.version) == ("C", "finish", 2)


def test_a_stale_version_is_refused_and_the_other_change_shown(client, people, project):
    evaluation = evaluate(project, people.subcommittee)
    opened = evaluation.version
    evaluate(project, people.subcommittee, grade="D", reason="他の委員が先に修正した。")
    client.force_login(people.subcommittee)
    response = client.post(
        url(project),
        {"grade": "A", "reason": "私の修正", "decision": "continue", "version": opened},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "他の人が先に保存した変更" in html
    assert "私の修正" in html  # the editor's input is kept
    assert "D：未達成" in html and "他の委員が先に修正した。" in html  # and the saved one shown
    evaluation.refresh_from_db()
    assert (evaluation.grade, evaluation.version) == ("D", 2)
    # The form now carries the current version: saving again is a deliberate overwrite.
    assert response.context["form"]["version"].value() == "2"


def test_a_first_evaluation_made_meanwhile_by_someone_else_is_not_overwritten(
    client, people, project
):
    client.force_login(people.subcommittee)
    client.get(url(project))  # the form opens without an evaluation (no version)
    evaluate(project, people.subcommittee, grade="D", reason="先に記録した。")
    response = client.post(url(project), {"grade": "A", "reason": "後から", "decision": "continue"})
    assert response.status_code == 200
    assert "他の人が先に保存した変更" in response.content.decode()
    assert YearEndEvaluation.objects.get(project=project).grade == "D"


@pytest.mark.parametrize("reason", ["", "   "])
def test_the_reason_is_required(client, people, project, reason):
    client.force_login(people.subcommittee)
    response = client.post(url(project), {"grade": "A", "reason": reason, "decision": "continue"})
    assert response.status_code == 200
    assert "このフィールドは必須です。" in response.content.decode()
    assert not YearEndEvaluation.objects.exists()


def test_the_service_refuses_a_blank_reason_too(people, project):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        evaluate(project, people.subcommittee, reason="  ")


@pytest.mark.parametrize("who", ["lead", "council", "manager", "admin"])
def test_other_progress_roles_read_the_evaluation_but_get_no_form(client, people, project, who):
    evaluate(project, people.subcommittee, reason="窓口の満足度が目標を超えた。")
    client.force_login(getattr(people, who))
    response = client.get(url(project))
    assert response.status_code == 200
    html = response.content.decode()
    assert "窓口の満足度が目標を超えた。" in html
    assert 'name="grade"' not in html


@pytest.mark.parametrize("who", ["lead", "council", "manager", "admin"])
def test_other_roles_may_not_record_an_evaluation(client, people, project, who):
    client.force_login(getattr(people, who))
    response = client.post(url(project), {"grade": "A", "reason": "x", "decision": "continue"})
    assert response.status_code == 403
    assert REFUSAL in response.content.decode()
    assert not YearEndEvaluation.objects.exists()


def test_staff_may_not_even_read_it(client, people, project):
    client.force_login(people.staff)
    response = client.get(url(project))
    assert response.status_code == 403
    assert "進捗管理はワーキンググループリーダー" in response.content.decode()


def test_another_offices_project_is_not_found(client, stranger, project):
    client.force_login(stranger)
    assert client.get(url(project)).status_code == 404
    assert client.post(url(project), {"grade": "A"}).status_code == 404


@pytest.mark.parametrize("stage", [Stage.BUDGET_REQUESTED, Stage.CLOSED])
def test_no_evaluation_outside_the_in_progress_stage(client, people, project, stage):
    project.plan.stage = stage
    project.plan.save()
    client.force_login(people.subcommittee)
    page = client.get(url(project)).content.decode()
    assert 'name="grade"' not in page
    assert "「事業実施中」の段階にある間に推進部会が記録します" in page
    response = client.post(url(project), {"grade": "A", "reason": "x", "decision": "continue"})
    assert response.status_code == 403
    assert REFUSAL in response.content.decode()


def test_indicators_show_baseline_target_latest_filed_actual_and_achievement(
    client, people, project
):
    satisfaction = IndicatorFactory(
        project=project, name="窓口の満足度", unit="%", baseline=72, target=80
    )
    waiting = IndicatorFactory(
        project=project, name="待ち時間", unit="分", baseline=30, target=15, direction="decrease"
    )
    periods = make_periods(project.plan, 4, past=2)
    file_report(
        project, periods[0], people.lead, values={satisfaction: Decimal(74), waiting: Decimal(27)}
    )
    file_report(project, periods[1], people.lead, values={satisfaction: Decimal(78)})
    draft = progress_services.report_start(project=project, period=periods[2], by=people.lead)
    progress_services.report_save(
        report=draft, by=people.lead, values={satisfaction: Decimal(99)}, expected_version=1
    )
    client.force_login(people.council)
    response = client.get(url(project))
    rows = {row["indicator"].name: row for row in response.context["indicators"]}
    assert rows["窓口の満足度"]["actual"] == Decimal(78)  # the draft's 99 is not counted
    assert rows["窓口の満足度"]["achievement"] == Decimal("75.0")  # (78 − 72) / (80 − 72)
    assert rows["待ち時間"]["actual"] == Decimal(27)  # from the older report that has it
    assert rows["待ち時間"]["achievement"] == Decimal("20.0")  # (27 − 30) / (15 − 30)
    html = response.content.decode()
    assert "75%" in html and "第2期（テスト）" in html


# ---------------------------------------------------------------------------------------------
# The decision drives "start next year"


def test_finish_is_not_carried_over_and_continue_and_change_are(client, people, plan, sections):
    finished = ProjectFactory(plan=plan, code="F-1", section=sections.kumin)
    changed = ProjectFactory(plan=plan, code="C-1", section=sections.kumin)
    continued = ProjectFactory(plan=plan, code="K-1", section=sections.kumin)
    unevaluated = ProjectFactory(plan=plan, code="U-1", section=sections.kumin)
    completed = ProjectFactory(
        plan=plan, code="U-2", section=sections.kumin, status=Project.Status.COMPLETED
    )
    client.force_login(people.subcommittee)
    for project, decision in [(finished, "finish"), (changed, "change"), (continued, "continue")]:
        response = client.post(url(project), {"grade": "B", "reason": "理由", "decision": decision})
        assert response.status_code == 302
    assert [finished.carries_over(), changed.carries_over(), continued.carries_over()] == [
        False,
        True,
        True,
    ]
    assert unevaluated.carries_over() and not completed.carries_over()
    new_plan = plan_services.plan_start_next_year(plan=plan, by=people.subcommittee)
    assert sorted(new_plan.projects.values_list("code", flat=True)) == ["C-1", "K-1", "U-1"]


# ---------------------------------------------------------------------------------------------
# The plan's summary


def plan_url(plan):
    return reverse("plans:plan_evaluation", args=[plan.pk])


@pytest.fixture
def evaluated(plan, people, sections):
    """Five projects: A (policies 1, 2; area 1), A (policy 1; area 2), C (policy 3; area 1),
    one finished with D (policy 3; area 2), and one not evaluated (policy 1; area 1)."""
    policy = {n: own_policy(n) for n in (1, 2, 3)}
    area = {n: own_area(n) for n in (1, 2)}

    def project(code, policies, area_number, grade=None, decision="continue"):
        made = ProjectFactory(
            plan=plan,
            code=code,
            policies=[policy[n] for n in policies],
            initiative_area=area[area_number],
            section=sections.kumin,
        )
        if grade:
            evaluate(made, people.subcommittee, grade=grade, decision=decision)
        return made

    return [
        project("E-1", [1, 2], 1, "A"),
        project("E-2", [1], 2, "A", "change"),
        project("E-3", [3], 1, "C", "change"),
        project("E-4", [3], 2, "D", "finish"),
        project("E-5", [1], 1),
    ]


def test_plan_summary_counts_projects_by_grade_policy_and_area(client, people, plan, evaluated):
    client.force_login(people.council)
    response = client.get(plan_url(plan))
    assert response.status_code == 200
    context = response.context
    # A, B, C, D, not evaluated
    assert [row[1] for row in context["grade_figure"].table.rows] == [
        ["2"],
        ["0"],
        ["1"],
        ["1"],
        ["1"],
    ]
    breakdowns = {heading: rows for heading, _, rows in context["breakdowns"]}
    by_policy = {row["label"][:3]: row["cells"] for row in breakdowns["基本方針別の評価"]}
    assert by_policy["(1)"] == [2, 0, 0, 0, 1]
    assert by_policy["(2)"] == [1, 0, 0, 0, 0]
    assert by_policy["(3)"] == [0, 0, 1, 1, 0]
    assert by_policy["(4)"] == [0, 0, 0, 0, 0]
    by_area = {row["label"][:3]: row["cells"] for row in breakdowns["具体的な取組別の評価"]}
    assert by_area["(1)"] == [1, 0, 1, 0, 1]
    assert by_area["(2)"] == [1, 0, 0, 1, 0]
    assert context["decisions"] == [("継続", 1), ("見直して継続", 2), ("終了", 1)]
    assert (context["total"], context["not_evaluated"]) == (5, 1)


def test_plan_summary_lists_unevaluated_projects_first_with_links(client, people, plan, evaluated):
    client.force_login(people.subcommittee)
    response = client.get(plan_url(plan))
    listed = [p.code for p in response.context["page_obj"].object_list]
    assert listed == ["E-5", "E-1", "E-2", "E-3", "E-4"]
    html = response.content.decode()
    assert reverse("plans:project_evaluation", args=[evaluated[4].pk]) in html
    assert "「継続」と「見直して継続」の事業を次年度の計画に引き継ぎます" in html
    assert 'role="img"' in html and "<caption>評価別の事業数（表）</caption>" in html


def test_plan_summary_is_for_progress_roles_of_the_office(client, people, stranger, plan):
    client.force_login(people.staff)
    response = client.get(plan_url(plan))
    assert response.status_code == 403
    assert "進捗管理はワーキンググループリーダー" in response.content.decode()
    client.force_login(stranger)
    assert client.get(plan_url(plan)).status_code == 404
    client.force_login(people.manager)
    assert client.get(plan_url(plan)).status_code == 200


def test_plan_and_project_pages_link_to_the_evaluation_for_progress_roles(
    client, people, plan, project
):
    client.force_login(people.council)
    assert plan_url(plan) in client.get(plan.get_absolute_url()).content.decode()
    detail = client.get(project.get_absolute_url()).content.decode()
    assert url(project) in detail
    assert reverse("plans:project_timeline", args=[project.pk]) in detail
    client.force_login(people.staff)
    assert plan_url(plan) not in client.get(plan.get_absolute_url()).content.decode()
    assert url(project) not in client.get(project.get_absolute_url()).content.decode()


def test_plan_summary_runs_a_fixed_number_of_queries(client, people, plan, sections):
    def add(count, start):
        for n in range(start, start + count):
            made = ProjectFactory(plan=plan, code=f"Z-{n:03d}", section=sections.kumin)
            if n % 2:
                evaluate(made, people.subcommittee, grade="ABCD"[n % 4])

    client.force_login(people.subcommittee)
    add(4, 0)
    client.get(plan_url(plan))
    with CaptureQueriesContext(connection) as small:
        client.get(plan_url(plan))
    add(60, 4)
    with CaptureQueriesContext(connection) as big:
        response = client.get(plan_url(plan))
    assert response.context["total"] == 64
    assert len(big) <= len(small)
