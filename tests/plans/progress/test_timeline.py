"""A project's timeline (plans:project_timeline): everything that happened to it, newest first,
and one chart per indicator with the same numbers in a table beside it."""

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plans.evaluation import services as evaluation_services
from plans.models import Proposal, Stage
from plans.progress import services as progress_services
from takatsu_portal.core.fiscal import today
from tests.plans.factories import (
    IndicatorFactory,
    MilestoneFactory,
    PlanFactory,
    ProjectFactory,
    ProposalFactory,
)
from tests.plans.progress.test_board import make_periods

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(office, group, sections):
    plan = PlanFactory(office=office, stage=Stage.IN_PROGRESS)
    return ProjectFactory(
        plan=plan,
        code="R8-07",
        title="窓口の待ち時間短縮",
        working_group=group,
        section=sections.kumin,
    )


@pytest.fixture
def indicators(project):
    return [
        IndicatorFactory(project=project, name="窓口の満足度", unit="%", baseline=72, target=80),
        IndicatorFactory(
            project=project,
            name="平均待ち時間",
            unit="分",
            baseline=30,
            target=15,
            direction="decrease",
        ),
    ]


def file_report(
    project, period, by, *, values, texts=("計画", "実施", "評価", "改善"), status="on_track"
):
    report = progress_services.report_start(project=project, period=period, by=by)
    report.plan_text, report.do_text, report.check_text, report.act_text = texts
    report.status = status
    report.progress_percent = 40
    progress_services.report_save(
        report=report, by=by, values=values, expected_version=report.version
    )
    progress_services.report_submit(report=report, by=by, expected_version=report.version)
    return report


@pytest.fixture
def history(project, indicators, people):
    """Two quarters filed: the first sent back once and accepted, the second waiting; a draft
    for the third; a budget change; a milestone done."""
    periods = make_periods(project.plan, 4, past=2)
    satisfaction, waiting = indicators
    first = file_report(
        project,
        periods[0],
        people.lead,
        values={satisfaction: Decimal("74"), waiting: Decimal("25")},
        texts=(
            "案内表示を見直す",
            "総合案内に番号札を導入した",
            "待ち時間が5分短縮",
            "表示を多言語化する",
        ),
    )
    progress_services.report_request_changes(
        report=first, by=people.subcommittee, comment="待ち時間の測り方を書いてください。"
    )
    first.do_text += "（測定：毎週月曜の午前）"
    progress_services.report_save(
        report=first, by=people.lead, values={}, expected_version=first.version
    )
    progress_services.report_submit(report=first, by=people.lead, expected_version=first.version)
    progress_services.report_accept(report=first, by=people.subcommittee, comment="了解しました。")
    file_report(
        project,
        periods[1],
        people.lead,
        values={satisfaction: Decimal("78.5")},
        status="at_risk",
        texts=(
            "多言語化",
            "英語・中国語の表示を作成",
            "一部の窓口で未掲示",
            "残りの窓口に掲示する",
        ),
    )
    draft = progress_services.report_start(project=project, period=periods[2], by=people.lead)
    draft.do_text = "下書きの内容"
    progress_services.report_save(
        report=draft, by=people.lead, values={satisfaction: Decimal("99")}, expected_version=1
    )
    project.budget_approved = 450_000
    project._change_reason = "査定"
    project.save()
    MilestoneFactory(project=project, title="番号札の導入", done_on=today() - timedelta(days=40))
    return periods


def times(html):
    """The <time datetime> values of the timeline, as aware datetimes."""
    values = []
    for raw in re.findall(r'<time datetime="([^"]+)"', html):
        parsed = datetime.fromisoformat(raw) if "T" in raw else date.fromisoformat(raw)
        if not isinstance(parsed, datetime):
            parsed = timezone.make_aware(datetime.combine(parsed, datetime.min.time()))
        values.append(parsed)
    return values


def url(project):
    return reverse("plans:project_timeline", args=[project.pk])


# ---------------------------------------------------------------------------------------------
# Contents and order


def test_timeline_lists_reports_reviews_changes_and_milestones_newest_first(
    client, people, project, history
):
    client.force_login(people.subcommittee)
    response = client.get(url(project))
    assert response.status_code == 200
    html = response.content.decode()
    kinds = [event.kind for event in response.context["events"]]
    assert kinds.count("進捗報告") == 2  # the draft is not a report yet
    assert kinds.count("確認") == 2  # changes requested, then accepted
    assert "登録" in kinds and "スケジュール" in kinds and "変更" in kinds
    stamps = times(html)
    assert len(stamps) == len(kinds)
    assert stamps == sorted(stamps, reverse=True)
    assert "<ol" in html


def test_report_entries_show_period_state_status_progress_and_pdca_excerpts(
    client, people, project, history
):
    client.force_login(people.council)
    html = client.get(url(project)).content.decode()
    assert "第1期（テスト）の進捗報告（受理）" in html
    assert "第2期（テスト）の進捗報告（提出済み）" in html
    assert "注意・進捗率 40%" in html
    assert "総合案内に番号札を導入した（測定：毎週月曜の午前）" in html
    assert "表示を多言語化する" in html
    assert "下書きの内容" not in html
    # Indicator values with their achievement: (74 − 72) / (80 − 72) = 25 %.
    assert "窓口の満足度：74%" in html and "達成率 25%" in html
    # Reviews with their comments and the reviewer.
    assert "第1期（テスト）の進捗報告を「修正依頼」としました" in html
    assert "待ち時間の測り方を書いてください。" in html
    assert "了解しました。" in html
    first = project.progress_reports.get(period=history[0])
    assert reverse("plans:report_detail", args=[first.pk]) in html


def test_budget_changes_and_the_proposal_appear_in_the_timeline(client, people, project, history):
    proposal = ProposalFactory(
        plan=project.plan,
        title="窓口の待ち時間短縮（案）",
        proposer=people.staff,
        status=Proposal.Status.ADOPTED,
        decided_by=people.subcommittee,
        decided_at=timezone.now(),
        decision_comment="重点事業として採択",
        project=project,
    )
    client.force_login(people.manager)
    html = client.get(url(project)).content.decode()
    assert "予算査定額を変更しました" in html
    assert "450,000円" in html
    assert "事業企画案「窓口の待ち時間短縮（案）」が提出されました" in html
    assert "事業企画案を「採択」としました" in html and "重点事業として採択" in html
    assert proposal.get_absolute_url() in html
    assert "「番号札の導入」が完了しました" in html


def test_the_evaluation_appears_in_the_timeline(client, people, project, history):
    evaluation_services.evaluation_save(
        project=project, by=people.subcommittee, grade="B", reason="概ね達成", decision="change"
    )
    client.force_login(people.lead)
    html = client.get(url(project)).content.decode()
    assert "年度末評価：B：概ね達成・次年度は見直して継続" in html


# ---------------------------------------------------------------------------------------------
# Charts


def svgs(html):
    return [ET.fromstring(svg) for svg in re.findall(r"<svg .*?</svg>", html, flags=re.S)]


def test_one_chart_per_indicator_with_target_baseline_and_the_same_numbers_in_its_table(
    client, people, project, history, indicators
):
    client.force_login(people.subcommittee)
    response = client.get(url(project))
    html = response.content.decode()
    charts = svgs(html)
    assert len(charts) == 2
    ns = "{http://www.w3.org/2000/svg}"
    titles = [chart.find(f"{ns}title").text for chart in charts]
    assert titles == ["窓口の満足度（%）", "平均待ち時間（分）"]
    assert all(chart.get("role") == "img" for chart in charts)
    satisfaction = response.context["figures"][0]
    assert satisfaction.table.columns == ["実績値（%）", "目標値（%）", "基準値（%）"]
    # Filed reports only: the draft's 99 is not there.
    assert [row[1][0] for row in satisfaction.table.rows] == ["74", "78.5", "—", "—"]
    shown = [t.text for t in charts[0].iter(f"{ns}text")]
    assert "74%" in shown and "78.5%" in shown and "99%" not in shown
    assert "目標値 80%" in shown and "基準値 72%" in shown
    assert "<caption>窓口の満足度（%）（表）</caption>" in html
    waiting = response.context["figures"][1]
    assert [row[1][0] for row in waiting.table.rows] == ["25", "—", "—", "—"]


def test_without_periods_or_indicators_the_page_says_so(client, people, project):
    client.force_login(people.subcommittee)
    html = client.get(url(project)).content.decode()
    assert "この事業には指標が登録されていません。" in html
    IndicatorFactory(project=project)
    html = client.get(url(project)).content.decode()
    assert "報告期間がまだ設定されていないため" in html
    assert "<svg" not in html


# ---------------------------------------------------------------------------------------------
# Who may see it


@pytest.mark.parametrize(
    "who", ["lead", "other_lead", "subcommittee", "council", "manager", "admin"]
)
def test_progress_roles_read_any_timeline_of_their_office(client, people, project, who):
    client.force_login(getattr(people, who))
    assert client.get(url(project)).status_code == 200


def test_staff_are_refused_the_timeline_with_the_reason(client, people, project):
    client.force_login(people.staff)
    response = client.get(url(project))
    assert response.status_code == 403
    assert "進捗管理はワーキンググループリーダー" in response.content.decode()


def test_another_offices_project_timeline_is_not_found(client, stranger, project):
    client.force_login(stranger)
    assert client.get(url(project)).status_code == 404


def test_the_timeline_runs_a_fixed_number_of_queries(client, people, project, indicators):
    periods = make_periods(project.plan, 4, past=4)
    client.force_login(people.subcommittee)
    client.get(url(project))
    satisfaction, waiting = indicators
    file_report(project, periods[0], people.lead, values={satisfaction: Decimal(73)})
    with CaptureQueriesContext(connection) as small:
        client.get(url(project))
    for period in periods[1:]:
        file_report(
            project, period, people.lead, values={satisfaction: Decimal(75), waiting: Decimal(20)}
        )
    for budget in (100, 200, 300):
        project.budget_requested = budget
        project.save()
    for n in range(5):
        MilestoneFactory(project=project, title=f"段階{n}", done_on=today())
    with CaptureQueriesContext(connection) as big:
        response = client.get(url(project))
    assert len(response.context["events"]) > 10
    assert len(big) <= len(small)
