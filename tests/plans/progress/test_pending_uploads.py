# ruff: noqa: F811  (fixtures imported from the neighbouring test modules)
"""A failed submit keeps the uploaded files (#10.6): a progress report refused for 進捗率 120
keeps the attached PDF as a pending upload, shows it, and attaches it when the corrected form
is saved; the pending list is signed for its user; long forms open with an error summary."""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plans.models import Attachment

from .test_attachments import PDF, edit, form_data, media, report  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def pending_token(response):
    match = re.search(r'name="pending_uploads" value="([^"]*)"', response.content.decode())
    return unescape(match.group(1)) if match else ""


def test_a_refused_report_keeps_its_attachment_and_attaches_it_when_corrected(
    client,
    people,
    report,
    media,
):
    client.force_login(people.lead)
    response = client.post(
        edit(report),
        form_data(
            report,
            progress_percent=120,
            attachments=[SimpleUploadedFile("窓口アンケート結果.pdf", PDF)],
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "入力内容を確認してください" in html  # the summary at the top
    assert "保存すると添付されるファイル" in html and "窓口アンケート結果.pdf" in html
    assert not Attachment.objects.exists()
    token = pending_token(response)
    assert token

    response = client.post(edit(report), form_data(report, pending_uploads=token))
    assert response.status_code == 302
    attachment = Attachment.objects.get(report=report)
    assert attachment.original_name == "窓口アンケート結果.pdf"
    assert attachment.file.read() == PDF
    # The pending copy is gone once attached.
    assert not [p for p in (media / "pending").rglob("*") if p.is_file()]


def test_another_users_pending_list_is_ignored(client, people, report):
    client.force_login(people.lead)
    response = client.post(
        edit(report),
        form_data(report, progress_percent=120, attachments=[SimpleUploadedFile("a.pdf", PDF)]),
    )
    token = pending_token(response)
    client.force_login(people.subcommittee)
    response = client.post(edit(report), form_data(report, pending_uploads=token))
    assert response.status_code == 302
    assert not Attachment.objects.exists()


def test_a_forged_pending_list_is_ignored(client, people, report):
    client.force_login(people.lead)
    response = client.post(edit(report), form_data(report, pending_uploads="forged:abc"))
    assert response.status_code == 302
    assert not Attachment.objects.exists()
