"""The admin site follows the portal's rules for residents' free text and personal data
(issue 17, item 2).

In the portal, free-text survey answers are read only by the subcommittee and section managers
(`feedback.read_free_text`), and a resident voice's name and contact only by the voice's
section and the subcommittee; administrators get neither. The admin must not be a way round:
every list, change and history page of every model, for every role, shows none of them.
"""

import contextlib

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.models import ImportJob
from tests.factories import UserFactory
from tests.feedback.factories import (
    AnswerFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
    VoiceFactory,
    WindowFactory,
)

PORTAL_APPS = {"accounts", "core", "plans", "feedback", "bulletins", "training", "reports"}
PRIVATE = ["駐輪場の屋根が壊れていて雨の日に困る", "区民花子", "044-000-9999"]


@pytest.fixture
def private_records(office, sections, people):
    window = WindowFactory(section=sections.kumin)
    survey = SurveyFactory(office=office, created_by=people.subcommittee)
    question = QuestionFactory(survey=survey, kind="text", text="ご意見をお書きください")
    answer = AnswerFactory(
        response=ResponseFactory(survey=survey, window=window), question=question, text=PRIVATE[0]
    )
    VoiceFactory(
        office=office,
        section=sections.kumin,
        contact_name=PRIVATE[1],
        contact_info=PRIVATE[2],
        source_answer=answer,
        recorded_by=people.staff,
    )
    # A checked import of answers keeps the first rows of its file for the preview.
    ImportJob.objects.create(
        kind="feedback.responses",
        params={"survey": survey.pk},
        office=office,
        requested_by=people.manager,
        filename="answers.csv",
        state=ImportJob.State.READY,
        rows_total=1,
        result={"rows": [{"number": 2, "cells": ["2026-06-01", PRIVATE[0]], "errors": []}]},
    )


def admin_pages():
    """The list page, and the change and history pages of the first row, of every model."""
    urls = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if opts.app_label not in PORTAL_APPS:
            continue
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        for view in ("change", "history"):
            with contextlib.suppress(NoReverseMatch):
                name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
                urls.append(reverse(name, args=[obj.pk]))
    return urls


def test_the_pages_checked_include_the_answer_and_the_voice(db, private_records):
    pages = admin_pages()
    answer = apps.get_model("feedback", "Answer").objects.get(text=PRIVATE[0])
    voice = apps.get_model("feedback", "ResidentVoice").objects.get(contact_name=PRIVATE[1])
    assert reverse("admin:feedback_answer_change", args=[answer.pk]) in pages
    assert reverse("admin:feedback_residentvoice_change", args=[voice.pk]) in pages
    assert reverse("admin:feedback_answer_changelist") in pages


@pytest.mark.django_db
@pytest.mark.parametrize("superuser", [False, True], ids=["administrator", "superuser"])
def test_the_admin_never_shows_free_text_or_personal_data(client, private_records, superuser):
    user = UserFactory(username="root", roles=[Role.ADMINISTRATOR], is_superuser=superuser)
    client.force_login(user)
    shown = []
    for url in admin_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        shown += [(url, p) for p in PRIVATE if p in text]
    assert shown == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR], ids=str)
def test_other_roles_get_no_admin_list_or_change_page(client, private_records, role):
    client.force_login(UserFactory(username="someone", roles=[role]))
    for url in admin_pages():
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/admin/login/" in response.url
