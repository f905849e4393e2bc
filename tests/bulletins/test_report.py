"""An issue as an A4 PDF through the reports mechanism: the kind's build, the worker's render,
and the request and download from the issue's page."""

import re

import pytest
from django.urls import reverse

from bulletins.report import KEY, build_issue
from takatsu_portal.reports import tasks  # noqa: F401  (registers the worker's render task)
from takatsu_portal.reports.kinds import get_kind
from takatsu_portal.reports.models import ReportJob
from takatsu_portal.reports.rendering import render_pdf
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(make_article):
    first = make_article(
        title="マイナンバーカードの交付手順の変更",
        body="# 変更点\n\n予約制になります。<script>alert(1)</script>\n\n![地図](https://evil.example/x.png)",
        required=True,
    )
    make_article(issue=first.issue, published=False, title="窓口での声かけのポイント")
    return first.issue


def test_the_kind_is_registered_with_its_labels():
    kind = get_kind(KEY)
    assert kind.permission == "bulletins.read"
    assert kind.request_permission == "bulletins.edit"
    assert set(kind.fact_labels) >= {"issue", "articles", "required"}


def test_the_pdf_has_a_cover_contents_articles_and_page_numbers(issue, tmp_path):
    built = build_issue({"issue": issue.pk})
    assert built.facts["articles"] == 2 and built.facts["required"] == 1
    assert "<script>" not in built.html
    pdf, pages = render_pdf(built.title, built.html)
    assert pages >= 3  # cover, contents, articles
    path = tmp_path / "issue.pdf"
    path.write_bytes(pdf)
    text = pdf_text(path)
    assert f"職員向け情報紙 {issue.label}" in text
    assert "令和" in text and "発行" in text
    assert "目次" in text
    assert "マイナンバーカードの交付手順の変更" in text
    assert "窓口での声かけのポイント" in text
    assert "［画像：地図］" in text
    assert re.search(rf"\b{pages}\s*/\s*{pages}\b", text)


def test_an_editor_asks_for_the_pdf_and_readers_download_it(
    client, people, issue, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(people.editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bulletins:issue_pdf", args=[issue.pk]))
    assert response.status_code == 302
    job = ReportJob.objects.get(kind=KEY)
    assert job.state == ReportJob.State.SUCCEEDED
    client.force_login(people.staff)
    page = client.get(issue.get_absolute_url()).content.decode()
    download = reverse("bulletins:issue_pdf_download", args=[issue.pk, job.pk])
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
