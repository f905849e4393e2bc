import pytest
from django.urls import reverse

from plans.models import AnnualPlan, PlanDecision, Stage
from takatsu_portal.core.fiscal import FiscalYear
from tests.plans.factories import PlanFactory, ProjectFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def test_subcommittee_creates_the_years_plan_through_the_form(client, people, office):
    client.force_login(people.subcommittee)
    year = FiscalYear.current().year
    response = client.post(
        reverse("plans:plan_create"),
        {"fiscal_year": year, "title": "", "summary": "窓口の待ち時間短縮を重点とする。"},
    )
    plan = AnnualPlan.objects.get()
    assert response.status_code == 302
    assert response.url == plan.get_absolute_url()
    assert (plan.office, plan.fiscal_year, plan.stage, plan.version) == (office, year, "draft", 1)
    assert plan.title == f"{FiscalYear(year).era_label} {office.name}サービス向上計画"
    assert plan.history.get().history_user == people.subcommittee


def test_a_second_plan_for_the_same_year_is_refused_with_a_field_error(client, people, plan):
    client.force_login(people.subcommittee)
    response = client.post(reverse("plans:plan_create"), {"fiscal_year": 2026, "summary": ""})
    # 2026 may be outside the offered years on a later clock; either way nothing is created.
    assert response.status_code == 200
    assert AnnualPlan.objects.count() == 1


@pytest.mark.parametrize("who", ["staff", "lead", "council", "manager", "admin"])
def test_only_the_subcommittee_creates_plans(client, people, who):
    client.force_login(getattr(people, who))
    response = client.get(reverse("plans:plan_create"))
    assert response.status_code == 403
    assert "計画を作成できるのは推進部会の委員です。" in response.content.decode()


def test_plan_page_shows_stage_deadline_and_next_step(client, people, plan):
    client.force_login(people.staff)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert 'aria-current="step"' in html
    assert "次の操作：「区企画調整会議に報告する」（区役所サービス推進部会 委員が行います）" in html
    assert "作成期限" in html
    # Staff read; they get no decision form.
    assert reverse("plans:plan_advance", args=[plan.pk]) not in html


def test_subcommittee_reports_the_plan_with_a_comment(client, people, plan):
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("plans:plan_advance", args=[plan.pk]),
        {"advance-comment": "素案がまとまったため報告する。", "advance-version": plan.version},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.stage == Stage.REPORTED
    decision = PlanDecision.objects.get()
    assert (decision.decided_by, decision.comment) == (
        people.subcommittee,
        "素案がまとまったため報告する。",
    )
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "素案がまとまったため報告する。" in page


def test_a_move_without_comment_rerenders_with_the_error(client, people, plan):
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("plans:plan_advance", args=[plan.pk]),
        {"advance-comment": "", "advance-version": plan.version},
    )
    assert response.status_code == 400
    assert "このフィールドは必須です。" in response.content.decode()
    plan.refresh_from_db()
    assert plan.stage == Stage.DRAFT


def test_council_cannot_report_and_subcommittee_cannot_approve(client, people, plan):
    client.force_login(people.council)
    response = client.post(
        reverse("plans:plan_advance", args=[plan.pk]),
        {"advance-comment": "報告", "advance-version": plan.version},
    )
    assert response.status_code == 403
    plan.stage = Stage.REPORTED
    plan.save()
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("plans:plan_advance", args=[plan.pk]),
        {"advance-comment": "承認", "advance-version": plan.version},
    )
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.stage == Stage.REPORTED


def test_advance_is_post_only(client, people, plan):
    client.force_login(people.subcommittee)
    assert client.get(reverse("plans:plan_advance", args=[plan.pk])).status_code == 405


def test_a_move_from_a_stale_page_is_refused(client, people, plan):
    client.force_login(people.subcommittee)
    stale = plan.version
    client.post(
        reverse("plans:plan_edit", args=[plan.pk]),
        {"title": "改訂版", "summary": "重点を追加", "version": stale},
    )
    response = client.post(
        reverse("plans:plan_advance", args=[plan.pk]),
        {"advance-comment": "報告する", "advance-version": stale},
        follow=True,
    )
    assert "他の人が更新しました" in response.content.decode()
    plan.refresh_from_db()
    assert plan.stage == Stage.DRAFT


def test_council_returns_a_reported_plan(client, people, plan):
    plan.stage = Stage.REPORTED
    plan.save()
    client.force_login(people.council)
    response = client.post(
        reverse("plans:plan_send_back", args=[plan.pk]),
        {"back-comment": "数値目標を具体的にすること。", "back-version": plan.version},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.stage == Stage.DRAFT
    assert PlanDecision.objects.get().kind == PlanDecision.Kind.SEND_BACK


def test_concurrent_edits_of_a_plan_never_overwrite_silently(client, people, plan):
    client.force_login(people.subcommittee)
    loaded = plan.version
    first = client.post(
        reverse("plans:plan_edit", args=[plan.pk]),
        {"title": "Aさんの題名", "summary": "Aさんの概要", "version": loaded},
    )
    assert first.status_code == 302
    second = client.post(
        reverse("plans:plan_edit", args=[plan.pk]),
        {"title": "Bさんの題名", "summary": "Bさんの概要", "version": loaded},
    )
    html = second.content.decode()
    assert second.status_code == 200
    assert "他の人が先に保存した変更" in html
    assert "Aさんの題名" in html  # the other change is shown
    assert "Bさんの概要" in html  # and the second editor's input is kept
    plan.refresh_from_db()
    assert plan.title == "Aさんの題名"
    # Saving again after seeing the conflict is a deliberate overwrite.
    third = client.post(
        reverse("plans:plan_edit", args=[plan.pk]),
        {"title": "Bさんの題名", "summary": "Bさんの概要", "version": plan.version},
    )
    assert third.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Bさんの題名"


def test_edit_is_refused_after_the_year_is_closed(client, people, plan):
    plan.stage = Stage.CLOSED
    plan.save()
    client.force_login(people.subcommittee)
    response = client.get(reverse("plans:plan_edit", args=[plan.pk]))
    assert response.status_code == 403


def test_another_offices_plan_is_not_found(client, stranger, plan):
    client.force_login(stranger)
    for name in ["plans:plan_detail", "plans:plan_edit", "plans:plan_budget", "plans:plan_history"]:
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404, name


def test_plan_list_runs_a_fixed_number_of_queries(
    client, people, office, django_assert_max_num_queries
):
    client.force_login(people.staff)
    PlanFactory(office=office, fiscal_year=2026)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("plans:index"))
    for year in range(2000, 2025):
        PlanFactory(office=office, fiscal_year=year)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("plans:index"))
    assert response.status_code == 200


def test_budget_page_sums_proposed_against_adopted(client, people, plan, sections):
    ProjectFactory(
        plan=plan, section=sections.kumin, budget_requested=1_000_000, budget_approved=800_000
    )
    ProjectFactory(plan=plan, section=sections.kumin, budget_requested=500_000)
    ProposalFactory(plan=plan, section=sections.hoken, budget_estimate=300_000)
    ProposalFactory(plan=plan, section=sections.hoken, budget_estimate=999_999, status="rejected")
    client.force_login(people.staff)
    html = client.get(reverse("plans:plan_budget", args=[plan.pk])).content.decode()
    assert "1,500,000円" in html  # adopted total and 区民課's row
    assert "800,000円" in html
    assert "300,000円" in html  # 保険年金課's proposals
    assert "999,999円" not in html  # a rejected proposal is not counted


def test_start_next_year_through_the_page(client, people, plan):
    ProjectFactory(plan=plan, code="R8-01")
    client.force_login(people.subcommittee)
    response = client.post(reverse("plans:plan_next_year", args=[plan.pk]), follow=True)
    assert "継続する事業1件を引き継ぎました" in response.content.decode()
    assert AnnualPlan.objects.filter(fiscal_year=2027, previous_plan=plan).exists()


def test_start_next_year_lands_on_the_new_plan_and_a_second_start_is_refused_on_the_plan(
    client, people, plan
):
    client.force_login(people.subcommittee)
    url = reverse("plans:plan_next_year", args=[plan.pk])
    response = client.post(url, follow=True)
    new_plan = AnnualPlan.objects.get(previous_plan=plan)
    assert response.redirect_chain == [(new_plan.get_absolute_url(), 302)]
    assert "継続する事業0件を引き継ぎました" in response.content.decode()

    response = client.post(url, follow=True)
    assert response.redirect_chain == [(plan.get_absolute_url(), 302)]
    html = response.content.decode()
    assert "この年度の計画はすでにあります。一つの年度に計画は一つです。" in html
    assert "継続する事業" not in html  # no message of success
    assert AnnualPlan.objects.filter(fiscal_year=plan.fiscal_year + 1).count() == 1


def test_delete_of_a_draft_plan_asks_then_deletes(client, people, plan):
    client.force_login(people.subcommittee)
    assert client.get(reverse("plans:plan_delete", args=[plan.pk])).status_code == 200
    response = client.post(reverse("plans:plan_delete", args=[plan.pk]))
    assert response.status_code == 302
    assert not AnnualPlan.objects.exists()


def test_delete_of_an_approved_plan_is_refused_with_a_reason(client, people, plan):
    plan.stage = Stage.PLAN_APPROVED
    plan.save()
    client.force_login(people.subcommittee)
    response = client.post(reverse("plans:plan_delete", args=[plan.pk]))
    assert response.status_code == 403
    assert "承認済みの計画" in response.content.decode()
    assert AnnualPlan.objects.exists()


def test_history_page_shows_who_changed_what(client, people, plan):
    client.force_login(people.subcommittee)
    client.post(
        reverse("plans:plan_edit", args=[plan.pk]),
        {"title": "新しい題名", "summary": plan.summary, "version": plan.version},
    )
    html = client.get(reverse("plans:plan_history", args=[plan.pk])).content.decode()
    assert "新しい題名" in html
    assert people.subcommittee.full_name in html


def test_home_page_shows_the_plans_deadline_to_the_subcommittee(client, people, office):
    import time_machine

    plan = PlanFactory(office=office, fiscal_year=2026)
    client.force_login(people.subcommittee)
    with time_machine.travel("2026-04-20 10:00 +0900", tick=False):
        html = client.get(reverse("home")).content.decode()
    assert f"「{plan}」は「素案作成」の段階です" in html
    assert "作成期限は令和8年4月30日です（あと10日）。" in html
    with time_machine.travel("2026-05-03 10:00 +0900", tick=False):
        client.force_login(people.subcommittee)  # the session of 20 April has ended
        html = client.get(reverse("home")).content.decode()
    assert "作成期限（令和8年4月30日）を3日過ぎています。" in html
    # Staff are not told; and once approved, nobody is.
    client.force_login(people.staff)
    with time_machine.travel("2026-04-20 10:00 +0900", tick=False):
        assert "作成期限" not in client.get(reverse("home")).content.decode()
    plan.stage = Stage.PLAN_APPROVED
    plan.save()
    client.force_login(people.subcommittee)
    with time_machine.travel("2026-04-20 10:00 +0900", tick=False):
        assert "作成期限" not in client.get(reverse("home")).content.decode()


def test_home_page_asks_the_subcommittee_for_a_missing_plan(client, people):
    import time_machine

    client.force_login(people.subcommittee)
    with time_machine.travel("2026-04-02 10:00 +0900", tick=False):
        html = client.get(reverse("home")).content.decode()
    assert "令和8年度（2026年度）の計画がまだ作成されていません" in html
    assert reverse("plans:plan_create") in html
