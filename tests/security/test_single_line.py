"""Single-line fields hold one line; notification mail survives whatever the text holds
(issue 17, item 3).

A proposal title posted with `\r\nBcc: …` used to be saved as it was; the worker's mail task
then failed on every notification of it (`Header values may not contain linefeed`) without a
retry or a trace of which notification it was.
"""

import importlib
import logging
import pkgutil
import smtplib

import pytest
from celery.exceptions import Retry
from django import forms
from django.core import mail
from django.urls import reverse

from plans.models import Proposal
from takatsu_portal.core.fields import SingleLineCharField, one_line
from takatsu_portal.core.models import Notification
from takatsu_portal.core.notifications import notify
from takatsu_portal.core.tasks import send_notification_email
from tests.factories import own_area, own_policy
from tests.plans.factories import PlanFactory

from . import mailers

INJECTION = "窓口呼出表示の多言語化\r\nBcc: attacker@example.com"


def test_one_line_turns_every_control_character_and_line_break_into_one_space():
    assert one_line("a\r\nb") == "a b"
    assert one_line(" 件名\n\n\tBcc: x@example.jp\x00\x1b ") == "件名 Bcc: x@example.jp"
    assert one_line("a\u2028b\u2029c\x85d\x7fe") == "a b c d e"
    assert one_line("全角　スペースと　区切り") == "全角　スペースと　区切り"  # U+3000 is text
    assert one_line(None) == ""


@pytest.mark.django_db
def test_a_title_with_a_line_break_is_saved_on_one_line_and_its_mail_goes_out(
    client, people, office, sections, django_capture_on_commit_callbacks
):
    plan = PlanFactory(office=office)
    client.force_login(people.staff)
    data = {
        "plan": plan.pk,
        "title": INJECTION,
        "description": "一行目\r\n二行目",
        "policies": [own_policy(1).pk],
        "initiative_area": own_area(1).pk,
        "section": sections.kumin.pk,
        "working_group": "",
        "budget_estimate": "1000",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("plans:proposal_create"), data)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.title == "窓口呼出表示の多言語化 Bcc: attacker@example.com"
    assert "一行目\r\n二行目" in proposal.description  # a multi-line field keeps its lines
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [people.subcommittee.email]
    assert message.bcc == []
    assert "\n" not in message.subject and "\r" not in message.subject
    assert "attacker@example.com" not in str(message.message()["Bcc"] or "")


def _modelform_classes():
    for package in ("plans", "feedback", "bulletins", "training", "takatsu_portal"):
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, package + "."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            importlib.import_module(info.name)
    seen, todo = set(), [forms.ModelForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [c for c in seen if c.__module__.split(".")[0] != "django"]


@pytest.mark.django_db
def test_every_single_line_text_field_of_every_portal_model_form_is_a_single_line_field():
    classes = _modelform_classes()
    assert len(classes) >= 10
    plain = []
    for cls in classes:
        for name, field in cls.base_fields.items():
            if type(field) is forms.CharField and not isinstance(field.widget, forms.Textarea):
                plain.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert plain == []


@pytest.mark.django_db
def test_the_admin_forms_clean_single_line_fields_too(client):
    from django.contrib import admin

    from takatsu_portal.accounts.models import Office

    form_class = admin.site._registry[Office].get_form(None)
    assert isinstance(form_class.base_fields["name"], SingleLineCharField)


@pytest.mark.django_db
def test_a_notification_written_with_a_line_break_is_mailed_with_a_one_line_subject(people):
    message = "提案「A\r\nBcc: x@example.jp」が届きました"
    notification = notify(recipient=people.staff, message=message)
    send_notification_email.apply(args=[notification.pk])
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.endswith("提案「A Bcc: x@example.jp」が届きました")
    assert mail.outbox[0].bcc == []
    assert "A\r\nBcc: x@example.jp" in mail.outbox[0].body  # the body may have lines


@pytest.mark.django_db
def test_mail_refused_on_its_content_is_logged_with_the_notification_and_not_retried(
    people, caplog, monkeypatch
):
    notification = Notification.objects.create(recipient=people.staff, message="お知らせ")
    calls = []

    def refuse(**kwargs):
        calls.append(kwargs)
        raise ValueError("Header values may not contain linefeed or carriage return characters")

    monkeypatch.setattr("django.core.mail.send_mail", refuse)
    with caplog.at_level(logging.ERROR, logger="takatsu_portal.core.tasks"):
        result = send_notification_email.apply(args=[notification.pk])
    assert len(calls) == 1  # not retried
    assert result.successful()
    assert f"notification={notification.pk}" in caplog.text


@pytest.mark.django_db
def test_a_transient_smtp_failure_is_retried(people, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.security.mailers.DisconnectingBackend"}}
    mailers.ATTEMPTS.clear()
    notification = Notification.objects.create(recipient=people.staff, message="お知らせ")
    # Run in the test process, the task asks Celery for a later retry instead of failing.
    with pytest.raises(Retry) as retry:
        send_notification_email.apply(args=[notification.pk])
    assert isinstance(retry.value.exc, smtplib.SMTPServerDisconnected)
    assert retry.value.when > 0
    assert mailers.ATTEMPTS == [1]
    assert send_notification_email.max_retries >= 3


@pytest.mark.django_db
def test_an_imported_title_with_line_breaks_is_one_line(people, office, sections):
    from plans.projects import spreadsheet as imports
    from takatsu_portal.core import tabular
    from tests.plans.projects.test_spreadsheet import csv_text

    plan = PlanFactory(office=office)
    content = csv_text('R8-70,,"窓口の改善\r\nBcc: x@example.jp",,1,1,区民課,,0,,')
    preview = imports.validate(tabular.read_table(content.encode(), "a.csv"), plan=plan)
    assert [row.errors for row in preview.rows] == [[]]
    assert preview.rows[0].data.title == "窓口の改善 Bcc: x@example.jp"
