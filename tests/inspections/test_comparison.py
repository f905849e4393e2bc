"""The inspections app's figure in 区役所比較 (inspections/comparison.py): findings of the year,
those not closed, those past their due date, per office."""

import datetime

import pytest

from inspections import services
from inspections.comparison import finding_values
from inspections.models import Finding, Rating
from takatsu_portal.core.fiscal import FiscalYear
from tests.factories import OfficeFactory

from .conftest import item, upload

pytestmark = pytest.mark.django_db


def test_open_and_overdue_findings_per_office(
    inspection, places, people, office, media, monkeypatch
):
    monkeypatch.setattr("takatsu_portal.core.fiscal.clock", lambda: datetime.date(2027, 2, 1))
    findings = [
        services.answer_record(
            inspection=inspection,
            place=places.entrance,
            item=item(inspection, code),
            by=people.staff,
            rating=Rating.NEEDS,
            photo=upload(),
        ).finding
        for code in ("情-01", "物-02", "物-04")
    ]
    Finding.objects.filter(pk=findings[0].pk).update(state=Finding.State.CLOSED)
    Finding.objects.filter(pk=findings[1].pk).update(due_on=datetime.date(2027, 1, 10))
    Finding.objects.filter(pk=findings[2].pk).update(due_on=datetime.date(2027, 3, 10))
    other = OfficeFactory(code="saiwai", name="幸区役所")

    values = finding_values([office, other], FiscalYear(2026))

    assert values[office.pk] == {"found": 3, "open": 2, "overdue": 1}
    assert other.pk not in values  # no inspection: an empty row on the page
    # Last fiscal year ended before the inspection: nothing to count then.
    assert finding_values([office], FiscalYear(2025)) == {}
