# ruff: noqa: F811  (fixtures imported from the neighbouring test module)
"""Smaller things of the voice page (#10.11): the 担当者 select starts empty and requires a
choice; the answer date can be set (a resident answered by phone yesterday); each id on the
page is unique although several step forms carry a version field."""

import datetime
import re
from collections import Counter

import pytest
from django.urls import reverse

from feedback.models import ResidentVoice
from takatsu_portal.core.fiscal import today

from .test_voices import detail, step, voice  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_every_id_on_the_voice_page_is_unique(client, people, voice):
    client.force_login(people.subcommittee)
    html = client.get(detail(voice)).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [name for name, n in ids.items() if n > 1] == []
    assert html.count('name="version"') >= 2  # several step forms, each with its version


def test_the_assignee_starts_empty_and_must_be_chosen(client, people, voice):
    client.force_login(people.manager)
    response = client.get(detail(voice))
    field = response.context["assign_form"]["assignee"]
    assert field.value() in (None, "")
    assert '<option value="" selected>' in str(field)
    response = client.post(step("assign", voice), {"assignee": "", "version": voice.version})
    assert response.status_code == 400
    assert "担当者を選んでください" in response.content.decode()
    voice.refresh_from_db()
    assert voice.assignee is None


def test_the_answer_date_can_be_set_to_yesterday(client, people, voice):
    client.force_login(people.manager)
    yesterday = today() - datetime.timedelta(days=1)
    response = client.post(
        step("answer", voice),
        {
            "answer_text": "電話で手続きの流れを説明した。",
            "answered_on": yesterday.isoformat(),
            "version": voice.version,
        },
    )
    assert response.status_code == 302
    voice.refresh_from_db()
    assert voice.state == ResidentVoice.State.ANSWERED
    assert voice.answered_at.astimezone(datetime.UTC).date() <= yesterday
    from django.utils import timezone

    assert timezone.localtime(voice.answered_at).date() == yesterday


@pytest.mark.parametrize("days", [1, -400])
def test_an_answer_date_in_the_future_or_before_the_voice_is_refused(client, people, voice, days):
    client.force_login(people.manager)
    response = client.post(
        step("answer", voice),
        {
            "answer_text": "説明した。",
            "answered_on": (today() + datetime.timedelta(days=days)).isoformat(),
            "version": voice.version,
        },
    )
    assert response.status_code == 400
    voice.refresh_from_db()
    assert voice.state != ResidentVoice.State.ANSWERED


def test_the_answer_date_defaults_to_today(client, people, voice):
    client.force_login(people.manager)
    response = client.get(detail(voice))
    assert response.context["answer_form"]["answered_on"].value() == today()
    assert reverse("feedback:voice_answer", args=[voice.pk]) in response.content.decode()
