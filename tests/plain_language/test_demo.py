"""Plain language's demo data (demo/plain_language.py): the audit has a realistic spread, the
subcommittee's added terms have their history, and a second run writes nothing."""

import pytest
from django.urls import reverse

from demo.feedback import seed_feedback
from demo.plain_language import ADDED_TERMS, ANSWERED, seed_plain_language
from demo.plans import seed_plans
from feedback.models import ResidentVoice
from takatsu_portal.accounts.models import User
from takatsu_portal.plain_language.audit import audit_rows
from takatsu_portal.plain_language.models import Term
from tests.demo import seeding

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo (its Takatsu sections), built once for the module and rolled back at its end.
    Not named `sections`: that name asks tests/conftest.py for the shared cast as well."""
    yield from seeding.once(
        django_db_blocker, lambda: seeding.parts(seed_plans, seed_feedback, seed_plain_language)
    )


def test_the_audit_puts_the_demo_s_hardest_answers_first(seeded):
    rows = audit_rows(User.objects.get(username="subcommittee"))
    summaries = {seed.summary for seed in ANSWERED}
    top = [row.item.title for row in rows[:4]]
    assert top == [f"「{seed.summary}」への回答" for seed in ANSWERED[:4]]
    assert rows[0].findings >= 10
    # Plain answers exist too, and texts of every kind.
    assert any(row.findings == 0 for row in rows)
    assert {row.item.kind for row in rows} == {
        "アンケート",
        "QRコードのポスター",
        "公開フォームの文言",
        "区民の声への回答",
    }
    voices = ResidentVoice.objects.filter(summary__in=summaries)
    assert voices.count() == len(ANSWERED)
    assert len({voice.section_id for voice in voices}) == 5


def test_the_subcommittee_s_terms_have_their_history(seeded):
    subcommittee = User.objects.get(username="subcommittee")
    for spelling, *_ in ADDED_TERMS:
        term = Term.objects.get(term=spelling)
        assert term.updated_by == subcommittee
        assert term.history.get().history_user == subcommittee


def test_a_second_run_writes_nothing(seeded):
    tallies = seed_plain_language(seeded)
    assert [(t.created, t.updated) for t in tallies] == [(0, 0), (0, 0)]


def test_the_demo_audit_page_answers_for_the_council(client, seeded):
    client.force_login(User.objects.get(username="council"))
    response = client.get(reverse("plain_language:audit"))
    assert response.status_code == 200
    assert response.context["by_section"][0].findings >= 10
