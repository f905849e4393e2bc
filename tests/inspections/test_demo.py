"""The inspections' demo data, built by `manage.py seed_demo` (demo/inspections.py)."""

from collections import Counter

import pytest
from django.urls import reverse

from demo.data import inspections as data
from demo.feedback import seed_feedback
from demo.inspections import seed_inspections
from demo.plans import seed_plans
from demo.writer import analyze
from inspections.models import (
    Answer,
    Building,
    ChecklistTemplate,
    Finding,
    Inspection,
    Photo,
    Place,
)
from takatsu_portal.accounts.models import User
from tests.demo import seeding

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Takatsu's sections, with the demo up to the inspections'."""

    def build():
        sections = seeding.parts(seed_plans, seed_feedback, seed_inspections)
        analyze()
        return sections

    yield from seeding.once(django_db_blocker, build)


def test_the_ward_office_building_has_its_places(seeded):
    assert Place.objects.count() == len(data.PLACES) + len(data.ANNEX_PLACES)
    annai = Place.objects.get(name="総合案内")
    assert annai.window.name == "総合案内" and annai.section.name == "総務課"
    assert Building.objects.filter(name=data.ANNEX).get().floors.count() == 2


def test_a_place_closed_since_last_year_is_retired_with_its_answers(seeded):
    rinji = Place.objects.get(name=data.PLACES["rinji"].name)
    last = Inspection.objects.get(title=data.LAST_TITLE)
    assert rinji.is_retired and last.inspected_on < rinji.retired_on
    assert rinji.answers.filter(inspection=last).exists()
    assert rinji not in Place.objects.in_use()
    retired = rinji.history.get(history_change_reason="点検場所を廃止")
    assert retired.history_user.username == "subcommittee"


def test_the_checklist_was_revised_after_last_years_inspection(seeded):
    template = ChecklistTemplate.objects.get()
    assert template.versions.count() == 2
    current = template.current_version
    assert current.note == data.REVISION_NOTE
    assert current.items.filter(code=data.REVISION_ITEM["code"]).exists()
    assert current.items.get(code=data.REVISED_CODE).guidance == data.REVISED_GUIDANCE
    # Both inspections keep version 1.
    assert set(Inspection.objects.values_list("template_version__number", flat=True)) == {1}


def test_two_inspections_a_year_apart_with_findings_in_every_state(seeded):
    last = Inspection.objects.get(title=data.LAST_TITLE)
    this = Inspection.objects.get(title=data.THIS_TITLE)
    assert 360 <= (this.inspected_on - last.inspected_on).days <= 368
    assert last.state == Inspection.State.DONE and this.state == Inspection.State.IN_PROGRESS
    states = Counter(Finding.objects.values_list("state", flat=True))
    assert set(states) == set(Finding.State.values)
    # Closed by a re-check, and one closed by this year's inspection.
    by_later = Finding.objects.get(place__name="総合案内", item__code="情-05")
    assert by_later.state == Finding.State.CLOSED
    assert by_later.rechecks.get().inspection == this
    # Proposals: one pending, one sent back with a comment.
    outcomes = {f.proposal.get_status_display() for f in Finding.objects.exclude(proposal=None)}
    assert outcomes == {"提出済み", "差し戻し"}
    # Overdue, closed in time and closed late.
    assert Finding.objects.overdue().filter(state=Finding.State.OPEN).exists()
    closed = Finding.objects.filter(state=Finding.State.CLOSED)
    assert any(f.closed_within_due for f in closed) and not all(f.closed_within_due for f in closed)
    # Before and after photos, voices linked, a resident named only with consent.
    assert Photo.objects.filter(stage=Photo.Stage.BEFORE).count() == len(data.LAST_YEAR) + len(
        data.THIS_YEAR
    )
    assert Photo.objects.filter(stage=Photo.Stage.AFTER).exists()
    assert Finding.voices.through.objects.count() >= 2
    named = last.team.exclude(resident_name="")
    assert named.count() == 1 and named.get().consent_on is not None
    assert Answer.objects.filter(inspection=last).count() > 100


def test_a_second_run_writes_nothing(seeded):
    before = (Inspection.objects.count(), Finding.objects.count(), Photo.objects.count())
    tallies = seed_inspections(seeded)
    assert (Inspection.objects.count(), Finding.objects.count(), Photo.objects.count()) == before
    lines = [str(tally) for tally in tallies]
    assert "バリアフリー点検: 2（新規 0、更新 0）" in lines
    assert "点検場所: 31（新規 0、更新 0）" in lines
    assert "チェックリストの改訂: 1（新規 0、更新 0）" in lines
    seeding.assert_unchanged(tallies)


@pytest.mark.parametrize("username", ["subcommittee", "manager", "staff", "council", "admin"])
def test_every_page_shows_the_demo_data(client, seeded, username):
    client.force_login(User.objects.get(username=username))
    finding = Finding.objects.exclude(proposal=None).first()
    inspection = Inspection.objects.get(title=data.LAST_TITLE)
    pages = [
        reverse("inspections:index"),
        reverse("inspections:finding_list"),
        reverse("inspections:place_list"),
        reverse("inspections:place_list") + "?retired=on",
        reverse("inspections:building_list"),
        reverse("inspections:template_list"),
        ChecklistTemplate.objects.get().get_absolute_url(),
        ChecklistTemplate.objects.get().get_absolute_url() + "?version=1",
        inspection.get_absolute_url(),
        finding.get_absolute_url(),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    body = client.get(finding.get_absolute_url()).content.decode()
    assert "結果：<strong>" in body
    if username in ("subcommittee", "manager", "council", "admin"):
        body = client.get(reverse("inspections:summary")).content.decode()
        assert "バリア別の指摘事項" in body
