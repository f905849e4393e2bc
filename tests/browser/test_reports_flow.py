"""Council reports in the browser, with a real Celery worker: the subcommittee asks for the
annual plan report, watches its row change from 待機中 to 完了 without reloading (htmx
polling), downloads the PDF and opens the job's page; the council member finds it too. axe-core
checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from plans.models import Stage
from tests.plans.factories import IndicatorFactory, PlanFactory, ProjectFactory
from tests.worker import celery_worker

from .conftest import assert_no_axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.worker]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_subcommittee_asks_for_a_report_and_downloads_it_when_the_worker_is_done(
    page, demo_users, section, media
):
    office = section.department.office
    plan = PlanFactory(
        office=office, stage=Stage.REPORTED, title="令和8年度 高津区役所サービス向上計画"
    )
    project = ProjectFactory(plan=plan, title="総合案内の改善", section=section)
    IndicatorFactory(project=project, name="窓口の満足度", unit="%", baseline=72, target=80)

    with celery_worker(extra_env={"MEDIA_ROOT": str(media)}):
        log_in(page, "subcommittee")
        page.get_by_role("link", name="報告書").first.click()
        expect(page.get_by_role("heading", level=1, name="報告書")).to_be_visible()
        assert_no_axe_violations(page)

        form = page.get_by_role("form", name=re.compile("区役所サービス向上計画"))
        form.get_by_label("計画").select_option(label=f"{plan.fy.label} {plan.title}")
        form.get_by_role("button", name="作成を依頼する").click()
        expect(page.get_by_text("の作成を受け付けました")).to_be_visible()

        # The row of the new job updates itself until the worker has made the PDF.
        mine = page.get_by_role("region", name=re.compile("自分の依頼"))
        link = mine.get_by_role("link", name=re.compile(r"PDF（\d+ページ"))
        expect(link).to_be_visible(timeout=60_000)
        expect(mine.get_by_text("完了")).to_be_visible()
        assert_no_axe_violations(page)

        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename.endswith(".pdf")
        assert download.value.path().read_bytes()[:5] == b"%PDF-"

        mine.get_by_role("link", name=re.compile(r"^\d+$")).first.click()
        expect(page.get_by_role("heading", name="できあがった版")).to_be_visible()
        expect(page.get_by_text("作成開始")).to_be_visible()
        assert_no_axe_violations(page)

    # The council member reads the report among those of the office.
    page.context.clear_cookies()
    log_in(page, "council")
    page.goto("/reports/")
    others = page.get_by_role("region", name="閲覧できる報告書")
    expect(others.get_by_role("link", name=re.compile(r"PDF（\d+ページ"))).to_be_visible()
    expect(page.get_by_role("button", name="作成を依頼する")).to_have_count(0)
    assert_no_axe_violations(page)
