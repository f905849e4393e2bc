"""The floor's import jobs (core/imports.py), with a kind of this test's own: a file of lines
"ok" or "bad …", each good line written as a notification to the confirming person. The tasks
run in this process (eager) when a transaction commits; tests/browser/test_imports_flow.py
runs them in a real worker."""

import re

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from kombu.exceptions import OperationalError

from takatsu_portal.core import imports, tabular
from takatsu_portal.core.import_tasks import import_check, import_write
from takatsu_portal.core.models import ImportJob, Notification

pytestmark = pytest.mark.django_db
State = ImportJob.State

KIND = "tests.lines"
# What the sample kind does when it meets a line; set by the tests that need it.
HOOKS = {}


def _lines(data):
    return [line.strip() for line in data.decode().splitlines() if line.strip()]


def sample_check(job, data, progress):
    lines = _lines(data)
    if lines and lines[0] == "unreadable":
        raise tabular.ImportRefused("1行目の見出しを確認してください。")
    progress.checked(0, total=len(lines), force=True)
    rows, bad = [], []
    for number, line in enumerate(lines, start=1):
        if "during_check" in HOOKS and number == HOOKS["during_check"][0]:
            HOOKS["during_check"][1](job)
        errors = [f"「{line}」は読めません"] if line.startswith("bad") else []
        rows.append({"number": number, "action": "新規", "cells": [line], "errors": errors})
        if errors:
            bad.append({"number": number, "errors": errors})
        progress.checked(number, force=True)
    return imports.Checked(
        rows_total=len(lines),
        headers=["内容"],
        rows=rows,
        bad=bad,
        summary=f"新規{len(lines) - len(bad)}件",
        to_write=len(lines) - len(bad),
    )


def sample_write(job, data, progress):
    lines = _lines(data)
    if HOOKS.get("recheck"):
        raise imports.Recheck(sample_check(job, data, imports.SILENT), "内容が変わりました。")
    written = 0
    for start in range(0, len(lines), 2):
        Notification.objects.bulk_create(
            [
                Notification(recipient=job.confirmed_by, message=f"行：{line}")
                for line in lines[start : start + 2]
            ]
        )
        written += len(lines[start : start + 2])
        progress.written(written, force=True)
        if "during_write" in HOOKS:
            HOOKS["during_write"](job, written)
    return imports.Written(rows_written=written, message=f"{written}行を取り込みました。")


imports.register(
    imports.ImportKind(
        key=KIND,
        label="テストの取込み",
        permission=imports.MANAGE,
        refusal="テストの取込みは推進部会の委員と管理者が行えます。",
        office_of=lambda params: params["office"],
        check=sample_check,
        write=sample_write,
        target=lambda job: ("テストの取込み先", "/"),
        done_link=lambda job: ("トップへ", "/"),
        upload_url=lambda job: "/",
    )
)


@pytest.fixture(autouse=True)
def clean_hooks():
    HOOKS.clear()
    yield
    HOOKS.clear()


def run_tasks():
    return TestCase.captureOnCommitCallbacks(execute=True)


def new_job(people, office, content="ok 1\nok 2\nok 3\n", *, by=None, run=True):
    upload = SimpleUploadedFile("lines.csv", content.encode())
    by = by or people.subcommittee
    if not run:
        with TestCase.captureOnCommitCallbacks(execute=False):
            return imports.import_request(
                kind=KIND, params={"office": office.pk}, upload=upload, by=by
            )
    with run_tasks():
        job = imports.import_request(kind=KIND, params={"office": office.pk}, upload=upload, by=by)
    job.refresh_from_db()
    return job


def written_lines(user):
    return sorted(
        Notification.objects.filter(recipient=user, message__startswith="行：").values_list(
            "message", flat=True
        )
    )


# ---------------------------------------------------------------------------------------------
# The job's life: stored, checked, confirmed, written


def test_a_job_is_stored_and_queued_and_checked_only_after_commit(people, office, media):
    job = new_job(people, office, run=False)
    job.refresh_from_db()
    assert (job.state, job.rows_checked, job.office, job.filename) == (
        State.QUEUED,
        0,
        office,
        "lines.csv",
    )
    assert job.file.name.startswith("imports/") and "lines" not in job.file.name
    assert job.file.read() == b"ok 1\nok 2\nok 3\n"
    assert len(job.sha256) == 64 and job.size == 15
    assert import_check(job.pk) == State.READY
    job.refresh_from_db()
    assert (job.state, job.rows_total, job.rows_checked, job.bad_rows) == (State.READY, 3, 3, 0)
    assert job.is_confirmable and job.result["to_write"] == 3
    assert written_lines(people.subcommittee) == []  # checking writes nothing


def test_a_confirmed_job_writes_every_row_and_tells_the_requester(people, office, media):
    job = new_job(people, office)
    with run_tasks():
        imports.import_confirm(job=job, by=people.subcommittee)
    job.refresh_from_db()
    assert (job.state, job.rows_written, job.confirmed_by) == (State.DONE, 3, people.subcommittee)
    assert job.finished_at is not None and job.result["message"] == "3行を取り込みました。"
    assert written_lines(people.subcommittee) == ["行：ok 1", "行：ok 2", "行：ok 3"]
    told = Notification.objects.get(recipient=people.subcommittee, message__contains="終わりました")
    assert told.url == reverse("imports:detail", args=[job.pk])


def test_every_bad_row_is_reported_and_such_a_job_cannot_be_confirmed(people, office, media):
    job = new_job(people, office, "ok 1\nbad 2\nok 3\nbad 4\n")
    assert (job.state, job.bad_rows) == (State.READY, 2)
    assert job.result["bad"] == [
        {"number": 2, "errors": ["「bad 2」は読めません"]},
        {"number": 4, "errors": ["「bad 4」は読めません"]},
    ]
    assert "取り込めない行が2行あります" in job.state_text
    with pytest.raises(ValidationError, match="すべての行が正しい取込みだけです"):
        imports.import_confirm(job=job, by=people.subcommittee)
    job.refresh_from_db()
    assert job.state == State.READY
    assert import_write(job.pk) is None  # a write task sent by hand does nothing
    assert written_lines(people.subcommittee) == []


def test_writing_is_all_or_nothing(people, office, media):
    """An error after some batches: none of the rows stays, the job fails with a reason in
    Japanese and the technical text apart."""

    def explode(job, written):
        if written >= 2:
            raise RuntimeError("disk on fire")

    HOOKS["during_write"] = explode
    job = new_job(people, office, "ok 1\nok 2\nok 3\nok 4\n")
    with run_tasks():
        imports.import_confirm(job=job, by=people.subcommittee)
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert job.error == imports.UNEXPECTED_ERROR
    assert job.error_detail == "RuntimeError: disk on fire"
    assert written_lines(people.subcommittee) == []
    assert Notification.objects.filter(message__contains="失敗しました").exists()


def test_progress_of_writing_is_read_from_the_cache_while_the_transaction_runs(
    people, office, media
):
    seen = []

    def look(job, written):
        # What the page would show now (another connection cannot see the transaction).
        seen.append(imports.get_import_job_for_user(people.subcommittee, job.pk).progress_value)

    HOOKS["during_write"] = look
    job = new_job(people, office, "ok 1\nok 2\nok 3\n")
    with run_tasks():
        imports.import_confirm(job=job, by=people.subcommittee)
    assert seen == [(2, 3), (3, 3)]
    assert cache.get(f"imports:written:{job.pk}") is None  # cleared at the end


def test_progress_of_checking_is_saved_on_the_job_as_it_goes(people, office, media):
    seen = []

    def look(job):
        seen.append(ImportJob.objects.values_list("state", "rows_checked", "rows_total").get())

    HOOKS["during_check"] = (3, look)
    new_job(people, office, "ok 1\nok 2\nok 3\nok 4\n")
    assert seen == [(State.CHECKING, 2, 4)]


def test_a_job_cancelled_while_it_is_checked_stops_at_its_next_update(people, office, media):
    HOOKS["during_check"] = (2, lambda job: imports.import_cancel(job=job, by=people.subcommittee))
    job = new_job(people, office, "ok 1\nok 2\nok 3\n")
    assert job.state == State.CANCELLED
    assert job.rows_checked == 1 and job.result == {}
    assert not job.file.storage.exists(job.file.name)  # nothing came of it


def test_a_queued_job_cancelled_is_never_checked(people, office, media):
    job = new_job(people, office, run=False)
    imports.import_cancel(job=job, by=people.subcommittee)
    assert import_check(job.pk) is None
    job.refresh_from_db()
    assert (job.state, job.rows_checked) == (State.CANCELLED, 0)


def test_a_checked_job_may_be_cancelled_but_not_once_writing_began(people, office, media):
    job = new_job(people, office)
    imports.import_cancel(job=job, by=people.subcommittee)
    job.refresh_from_db()
    assert job.state == State.CANCELLED
    with pytest.raises(ValidationError, match="取り込めるのは、確認が終わり"):
        imports.import_confirm(job=job, by=people.subcommittee)

    attempts = []

    def cancel_now(job, written):
        try:
            imports.import_cancel(job=job, by=people.subcommittee)
        except ValidationError as error:
            attempts.extend(error.messages)

    HOOKS["during_write"] = cancel_now
    job = new_job(people, office, "ok 1\n")
    with run_tasks():
        imports.import_confirm(job=job, by=people.subcommittee)
    job.refresh_from_db()
    assert job.state == State.DONE
    assert attempts == ["書込みが始まった取込み、又は終わった取込みは取り消せません。"]


def test_a_file_refused_by_the_check_fails_with_the_reason(people, office, media):
    job = new_job(people, office, "unreadable\n")
    assert (job.state, job.error) == (State.FAILED, "1行目の見出しを確認してください。")
    assert job.error_detail == ""


def test_a_failed_job_can_be_retried_and_then_imports(people, office, media):
    HOOKS["during_write"] = lambda job, written: (_ for _ in ()).throw(OSError("gone"))
    job = new_job(people, office, "ok 1\n")
    with run_tasks():
        imports.import_confirm(job=job, by=people.subcommittee)
    job.refresh_from_db()
    assert job.state == State.FAILED
    HOOKS.clear()
    with run_tasks():
        imports.import_retry(job=job, by=people.subcommittee)
    job.refresh_from_db()
    # Checked again from the start, waiting for a new confirmation.
    assert (job.state, job.confirmed_at, job.error, job.attempts) == (State.READY, None, "", 3)
    with run_tasks():
        imports.import_confirm(job=job, by=people.subcommittee)
    job.refresh_from_db()
    assert job.state == State.DONE
    assert written_lines(people.subcommittee) == ["行：ok 1"]
    with pytest.raises(ValidationError, match="失敗した取込みだけ"):
        imports.import_retry(job=job, by=people.subcommittee)


def test_a_write_that_finds_the_file_changed_goes_back_to_the_preview(people, office, media):
    HOOKS["recheck"] = True
    job = new_job(people, office, "ok 1\n")
    with run_tasks():
        imports.import_confirm(job=job, by=people.subcommittee)
    job.refresh_from_db()
    assert (job.state, job.confirmed_at, job.result["warning"]) == (
        State.READY,
        None,
        "内容が変わりました。",
    )
    assert written_lines(people.subcommittee) == []


def test_a_broker_that_cannot_be_reached_fails_the_job_with_a_reason(
    people, office, media, monkeypatch
):
    def unreachable(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(import_check, "delay", unreachable)
    job = new_job(people, office)
    assert job.state == State.FAILED
    assert job.error == imports.SEND_ERROR
    assert "Connection refused" in job.error_detail


def test_only_the_kinds_permission_may_request_or_confirm(people, office, media):
    with pytest.raises(PermissionDenied):
        new_job(people, office, by=people.staff)
    job = new_job(people, office, by=people.admin)
    with pytest.raises(PermissionDenied):
        imports.import_confirm(job=job, by=people.manager)
    with pytest.raises(PermissionDenied):
        imports.import_cancel(job=job, by=people.manager)
    # The subcommittee manages every job of the office.
    imports.import_confirm(job=job, by=people.subcommittee)


def test_a_file_refused_at_the_upload_makes_no_job(people, office, media):
    with pytest.raises(tabular.ImportRefused, match="空です"):
        imports.import_request(
            kind=KIND,
            params={"office": office.pk},
            upload=SimpleUploadedFile("lines.csv", b""),
            by=people.subcommittee,
        )
    assert not ImportJob.objects.exists()


# ---------------------------------------------------------------------------------------------
# The job's page


def test_the_requester_sees_progress_in_a_live_region_with_a_progress_bar(
    client, people, office, media
):
    job = new_job(people, office, run=False)
    client.force_login(people.subcommittee)
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert '<div id="import-live" role="status" aria-live="polite">' in page
    assert 'hx-trigger="every 2s"' in page and f"?was={State.QUEUED}" in page
    assert "<progress" in page and "待機中（確認の順番待ち）" in page
    assert ">表示を更新する</a>" in page  # without JavaScript
    assert "取消<span" in page


def test_the_poll_returns_the_status_and_once_changed_the_actions_and_result(
    client, people, office, media
):
    job = new_job(people, office, "ok 1\nbad 2\n")
    client.force_login(people.subcommittee)
    url = reverse("imports:detail", args=[job.pk])
    same = client.get(url, {"was": State.READY}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in same and 'id="import-status"' in same
    assert "hx-swap-oob" not in same
    assert "hx-trigger" not in same  # checked: the poll stops
    changed = client.get(url, {"was": State.CHECKING}, headers={"HX-Request": "true"})
    html = changed.content.decode()
    assert 'id="import-actions" hx-swap-oob="true"' in html
    assert 'id="import-result" hx-swap-oob="true"' in html
    assert "取り込めない行が1行あります" in html and "2行目：「bad 2」は読めません" in html
    assert "2 / 2行（100%）" in html


def test_the_page_of_a_ready_job_offers_to_import_and_cancel(client, people, office, media):
    job = new_job(people, office)
    client.force_login(people.subcommittee)
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "すべての行を取り込めます" in page and ">取り込む</button>" in page
    assert "3 / 3行（100%）" in page
    with run_tasks():
        response = client.post(reverse("imports:confirm", args=[job.pk]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "3行を取り込みました。" in page and "取消<span" not in page


def test_the_page_of_a_failed_job_explains_and_offers_a_retry(client, people, office, media):
    HOOKS["during_write"] = lambda job, written: (_ for _ in ()).throw(KeyError("x"))
    job = new_job(people, office, "ok 1\n")
    with run_tasks():
        imports.import_confirm(job=job, by=people.subcommittee)
    client.force_login(people.subcommittee)
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "取り込めませんでした（何も取り込んでいません）" in page
    assert imports.UNEXPECTED_ERROR in page and "技術的な情報" in page
    assert ">再実行する</button>" in page
    with run_tasks():
        client.post(reverse("imports:retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == State.READY  # checked again (the hook only breaks the writing)


@pytest.mark.parametrize(
    ("who", "status"),
    [("subcommittee", 200), ("admin", 200), ("staff", 403), ("manager", 403), ("council", 403)],
)
def test_who_may_see_a_job(client, people, office, media, who, status):
    job = new_job(people, office, by=people.admin)
    client.force_login(getattr(people, who))
    response = client.get(reverse("imports:detail", args=[job.pk]))
    assert response.status_code == status
    if status == 403:
        assert imports.VIEW_REFUSAL in response.content.decode()
        for action in ("cancel", "confirm", "retry"):
            assert client.post(reverse(f"imports:{action}", args=[job.pk])).status_code == 403
        job.refresh_from_db()
        assert job.state == State.READY


def test_a_member_of_another_office_finds_no_job(client, people, office, stranger, media):
    job = new_job(people, office)
    client.force_login(stranger)
    assert client.get(reverse("imports:detail", args=[job.pk])).status_code == 404
    for action in ("cancel", "confirm", "retry"):
        assert client.post(reverse(f"imports:{action}", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.state == State.READY


def test_actions_are_posts_only(client, people, office, media):
    job = new_job(people, office)
    client.force_login(people.subcommittee)
    for action in ("cancel", "confirm", "retry"):
        assert client.get(reverse(f"imports:{action}", args=[job.pk])).status_code == 405
    job.refresh_from_db()
    assert job.state == State.READY


# ---------------------------------------------------------------------------------------------
# The sweep (beat): jobs a dead worker left behind, messages lost


def test_the_sweep_fails_a_job_a_dead_worker_left_checking_and_then_retry_works(
    people, office, media, settings
):
    import datetime

    from django.utils import timezone

    from takatsu_portal.core.import_tasks import import_sweep

    job = new_job(people, office, "ok 1\n", run=False)
    # A worker took it up, then died: the job stays 内容を確認中 with no worker behind it.
    ImportJob.objects.filter(pk=job.pk).update(state=State.CHECKING, started_at=timezone.now())
    assert import_sweep() == {"failed": 0, "resent": 0}  # still within its time
    late = timezone.now() - datetime.timedelta(seconds=settings.IMPORT_JOB_TIMEOUT + 61)
    ImportJob.objects.filter(pk=job.pk).update(started_at=late)
    assert import_sweep() == {"failed": 1, "resent": 0}
    job.refresh_from_db()
    assert (job.state, job.error) == (State.FAILED, imports.STUCK_ERROR)
    assert Notification.objects.filter(
        recipient=people.subcommittee, message__contains="に失敗しました"
    ).exists()
    with run_tasks():
        imports.import_retry(job=job, by=people.subcommittee)
    job.refresh_from_db()
    assert job.state == State.READY


def test_the_sweep_fails_a_job_left_writing_and_nothing_is_written(people, office, media, settings):
    import datetime

    from django.utils import timezone

    from takatsu_portal.core.import_tasks import import_sweep

    job = new_job(people, office, "ok 1\n")
    late = timezone.now() - datetime.timedelta(seconds=settings.IMPORT_JOB_TIMEOUT + 61)
    ImportJob.objects.filter(pk=job.pk).update(
        state=State.WRITING, started_at=late, confirmed_at=late, confirmed_by=people.subcommittee
    )
    assert import_sweep()["failed"] == 1
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert "何も取り込んでいません" in job.error
    assert written_lines(people.subcommittee) == []


def test_the_sweep_sends_again_a_queued_job_whose_message_was_lost(people, office, media):
    import datetime

    from django.utils import timezone

    from takatsu_portal.core.import_tasks import import_sweep

    job = new_job(people, office, "ok 1\nok 2\n", run=False)  # its message never went out
    assert import_sweep() == {"failed": 0, "resent": 0}  # younger than a minute: left alone
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    assert import_sweep() == {"failed": 0, "resent": 1}
    job.refresh_from_db()
    assert (job.state, job.rows_total) == (State.READY, 2)
    # A confirmed job whose write message was lost is written by the sweep's second send.
    ImportJob.objects.filter(pk=job.pk).update(
        state=State.QUEUED,
        confirmed_at=timezone.now() - datetime.timedelta(minutes=2),
        confirmed_by=people.subcommittee,
    )
    assert import_sweep() == {"failed": 0, "resent": 1}
    job.refresh_from_db()
    assert job.state == State.DONE
    assert written_lines(people.subcommittee) == ["行：ok 1", "行：ok 2"]


def test_the_sweep_runs_every_minute_in_beat(settings):
    assert settings.CELERY_BEAT_SCHEDULE["import-sweep"] == {
        "task": "core.import_sweep",
        "schedule": 60,
    }


def test_a_refused_button_says_why_on_the_jobs_page(client, people, office, media):
    job = new_job(people, office, "ok 1\n")
    imports.import_cancel(job=job, by=people.subcommittee)
    client.force_login(people.subcommittee)
    response = client.post(reverse("imports:cancel", args=[job.pk]), follow=True)
    assert response.redirect_chain == [(reverse("imports:detail", args=[job.pk]), 302)]
    refusal = "書込みが始まった取込み、又は終わった取込みは取り消せません。"
    assert refusal in response.content.decode()
    response = client.post(reverse("imports:retry", args=[job.pk]), follow=True)
    assert "失敗した取込みだけを再実行できます。" in response.content.decode()


def test_the_poll_reads_no_preview_and_asks_no_target_while_nothing_changed(
    client, people, office, media
):
    import dataclasses
    from unittest import mock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    job = new_job(people, office, "ok 1\nok 2\nok 3\n")
    with run_tasks():
        imports.import_confirm(job=job, by=people.subcommittee)
    # Writing (as the worker left it half-way): the bar counts the rows to write.
    ImportJob.objects.filter(pk=job.pk).update(state=State.WRITING, rows_written=1)
    targets = []
    kind = imports.REGISTRY[KIND]
    counting = dataclasses.replace(
        kind, target=lambda job: targets.append(job.pk) or kind.target(job)
    )
    client.force_login(people.subcommittee)
    url = reverse("imports:detail", args=[job.pk])
    with (
        mock.patch.dict(imports.REGISTRY, {KIND: counting}),
        CaptureQueriesContext(connection) as captured,
    ):
        poll = client.get(url, {"was": State.WRITING}, headers={"HX-Request": "true"})
    html = poll.content.decode()
    assert "1 / 3行（33%）" in html and "hx-swap-oob" not in html
    selects = [q["sql"] for q in captured.captured_queries if "core_importjob" in q["sql"]]
    assert len(selects) == 1, selects
    # The preview is never selected as a column; only its count of rows to write is read.
    assert not re.search(r'(?<!\()"core_importjob"\."result"', selects[0])
    assert "to_write" in selects[0]
    assert targets == []
    with mock.patch.dict(imports.REGISTRY, {KIND: counting}):
        page = client.get(url).content.decode()
    assert targets == [job.pk] and "テストの取込み先" in page


# ---------------------------------------------------------------------------------------------
# The bad rows as a CSV, and the history of imports


def test_the_bad_rows_download_as_a_csv_that_excel_opens(client, people, office, media):
    from takatsu_portal.core.models import AuditEvent

    job = new_job(people, office, "ok 1\nbad 2\nok 3\nbad, 4\n")
    client.force_login(people.subcommittee)
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    url = reverse("imports:errors_csv", args=[job.pk])
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads it as UTF-8
    lines = content.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "行,識別,内容,取り込めない理由"
    assert lines[1] == "2,,bad 2,「bad 2」は読めません"
    assert lines[2] == '4,,"bad, 4","「bad, 4」は読めません"'
    assert lines[3:] == [""]
    event = AuditEvent.objects.get(action="export", detail__what="import_errors")
    assert event.detail == {"what": "import_errors", "job": job.pk, "rows": 2}


def test_the_bad_rows_csv_leaves_out_the_cells_for_whom_the_kind_hides_them(people, office, media):
    job = new_job(people, office, "bad 1\nok 2\n")
    header, rows = imports.bad_rows_table(job, with_cells=False)
    assert header == ["行", "識別", "取り込めない理由"]
    assert [values for _label, values in rows] == [["1", "", "「bad 1」は読めません"]]


HIDDEN_KIND = "tests.lines.hidden"
imports.register(
    imports.ImportKind(
        key=HIDDEN_KIND,
        label="テストの取込み（行は管理者だけ）",
        permission=imports.MANAGE,
        refusal="テストの取込みは推進部会の委員と管理者が行えます。",
        office_of=lambda params: params["office"],
        check=sample_check,
        write=sample_write,
        target=lambda job: ("テストの取込み先", "/"),
        done_link=lambda job: ("トップへ", "/"),
        upload_url=lambda job: "/",
        rows_permission="portal.admin_site",
        rows_refusal="行の内容は管理者だけが見られます。",
    )
)


def test_the_bad_rows_csv_shows_the_cells_only_to_whom_the_kind_shows_the_rows(
    client, people, office, media
):
    upload = SimpleUploadedFile("lines.csv", b"bad secret\n")
    with run_tasks():
        job = imports.import_request(
            kind=HIDDEN_KIND, params={"office": office.pk}, upload=upload, by=people.subcommittee
        )
    url = reverse("imports:errors_csv", args=[job.pk])
    client.force_login(people.subcommittee)
    lines = client.get(url).content.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "行,識別,取り込めない理由"
    assert lines[1] == "1,,「bad secret」は読めません"
    client.force_login(people.admin)
    assert client.get(url).content.decode("utf-8-sig").split("\r\n")[1] == (
        "1,,bad secret,「bad secret」は読めません"
    )


def test_only_who_may_see_the_job_downloads_its_bad_rows(client, people, office, stranger, media):
    job = new_job(people, office, "bad 1\n", by=people.admin)
    url = reverse("imports:errors_csv", args=[job.pk])
    client.force_login(people.staff)
    response = client.get(url)
    assert response.status_code == 403 and imports.VIEW_REFUSAL in response.content.decode()
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(people.subcommittee)
    assert client.get(url).status_code == 200


def test_a_job_without_bad_rows_has_no_bad_rows_csv(client, people, office, media):
    job = new_job(people, office)
    client.force_login(people.subcommittee)
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "errors.csv" not in page
    assert client.get(reverse("imports:errors_csv", args=[job.pk])).status_code == 404


def make_jobs(office, by, count, **fields):
    return ImportJob.objects.bulk_create(
        [
            ImportJob(
                kind=KIND,
                params={"office": office.pk},
                office=office,
                requested_by=by,
                filename=f"file{number}.csv",
                **fields,
            )
            for number in range(count)
        ]
    )


def listed(page):
    return re.findall(r'<a href="/imports/(\d+)/">', page)


def test_the_history_lists_ones_own_jobs_and_for_managers_the_offices(
    client, people, office, stranger, media
):
    own = make_jobs(office, people.staff, 1, state=State.DONE, rows_written=3)
    others = make_jobs(office, people.admin, 2)
    elsewhere = make_jobs(stranger.office, stranger, 1)
    url = reverse("imports:index")

    client.force_login(people.staff)
    page = client.get(url).content.decode()
    assert '<h1 class="h3">取込みの履歴</h1>' in page
    assert "あなたが取り込んだファイルの一覧です。" in page
    assert listed(page) == [str(own[0].pk)]
    assert "完了" in page and "（3件）" in page

    client.force_login(people.subcommittee)
    page = client.get(url).content.decode()
    assert "この区役所で取り込まれたファイルの一覧です。" in page
    assert sorted(listed(page)) == sorted(str(job.pk) for job in own + others)
    assert str(elsewhere[0].pk) not in listed(page)

    client.force_login(stranger)
    assert listed(client.get(url).content.decode()) == [str(elsewhere[0].pk)]


def test_the_history_filters_by_state_and_ignores_an_unknown_state(client, people, office, media):
    done = make_jobs(office, people.admin, 1, state=State.DONE)
    failed = make_jobs(office, people.admin, 1, state=State.FAILED)
    client.force_login(people.admin)
    url = reverse("imports:index")
    assert listed(client.get(url, {"state": "failed"}).content.decode()) == [str(failed[0].pk)]
    assert len(listed(client.get(url, {"state": "nonsense"}).content.decode())) == 2
    assert done


def test_the_upload_pages_list_link_to_the_history(client, people, office, media):
    job = new_job(people, office)
    client.force_login(people.subcommittee)
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert f'href="{reverse("imports:index")}"' in page  # the breadcrumbs
    from django.template.loader import render_to_string

    html = render_to_string("core/imports/_jobs.html", {"import_jobs": [job]})
    assert f'href="{reverse("imports:index")}"' in html


@pytest.mark.parametrize("count", [3, 75])
def test_the_history_pages_with_a_fixed_number_of_queries(
    client, people, office, media, count, django_assert_max_num_queries
):
    from takatsu_portal.core.import_views import PER_PAGE

    make_jobs(office, people.staff, count)
    client.force_login(people.admin)
    client.get(reverse("imports:index"))  # warm the caches of the user's permissions
    with django_assert_max_num_queries(4):  # session, user, count, page
        page = client.get(reverse("imports:index")).content.decode()
    assert len(listed(page)) == min(count, PER_PAGE)
    if count > PER_PAGE:
        last = client.get(reverse("imports:index"), {"page": 3}).content.decode()
        assert len(listed(last)) == count - 2 * PER_PAGE


def test_import_jobs_are_office_scoped_in_a_request_and_their_buttons_work_inside_the_guard(
    client, people, office, stranger, media, monkeypatch
):
    """The office-scope guard (core/scoping.py): a query of import jobs that no office scopes
    fails in a request (a job's id is not a scope). The job's buttons update the job through
    its office, and what a request's commit does afterwards (sending the next step, failing
    the job when the broker cannot be reached) runs inside the guard as in production."""
    from takatsu_portal.core.scoping import UnscopedQueryError, guarded

    job = new_job(people, office)
    elsewhere = new_job(people, stranger.office, by=stranger)
    with guarded("raise"):
        with pytest.raises(UnscopedQueryError, match=r"core\.ImportJob"):
            ImportJob.objects.filter(pk=job.pk).count()
        assert list(ImportJob.objects.for_office(office)) == [job]

    client.force_login(people.subcommittee)
    listed_ids = listed(client.get(reverse("imports:index")).content.decode())
    assert listed_ids == [str(job.pk)]
    assert client.get(reverse("imports:detail", args=[elsewhere.pk])).status_code == 404

    def unreachable(*args, **kwargs):
        raise OperationalError("Connection refused")

    with monkeypatch.context() as broker_down:
        broker_down.setattr(import_write, "delay", unreachable)
        with guarded("raise"), run_tasks():
            response = client.post(reverse("imports:confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.state, job.error) == (State.FAILED, imports.SEND_ERROR)

    with guarded("raise"), run_tasks():
        client.post(reverse("imports:retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == State.READY  # checked again on commit
    with guarded("raise"), run_tasks():
        client.post(reverse("imports:cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == State.CANCELLED
    elsewhere.refresh_from_db()
    assert elsewhere.state == State.READY
