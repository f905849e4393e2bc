"""Attendance, evaluation, completion, results, certificates and the record, through HTTP."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from takatsu_portal.reports.models import ReportJob
from takatsu_portal.reports.rendering import render_job
from training.models import Enrolment, Evaluation

from .factories import SessionFactory

State = Enrolment.State


@pytest.fixture
def held(course, people):
    """A session held yesterday with three confirmed participants."""
    start = timezone.now() - timedelta(days=1)
    session = SessionFactory(
        course=course,
        starts_at=start,
        apply_by=start - timedelta(days=7),
        cancel_by=start - timedelta(days=3),
        capacity=10,
    )
    for user in (people.staff, people.colleague, people.other_staff):
        Enrolment.objects.create(session=session, user=user, state=State.CONFIRMED)
    return session


def mark(client, session, marks, **extra):
    data = {f"a-{e.pk}": value for e, value in marks.items()}
    data.update(extra)
    return client.post(reverse("training:attendance", args=[session.pk]), data)


def enrolment_of(session, user):
    return Enrolment.objects.get(session=session, user=user)


def test_attendance_on_one_screen_completes_present_and_late_not_early_or_absent(
    client, held, people
):
    client.force_login(people.trainer)
    page = client.get(reverse("training:attendance", args=[held.pk])).content.decode()
    assert page.count('type="radio"') == 3 * 4
    for label in ("出席", "遅刻", "早退", "欠席"):
        assert label in page
    staff, colleague, other = (
        enrolment_of(held, u) for u in (people.staff, people.colleague, people.other_staff)
    )
    response = mark(client, held, {staff: "present", colleague: "late", other: "early"})
    assert response.status_code == 302
    for e in (staff, colleague, other):
        e.refresh_from_db()
    assert staff.completed_on == held.day and colleague.completed_on == held.day
    assert other.completed_on is None
    # Corrected to absent: the completion goes away.
    mark(client, held, {staff: "absent", colleague: "late", other: "early"})
    staff.refresh_from_db()
    assert staff.completed_on is None


def test_fill_button_marks_everyone_not_yet_entered_present(client, held, people):
    client.force_login(people.trainer)
    other = enrolment_of(held, people.other_staff)
    mark(client, held, {other: "absent"}, fill="present")
    states = dict(
        Enrolment.objects.filter(session=held).values_list("user__username", "attendance")
    )
    assert states == {"staff": "present", "colleague": "present", "other": "absent"}


def test_attendance_before_the_session_starts_is_refused(client, session, people):
    enrolment = Enrolment.objects.create(session=session, user=people.staff, state=State.CONFIRMED)
    client.force_login(people.trainer)
    response = mark(client, session, {enrolment: "present"})
    assert response.status_code == 400
    assert "開始後に入力できます" in response.content.decode()


def test_a_bad_attendance_value_names_the_person_saves_nothing_and_keeps_the_choices(
    client, held, people
):
    client.force_login(people.trainer)
    staff, colleague = (enrolment_of(held, u) for u in (people.staff, people.colleague))
    response = mark(client, held, {staff: "late", colleague: "sleeping"})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{people.colleague}：" in page
    assert f'id="a-{staff.pk}-late" value="late" checked' in page
    assert not Enrolment.objects.filter(session=held).exclude(attendance="").exists()


def test_staff_cannot_take_attendance(client, held, people):
    client.force_login(people.staff)
    assert client.get(reverse("training:attendance", args=[held.pk])).status_code == 403
    response = mark(client, held, {enrolment_of(held, people.staff): "present"})
    assert response.status_code == 403
    assert enrolment_of(held, people.staff).attendance == ""


def test_with_an_evaluation_required_completion_waits_for_the_evaluation(
    client, course, held, people
):
    course.evaluation_required = True
    course.save()
    staff = enrolment_of(held, people.staff)
    client.force_login(people.trainer)
    mark(client, held, {staff: "present"})
    staff.refresh_from_db()
    assert staff.completed_on is None
    client.force_login(people.staff)
    response = client.post(
        reverse("training:evaluate", args=[staff.pk]),
        {"satisfaction": 5, "usefulness": 4, "comments": "ロールプレイが役に立った。"},
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.completed_on == held.day
    # A second evaluation is not taken.
    client.post(reverse("training:evaluate", args=[staff.pk]), {"satisfaction": 1, "usefulness": 1})
    assert Evaluation.objects.get(enrolment=staff).satisfaction == 5


def test_evaluation_form_keeps_the_input_when_a_field_is_missing(client, held, people):
    staff = enrolment_of(held, people.staff)
    client.force_login(people.staff)
    response = client.post(
        reverse("training:evaluate", args=[staff.pk]), {"satisfaction": 4, "comments": "時間が短い"}
    )
    assert response.status_code == 400
    assert "時間が短い" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_nobody_answers_for_someone_else(client, held, people):
    staff = enrolment_of(held, people.staff)
    client.force_login(people.colleague)
    response = client.post(
        reverse("training:evaluate", args=[staff.pk]), {"satisfaction": 1, "usefulness": 1}
    )
    assert response.status_code == 403
    assert not Evaluation.objects.exists()


def test_results_show_counts_means_and_comments_to_the_organiser_only(client, course, held, people):
    for user, sat, use, text in (
        (people.staff, 5, 4, "敬語の使い分けが分かった"),
        (people.colleague, 3, 2, ""),
    ):
        Evaluation.objects.create(
            enrolment=enrolment_of(held, user), satisfaction=sat, usefulness=use, comments=text
        )
    client.force_login(people.trainer)
    page = client.get(reverse("training:session_results", args=[held.pk])).content.decode()
    assert "回答数" in page and "2件" in page
    assert "4.00" in page  # (5 + 3) / 2
    assert "3.00" in page  # (4 + 2) / 2
    assert "敬語の使い分けが分かった" in page
    assert "<svg" in page and "<table" in page
    assert people.staff.full_name not in page  # comments without names
    page = client.get(reverse("training:course_results", args=[course.pk])).content.decode()
    assert "敬語の使い分けが分かった" in page
    for user in (people.staff, people.manager, people.council):
        client.force_login(user)
        for name in ("session_results", "course_results"):
            pk = held.pk if name == "session_results" else course.pk
            response = client.get(reverse(f"training:{name}", args=[pk]))
            assert response.status_code == 403
            assert "敬語の使い分け" not in response.content.decode()


def test_a_member_of_staff_never_sees_anothers_evaluation(client, held, people):
    staff = enrolment_of(held, people.staff)
    Evaluation.objects.create(enrolment=staff, satisfaction=2, usefulness=2, comments="秘密の感想")
    client.force_login(people.colleague)
    response = client.get(reverse("training:evaluate", args=[staff.pk]))
    assert response.status_code == 403
    assert "秘密の感想" not in response.content.decode()
    client.force_login(people.staff)
    assert (
        "秘密の感想" in client.get(reverse("training:evaluate", args=[staff.pk])).content.decode()
    )


def test_record_shows_hours_per_fiscal_year_and_exports(client, course, held, people):
    course.hours = Decimal("1.5")
    course.save()
    staff = enrolment_of(held, people.staff)
    client.force_login(people.trainer)
    mark(client, held, {staff: "present"})
    client.force_login(people.staff)
    page = client.get(reverse("training:my_record")).content.decode()
    assert course.title in page and "1.5時間" in page
    csv = client.get(reverse("training:my_record") + "?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert course.title in text and "1.5" in text
    xlsx = client.get(reverse("training:my_record") + "?format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_record_of_another_person_for_their_manager_and_organisers_only(client, held, people):
    url = reverse("training:person_record", args=[people.staff.pk])
    for user in (people.manager, people.trainer, people.subcommittee):
        client.force_login(user)
        assert client.get(url).status_code == 200
    for user in (people.colleague, people.other_manager, people.council):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_certificate_pdf_through_the_reports_mechanism_and_its_verification_page(
    client, held, people, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    staff = enrolment_of(held, people.staff)
    client.force_login(people.trainer)
    mark(client, held, {staff: "present"})
    client.force_login(people.staff)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("training:certificate", args=[staff.pk]))
    job = ReportJob.objects.get(kind="training_certificate")
    assert response.url == reverse("training:job", args=[job.pk])
    assert job.params == {"enrolment": staff.pk}
    render_job(job.pk)
    job.state = ReportJob.State.SUCCEEDED
    job.save()
    download = client.get(reverse("training:job_download", args=[job.pk]))
    assert b"".join(download.streaming_content)[:5] == b"%PDF-"
    # Another member of staff may not take it.
    client.force_login(people.colleague)
    assert client.get(reverse("training:job_download", args=[job.pk])).status_code == 403
    # The QR code's page confirms who completed what, when.
    page = client.get(reverse("training:certificate_verify", args=[staff.certificate_code]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "この修了証は有効です" in html and people.staff.full_name in html
    assert held.course.title in html
    wrong = client.get(reverse("training:certificate_verify", args=["no-such-code"]))
    assert wrong.status_code == 404 and "見つかりません" in wrong.content.decode()


def test_no_certificate_before_completion(client, held, people):
    staff = enrolment_of(held, people.staff)
    client.force_login(people.staff)
    response = client.post(reverse("training:certificate", args=[staff.pk]), follow=True)
    assert "修了していない研修の修了証は作成できません" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_certificate_html_carries_the_code_and_a_qr_code(held, people):
    from training.report_kinds import build_certificate

    staff = enrolment_of(held, people.staff)
    staff.attendance = "present"
    staff.completed_on = held.day
    staff.save()
    built = build_certificate({"enrolment": staff.pk})
    assert staff.certificate_code in built.html
    assert "<svg" in built.html and 'class="segno"' in built.html
    assert people.staff.full_name in built.html


def test_sign_in_sheet_lists_the_confirmed_participants(client, held, people):
    from training.report_kinds import build_signin

    built = build_signin({"session": held.pk})
    for user in (people.staff, people.colleague, people.other_staff):
        assert user.full_name in built.html
    client.force_login(people.trainer)
    response = client.post(reverse("training:signin_sheet", args=[held.pk]))
    assert response.status_code == 302
    assert ReportJob.objects.filter(kind="training_signin").exists()
    client.force_login(people.staff)
    assert client.post(reverse("training:signin_sheet", args=[held.pk])).status_code == 403
