"""The upcoming sessions are kept in the shared cache for everyone of the office
(training/stamp.py): an application made since shows at the next request, for the applicant and
for everyone else."""

from django.urls import reverse

from training.models import Enrolment

INDEX = reverse("training:index")


def row_of(response, session):
    return next(row for row in response.context["rows"] if row["pk"] == session.pk)


def test_the_kept_list_counts_an_application_at_once(client, session, people):
    client.force_login(people.colleague)
    client.get(INDEX)  # computed and kept
    before = row_of(client.get(INDEX), session)  # the kept copy
    assert (before["confirmed"], before["mine"]) == (0, "—")

    client.force_login(people.staff)
    client.post(reverse("training:apply", args=[session.pk]))
    assert Enrolment.objects.filter(session=session, user=people.staff).exists()
    mine = row_of(client.get(INDEX), session)
    assert (mine["confirmed"], mine["mine"]) == (1, "受講確定")

    client.force_login(people.colleague)
    theirs = row_of(client.get(INDEX), session)
    assert (theirs["confirmed"], theirs["mine"]) == (1, "—")


def test_the_kept_list_counts_a_cancellation_at_once(client, session, people):
    from training import services

    enrolment = services.enrolment_apply(session=session, user=people.staff)
    client.force_login(people.colleague)
    client.get(INDEX)  # computed and kept
    assert row_of(client.get(INDEX), session)["confirmed"] == 1

    client.force_login(people.staff)
    page = client.get(INDEX)  # their own sessions kept too
    assert "<td>受講確定</td>" in page.content.decode()  # in the row's HTML
    assert [e["session_id"] for e in page.context["mine"]] == [session.pk]
    client.post(reverse("training:cancel", args=[enrolment.pk]), {"reason": "公務のため"})
    assert Enrolment.objects.get(pk=enrolment.pk).state == Enrolment.State.CANCELLED
    page = client.get(INDEX)
    assert "<td>受講確定</td>" not in page.content.decode()
    assert page.context["mine"] == [] and row_of(page, session)["mine"] == "—"

    client.force_login(people.colleague)
    assert row_of(client.get(INDEX), session)["confirmed"] == 0


def test_the_kept_compliance_page_drops_a_person_once_their_attendance_completes_the_rule(
    client, course, people, office
):
    """The trainer records attendance (one bulk write with history, no data generation): the
    compliance page kept before it no longer lists the person at the next request."""
    from datetime import timedelta

    from django.utils import timezone

    from training.models import Requirement

    from .factories import SessionFactory

    Requirement.objects.create(office=office, title="接遇（全職員）", audience="all", course=course)
    start = timezone.now() - timedelta(minutes=30)
    held = SessionFactory(
        course=course,
        starts_at=start,
        apply_by=start - timedelta(days=7),
        cancel_by=start - timedelta(days=3),
    )
    enrolment = Enrolment.objects.create(
        session=held, user=people.staff, state=Enrolment.State.CONFIRMED
    )
    compliance = reverse("training:compliance")
    client.force_login(people.trainer)
    client.get(compliance)  # computed and kept
    kept = client.get(compliance).content.decode()
    assert f">{people.staff.full_name}</a>" in kept

    response = client.post(
        reverse("training:attendance", args=[held.pk]), {f"a-{enrolment.pk}": "present"}
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.completed_on is not None

    page = client.get(compliance).content.decode()
    assert f">{people.staff.full_name}</a>" not in page
    assert f">{people.colleague.full_name}</a>" in page  # still missing the rule


def test_training_changes_move_only_trainings_generation(session, people):
    """An application moves training's generation (its shared pages), not the data generation
    every shared page of the office is keyed on."""
    from django.core.cache import cache

    from takatsu_portal.core.attention import GENERATION_KEY, OFFICE_GENERATION_KEY
    from training import services
    from training.stamp import GENERATION_KEY as TRAINING_KEY

    office_key = OFFICE_GENERATION_KEY.format(session.course.office_id)
    before = cache.get_many([TRAINING_KEY, GENERATION_KEY, office_key])
    services.enrolment_apply(session=session, user=people.staff)
    after = cache.get_many([TRAINING_KEY, GENERATION_KEY, office_key])
    assert after.get(TRAINING_KEY) != before.get(TRAINING_KEY)
    assert after.get(GENERATION_KEY) == before.get(GENERATION_KEY)
    assert after.get(office_key) == before.get(office_key)


def test_kept_training_pages_run_no_query_of_their_own(
    client, session, people, django_assert_num_queries
):
    """Kept in the shared cache, the session list (with the person's own sessions) and the
    compliance page cost only the session and the user: training's generation is read with the
    kept copy, not from the database."""
    from training import services

    services.enrolment_apply(session=session, user=people.staff)
    client.force_login(people.staff)
    client.get(INDEX)  # computed and kept
    with django_assert_num_queries(2):
        page = client.get(INDEX)
    assert row_of(page, session)["mine"] == "受講確定"
    client.force_login(people.trainer)
    client.get(reverse("training:compliance"))
    with django_assert_num_queries(2):
        assert client.get(reverse("training:compliance")).status_code == 200
