"""The home page's attention list is cached per user (core/attention.py) and computed again
after every change the services report: a user never sees a count from before their own
action, nor from before an action of someone else that concerns them."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.models import ResidentVoice
from takatsu_portal.core import attention
from takatsu_portal.core.models import Notification
from takatsu_portal.core.notifications import notify
from tests.feedback.factories import VoiceFactory

pytestmark = pytest.mark.django_db

UNASSIGNED = "担当者が決まっていない区民の声が1件あります"
MINE = "あなたが担当の区民の声（未回答）が1件あります"


@pytest.fixture
def voice(office, sections, people):
    today = datetime.date.today()
    return VoiceFactory(
        office=office,
        section=sections.kumin,
        recorded_by=people.staff,
        received_on=today - datetime.timedelta(days=2),
        due_on=today + datetime.timedelta(days=12),
    )


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return [item.title for item in response.context["attention_items"]]


def test_a_second_visit_reads_the_list_from_the_cache(client, people, voice):
    assert UNASSIGNED in home(client, people.manager)
    with CaptureQueriesContext(connection) as cached:
        again = home(client, people.manager)
    assert UNASSIGNED in again
    with (
        mock.patch.object(attention.settings, "ATTENTION_CACHE_SECONDS", 0),
        CaptureQueriesContext(connection) as computed,
    ):
        assert home(client, people.manager) == again
    assert not any("feedback_residentvoice" in q["sql"] for q in cached.captured_queries)
    assert any("feedback_residentvoice" in q["sql"] for q in computed.captured_queries)
    assert len(cached.captured_queries) < len(computed.captured_queries)


def test_a_change_made_outside_the_services_is_not_seen_until_they_report_one(
    client, people, voice
):
    """The cache is real: a row changed behind the services' back keeps the old list, which is
    why every service that changes a counted row reports it."""
    assert UNASSIGNED in home(client, people.manager)
    ResidentVoice.objects.filter(pk=voice.pk).update(state=ResidentVoice.State.CLOSED)
    assert UNASSIGNED in home(client, people.manager)
    attention.changed()
    assert UNASSIGNED not in home(client, people.manager)


def test_the_manager_and_the_assignee_see_an_assignment_at_once(client, people, voice):
    assert UNASSIGNED in home(client, people.manager)
    assert MINE not in home(client, people.staff)
    client.force_login(people.manager)
    response = client.post(
        reverse("feedback:voice_assign", args=[voice.pk]),
        {"assignee": people.staff.pk, "version": voice.version},
    )
    assert response.status_code == 302
    voice.refresh_from_db()
    assert voice.assignee == people.staff
    assert UNASSIGNED not in home(client, people.manager)
    assert MINE in home(client, people.staff)


def test_the_assignee_sees_their_item_go_when_they_answer(client, people, voice):
    from feedback.voices.services import voice_assign

    voice_assign(voice=voice, by=people.manager, assignee=people.staff)
    voice.refresh_from_db()
    assert MINE in home(client, people.staff)
    response = client.post(
        reverse("feedback:voice_answer", args=[voice.pk]),
        {"answer_text": "案内板を直しました。", "version": voice.version},
    )
    assert response.status_code == 302
    voice.refresh_from_db()
    assert voice.state == ResidentVoice.State.ANSWERED
    assert MINE not in home(client, people.staff)


def test_a_new_notification_and_reading_it_show_at_once(client, people):
    assert home(client, people.staff) == []
    notification = notify(recipient=people.staff, message="進捗報告が受理されました。")
    titles = home(client, people.staff)
    assert titles == ["進捗報告が受理されました。"]
    response = client.get(reverse("home"))
    assert response.context["unread_notification_count"] == 1
    response = client.post(reverse("notification_read"), {"notification": notification.pk})
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    response = client.get(reverse("home"))
    assert response.context["attention_items"] == []
    assert response.context["unread_notification_count"] == 0


def test_marking_every_notification_read_empties_the_list(client, people):
    for n in range(3):
        notify(recipient=people.staff, message=f"お知らせ{n}")
    assert len(home(client, people.staff)) == 3
    client.post(reverse("notification_read"))
    assert not Notification.objects.filter(recipient=people.staff, read_at=None).exists()
    assert home(client, people.staff) == []


def test_a_notification_to_one_user_leaves_the_others_lists_cached(client, people, voice):
    home(client, people.manager)
    notify(recipient=people.staff, message="お知らせ")
    with CaptureQueriesContext(connection) as captured:
        home(client, people.manager)
    assert not any("feedback_residentvoice" in q["sql"] for q in captured.captured_queries)


def test_the_list_is_computed_again_on_a_new_day(client, people, voice):
    assert UNASSIGNED in home(client, people.manager)
    ResidentVoice.objects.filter(pk=voice.pk).update(state=ResidentVoice.State.CLOSED)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with mock.patch("takatsu_portal.core.fiscal.clock", return_value=tomorrow):
        assert UNASSIGNED not in home(client, people.manager)


def test_a_change_through_the_admin_site_is_seen_at_once(client, people, voice):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    assert UNASSIGNED in home(client, people.manager)
    ResidentVoice.objects.filter(pk=voice.pk).update(state=ResidentVoice.State.CLOSED)
    LogEntry.objects.create(
        user=people.admin,
        content_type=ContentType.objects.get_for_model(ResidentVoice),
        object_id=str(voice.pk),
        object_repr=str(voice),
        action_flag=CHANGE,
    )
    assert UNASSIGNED not in home(client, people.manager)


def commit_hooks():
    return [hook for _, hook, _ in connection.run_on_commit]


def test_one_commit_hook_per_transaction_writes_every_key_changed_in_it(people):
    from django.core.cache import cache
    from django.db import transaction

    users = [people.staff, people.manager]
    keys = [attention.USER_GENERATION_KEY.format(u.pk) for u in users]
    registered = len(commit_hooks())  # the fixtures' saves may have registered one already
    attention.changed(users=[people.staff])
    attention.changed(users=[people.manager])
    attention.changed()
    try:
        with transaction.atomic():  # a savepoint rolled back keeps the hook of the rest
            attention.changed(users=[people.staff])
            raise RuntimeError
    except RuntimeError:
        pass
    assert len(commit_hooks()) - registered <= 1
    bumps = [hook for hook in commit_hooks() if isinstance(hook, attention._CommitBump)]
    assert len(bumps) == 1
    assert {*keys, attention.GENERATION_KEY} <= bumps[0].keys
    before = cache.get_many([*keys, attention.GENERATION_KEY])
    bumps[0]()
    after = cache.get_many([*keys, attention.GENERATION_KEY])
    assert all(after[key] != before[key] for key in before)
    # Once run, the next change in the transaction registers a hook of its own.
    attention.changed(users=[people.staff])
    assert [h for h in commit_hooks() if isinstance(h, attention._CommitBump)][1:] != []


def test_a_hook_dropped_with_its_savepoint_is_registered_again(people):
    from django.db import transaction

    with transaction.atomic():
        try:
            with transaction.atomic():
                attention.changed(users=[people.staff])
                raise RuntimeError
        except RuntimeError:
            pass
        attention.changed(users=[people.manager])
        bumps = [hook for hook in commit_hooks() if isinstance(hook, attention._CommitBump)]
        assert attention.USER_GENERATION_KEY.format(people.manager.pk) in bumps[-1].keys


def test_a_change_of_one_office_keeps_the_other_offices_cached_lists(people, stranger):
    from takatsu_portal.accounts.scope import office_scope_of
    from takatsu_portal.core.shared_cache import shared_value

    calls = []

    def compute(who):
        return lambda: calls.append(who) or len(calls)

    def visit():
        calls.clear()
        attention.cached(people.staff, "tests-list", compute("takatsu"))
        attention.cached(stranger, "tests-list", compute("miyamae"))
        shared_value("tests-every", ("all",), compute("every"))  # content of every office
        shared_value(
            "tests-miyamae", ("m",), compute("shared-miyamae"), scope=office_scope_of(stranger)
        )
        return sorted(calls)

    visit()
    assert visit() == []  # all cached
    attention.changed(office=people.staff.office)
    assert visit() == ["every", "takatsu"]
    attention.changed(office=stranger.office.pk)
    assert visit() == ["every", "miyamae", "shared-miyamae"]
    attention.changed()
    assert visit() == ["every", "miyamae", "shared-miyamae", "takatsu"]


def test_the_office_a_save_concerns(people, stranger, voice):
    from takatsu_portal.core.versioning import office_of_change
    from takatsu_portal.plain_language.models import Term
    from tests.plans.factories import PlanFactory, ProjectFactory

    assert office_of_change(voice, people.staff) == voice.office_id  # its own office field
    assert office_of_change(voice, None) == voice.office_id
    project = ProjectFactory(plan=PlanFactory(office=stranger.office))
    assert office_of_change(project, stranger) == stranger.office.pk  # the person's office
    assert office_of_change(project, None) is None  # nobody's: every office
    assert office_of_change(Term(term="窓口"), people.staff) is None  # not office-scoped


def test_deleting_or_changing_one_offices_records_keeps_the_other_offices_cached_lists(
    people, stranger
):
    """Project and plan deletion, council steps and survey questions say which office they
    changed: another ward's cached lists and pages stay (they once moved every office's)."""
    from plans.council.services import meeting_save
    from plans.plan.services import plan_delete
    from plans.projects.services import project_delete
    from tests.plans.factories import MeetingFactory, PlanFactory, ProjectFactory

    calls = []

    def visit():
        calls.clear()
        attention.cached(people.staff, "tests-list", lambda: calls.append("takatsu"))
        attention.cached(stranger, "tests-list", lambda: calls.append("miyamae"))
        return sorted(calls)

    office = people.staff.office
    project = ProjectFactory(plan=PlanFactory(office=office, fiscal_year=2031))
    empty_plan = PlanFactory(office=office, fiscal_year=2032)
    meeting = MeetingFactory(office=office)
    steps = [
        lambda: project_delete(project=project, by=people.subcommittee),
        lambda: plan_delete(plan=empty_plan, by=people.subcommittee),
        lambda: meeting_save(meeting=meeting, by=people.subcommittee),
    ]
    for step in steps:
        visit()
        assert visit() == []
        step()
        assert visit() == ["takatsu"]
