"""Deleting a place and re-checking a finding compare the version the person loaded with the
locked row, not with the copy in memory; adding a building, floor or place answers 400 with the
errors (the form's or the service's) and keeps the input."""

import pytest
from django.urls import reverse

from inspections import services
from inspections.models import Place, PlaceType, Recheck
from takatsu_portal.core.fiscal import today
from takatsu_portal.core.versioning import ConflictError, save_versioned

from .conftest import upload
from .test_pages import needs

pytestmark = pytest.mark.django_db


def test_a_place_changed_after_it_was_loaded_is_not_deleted(people, places):
    loaded = Place.objects.get(pk=places.ramp.pk)  # the page the person opened: version 1
    other = Place.objects.get(pk=places.ramp.pk)
    other.name = "正面スロープ（改修後）"
    save_versioned(other, by=people.manager)  # someone else saves: version 2
    with pytest.raises(ConflictError):
        services.location_delete(location=loaded, by=people.subcommittee, expected_version=1)
    assert Place.objects.get(pk=places.ramp.pk).name == "正面スロープ（改修後）"


def test_a_finding_changed_after_it_was_loaded_is_not_rechecked(people, places, inspection, media):
    finding = needs(inspection, places.entrance, "物-02", people.subcommittee)
    services.finding_correct(
        finding=finding,
        by=people.subcommittee,
        expected_version=finding.version,
        correction="段差を解消した",
        corrected_on=today(),
        photo=upload(),
    )
    finding.refresh_from_db()
    loaded_version = finding.version
    other = type(finding).objects.get(pk=finding.pk)
    save_versioned(other, by=people.manager, reason="別の人の変更")
    with pytest.raises(ConflictError):
        services.finding_recheck(
            finding=finding,
            by=people.subcommittee,
            expected_version=loaded_version,
            confirmed=True,
            checked_on=today(),
        )
    assert not Recheck.objects.filter(finding=finding).exists()
    # With the current version the re-check closes it.
    current = type(finding).objects.get(pk=finding.pk)
    services.finding_recheck(
        finding=finding,
        by=people.subcommittee,
        expected_version=current.version,
        confirmed=True,
        checked_on=today(),
    )
    assert type(finding).objects.get(pk=finding.pk).state == "closed"


def test_adding_a_place_with_a_missing_field_answers_400_and_keeps_the_input(
    client, people, places
):
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("inspections:location_create", args=["place"]),
        {"floor": places.entrance.floor_id, "name": "", "place_type": PlaceType.COUNTER},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert response.context["form"]["place_type"].value() == PlaceType.COUNTER


def test_a_duplicate_name_refused_by_the_service_answers_400(client, people, places, sections):
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("inspections:location_create", args=["place"]),
        {
            "floor": places.ramp.floor_id,
            "name": places.ramp.name,
            "place_type": PlaceType.COUNTER,
            "section": places.ramp.section_id,
            "sort_order": 0,
        },
    )
    assert response.status_code == 400
    assert "この階には同じ名前の点検場所がすでにあります。" in response.content.decode()
    assert Place.objects.filter(name=places.ramp.name).count() == 1
