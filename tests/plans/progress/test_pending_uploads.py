# ruff: noqa: F811  (fixtures imported from the neighbouring test modules)
"""A failed submit keeps the uploaded files (#10.6): a progress report refused for 進捗率 120
keeps the attached PDF as a pending upload, shows it, and attaches it when the corrected form
is saved; the pending list is signed for its user; one never attached expires after
PENDING_UPLOAD_HOURS and the beat task (or the command) deletes its row and its file."""

import os
import re
from datetime import timedelta
from html import unescape
from io import StringIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from plans.models import Attachment
from takatsu_portal.core.models import PendingUpload
from takatsu_portal.core.tasks import expire_pending_uploads

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


# ---------------------------------------------------------------------------------------------
# Expiry: a pending upload never attached is deleted after PENDING_UPLOAD_HOURS


def refuse_with_a_file(client, people, report, name="a.pdf"):
    client.force_login(people.lead)
    response = client.post(
        edit(report),
        form_data(report, progress_percent=120, attachments=[SimpleUploadedFile(name, PDF)]),
    )
    assert response.status_code == 200
    return pending_token(response)


def pending_files(media):
    return [p for p in (media / "pending").rglob("*") if p.is_file()]


def later(hours):
    return time_machine.travel(timezone.now() + timedelta(hours=hours), tick=False)


def test_a_pending_upload_never_attached_is_deleted_after_a_day(
    client, people, report, media, settings
):
    settings.PENDING_UPLOAD_HOURS = 24
    token = refuse_with_a_file(client, people, report)
    row = PendingUpload.objects.get()
    assert (row.user, row.name) == (people.lead, "a.pdf")
    assert len(pending_files(media)) == 1

    with later(23):
        call_command("expire_pending_uploads", stdout=StringIO())
        assert PendingUpload.objects.count() == 1 and len(pending_files(media)) == 1

    with later(25):
        out = StringIO()
        call_command("expire_pending_uploads", stdout=out)
        assert "保存待ちのファイルを1件削除しました。" in out.getvalue()
        assert not PendingUpload.objects.exists()
        assert pending_files(media) == []
        # The page's old list gives nothing back, and the corrected form saves without it.
        response = client.post(edit(report), form_data(report, pending_uploads=token))
        assert response.status_code == 302
        assert not Attachment.objects.exists()


def test_an_expired_list_is_not_taken_back_even_before_the_cleanup_ran(
    client, people, report, media, settings
):
    settings.PENDING_UPLOAD_HOURS = 2
    token = refuse_with_a_file(client, people, report)
    with later(3):
        response = client.post(edit(report), form_data(report, pending_uploads=token))
        assert response.status_code == 302
        assert not Attachment.objects.exists()
        assert expire_pending_uploads.delay().get() == 1  # the beat's task
        assert not PendingUpload.objects.exists() and pending_files(media) == []


def test_the_beat_runs_the_expiry_every_hour(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["expire-pending-uploads"]
    assert (entry["task"], entry["schedule"]) == ("core.expire_pending_uploads", 3600)
    assert expire_pending_uploads.name == "core.expire_pending_uploads"


def test_an_attached_upload_leaves_no_row_and_a_stray_old_file_is_removed(
    client, people, report, media
):
    token = refuse_with_a_file(client, people, report)
    client.post(edit(report), form_data(report, pending_uploads=token))
    assert Attachment.objects.count() == 1
    assert not PendingUpload.objects.exists()
    # A file of the folder without a row (kept before rows existed): removed once old enough,
    # while a recent pending upload stays.
    stray = media / "pending" / "0123456789abcdef"
    stray.write_bytes(PDF)
    refuse_with_a_file(client, people, report, name="recent.pdf")
    with later(1):
        assert expire_pending_uploads.delay().get() == 0
    old = (timezone.now() - timedelta(hours=30)).timestamp()
    os.utime(stray, (old, old))
    assert expire_pending_uploads.delay().get() == 1
    assert not stray.exists()
    assert PendingUpload.objects.get().name == "recent.pdf"
    assert len(pending_files(media)) == 1
