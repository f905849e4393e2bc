"""`manage.py purge_voice_personal_data`: personal data of voices received more than N years
ago (default 5) is blanked; the voices stay; a dry run changes nothing; a second run finds
nothing; no history row ever holds personal data."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from feedback.models import ResidentVoice
from feedback.voices.services import retention_cutoff
from takatsu_portal.core.fiscal import today
from tests.feedback.factories import VoiceFactory

NAME = "川崎 花子"
CONTACT = "044-000-1234"


def years_ago(years, days=0):
    return retention_cutoff(years) + datetime.timedelta(days=days)


@pytest.fixture
def voices(office, sections, people):
    def make(received_on, **fields):
        fields.setdefault("contact_name", NAME)
        fields.setdefault("contact_info", CONTACT)
        fields.setdefault("state", ResidentVoice.State.CLOSED)
        return VoiceFactory(
            office=office,
            section=sections.kumin,
            received_on=received_on,
            due_on=received_on + datetime.timedelta(days=14),
            recorded_by=people.staff,
            **fields,
        )

    return {
        "old": make(years_ago(5, days=-1)),  # received the day before the cutoff
        "old_open": make(years_ago(7), state=ResidentVoice.State.RECEIVED),
        "old_name_only": make(years_ago(6, days=-10), contact_info=""),
        "on_cutoff": make(years_ago(5)),  # exactly five years: kept
        "recent": make(today() - datetime.timedelta(days=30)),
        "old_without": make(years_ago(8), contact_name="", contact_info=""),
    }


def run(*args):
    out = StringIO()
    call_command("purge_voice_personal_data", *args, stdout=out)
    return out.getvalue()


def personal(voice):
    voice.refresh_from_db()
    return (voice.contact_name, voice.contact_info)


def test_a_dry_run_counts_and_changes_nothing(voices):
    history_rows = ResidentVoice.history.count()
    output = run("--dry-run")
    assert "対象は3件" in output
    assert "変更していません" in output
    for voice in voices.values():
        before = (voice.contact_name, voice.contact_info)
        assert personal(voice) == before
        assert voice.personal_data_removed_at is None
    assert ResidentVoice.history.count() == history_rows


def test_a_run_blanks_only_the_voices_received_more_than_five_years_ago(voices):
    output = run()
    assert "3件の個人情報" in output
    for key in ("old", "old_open", "old_name_only"):
        assert personal(voices[key]) == ("", ""), key
        assert voices[key].personal_data_removed_at is not None
        assert voices[key].summary  # the voice itself stays
    for key in ("on_cutoff", "recent"):
        assert personal(voices[key]) == (NAME, CONTACT), key
        assert voices[key].personal_data_removed_at is None
    assert voices["old_without"].personal_data_removed_at is None
    assert ResidentVoice.objects.count() == 6


def test_the_removal_is_recorded_in_the_history_without_personal_data(voices):
    run()
    voice = voices["old"]
    voice.refresh_from_db()
    latest = voice.history.latest()
    assert latest.history_change_reason == "保存期間（5年）の経過により個人情報を削除"
    assert latest.personal_data_removed_at is not None
    assert latest.version == voice.version
    for row in ResidentVoice.history.model.objects.values():
        assert not any(
            isinstance(value, str) and (NAME in value or CONTACT in value) for value in row.values()
        )


def test_a_second_run_finds_nothing_to_do(voices):
    run()
    voice = voices["old"]
    removed_at = personal(voice) and voice.personal_data_removed_at
    history_rows = ResidentVoice.history.count()
    assert "0件" in run()
    voice.refresh_from_db()
    assert voice.personal_data_removed_at == removed_at
    assert ResidentVoice.history.count() == history_rows


def test_the_retention_period_can_be_set_in_years(voices):
    assert "対象は4件" in run("--years", "1", "--dry-run")
    run("--years", "6")
    assert personal(voices["old_open"]) == ("", "")
    assert personal(voices["old_name_only"]) == ("", "")
    assert personal(voices["old"]) == (NAME, CONTACT)


def test_the_retention_period_must_be_a_year_or_more(voices):
    with pytest.raises(CommandError):
        run("--years", "0")


def test_an_edit_form_opened_before_the_removal_cannot_put_the_personal_data_back(
    client, people, voices
):
    from django.urls import reverse

    voice = voices["old_open"]
    client.force_login(people.staff)
    url = reverse("feedback:voice_edit", args=[voice.pk])
    stale_version = voice.version
    run()
    response = client.post(
        url,
        {
            "channel": voice.channel,
            "category": voice.category,
            "section": voice.section_id,
            "received_on": voice.received_on.isoformat(),
            "due_on": voice.due_on.isoformat(),
            "summary": voice.summary,
            "body": voice.body,
            "contact_name": NAME,
            "contact_info": CONTACT,
            "version": stale_version,
        },
    )
    assert response.status_code == 200
    assert response.context["conflict"]
    assert personal(voice) == ("", "")


def test_the_cutoff_of_29_february_falls_on_28_february():
    assert retention_cutoff(5, on=datetime.date(2028, 2, 29)) == datetime.date(2023, 2, 28)
    assert retention_cutoff(5, on=datetime.date(2026, 11, 25)) == datetime.date(2021, 11, 25)
