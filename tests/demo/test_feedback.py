"""The feedback app's demo data, built by `manage.py seed_demo` (demo/feedback.py)."""

from decimal import Decimal

import pytest
from django.db.models import Avg, Count
from django.urls import reverse

from demo.city import seed_city
from demo.data.feedback import WINDOWS
from demo.feedback import seed_feedback
from demo.plain_language import seed_plain_language
from demo.plans import seed_plans
from demo.writer import analyze
from feedback.models import (
    Answer,
    Choice,
    Question,
    ResidentVoice,
    Response,
    ServiceWindow,
    Survey,
)
from takatsu_portal.accounts.models import User
from takatsu_portal.core import attention
from takatsu_portal.core.fiscal import FiscalYear, today

from . import seeding

pytestmark = pytest.mark.django_db

# The demo has a second ward (demo/city.py); these tests look at Takatsu's rows.
TAKATSU = "takatsu"


def takatsu_windows():
    return ServiceWindow.objects.filter(section__department__office__code=TAKATSU)


def takatsu_responses():
    return Response.objects.filter(survey__office__code=TAKATSU)


def takatsu_answers():
    return Answer.objects.filter(response__survey__office__code=TAKATSU)


def takatsu_voices():
    return ResidentVoice.objects.filter(office__code=TAKATSU)


HISTORY_MODELS = [ServiceWindow, Survey, Question, Choice, ResidentVoice]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, built once for the module inside a transaction that is rolled back at its
    end (each test runs in a savepoint within it). Returns Takatsu's sections."""

    def build():
        sections = seeding.parts(seed_plans, seed_feedback)
        seed_plain_language(sections)  # seed_demo's next seeder writes voices too
        seed_city(sections)  # the second ward (its voices and answers are not Takatsu's)
        # As seed_demo does: statistics for the rows just written, so that no test's query
        # plan depends on statistics left by an earlier run.
        analyze()
        return sections

    yield from seeding.once(django_db_blocker, build)


def snapshot():
    counts = {m.__name__: (m.objects.count(), m.history.count()) for m in HISTORY_MODELS}
    counts["Response"] = Response.objects.count()
    counts["Answer"] = Answer.objects.count()
    counts["voice versions"] = sorted(ResidentVoice.objects.values_list("pk", "version"))
    counts["voice projects"] = ResidentVoice.projects.through.objects.count()
    return counts


def test_a_second_run_changes_nothing(seeded):
    # The seeder run again over the module's seed (seed_demo run twice: test_plans.py).
    before = snapshot()
    tallies = seed_feedback(seeded)
    assert snapshot() == before
    assert "区民の声" in {tally.label for tally in tallies}
    seeding.assert_unchanged(tallies)


def test_every_demo_section_has_its_windows(seeded):
    assert takatsu_windows().count() == len(WINDOWS)
    jumin = ServiceWindow.objects.get(name="住民記録窓口（転入・転出）")
    assert jumin.section.name == "区民課"
    assert jumin.history.get().history_change_reason == "窓口を登録"


def test_two_window_surveys_last_year_and_this_year(seeded):
    fy = FiscalYear.current()
    current = Survey.objects.get(title=f"窓口サービス満足度アンケート（{fy.era_label}）")
    last = Survey.objects.get(title=f"窓口サービス満足度アンケート（{fy.previous().era_label}）")
    assert current.copied_from == last
    assert (current.opens_on, current.closes_on) == (fy.start, fy.end)
    assert current.translations["ja-easy"]["title"]
    for survey in (current, last):
        questions = list(survey.questions.all())
        assert 6 <= len(questions) <= 8
        assert {q.kind for q in questions} == set(Question.Kind.values)
        for question in questions:
            assert question.translated("text", "ja-easy") != question.text
            assert question.translated("text", "en") != question.text
            for choice in question.choices.all():
                assert choice.translated("text", "en") != choice.text
        assert survey.windows.count() == len(WINDOWS)


def test_a_few_thousand_responses_over_the_year_with_satisfaction_by_window(seeded):
    fy = FiscalYear.current()
    assert 2500 <= takatsu_responses().count() <= 6000
    last = Survey.objects.get(title__contains=fy.previous().era_label)
    dates = last.responses.values_list("submitted_on", flat=True)
    assert min(dates) <= fy.previous().start.replace(day=5)
    assert max(dates) >= fy.previous().end.replace(day=25)
    assert max(Response.objects.values_list("submitted_on", flat=True)) <= today()
    assert set(takatsu_responses().values_list("language", flat=True)) >= {"ja", "ja-easy", "en"}
    means = {
        row["response__window__name"]: row["mean"]
        for row in takatsu_answers()
        .filter(question__order=2, question__kind="satisfaction")
        .values("response__window__name")
        .annotate(mean=Avg("number"))
    }
    assert means["区民活動の相談窓口"] - means["マイナンバーカード窓口"] > Decimal("0.5")
    # The window question's answer and the response's window agree.
    window_answers = Answer.objects.filter(question__kind="window").select_related(
        "response__window"
    )[:50]
    assert all(a.text == a.response.window.name for a in window_answers)
    texts = takatsu_answers().filter(question__kind="text").exclude(text="")
    assert texts.count() > 100
    assert takatsu_responses().filter(channel="paper", entered_by__isnull=False).exists()
    assert not Response.objects.filter(channel="paper", entered_by__isnull=True).exists()


def test_about_a_hundred_voices_in_every_state_and_category(seeded):
    voices = takatsu_voices()
    assert 90 <= voices.count() <= 120
    assert set(voices.values_list("state", flat=True)) == set(ResidentVoice.State.values)
    assert set(voices.values_list("category", flat=True)) == set(ResidentVoice.Category.values)
    assert len(set(voices.values_list("channel", flat=True))) >= 5
    received = voices.values_list("received_on", flat=True)
    assert (today() - min(received)).days > 300
    assert voices.overdue(today()).exists()
    assert voices.exclude(contact_name="").exists()
    assert voices.filter(contact_name="").exists()
    for voice in voices.filter(state="closed")[:10]:
        assert voice.answered_at and voice.closed_at and voice.answer_text
        reasons = list(
            voice.history.order_by("history_id").values_list("history_change_reason", flat=True)
        )
        assert reasons[0] == "受付" and reasons[-1] == "完了"
    for voice in voices.filter(state="received"):
        assert voice.assignee is None and not voice.answer_text


def test_some_voices_answer_projects_of_the_current_plan(seeded, client):
    linked = ResidentVoice.objects.annotate(n=Count("projects")).filter(n__gt=0)
    assert linked.count() >= 10
    voice = linked.first()
    project = voice.projects.get()
    assert project.plan.fiscal_year == FiscalYear.current().year
    client.force_login(User.objects.get(username="staff"))
    page = client.get(project.get_absolute_url()).content.decode()
    assert voice.summary in page


def test_three_voices_come_from_this_years_survey_comments(seeded):
    promoted = ResidentVoice.objects.filter(source_answer__isnull=False)
    assert promoted.count() == 3
    for voice in promoted:
        assert voice.channel == "survey"
        assert voice.body == voice.source_answer.text
        assert voice.window == voice.source_answer.response.window


def test_the_demo_accounts_find_work_on_their_home_page(seeded, client):
    staff = User.objects.get(username="staff")
    manager = User.objects.get(username="manager")
    assert ResidentVoice.objects.filter(assignee=staff).exists()
    client.force_login(manager)
    assert client.get(reverse("feedback:voice_list")).status_code == 200
    assert client.get(reverse("feedback:voice_statistics")).status_code == 200
    client.force_login(User.objects.get(username="subcommittee"))
    attention.changed()  # the list computed afresh (not read back from the shared cache)
    response = client.get(reverse("feedback:voice_list"))
    assert response.context["page_obj"].paginator.count == takatsu_voices().count()
    assert ResidentVoice.objects.exclude(office__code=TAKATSU).exists()


def test_a_finished_and_a_failed_import_of_answers(seeded, client):
    """Through the worker's own functions: the manager's file imported (its rows stored as
    imported answers), the subcommittee's file refused with the reason; their pages show it."""
    from takatsu_portal.core.models import ImportJob

    done = ImportJob.objects.get(state="done")
    failed = ImportJob.objects.get(state="failed")
    assert (done.requested_by.username, done.rows_total, done.rows_written) == ("manager", 40, 40)
    assert Response.objects.filter(channel="import", entered_by=done.confirmed_by).count() == 40
    assert failed.requested_by.username == "subcommittee"
    assert "回答日の列（見出し「回答日」）がありません" in failed.error
    client.force_login(done.requested_by)
    page = client.get(reverse("imports:detail", args=[done.pk])).content.decode()
    assert "40件の回答を取り込みました" in page
    client.force_login(failed.requested_by)
    page = client.get(reverse("imports:detail", args=[failed.pk])).content.decode()
    assert "取り込めませんでした" in page and ">再実行する</button>" in page
