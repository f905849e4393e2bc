"""Long forms that are not one crispy form open with an error summary too (#10.6): the
project form's schedule and indicator rows are listed at the top, each linking to its field,
and the summary takes the focus."""

import re

import pytest
from django.urls import reverse

from .test_projects import form_data

pytestmark = pytest.mark.django_db


def test_a_bad_schedule_row_is_listed_in_a_summary_at_the_top(client, people, plan, sections):
    client.force_login(people.subcommittee)
    data = form_data()
    data.update(
        {
            "milestones-TOTAL_FORMS": 1,
            "milestones-0-title": "",
            "milestones-0-due_on": "2026-09-30",
            "section": sections.kumin.pk,
        }
    )
    response = client.post(reverse("plans:project_create") + f"?plan={plan.pk}", data)
    assert response.status_code == 200
    html = response.content.decode()
    summary = re.search(r'<div class="alert alert-danger form-error-summary".*?</div>', html, re.S)
    assert summary, "no error summary"
    assert 'href="#id_milestones-0-title"' in summary.group(0)
    assert "スケジュール 1行目" in summary.group(0)
    assert html.index("form-error-summary") < html.index('id="id_code"')
    assert html.count("autofocus") == 1
