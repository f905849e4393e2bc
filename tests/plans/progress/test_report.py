"""The progress report (進捗状況報告書) of a reporting period: rendered from factory data at a
fixed day (20 November 2026, fiscal 2026, quarterly periods), its text holds the headings,
the counts, the matrix states, a project's P/D/C/A and the overdue list; its charts are
followed by their tables; user text never makes WeasyPrint fetch; the command, the form and
a job; a fixed number of queries whatever the number of projects and periods."""

import base64
import re
import subprocess
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from plans.models import (
    IndicatorValue,
    ProgressReport,
    Project,
    ReportingFrequency,
    ReportingPeriod,
    Stage,
)
from plans.progress import services as progress_services
from plans.progress.report import ProgressForm, build_progress, default_period
from takatsu_portal.reports.kinds import get_kind
from takatsu_portal.reports.models import ReportJob
from takatsu_portal.reports.rendering import make_fetcher, render_pdf, static_root
from takatsu_portal.reports.services import report_request
from tests.pdf import pdf_text
from tests.plans.factories import IndicatorFactory, PlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db

State = ProgressReport.State
Status = ProgressReport.Status
EVIL = '<img src="file:///etc/passwd"> 詳細は https://example.com/leak.png を参照'
EVIL_NAME = '<image href="file:///etc/passwd"/>案内の満足度'
DAY = "2026-11-20 10:00 +0900"


@pytest.fixture(autouse=True)
def on_20_november_2026():
    with time_machine.travel(DAY, tick=False):
        yield


def set_periods(plan, people, frequency=ReportingFrequency.QUARTERLY):
    """The plan's periods as the subcommittee sets them (quarterly: Q1 due 14 July, Q2 due
    14 October 2026)."""
    return progress_services.plan_set_reporting(
        plan=plan, by=people.subcommittee, frequency=frequency, due_days=14
    )


def make_report(project, period, author, *, state, status=Status.ON_TRACK, percent=0, **fields):
    """A report in `state`, written straight to the database (the services are tested in
    tests/plans; here only what the report reads matters)."""
    return ProgressReport.objects.create(
        project=project,
        period=period,
        author=author,
        state=state,
        status=status,
        progress_percent=percent,
        submitted_at=None if state == State.DRAFT else timezone.now(),
        **fields,
    )


@pytest.fixture
def quarters(plan, people):
    plan.stage = Stage.IN_PROGRESS
    plan.save()
    return set_periods(plan, people)


@pytest.fixture
def projects(plan, group, people, quarters, sections):
    """R8-01 accepted in Q1 and Q2 (注意, 55%, with the reviewer's comment), indicator values;
    R8-02 a draft for Q1 (overdue) and a delayed Q2 report with hostile text, and an
    indicator with a hostile name (in its chart's SVG);
    R8-03 nothing filed, no working group (overdue); R8-04 completed, nothing filed."""
    q1, q2, q3, _ = quarters
    one = ProjectFactory(
        plan=plan, code="R8-01", title="窓口番号表示の導入", working_group=group,
        section=sections.kumin, status=Project.Status.IN_PROGRESS,
    )  # fmt: skip
    two = ProjectFactory(
        plan=plan, code="R8-02", title="案内表示の改善", working_group=group,
        section=sections.kumin, status=Project.Status.IN_PROGRESS,
    )  # fmt: skip
    three = ProjectFactory(plan=plan, code="R8-03", title="庁舎サインの多言語化")
    four = ProjectFactory(
        plan=plan, code="R8-04", title="記載台の改修", status=Project.Status.COMPLETED
    )
    satisfaction = IndicatorFactory(
        project=one, name="窓口の満足度", unit="%", baseline=72, target=80
    )
    first = make_report(
        one, q1, people.lead, state=State.ACCEPTED, percent=30,
        plan_text="番号札の導入を計画", do_text="番号札を試行", check_text="待ち時間が短縮",
        act_text="表示板を増やす",
    )  # fmt: skip
    second = make_report(
        one, q2, people.lead, state=State.ACCEPTED, status=Status.AT_RISK, percent=55,
        plan_text="表示板を2階にも設置する", do_text="2階の表示板を発注した",
        check_text="納期が遅れている", act_text="業者と工程を再調整する",
        reviewed_by=people.subcommittee, reviewed_at=timezone.now(),
        review_comment="納期の見通しを次回の報告に書いてください。",
    )  # fmt: skip
    IndicatorValue.objects.create(report=first, indicator=satisfaction, actual=Decimal("74"))
    IndicatorValue.objects.create(report=second, indicator=satisfaction, actual=Decimal("78.5"))
    # A report of a later period: never part of the Q2 report.
    make_report(
        one, q3, people.lead, state=State.SUBMITTED, status=Status.DELAYED, percent=70,
        do_text="第3四半期に先行して着手",
    )  # fmt: skip
    make_report(two, q1, people.lead, state=State.DRAFT)
    IndicatorFactory(project=two, name=EVIL_NAME, unit="%", baseline=50, target=60)
    make_report(
        two, q2, people.lead, state=State.SUBMITTED, status=Status.DELAYED, percent=10,
        plan_text="案内表示を見直す", do_text=EVIL, check_text="未着手", act_text="体制を見直す",
    )  # fmt: skip
    return {"one": one, "two": two, "three": three, "four": four}


def render(period):
    fetcher = make_fetcher()
    built = build_progress({"period": period.pk})
    pdf, pages = render_pdf(built.title, built.html, fetcher=fetcher)
    return built, pdf, pages, fetcher


def write(tmp_path, pdf, name="progress.pdf"):
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def flat(text):
    return re.sub(r"\s", "", text)


def charts(html):
    """The charts of the HTML: (position, data: URI, SVG text) for each <img> of a chart."""
    return [
        (match.start(), match.group(1), base64.b64decode(match.group(2)).decode())
        for match in re.finditer(r'src="(data:image/svg\+xml;base64,([A-Za-z0-9+/=]+))"', html)
    ]


# ---------------------------------------------------------------------------------------------
# What the PDF says


def test_progress_pdf_has_headings_counts_pdca_and_embedded_cjk_font(
    tmp_path, plan, people, quarters, projects
):
    built, pdf, pages, _ = render(quarters[1])
    assert built.title == "令和8年度 高津区役所 進捗状況報告書（第2四半期（7〜9月））"
    path = write(tmp_path, pdf)
    text = pdf_text(path)
    for heading in [
        "進捗状況報告書",
        "令和8年度",
        "第2四半期（7〜9月）（令和8年9月30日現在）",
        "目次",
        "1. 状況のまとめ",
        "2. 報告期間ごとの提出状況",
        "3. 事業ごとの最新の報告",
        "4. 指標の推移",
        "5. 期限を過ぎた報告",
        plan.office.name,
    ]:
        assert heading in text, heading
    summary = flat(text.split("1. 状況のまとめ")[-1].split("2. 報告期間ごとの提出状況")[0])
    # 遅延 1 (R8-02), 注意 1 (R8-01), 順調 0, 完了 0, 報告なし 2 (R8-03, R8-04) of 4.
    for row in ["遅延1件25%", "注意1件25%", "順調0件0%", "完了0件0%", "報告なし2件50%", "合計4件"]:
        assert row in summary, row
    assert "期限を過ぎた報告がある事業:2件（期限を過ぎた報告:2件）" in summary
    # R8-01's latest report (Q2): P/D/C/A, progress, status and the reviewer's comment.
    reports = flat(text.split("3. 事業ごとの最新の報告")[-1])
    for fragment in [
        "R8-01窓口番号表示の導入",
        "報告期間：第2四半期（7〜9月）（受理）状況：注意進捗率：55%",
        "表示板を2階にも設置する",
        "2階の表示板を発注した",
        "納期が遅れている",
        "業者と工程を再調整する",
        "納期の見通しを次回の報告に書いてください。",
        flat(f"（{people.subcommittee.full_name}・令和8年11月20日）"),
        "第2四半期（7〜9月）までに提出された報告はありません。",  # R8-03
    ]:
        assert fragment in reports, fragment
    assert "第3四半期に先行して着手" not in text  # a later period's report
    assert pages >= 6
    assert re.search(rf"\b3 ?/ ?{pages}\b", text)  # page numbers n / N
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    cjk = [line for line in fonts.splitlines() if "Noto-Sans-CJK-JP" in line]
    assert cjk and all(" yes " in line for line in cjk)  # embedded, not a fallback
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout
    assert "進捗状況報告書" in info.stdout


def test_charts_are_followed_by_their_tables(tmp_path, quarters, projects):
    built, pdf, *_ = render(quarters[1])
    html = built.html
    (bar, _, bar_svg), (line, _, line_svg), (_, _, evil_svg) = charts(html)
    # The status bar chart, then its table; the indicator's line chart, then its table.
    assert 'id="status-counts-title"' in bar_svg and "遅延" in bar_svg
    assert bar < html.index("最新の報告の状況別の事業数（表）", bar)
    indicator = projects["one"].indicators.get()
    assert f'id="indicator-{indicator.pk}-title"' in line_svg
    assert line < html.index("窓口の満足度（%）（表）", line)
    for svg in (bar_svg, line_svg, evil_svg):
        assert svg.startswith("<svg") and "Noto Sans CJK JP" in svg  # CJK text in the chart
    assert 'alt="窓口の満足度（%）の折れ線グラフ（数値は下の表）"' in html
    text = pdf_text(write(tmp_path, pdf))
    indicators = flat(text.split("4. 指標の推移")[-1].split("5. 期限を過ぎた報告")[0])
    assert "R8-01窓口番号表示の導入" in indicators
    assert "実績値目標値基準値" in indicators  # the chart's legend, drawn as text
    # The table has the periods as columns, then the target and the baseline.
    row = "報告期間第1四半期第2四半期目標値（%）基準値（%）実績値（%）7478.58072"
    assert row in indicators
    assert "目指す方向：増やす" in indicators
    assert "R8-02案内表示の改善" in indicators and "R8-03" not in indicators  # no indicators


def test_matrix_shows_states_as_text_and_the_overdue_list_has_lead_and_days(
    tmp_path, people, quarters, projects
):
    # A factory name such as 高津 太郎9854 may wrap in the narrow column: a short one does not.
    people.lead.full_name = "溝口 一郎"
    people.lead.save(update_fields=["full_name"])
    built, pdf, *_ = render(quarters[1])
    text = pdf_text(write(tmp_path, pdf))
    matrix = text.split("2. 報告期間ごとの提出状況")[-1].split("3. 事業ごとの最新の報告")[0]
    lines = [line.strip() for line in matrix.splitlines()]
    rows = {line.split()[0]: flat(line) for line in lines if line.startswith("R8-")}
    # Board order: overdue first (R8-02, R8-03), then the worst status, then code.
    assert list(rows) == ["R8-02", "R8-03", "R8-01", "R8-04"]
    assert rows["R8-01"].endswith("受理受理")
    assert rows["R8-02"].endswith("期限超過提出済み")
    assert rows["R8-03"].endswith("期限超過未提出")
    assert rows["R8-04"].endswith("未提出未提出")  # completed: owes nothing
    assert "下書きあり" in matrix  # the note under R8-02's overdue cell
    assert "第3四半期" not in matrix and "期限 7/14" in matrix and "期限 10/14" in matrix
    overdue = flat(text.split("5. 期限を過ぎた報告")[-1])
    # Q1 was due on 14 July; as of 30 September that is 78 days.
    assert "期限を過ぎても提出・受理されていない報告（2件）" in overdue
    assert "R8-02案内表示の改善第1四半期（4〜6月）令和8年7月14日溝口一郎78日下書きあり" in overdue
    assert "R8-03庁舎サインの多言語化第1四半期（4〜6月）令和8年7月14日未設定78日未作成" in overdue
    assert built.facts == {
        "fiscal_year": 2026,
        "plan": quarters[1].plan.title,
        "period": "第2四半期（7〜9月）",
        "as_of": "2026-09-30",
        "projects": 4,
        "overdue": 2,
    }


def test_report_of_an_earlier_period_leaves_later_reports_and_periods_out(quarters, projects):
    built = build_progress({"period": quarters[0].pk})
    html = built.html
    assert "第1四半期（4〜6月）" in built.title
    assert "表示板を増やす" in html  # R8-01's Q1 report is its latest as of Q1
    assert "表示板を2階にも設置する" not in html and "第2四半期" not in html
    # As of 30 June nothing was due yet: no overdue report, R8-02 has only a draft.
    assert built.facts["as_of"] == "2026-06-30" and built.facts["overdue"] == 0
    assert "期限を過ぎた報告はありません。" in html


def test_as_of_is_today_when_the_period_has_not_ended(quarters, projects):
    built = build_progress({"period": quarters[2].pk})  # Q3 ends on 31 December
    assert built.facts["as_of"] == "2026-11-20"
    assert "令和8年11月20日現在" in built.html
    assert "第3四半期に先行して着手" in built.html


def test_user_text_with_img_and_url_renders_as_text_and_fetches_nothing(
    tmp_path, quarters, projects
):
    built, pdf, _, fetcher = render(quarters[1])
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in built.html
    assert '<img src="file:///etc/passwd">' not in built.html
    text = flat(pdf_text(write(tmp_path, pdf), layout=False))
    assert '<imgsrc="file:///etc/passwd">' in text and "https://example.com/leak.png" in text
    # The charts are data: images; an indicator's name is text inside its SVG, never a tag.
    images = charts(built.html)
    (_, _, svg) = images[-1]
    assert "&lt;image href=&quot;file:///etc/passwd&quot;/&gt;案内の満足度" in svg
    assert "<image" not in svg and 'href="' not in svg
    assert '<image href="file:///etc/passwd"/>案内の満足度（%）' in pdf_text(write(tmp_path, pdf))
    css = (static_root() / "css" / "print.css").as_uri()
    assert fetcher.calls == [css, *[uri for _, uri, _ in images]]


# ---------------------------------------------------------------------------------------------
# Layout: the matrix on landscape pages, its header repeated


def page_sizes(path):
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return [
        (float(w), float(h))
        for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    ]


def test_twelve_monthly_periods_fit_the_landscape_matrix_and_its_header_repeats(
    tmp_path, plan, people, group
):
    plan.stage = Stage.IN_PROGRESS
    plan.save()
    months = set_periods(plan, people, ReportingFrequency.MONTHLY)
    for n in range(45):
        project = ProjectFactory(
            plan=plan, code=f"M-{n:02d}", title=f"月次の事業{n}", working_group=group
        )
        make_report(project, months[0], people.lead, state=State.ACCEPTED)
    _, pdf, pages, _ = render(months[-1])  # 3月: every month in the matrix
    path = write(tmp_path, pdf)
    texts = pdf_text(path).split("\f")
    sizes = page_sizes(path)
    assert len(sizes) == pages
    matrix_pages = [i for i, t in enumerate(texts) if re.search(r"期限 \d+/\d+", t)]
    assert len(matrix_pages) >= 2  # the table broke across pages and its header repeated
    for index in matrix_pages:
        width, height = sizes[index]
        assert width > height  # A4 landscape
        header = flat(texts[index])
        for month in ["4月", "9月", "12月", "3月"]:
            assert month in header, (index, month)
        assert "3月" in header and "期限4/14" in header  # the last column (due 14 April) fits
    portrait = [i for i in range(pages) if i not in matrix_pages]
    assert all(sizes[i][0] < sizes[i][1] for i in portrait)
    assert "令和8年度 進捗状況報告書（3月）" in texts[matrix_pages[-1]]  # running header


# ---------------------------------------------------------------------------------------------
# Defaults, command, form, job


def test_default_period_is_the_latest_that_ended_of_this_years_plan(quarters, projects):
    assert default_period() == quarters[1]  # Q2 ended on 30 September, Q3 not yet
    assert get_kind("progress").default_params() == {"period": quarters[1].pk}


def test_default_period_is_the_first_when_none_has_ended(quarters):
    with time_machine.travel("2026-05-01 10:00 +0900", tick=False):
        assert default_period() == quarters[0]


def test_default_period_refuses_a_plan_without_periods(plan):
    with pytest.raises(ValueError, match="報告期間がありません"):
        default_period()
    with pytest.raises(CommandError, match="報告期間がありません"):
        call_command("render_report", "progress", "--output", "/dev/null")


def test_render_report_command_with_period_and_with_no_option(tmp_path, quarters, projects):
    out = tmp_path / "cli.pdf"
    call_command("render_report", "progress", "--period", str(quarters[0].pk), "--output", out)
    assert out.read_bytes().startswith(b"%PDF")
    assert "第1四半期（4〜6月）（令和8年6月30日現在）" in pdf_text(out)
    default = tmp_path / "default.pdf"
    call_command("render_report", "progress", "--output", str(default))
    assert "第2四半期（7〜9月）（令和8年9月30日現在）" in pdf_text(default)


def test_form_offers_only_periods_of_the_users_office(people, quarters, stranger):
    other_plan = PlanFactory(office=stranger.office)
    other = ReportingPeriod.objects.create(
        plan=other_plan,
        number=1,
        label="第1四半期（4〜6月）",
        starts_on=quarters[0].starts_on,
        ends_on=quarters[0].ends_on,
        due_on=quarters[0].due_on,
    )
    form = ProgressForm(user=people.subcommittee)
    assert list(form.fields["period"].queryset) == quarters
    assert "令和8年度" in str(form["period"])
    refused = ProgressForm({"period": other.pk}, user=people.subcommittee)
    assert not refused.is_valid() and "period" in refused.errors
    accepted = ProgressForm({"period": quarters[1].pk}, user=people.subcommittee)
    assert accepted.is_valid() and accepted.params() == {"period": quarters[1].pk}
    assert list(ProgressForm(user=stranger).fields["period"].queryset) == [other]


def test_a_requested_job_succeeds_with_the_reports_facts(
    people, quarters, projects, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(
            kind="progress", params={"period": quarters[1].pk}, by=people.subcommittee
        )
    job.refresh_from_db()
    assert job.state == ReportJob.State.SUCCEEDED
    assert job.office == quarters[1].plan.office
    snapshot = job.version.snapshot
    assert snapshot["facts"]["period"] == "第2四半期（7〜9月）"
    assert snapshot["facts"]["projects"] == 4 and snapshot["facts"]["overdue"] == 2
    assert job.version.page_count >= 6


def test_a_council_member_may_not_request_the_report(people, quarters):
    with pytest.raises(PermissionDenied):
        report_request(kind="progress", params={"period": quarters[1].pk}, by=people.council)
    assert not ReportJob.objects.exists()


# ---------------------------------------------------------------------------------------------
# Queries


def many(plan, people, group, *, projects, periods):
    """`projects` projects over the first `periods` quarters or months, each with two
    indicators and a filed report with values for every period but the last."""
    plan.stage = Stage.IN_PROGRESS
    plan.save()
    frequency = ReportingFrequency.MONTHLY if periods > 4 else ReportingFrequency.QUARTERLY
    chosen = set_periods(plan, people, frequency)[:periods]
    for n in range(projects):
        project = ProjectFactory(
            plan=plan, code=f"Q-{n:03d}", working_group=group if n % 2 else None
        )
        indicators = [
            IndicatorFactory(project=project, name="満足度"),
            IndicatorFactory(project=project, name="待ち時間", unit="分", baseline=30, target=20),
        ]
        for period in chosen[:-1]:
            report = make_report(
                project, period, people.lead, state=State.ACCEPTED, review_comment="確認済み",
                reviewed_by=people.subcommittee, reviewed_at=timezone.now(),
            )  # fmt: skip
            for indicator in indicators:
                IndicatorValue.objects.create(report=report, indicator=indicator, actual=75)
    return chosen[-1]


QUERY_BOUND = 8  # period, periods, projects, summary, reports + values, states, indicators


@pytest.mark.parametrize(("projects", "periods"), [(3, 2), (30, 6)])
def test_the_report_takes_a_fixed_number_of_queries(
    plan, people, group, projects, periods, django_assert_max_num_queries
):
    period = many(plan, people, group, projects=projects, periods=periods)
    with django_assert_max_num_queries(QUERY_BOUND):
        built = build_progress({"period": period.pk})
    assert built.facts["projects"] == projects
    assert len(charts(built.html)) == 1 + 2 * projects
    assert built.html.count("確認済み") == projects
