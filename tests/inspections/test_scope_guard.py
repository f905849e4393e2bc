"""The office-scope guard (issue 15) on an inspection's team, answers, re-checks and photos: in
a request, a query of them that no office scopes raises; `for_office` sees one office's rows;
the pages that read them (the inspection, the walk, the finding, the photo) still answer for
their own office and 404 for another office's id."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from inspections import services
from inspections.models import (
    Answer,
    Building,
    Finding,
    Floor,
    Inspection,
    Photo,
    Place,
    PlaceType,
    Rating,
    Recheck,
    TeamMember,
)
from takatsu_portal.core.scoping import UnscopedQueryError, guarded

from .conftest import item, upload
from .test_services import position_of, walk_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours(inspection, places, people, media):
    """A finding of our inspection with a photo of the walk, corrected with a photo and
    re-checked without confirmation."""
    answer = services.answer_record(
        inspection=inspection,
        place=places.entrance,
        item=item(inspection, "情-01"),
        by=people.staff,
        rating=Rating.NEEDS,
        note="フロア案内が日本語だけ",
        photo=upload(),
    )
    finding = answer.finding
    services.finding_correct(
        finding=finding,
        by=people.other_staff,
        expected_version=finding.version,
        correction="案内板を取り替えた",
        corrected_on=datetime.date(2026, 10, 20),
        photo=upload(),
    )
    finding.refresh_from_db()
    services.finding_recheck(
        finding=finding,
        by=people.manager,
        expected_version=finding.version,
        confirmed=False,
        checked_on=datetime.date(2026, 10, 25),
        note="中国語の表記が抜けている",
    )
    finding.refresh_from_db()
    return finding


@pytest.fixture
def theirs(stranger, shipped_template, media):
    """The same records at another ward office (made directly, as its own staff would)."""
    office = stranger.section.department.office
    floor = Floor.objects.create(
        building=Building.objects.create(office=office, name="宮前区役所 本庁舎"), name="1階"
    )
    place = Place.objects.create(
        floor=floor, name="宮前の玄関", place_type=PlaceType.ENTRANCE, section=stranger.section
    )
    version = shipped_template.current_version
    inspection = Inspection.objects.create(
        office=office,
        title="宮前区の点検",
        inspected_on=datetime.date(2026, 10, 2),
        template_version=version,
        created_by=stranger,
    )
    inspection.places.add(place)
    TeamMember.objects.create(inspection=inspection, kind=TeamMember.Kind.STAFF, user=stranger)
    target = version.items.get(code="情-01")
    answer = Answer.objects.create(
        inspection=inspection,
        place=place,
        item=target,
        rating=Rating.NEEDS,
        note="宮前区の気づき",
        answered_by=stranger,
    )
    finding = Finding.objects.create(
        answer=answer,
        inspection=inspection,
        place=place,
        item=target,
        barrier=target.barrier,
        section=stranger.section,
        due_on=datetime.date(2027, 3, 31),
        state=Finding.State.CORRECTED,
    )
    Recheck.objects.create(
        finding=finding,
        checked_on=datetime.date(2026, 10, 26),
        confirmed=False,
        note="宮前区の再確認",
        checked_by=stranger,
    )
    Photo.objects.create(
        answer=answer,
        stage=Photo.Stage.BEFORE,
        image=ContentFile(b"not shown", name="photo.jpg"),
        width=1,
        height=1,
        uploaded_by=stranger,
    )
    return finding


@pytest.mark.parametrize("model", [TeamMember, Answer, Recheck, Photo])
def test_an_unscoped_query_raises_and_for_office_sees_one_office(model, office, ours, theirs):
    with guarded("raise"):
        with pytest.raises(UnscopedQueryError, match=model._meta.label):
            model.objects.count()
        with pytest.raises(UnscopedQueryError):  # a hand-typed id is not a scope
            model.objects.filter(pk=model.objects.city_wide("test").last().pk).get()
        mine = list(model.objects.for_office(office))
        assert mine
        everyone = model.objects.city_wide("test: both offices").count()
    assert everyone > len(mine)  # the other office's rows are left out
    assert model.objects.count() == everyone  # outside a request: every office


def test_photos_of_no_office_are_none(ours, theirs):
    with guarded("raise"):
        assert list(Photo.objects.for_office(None)) == []
    assert Photo.objects.count() == 3  # two of ours (before, after), one of theirs


def test_the_inspection_and_its_walk_answer_for_the_own_office_only(
    client, people, inspection, places, ours, theirs
):
    client.force_login(people.staff)
    page = client.get(inspection.get_absolute_url())
    assert page.status_code == 200
    assert people.staff.full_name in page.content.decode()  # the team
    position = position_of(inspection, places.entrance, "情-01")
    walk = client.get(walk_url(inspection, places.entrance, position))
    assert walk.status_code == 200
    assert "フロア案内が日本語だけ" in walk.content.decode()  # the answer, read back
    assert client.get(theirs.inspection.get_absolute_url()).status_code == 404
    assert client.get(reverse("inspections:walk", args=[theirs.inspection_id])).status_code == 404


def test_the_finding_and_its_photos_answer_for_the_own_office_only(client, people, ours, theirs):
    client.force_login(people.staff)
    page = client.get(ours.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "中国語の表記が抜けている" in text  # the re-check
    for photo in Photo.objects.filter(answer=ours.answer) | ours.photos.all():
        assert reverse("inspections:photo", args=[photo.pk]) in text
        assert client.get(reverse("inspections:photo", args=[photo.pk])).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    their_photo = Photo.objects.get(answer=theirs.answer)
    assert client.get(reverse("inspections:photo", args=[their_photo.pk])).status_code == 404
