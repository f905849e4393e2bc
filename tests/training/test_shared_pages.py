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
