"""Narrow PDF columns keep their words whole and a heading stays with what follows (#10.11):
the annual plan's 「ワーキンググループ」 header is not broken into 「ワーキンググ／ループ」; a
project's heading is never the last line of a page."""

import re

import pytest

from plans.plan.report import build_annual_plan
from takatsu_portal.reports.rendering import make_fetcher, render_pdf
from tests.pdf import pdf_text
from tests.plans.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_a_narrow_header_keeps_its_word_whole(tmp_path, plan, group):
    ProjectFactory(plan=plan, title="窓口番号表示の導入", working_group=group)
    built = build_annual_plan({"plan": plan.pk})
    pdf, _ = render_pdf(built.title, built.html, fetcher=make_fetcher())
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    lines = pdf_text(path, layout=False).splitlines()
    # Whole, or broken between its two words; never inside one.
    assert "ワーキンググループ" in lines or "グループ" in lines
    assert not any(line.endswith("ワーキンググ") for line in lines)
    assert "ループ" not in lines


def test_every_chart_page_names_its_project(tmp_path, plan, people, group, sections):
    """A project's second chart may start a page: its heading goes with it (#10.11)."""
    from decimal import Decimal

    from plans.models import IndicatorValue, ProgressReport, ReportingFrequency, Stage
    from plans.progress import services as progress
    from plans.progress.report import build_progress
    from tests.plans.factories import IndicatorFactory

    plan.stage = Stage.IN_PROGRESS
    plan.save()
    progress.plan_set_reporting(
        plan=plan, by=people.subcommittee, frequency=ReportingFrequency.QUARTERLY, due_days=10
    )
    first_period = plan.periods.first()
    for n in range(1, 4):
        project = ProjectFactory(
            plan=plan,
            code=f"R8-0{n}",
            title=f"事業{n}",
            working_group=group,
            section=sections.kumin,
        )
        report = ProgressReport.objects.create(
            project=project, period=first_period, author=people.lead,
            state=ProgressReport.State.ACCEPTED, progress_percent=10,
        )  # fmt: skip
        for i in range(3):
            indicator = IndicatorFactory(project=project, name=f"指標{n}-{i}", unit="件")
            IndicatorValue.objects.create(report=report, indicator=indicator, actual=Decimal(i))
    built = build_progress({"period": first_period.pk})
    pdf, _ = render_pdf(built.title, built.html, fetcher=make_fetcher())
    path = tmp_path / "progress.pdf"
    path.write_bytes(pdf)
    pages = pdf_text(path, layout=False).split("\f")
    chart_pages = [page for page in pages if "（表）" in page and "指標" in page]
    assert len(chart_pages) > 1
    captions = 0
    for page in chart_pages:
        for caption in re.findall(r"指標(\d)-\d（件）（表）", page):
            captions += 1
            assert f"R8-0{caption}" in page, page[:200]
    assert captions == 9  # every chart's table was found and checked
