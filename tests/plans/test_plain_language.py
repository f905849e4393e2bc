"""The live plain-language check in the project and proposal editors."""

import pytest
from django.urls import reverse

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_the_project_editor_checks_the_description(client, people, plan):
    project = ProjectFactory(plan=plan)
    client.force_login(people.subcommittee)
    form = client.get(reverse("plans:project_edit", args=[project.pk])).context["form"]
    assert form.fields["description"].widget.attrs["data-plain-language"] == "standard"
    assert form.fields["description"].widget.attrs["rows"] == 5


def test_the_proposal_form_checks_the_title_and_the_description(client, people, plan):
    client.force_login(people.staff)
    page = client.get(reverse("plans:proposal_create")).content.decode()
    assert page.count('data-plain-language="standard"') == 2
    assert f'data-plain-language-url="{reverse("plain_language:live")}"' in page
