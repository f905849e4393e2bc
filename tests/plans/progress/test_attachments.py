"""Attachments of progress reports: what may be uploaded (type, size, content, name), how it is
stored (random name outside the web root, images re-encoded), who may download it (as a
download under its original name) and delete it."""

import io
import re
from html import unescape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from plans.models import Attachment, ProgressReport, ReportingFrequency, Stage
from plans.progress import services as progress_services
from takatsu_portal.core import uploads
from tests.plans.factories import ProjectFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
TEXTS = {
    "plan_text": "番号表示を試行する。",
    "do_text": "番号表示を試行した。",
    "check_text": "苦情が減った。",
    "act_text": "表示の位置を見直す。",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def report(plan, people, group, sections):
    plan.stage = Stage.IN_PROGRESS
    plan.save()
    progress_services.plan_set_reporting(
        plan=plan, by=people.subcommittee, frequency=ReportingFrequency.QUARTERLY, due_days=10
    )
    project = ProjectFactory(plan=plan, code="R8-01", working_group=group, section=sections.kumin)
    return progress_services.report_start(
        project=project, period=plan.periods.first(), by=people.lead
    )


@pytest.fixture
def attachment(report, people):
    return progress_services.attachment_add(
        report=report, by=people.lead, uploaded=SimpleUploadedFile("窓口アンケート結果.pdf", PDF)
    )


def edit(report):
    return reverse("plans:report_edit", args=[report.pk])


def download(attachment):
    return reverse("plans:attachment_download", args=[attachment.pk])


def delete(attachment):
    return reverse("plans:attachment_delete", args=[attachment.pk])


def text(response):
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def form_data(report, **extra):
    report.refresh_from_db()
    return {
        **TEXTS,
        "progress_percent": 10,
        "status": "on_track",
        "version": report.version,
        **extra,
    }


def upload(client, report, *files, **extra):
    return client.post(edit(report), form_data(report, attachments=list(files), **extra))


def raw_upload(client, report, filename, content):
    """A multipart POST with the file name exactly as given (the test client would strip the
    folder part itself)."""
    boundary = "----takatsu-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in form_data(report).items()
    ]
    parts.append(
        f"--{boundary}\r\nContent-Disposition: form-data; "
        f'name="attachments"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return client.post(
        edit(report), b"".join(parts), content_type=f"multipart/form-data; boundary={boundary}"
    )


def png(extra=b""):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue() + extra


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()]


def body(response):
    """The file's bytes (the test client closes the response once they are read)."""
    return b"".join(response.streaming_content)


# ---------------------------------------------------------------------------------------------
# Uploading


def test_lead_attaches_a_pdf_stored_under_a_random_name(client, people, report, media):
    client.force_login(people.lead)
    response = upload(client, report, SimpleUploadedFile("アンケート集計.pdf", PDF))
    assert response.status_code == 302
    attachment = Attachment.objects.get(report=report)
    assert attachment.original_name == "アンケート集計.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert attachment.uploaded_by == people.lead
    assert re.fullmatch(rf"attachments/{report.pk}/[0-9a-f]{{32}}", attachment.file.name)
    path = Path(attachment.file.path)
    assert path.is_relative_to(media)
    assert path.read_bytes() == PDF
    # The report's text was saved in the same request.
    report.refresh_from_db()
    assert report.do_text == TEXTS["do_text"]


def test_several_files_may_be_attached_at_once(client, people, report):
    client.force_login(people.lead)
    upload(
        client,
        report,
        SimpleUploadedFile("a.pdf", PDF),
        SimpleUploadedFile("集計.csv", "窓口,件数\n区民課,12\n".encode()),
    )
    assert sorted(report.attachments.values_list("original_name", flat=True)) == [
        "a.pdf",
        "集計.csv",
    ]


def test_at_most_five_files_at_once(client, people, report, media):
    client.force_login(people.lead)
    files = [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(6)]
    response = upload(client, report, *files)
    assert response.status_code == 200
    assert "一度に添付できるファイルは5件までです。" in text(response)
    assert not Attachment.objects.exists()


def test_an_uppercase_extension_is_fine(client, people, report):
    client.force_login(people.lead)
    upload(client, report, SimpleUploadedFile("evil.PDF", PDF))
    attachment = Attachment.objects.get()
    assert attachment.original_name == "evil.PDF"
    assert attachment.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "添付できるファイルの種類は"),
        ("report.pdf.exe", b"MZ\x90\x00" + b"\x00" * 60, "添付できるファイルの種類は"),
        ("page.html", b"<html><script>alert(1)</script></html>", "添付できるファイルの種類は"),
        ("noextension", PDF, "添付できるファイルの種類は"),
        ("report.pdf", b"<html><script>alert(1)</script></html>", "中身が拡張子と一致しません"),
        ("report.pdf", b"MZ\x90\x00" + b"\x00" * 60, "中身が拡張子と一致しません"),
        ("table.xlsx", b"<?xml version='1.0'?><x/>", "中身が拡張子と一致しません"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"not an image", "画像ファイルとして読み取れません"),
        ("photo.jpg", PDF, "中身が拡張子と一致しません"),
        ("memo.txt", b"\x00\x01\x02\xff\xfe\x00", "テキストファイルとして読み取れません"),
    ],
)
def test_a_bad_file_is_refused_with_the_reason_and_nothing_is_saved(
    client, people, report, media, name, content, reason
):
    client.force_login(people.lead)
    response = upload(client, report, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    page = text(response)
    assert reason in page
    assert TEXTS["check_text"] in page  # the input is kept
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    report.refresh_from_db()
    assert report.do_text == ""  # nothing of the request was saved


def test_an_oversized_file_is_refused(client, people, report, media, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ATTACHMENT_BYTES", 100)
    client.force_login(people.lead)
    response = upload(client, report, SimpleUploadedFile("big.pdf", PDF + b"x" * 200))
    assert response.status_code == 200
    assert "ファイルが大きすぎます" in text(response)
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_an_empty_file_is_refused(client, people, report):
    client.force_login(people.lead)
    response = upload(client, report, SimpleUploadedFile("empty.pdf", b""))
    assert response.status_code == 200
    assert not Attachment.objects.exists()


def test_an_image_is_re_encoded_without_what_it_carried(client, people, report):
    junk = b"<script>alert(document.cookie)</script>"
    client.force_login(people.lead)
    upload(client, report, SimpleUploadedFile("写真.png", png(extra=junk)))
    attachment = Attachment.objects.get()
    stored = Path(attachment.file.path).read_bytes()
    assert junk not in stored
    assert stored.startswith(b"\x89PNG\r\n\x1a\n")
    assert attachment.size == len(stored)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (8, 8)
    assert junk not in body(client.get(download(attachment)))


@pytest.mark.parametrize(
    ("filename", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.pdf", "win.pdf"),
        ("/var/www/static/x.pdf", "x.pdf"),
        ("re\x01port\x07.pdf", "report.pdf"),
        (".hidden.pdf", "hidden.pdf"),
    ],
)
def test_a_tricky_file_name_never_reaches_the_disk(client, people, report, media, filename, shown):
    client.force_login(people.lead)
    response = raw_upload(client, report, filename, PDF)
    assert response.status_code == 302, text(response)
    attachment = Attachment.objects.get()
    assert attachment.original_name == shown
    assert re.fullmatch(rf"attachments/{report.pk}/[0-9a-f]{{32}}", attachment.file.name)
    assert stored_files(media) == [Path(attachment.file.path)]


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\boot.ini.pdf", "boot.ini.pdf"),
        ("re\x00port\x1f.pdf", "report.pdf"),
        ("<script>.pdf", "script.pdf"),
        ("..", ""),
        ("報告書（第1四半期）.pdf", "報告書（第1四半期）.pdf"),
    ],
)
def test_upload_names_are_cleaned_whatever_reaches_the_service(name, clean):
    assert uploads.clean_upload_name(name) == clean


def test_a_nul_in_the_name_given_to_the_service_is_dropped(people, report):
    uploaded = SimpleUploadedFile("x.pdf", PDF)
    uploaded._name = "re\x00port.pdf.exe\x00.pdf"
    name, content_type, _ = uploads.validate_upload(uploaded)
    assert name == "report.pdf.exe.pdf"
    assert content_type == "application/pdf"


def test_no_upload_on_a_report_that_cannot_be_edited(client, people, report):
    report.refresh_from_db()
    for field, value in TEXTS.items():
        setattr(report, field, value)
    progress_services.report_save(
        report=report, by=people.lead, values={}, expected_version=report.version
    )
    progress_services.report_submit(report=report, by=people.lead, expected_version=report.version)
    client.force_login(people.lead)
    response = upload(client, report, SimpleUploadedFile("late.pdf", PDF))
    assert response.status_code == 302
    assert not Attachment.objects.exists()


def test_files_are_not_kept_when_the_save_is_refused_for_a_concurrent_edit(
    client, people, report, media
):
    stale = form_data(report)["version"]
    report.refresh_from_db()
    report.do_text = "部会の変更"
    progress_services.report_save(
        report=report, by=people.subcommittee, values={}, expected_version=report.version
    )
    client.force_login(people.lead)
    data = {
        **form_data(report),
        "version": stale,
        "attachments": [SimpleUploadedFile("a.pdf", PDF)],
    }
    response = client.post(edit(report), data)
    assert response.status_code == 200
    assert "他の人が先に保存した変更" in text(response)
    # Not attached, but kept as a pending upload for the next save (#10.6).
    assert "添付ファイルはまだ保存されていません" in text(response)
    assert "保存すると添付されるファイル" in text(response)
    assert not Attachment.objects.exists()
    assert [p.parent.name for p in stored_files(media)] == ["pending"]


# ---------------------------------------------------------------------------------------------
# Downloading


@pytest.mark.parametrize(
    "role", ["lead", "other_lead", "subcommittee", "council", "manager", "admin"]
)
def test_readers_of_progress_download_the_file_under_its_name(client, people, attachment, role):
    client.force_login(getattr(people, role))
    response = client.get(download(attachment))
    assert response.status_code == 200
    assert body(response) == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # RFC 6266 / 5987: the Japanese name, percent-encoded in UTF-8.
    assert "filename*=utf-8''%E7%AA%93%E5%8F%A3" in disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_report_page_links_to_the_download(client, people, attachment, report):
    client.force_login(people.council)
    response = client.get(reverse("plans:report_detail", args=[report.pk]))
    assert download(attachment) in response.content.decode()
    assert "窓口アンケート結果.pdf" in text(response)


def test_staff_cannot_download(client, people, attachment):
    client.force_login(people.staff)
    response = client.get(download(attachment))
    assert response.status_code == 403
    assert "進捗報告は、ワーキンググループリーダー" in text(response)


def test_a_member_of_another_office_cannot_download(client, stranger, attachment):
    client.force_login(stranger)
    assert client.get(download(attachment)).status_code == 404


def test_anonymous_cannot_download(client, attachment):
    response = client.get(download(attachment))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_file_missing_on_disk_is_not_found(client, people, attachment):
    Path(attachment.file.path).unlink()
    client.force_login(people.lead)
    assert client.get(download(attachment)).status_code == 404


# ---------------------------------------------------------------------------------------------
# Deleting


def test_lead_deletes_an_attachment_of_a_draft(client, people, attachment, report):
    path = Path(attachment.file.path)
    client.force_login(people.lead)
    page = client.get(edit(report)).content.decode()
    assert delete(attachment) in page
    response = client.post(delete(attachment))
    assert response.status_code == 302
    assert response.url == edit(report)
    assert not Attachment.objects.exists()
    assert not path.exists()


def test_an_attachment_of_a_submitted_report_stays(client, people, attachment, report):
    report.refresh_from_db()
    for field, value in TEXTS.items():
        setattr(report, field, value)
    progress_services.report_save(
        report=report, by=people.lead, values={}, expected_version=report.version
    )
    progress_services.report_submit(report=report, by=people.lead, expected_version=report.version)
    client.force_login(people.lead)
    response = client.post(delete(attachment), follow=True)
    assert "「提出済み」の報告は編集できません" in text(response)
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert Path(attachment.file.path).exists()


@pytest.mark.parametrize("role", ["other_lead", "council", "manager", "staff"])
def test_others_cannot_delete_an_attachment(client, people, attachment, role):
    client.force_login(getattr(people, role))
    assert client.post(delete(attachment)).status_code == 403
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_a_member_of_another_office_cannot_delete(client, stranger, attachment):
    client.force_login(stranger)
    assert client.post(delete(attachment)).status_code == 404
    assert Attachment.objects.exists()


def test_delete_needs_a_post(client, people, attachment):
    client.force_login(people.lead)
    assert client.get(delete(attachment)).status_code == 405
    assert ProgressReport.objects.exists() and Attachment.objects.exists()
