# ruff: noqa: F811  (fixtures imported from the neighbouring test module)
"""Times people read are in Tokyo time (#10.5): the 議題を追加 form's list of report PDFs and
the change history of a proposal show 2026年12月7日 08:53 for 23:53 UTC on the 6th, never the
stored UTC value."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.plans.factories import ProposalFactory

from .test_stale_content import meeting, project, reported_plan, version  # noqa: F401

pytestmark = pytest.mark.django_db

LATE_EVENING_UTC = datetime(2026, 12, 6, 23, 53, 13, 447422, tzinfo=UTC)
TOKYO = "2026年12月7日 08:53"


def test_the_agenda_item_form_lists_report_pdfs_in_tokyo_time(client, people, meeting, version):
    type(version).objects.filter(pk=version.pk).update(created_at=LATE_EVENING_UTC)
    client.force_login(people.subcommittee)
    html = client.get(reverse("plans:agenda_item_create", args=[meeting.pk])).content.decode()
    assert f"受付番号 {version.job_id}、{TOKYO} 作成" in html
    assert "2026-12-06" not in html and "+00:00" not in html and "23:53" not in html


def test_a_proposals_history_shows_its_decision_time_in_tokyo_time(client, people, plan):
    with time_machine.travel(LATE_EVENING_UTC - timedelta(hours=1), tick=False):
        proposal = ProposalFactory(plan=plan, proposer=people.staff, section=people.staff.section)
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        proposal.decided_at = LATE_EVENING_UTC
        proposal.save()
    client.force_login(people.subcommittee)
    html = client.get(reverse("plans:proposal_history", args=[proposal.pk])).content.decode()
    assert "判断日時" in html  # the changed field, under its label
    assert html.count(TOKYO) >= 2  # when the change was made, and the value it set
    assert "+00:00" not in html and "2026-12-06" not in html
