"""The year-end evaluation report (年度末評価報告書): counts by grade and decision with a
chart, each project with its indicators' latest filed actual value, grade, reason and
decision, unevaluated projects as 未評価; user text never makes WeasyPrint fetch; the form
offers only the user's office's plans; a job through the service succeeds."""

import datetime
import re
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from plans.evaluation.report import build_evaluation, evaluation_context
from plans.models import (
    IndicatorValue,
    ProgressReport,
    ReportingPeriod,
    YearEndEvaluation,
)
from plans.reporting import PlanReportForm
from takatsu_portal.reports.kinds import get_kind
from takatsu_portal.reports.models import ReportJob
from takatsu_portal.reports.rendering import make_fetcher, render_pdf, static_root
from takatsu_portal.reports.services import report_request
from tests.factories import own_area
from tests.pdf import pdf_text
from tests.plans.factories import IndicatorFactory, PlanFactory, ProjectFactory
from tests.plans.proposals.test_report import raw_text

pytestmark = pytest.mark.django_db

EVIL = '<img src="file:///etc/passwd"> 詳細は https://example.com/leak.png を参照'
State = ProgressReport.State


def make_periods(plan, n=4):
    start = datetime.date(2026, 4, 1)
    periods = []
    for i in range(n):
        starts_on = start + datetime.timedelta(days=91 * i)
        ends_on = starts_on + datetime.timedelta(days=90)
        periods.append(
            ReportingPeriod.objects.create(
                plan=plan,
                number=i + 1,
                label=f"第{i + 1}四半期",
                starts_on=starts_on,
                ends_on=ends_on,
                due_on=ends_on + datetime.timedelta(days=10),
            )
        )
    return periods


def file_value(indicator, period, actual, state, author):
    report, _ = ProgressReport.objects.get_or_create(
        project=indicator.project, period=period, defaults={"author": author, "state": state}
    )
    return IndicatorValue.objects.create(report=report, indicator=indicator, actual=actual)


def evaluate(project, by, grade="A", decision="continue", reason="目標を上回った。"):
    return YearEndEvaluation.objects.create(
        project=project, grade=grade, reason=reason, decision=decision, evaluated_by=by
    )


@pytest.fixture
def projects(plan, group, sections, people):
    """R8-01 graded A (continue) with an indicator filed in three periods; R8-02 graded C with
    evil text in its reason (change); R8-03 in another area, not evaluated."""
    one = ProjectFactory(
        plan=plan,
        code="R8-01",
        title="窓口番号表示の導入",
        section=sections.kumin,
        working_group=group,
        budget_requested=1_234_000,
    )
    indicator = IndicatorFactory(project=one, name="窓口の満足度", baseline=72, target=80)
    q1, q2, q3, q4 = make_periods(plan)
    file_value(indicator, q1, 74, State.ACCEPTED, people.lead)
    file_value(indicator, q2, 76, State.SUBMITTED, people.lead)
    file_value(indicator, q3, 99, State.DRAFT, people.lead)  # not filed: never shown
    file_value(indicator, q4, 88, State.CHANGES_REQUESTED, people.lead)  # sent back
    evaluate(one, people.subcommittee, "A", "continue", "満足度が目標に近づいた。")
    two = ProjectFactory(plan=plan, code="R8-02", title="案内表示の改善", section=sections.hoken)
    IndicatorFactory(project=two, name="案内の問い合わせ件数", unit="件", baseline=120, target=90)
    evaluate(two, people.subcommittee, "C", "change", EVIL)
    three = ProjectFactory(
        plan=plan,
        code="R8-03",
        title="職員研修の充実",
        initiative_area=own_area(4),
    )
    return [one, two, three]


def render_to(tmp_path, plan):
    fetcher = make_fetcher()
    built = build_evaluation({"plan": plan.pk})
    pdf, pages = render_pdf(built.title, built.html, fetcher=fetcher)
    path = tmp_path / "evaluation.pdf"
    path.write_bytes(pdf)
    return path, pages, fetcher, built


def test_evaluation_pdf_has_summary_projects_grades_and_embedded_cjk_font(tmp_path, plan, projects):
    path, pages, _, built = render_to(tmp_path, plan)
    text = pdf_text(path)
    flat = raw_text(path)
    for expected in [
        "年度末評価報告書",
        "令和8年度",
        "目次",
        "1.評価の概要",
        "評価別の事業数",
        "次年度の方針別の事業数",
        "具体的な取組別の評価",
        "2.取組別の事業の評価",
        "窓口番号表示の導入",
        "窓口改善ワーキング",
        "A：目標を達成",
        "C：一部未達成",
        "満足度が目標に近づいた。",
        "見直して継続",
        "未評価",
        "職員研修の充実",
        plan.office.name,
    ]:
        assert expected in flat, expected
    # The latest filed value: the submitted one of the 2nd quarter, not the draft or the
    # report sent back for changes; with its achievement (76-72)/(80-72) = 50%.
    assert "窓口の満足度（%）72→80実績76（第2四半期）達成率50.0%" in flat
    assert "実績99" not in flat and "実績88" not in flat
    assert "案内の問い合わせ件数（件）120→90実績未報告" in flat  # no value filed
    assert re.search(rf"\b2 ?/ ?{pages}\b", text)
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    cjk = [line for line in fonts.splitlines() if "Noto-Sans-CJK-JP" in line]
    assert cjk and all(" yes " in line for line in cjk)
    assert built.title == f"令和8年度 {plan.office.name} 年度末評価報告書"


def test_chart_is_inline_svg_followed_by_its_table(plan, projects):
    html = build_evaluation({"plan": plan.pk}).html
    svg = html.index('<svg xmlns="http://www.w3.org/2000/svg"')
    table = html.index("評価別の事業数（表）")
    assert svg < table
    assert 'role="img"' in html and "Noto Sans CJK JP" in html


def test_summary_counts_by_grade_decision_and_area(plan, projects):
    context = evaluation_context(plan)
    assert (context["project_count"], context["evaluated"], context["not_evaluated"]) == (3, 2, 1)
    grades = {row["label"]: (row["cells"], row["share"]) for row in context["grade_rows"]}
    assert grades["A：目標を達成"] == (["1"], "33.3")
    assert grades["B：概ね達成"] == (["0"], "0.0")
    assert grades["未評価"] == (["1"], "33.3")
    decisions = {row["label"]: row["count"] for row in context["decision_rows"]}
    assert decisions == {"継続": 1, "見直して継続": 1, "終了": 0, "未評価": 1}
    by_area = {row["area"].number: (row["cells"], row["total"]) for row in context["area_rows"]}
    assert by_area[1] == ([1, 0, 1, 0, 0], 2)
    assert by_area[4] == ([0, 0, 0, 0, 1], 1)
    assert by_area[2] == ([0, 0, 0, 0, 0], 0)
    assert [entry["area"].number for entry in context["areas"]] == [1, 4]


def test_facts_name_the_year_plan_and_counts(plan, projects):
    assert build_evaluation({"plan": plan.pk}).facts == {
        "fiscal_year": 2026,
        "plan": plan.title,
        "plan_version": plan.version,
        "projects": 3,
        "evaluations": 2,
    }


def test_user_text_with_img_and_url_renders_as_text_and_fetches_nothing(tmp_path, plan, projects):
    path, _, fetcher, built = render_to(tmp_path, plan)
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in built.html
    assert '<img src="file:///etc/passwd">' not in built.html
    text = raw_text(path)
    assert '<imgsrc="file:///etc/passwd">' in text and "https://example.com/leak.png" in text
    assert fetcher.calls == [(static_root() / "css" / "print.css").as_uri()]


def add_projects(plan, people, periods, n):
    for i in range(n):
        project = ProjectFactory(plan=plan, title=f"追加の事業{i}")
        indicator = IndicatorFactory(project=project)
        for period in periods[:2]:
            file_value(indicator, period, 75, State.ACCEPTED, people.lead)
        if i % 2:
            evaluate(project, people.subcommittee, "B", "continue")


def test_build_runs_a_fixed_number_of_queries(plan, people, django_assert_max_num_queries):
    """Plan, projects (with area, section, group, evaluation), indicators with their latest
    value, areas: the same count for 3 projects as for 60."""
    periods = make_periods(plan)
    add_projects(plan, people, periods, 3)
    with django_assert_max_num_queries(4):
        small = build_evaluation({"plan": plan.pk})
    add_projects(plan, people, periods, 57)
    with django_assert_max_num_queries(4):
        large = build_evaluation({"plan": plan.pk})
    assert small.facts["projects"] == 3 and large.facts["projects"] == 60


def test_many_projects_break_across_pages_with_repeated_header(tmp_path, plan, people):
    for n in range(40):
        project = ProjectFactory(plan=plan, title=f"長い事業{n:02d}")
        IndicatorFactory(project=project)
        evaluate(project, people.subcommittee, "B", "change", "評価の理由の文。" * 15)
    path, pages, *_ = render_to(tmp_path, plan)
    page_texts = pdf_text(path).split("\f")
    assert "令和8年度 年度末評価報告書" in page_texts[1]
    assert plan.office.name in page_texts[1]
    with_header = [t for t in page_texts if "評価・理由" in t]
    assert len(with_header) >= 2  # the project table broke across pages, its header repeated
    assert "長い事業39" in "".join(page_texts)


def test_a_reason_longer_than_a_page_is_printed_whole_under_repeated_headers(
    tmp_path, plan, people
):
    short = ProjectFactory(plan=plan, code="R8-01", title="短い評価の事業")
    evaluate(short, people.subcommittee, "A", "continue", "目標を達成した。")
    long = ProjectFactory(plan=plan, code="R8-02", title="長い評価の事業")
    evaluate(long, people.subcommittee, "B", "change", "評価の理由の文。" * 400 + "理由の終わり。")
    path, *_, built = render_to(tmp_path, plan)
    html = re.sub(r"\s+", " ", built.html)
    assert html.count('<tr class="may-break">') == 1  # only the long row may break
    assert "理由の終わり。" in raw_text(path)
    page_texts = pdf_text(path).split("\f")
    with_header = [t for t in page_texts if "評価・理由" in t]
    assert len(with_header) >= 3  # the row went on over pages, each with the header


def test_a_plan_without_projects_renders(tmp_path, plan):
    path, *_ = render_to(tmp_path, plan)
    assert "事業はまだ登録されていません。" in pdf_text(path)


# ---------------------------------------------------------------------------------------------
# The command, the form, the request and the job


def test_render_report_command_with_a_plan_and_with_no_option(tmp_path, plan, projects):
    out = tmp_path / "cli.pdf"
    call_command("render_report", "evaluation", "--plan", str(plan.pk), "--output", str(out))
    assert "窓口番号表示の導入" in pdf_text(out)
    out2 = tmp_path / "cli2.pdf"
    call_command("render_report", "evaluation", "--output", str(out2))  # this year's plan
    assert "年度末評価報告書" in pdf_text(out2)


def test_render_report_command_without_plans_fails_in_japanese(tmp_path, db):
    with pytest.raises(CommandError, match="計画がありません"):
        call_command("render_report", "evaluation", "--output", str(tmp_path / "x.pdf"))


def test_form_offers_only_the_users_office_plans(people, stranger, plan):
    theirs = PlanFactory(office=stranger.office)
    form = PlanReportForm(user=people.subcommittee)
    assert list(form.fields["plan"].queryset) == [plan]
    bound = PlanReportForm({"plan": theirs.pk}, user=people.subcommittee)
    assert not bound.is_valid() and "plan" in bound.errors
    mine = PlanReportForm({"plan": plan.pk}, user=people.subcommittee)
    assert mine.is_valid() and mine.params() == {"plan": plan.pk}


def test_subcommittee_requests_the_report_through_the_page(
    client, people, plan, projects, django_capture_on_commit_callbacks
):
    client.force_login(people.subcommittee)
    assert "年度末評価報告書" in client.get(reverse("reports:index")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:request", args=["evaluation"]), {"evaluation-plan": plan.pk}
        )
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.params == {"plan": plan.pk} and job.state == ReportJob.State.SUCCEEDED


def test_stranger_may_not_request_the_report_of_another_offices_plan(client, stranger, plan):
    client.force_login(stranger)
    response = client.post(
        reverse("reports:request", args=["evaluation"]), {"evaluation-plan": plan.pk}
    )
    assert response.status_code == 400
    assert not ReportJob.objects.exists()


def test_job_through_the_service_succeeds_with_the_facts(
    people, plan, projects, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(kind="evaluation", params={"plan": plan.pk}, by=people.subcommittee)
    job.refresh_from_db()
    assert job.state == ReportJob.State.SUCCEEDED
    assert job.office == plan.office
    facts = job.version.snapshot["facts"]
    assert (facts["fiscal_year"], facts["plan"], facts["projects"], facts["evaluations"]) == (
        2026,
        plan.title,
        3,
        2,
    )
    assert job.version.page_count >= 4


def test_staff_may_not_request_the_report(people, plan):
    with pytest.raises(PermissionDenied):
        report_request(kind="evaluation", params={"plan": plan.pk}, by=people.staff)
    assert not ReportJob.objects.exists()


def test_kind_is_registered_with_its_permissions_and_order():
    kind = get_kind("evaluation")
    assert kind.permission == "portal.view_reports"
    assert kind.request_permission == "portal.request_reports"
    assert kind.order == 40 and kind.description
    assert [p.name for p in kind.params] == ["plan"]


def test_achievement_uses_the_decimal_actual(plan, projects):
    context = evaluation_context(plan)
    first = context["areas"][0]["projects"][0]["indicators"][0]
    assert first["actual"] == Decimal("76") and first["achievement"] == Decimal("50.0")
