"""The demo reports of seed_demo (demo/reports.py): one finished PDF of each
kind for the demo office, the year-end evaluation presented at the council's pending item, a
failed request to show the retry, and nothing new on a second run."""

import re
import subprocess

import pytest
from django.urls import reverse

from demo.reports import FAILED_ERROR
from plans.models import AgendaItem
from takatsu_portal.accounts.models import User
from takatsu_portal.reports.kinds import kinds
from takatsu_portal.reports.models import ReportJob, ReportVersion
from tests.pdf import pdf_text

from . import seeding


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo with its reports, once for the module, rolled back at its end.

    MEDIA_ROOT changes through override_settings: the file storage of this process may have
    been built by an earlier test, and only the setting_changed signal makes it look again.
    """
    media = tmp_path_factory.mktemp("media")
    yield from seeding.once(
        django_db_blocker,
        lambda: (seeding.seed_demo(), seeding.seed_demo(), media),
        DEMO_REPORTS=True,
        MEDIA_ROOT=media,
    )


DEMO_KINDS = [k.key for k in kinds() if not k.key.startswith("test_") and k.on_reports_page]


HEADINGS = {
    "annual_plan": ["区役所サービス向上計画", "5つの基本方針", "取組別の事業", "予算の合計"],
    "proposals": ["事業企画案と予算の概要", "会議の議題", "事業企画案"],
    "progress": ["進捗状況報告書", "状況のまとめ", "事業ごとの最新の報告", "指標の推移"],
    "evaluation": ["年度末評価報告書", "評価の概要"],
    "satisfaction": ["区民満足度調査報告書", "調査の概要"],
    "inspection": ["バリアフリー点検報告書", "点検の概要", "指摘事項", "の指摘事項の集計"],
    "training": ["研修実施状況報告書", "実施の概要", "課ごとの必修研修の受講状況"],
    "bulletin_issue": ["職員向け情報紙", "目次", "マイナ保険証への移行に伴う窓口案内"],
    "citywide": ["区役所比較報告書", "この報告書について", "区民満足度（総合）", "宮前区役所"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", DEMO_KINDS)
def test_each_kind_renders_from_the_demo_data_with_its_headings_and_font(seeded, kind):
    job = ReportJob.objects.get(kind=kind, state=ReportJob.State.SUCCEEDED)
    assert job.version.page_count >= 2
    media = seeded[2]  # (the tests' own MEDIA_ROOT is another folder)
    path = media / job.version.file.name
    assert path.read_bytes()[:5] == b"%PDF-"
    text = pdf_text(path)
    for heading in HEADINGS[kind]:
        assert heading in text, (kind, heading)
    assert "高津区役所" in text
    assert re.search(rf"2\s*/\s*{job.version.page_count}\b", text)  # page numbers n / N
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    cjk = [line for line in fonts.splitlines() if "Noto-Sans-CJK-JP" in line]
    assert cjk and all(" yes " in line for line in cjk)


@pytest.mark.django_db
def test_the_citywide_report_belongs_to_no_office_and_the_city(seeded, client):
    job = ReportJob.objects.get(kind="citywide")
    assert job.office is None and job.requested_by.username == "city"
    client.force_login(User.objects.get(username="subcommittee"))
    assert client.get(reverse("reports:detail", args=[job.pk])).status_code == 404
    client.force_login(User.objects.get(username="city"))
    assert client.get(reverse("reports:detail", args=[job.pk])).status_code == 200


@pytest.mark.django_db
def test_a_second_run_renders_nothing_again(seeded):
    first, second, _ = seeded
    assert "報告書（PDF）: " in second
    assert "（新規 0、更新 0）" in second.split("報告書（PDF）: ")[1].splitlines()[0]
    assert ReportVersion.objects.count() == len(DEMO_KINDS)
    assert ReportJob.objects.filter(error=FAILED_ERROR).count() == 1


@pytest.mark.django_db
def test_the_evaluation_is_presented_at_the_pending_item(seeded, client):
    item = AgendaItem.objects.get(report_version__isnull=False)
    assert item.decision == AgendaItem.Decision.PENDING
    assert item.report_version.job.kind == "evaluation"
    client.force_login(User.objects.get(username="council"))
    page = client.get(item.meeting.get_absolute_url()).content.decode()
    assert item.report_version.title in page


@pytest.mark.django_db
def test_the_failed_demo_job_offers_its_requester_a_retry(seeded, client):
    job = ReportJob.objects.get(error=FAILED_ERROR)
    client.force_login(job.requested_by)
    html = client.get(reverse("reports:detail", args=[job.pk])).content.decode()
    assert "No space left on device" in html and reverse("reports:retry", args=[job.pk]) in html
