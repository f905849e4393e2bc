"""Places kept in the portal: buildings, floors and points added, changed, retired (never
deleted once an inspection refers to them), deleted when nothing does; each save guarded by
the version the editor loaded and recorded in the history; the lists at two sizes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inspections import services
from inspections.access import BUILDING_REFUSAL, PLACE_REFUSAL
from inspections.models import Building, Floor, Inspection, Place, PlaceType
from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.versioning import ConflictError
from tests.factories import DepartmentFactory, SectionFactory, UserFactory
from tests.feedback.factories import WindowFactory

from .conftest import item


def place_data(place, **changes):
    data = {
        "version": place.version,
        "floor": place.floor_id,
        "name": place.name,
        "place_type": place.place_type,
        "section": place.section_id,
        "window": place.window_id or "",
        "sort_order": place.sort_order,
    }
    return {**data, **changes}


def test_the_subcommittee_adds_a_building_a_floor_and_a_place(client, people, office, sections):
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("inspections:location_create", args=["building"]),
        {
            "name": "高津区役所 道路公園センター",
            "address": "川崎市高津区末長1-3-9",
            "sort_order": 20,
        },
    )
    assert response.status_code == 302
    building = Building.objects.get(name="高津区役所 道路公園センター")
    assert building.office == office and building.version == 1
    response = client.post(
        reverse("inspections:location_create", args=["floor"]),
        {"building": building.pk, "name": "1階", "level": 1},
    )
    assert response.status_code == 302
    floor = building.floors.get()
    window = WindowFactory(section=sections.hoken, name="国民健康保険の窓口")
    response = client.post(
        reverse("inspections:location_create", args=["place"]),
        {
            "floor": floor.pk,
            "name": "受付カウンター",
            "place_type": PlaceType.COUNTER,
            "section": sections.hoken.pk,
            "window": window.pk,
            "sort_order": 10,
        },
    )
    assert response.status_code == 302, response.content.decode()
    place = Place.objects.get(name="受付カウンター")
    assert (place.floor, place.window, place.section) == (floor, window, sections.hoken)
    record = place.history.get()
    assert record.history_user == people.subcommittee
    assert record.history_change_reason == "点検場所を登録"
    body = client.get(reverse("inspections:place_list")).content.decode()
    assert "受付カウンター" in body and "国民健康保険の窓口" in body
    body = client.get(reverse("inspections:building_list")).content.decode()
    assert "道路公園センター" in body and "1か所" in body


def test_an_administrator_keeps_places_too(client, people, places):
    client.force_login(people.admin)
    response = client.post(
        reverse("inspections:location_edit", args=["place", places.ramp.pk]),
        place_data(places.ramp, name="正面スロープ（東側）"),
    )
    assert response.status_code == 302
    places.ramp.refresh_from_db()
    assert places.ramp.name == "正面スロープ（東側）" and places.ramp.version == 2


@pytest.mark.parametrize("role", ["staff", "hoken_manager", "council", "lead"])
def test_others_may_not_add_or_change_places(client, people, places, role):
    client.force_login(getattr(people, role))
    response = client.post(
        reverse("inspections:location_edit", args=["place", places.ramp.pk]),
        place_data(places.ramp, name="書き換え"),
    )
    assert response.status_code == 403
    assert PLACE_REFUSAL in response.content.decode()
    places.ramp.refresh_from_db()
    assert places.ramp.name == "正面スロープ"
    with pytest.raises((PermissionDenied, ValidationError)):
        services.location_save(location=places.ramp, by=getattr(people, role))
    assert places.ramp.history.count() == 1


def test_a_section_manager_keeps_the_points_of_their_own_section(client, people, places, sections):
    client.force_login(people.manager)  # 総務課, which looks after the fixture's places
    page = client.get(reverse("inspections:location_create", args=["place"]))
    assert list(page.context["form"].fields["section"].queryset) == [sections.somu]
    response = client.post(
        reverse("inspections:location_create", args=["place"]),
        {
            "floor": places.entrance.floor_id,
            "name": "総務課 受付",
            "place_type": PlaceType.COUNTER,
            "section": sections.somu.pk,
            "sort_order": 0,
        },
    )
    assert response.status_code == 302
    assert Place.objects.get(name="総務課 受付").history.get().history_user == people.manager
    response = client.post(
        reverse("inspections:location_edit", args=["place", places.ramp.pk]),
        place_data(places.ramp, name="正面スロープ（東）"),
    )
    assert response.status_code == 302
    # Not handed to another section, by a crafted form or through the service.
    response = client.post(
        reverse("inspections:location_edit", args=["place", places.ramp.pk]),
        place_data(places.ramp, version=2, section=sections.hoken.pk),
    )
    assert response.status_code == 400
    ramp = Place.objects.get(pk=places.ramp.pk)
    assert ramp.section == sections.somu
    ramp.section = sections.hoken
    with pytest.raises(ValidationError) as refused:
        services.location_save(location=ramp, by=people.manager, expected_version=2)
    assert refused.value.message_dict == {
        "section": ["課長が登録・変更できるのは自分の課の点検場所です。"]
    }
    # Buildings and floors are the subcommittee's and the administrators'.
    for kind, pk in (("building", places.ramp.floor.building_id), ("floor", places.ramp.floor_id)):
        response = client.get(reverse("inspections:location_edit", args=[kind, pk]))
        assert response.status_code == 403
        assert BUILDING_REFUSAL in response.content.decode()
    assert client.get(reverse("inspections:location_create", args=["floor"])).status_code == 403
    # Another section's manager keeps none of 総務課's points.
    client.force_login(people.hoken_manager)
    response = client.get(reverse("inspections:location_edit", args=["place", places.ramp.pk]))
    assert response.status_code == 403


def test_a_stale_edit_shows_the_other_change_and_keeps_the_input(client, people, places):
    loaded = places.counter.version
    services.location_save(
        location=Place.objects.get(pk=places.counter.pk), by=people.admin, expected_version=loaded
    )
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("inspections:location_edit", args=["place", places.counter.pk]),
        place_data(places.counter, version=loaded, name="区民課 1番・2番窓口"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "他の人が先に保存した変更" in body
    assert 'value="区民課 1番・2番窓口"' in body
    places.counter.refresh_from_db()
    assert places.counter.name == "区民課 1番窓口"
    with pytest.raises(ConflictError):
        services.location_save(location=places.counter, by=people.admin, expected_version=loaded)


def test_a_duplicate_name_is_refused_on_its_field(client, people, places):
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("inspections:location_edit", args=["place", places.counter.pk]),
        place_data(places.counter, name="正面玄関"),
    )
    assert response.status_code == 400
    assert "この階には同じ名前の点検場所がすでにあります。" in response.content.decode()
    places.counter.refresh_from_db()
    assert places.counter.name == "区民課 1番窓口"
    building = places.entrance.floor.building
    with pytest.raises(ValidationError) as refused:
        services.location_save(
            location=Building(office=building.office, name=building.name), by=people.subcommittee
        )
    duplicate = "この区役所には同じ名前の建物がすでにあります。"
    assert refused.value.message_dict == {"name": [duplicate]}


def test_a_place_takes_a_section_and_window_of_its_own_office(people, places, stranger):
    foreign_section = stranger.section
    place = Place.objects.get(pk=places.ramp.pk)
    place.section = foreign_section
    place.window = WindowFactory(section=foreign_section)
    with pytest.raises(ValidationError) as refused:
        services.location_save(location=place, by=people.subcommittee)
    assert set(refused.value.message_dict) == {"section", "window"}
    # Nor may a member of another office change this office's place.
    with pytest.raises(PermissionDenied):
        services.location_save(location=Place.objects.get(pk=places.ramp.pk), by=stranger)


def test_a_place_an_inspection_used_is_retired_not_deleted(
    client, people, places, inspection, office
):
    services.answer_record(
        inspection=inspection,
        place=places.ramp,
        item=item(inspection, "物-07"),
        by=people.staff,
        rating="ok",
        value=Decimal("0.05"),
    )
    client.force_login(people.subcommittee)
    delete_url = reverse("inspections:location_delete", args=["place", places.ramp.pk])
    assert "削除できません" in client.get(delete_url).content.decode()
    response = client.post(delete_url, {"version": places.ramp.version})
    assert response.status_code == 400
    assert "点検で使われた場所は削除できません。" in response.content.decode()
    assert Place.objects.filter(pk=places.ramp.pk).exists()

    response = client.post(
        reverse("inspections:location_retire", args=["place", places.ramp.pk]),
        {"version": places.ramp.version, "action": "retire"},
        follow=True,
    )
    assert "を廃止しました" in response.content.decode()
    places.ramp.refresh_from_db()
    assert places.ramp.is_retired and places.ramp.version == 2
    # Not offered to a new inspection; kept by the inspection that used it.
    form = client.get(reverse("inspections:inspection_create")).context["form"]
    assert places.ramp not in form.fields["places"].queryset
    form = client.get(reverse("inspections:inspection_edit", args=[inspection.pk])).context["form"]
    assert places.ramp in form.fields["places"].queryset
    assert places.ramp in inspection.places.all()
    # The list leaves it out unless asked.
    assert "正面スロープ" not in client.get(reverse("inspections:place_list")).content.decode()
    body = client.get(reverse("inspections:place_list") + "?retired=on").content.decode()
    assert "正面スロープ" in body and "廃止（" in body
    # Taken back into use.
    client.post(
        reverse("inspections:location_retire", args=["place", places.ramp.pk]),
        {"version": places.ramp.version, "action": "restore"},
    )
    places.ramp.refresh_from_db()
    assert not places.ramp.is_retired
    reasons = list(places.ramp.history.values_list("history_change_reason", flat=True))
    assert "点検場所を廃止" in reasons and "点検場所の使用を再開" in reasons


def test_a_retired_floor_takes_its_places_out_of_use(client, people, places):
    floor = places.entrance.floor
    services.location_retire(location=floor, by=people.subcommittee, expected_version=1)
    assert set(Place.objects.in_use()) == {places.ramp}
    with pytest.raises(ValidationError) as refused:
        services.location_save(
            location=Place(
                floor=floor,
                name="新しい場所",
                place_type=PlaceType.TOILET,
                section=places.entrance.section,
            ),
            by=people.subcommittee,
        )
    assert "floor" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.location_retire(location=floor, by=people.subcommittee, expected_version=2)


def test_a_mistyped_place_nothing_refers_to_is_deleted_with_its_history(client, people, places):
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("inspections:location_delete", args=["place", places.ramp.pk]),
        {"version": places.ramp.version},
    )
    assert response.status_code == 302
    assert not Place.objects.filter(pk=places.ramp.pk).exists()
    deleted = Place.history.filter(id=places.ramp.pk, history_type="-").get()
    assert deleted.history_user == people.subcommittee
    # A floor with places, a building with floors: retire them instead.
    floor = places.entrance.floor
    response = client.post(
        reverse("inspections:location_delete", args=["floor", floor.pk]), {"version": 1}
    )
    assert response.status_code == 400
    assert "点検場所が登録されている階は削除できません。" in response.content.decode()


def test_a_city_wide_administrator_picks_the_office_of_a_new_building(client, office):
    admin = UserFactory(username="cityadmin", roles=[Role.ADMINISTRATOR], section=None)
    client.force_login(admin)
    page = client.get(reverse("inspections:location_create", args=["building"]))
    assert "office" in page.context["form"].fields
    response = client.post(
        reverse("inspections:location_create", args=["building"]),
        {"office": office.pk, "name": "溝口出張所", "sort_order": 30},
    )
    assert response.status_code == 302
    assert Building.objects.get(name="溝口出張所").office == office


def test_a_user_without_a_section_adds_no_building(client, db):
    client.force_login(UserFactory(username="nosec", roles=[Role.SUBCOMMITTEE], section=None))
    response = client.get(reverse("inspections:location_create", args=["building"]))
    assert response.status_code == 403
    assert "所属課が設定されていない" in response.content.decode()


def test_the_form_offers_only_this_offices_floors_sections_and_windows(
    client, people, places, stranger
):
    WindowFactory(section=stranger.section, name="よその窓口")
    other_building = Building.objects.create(office=stranger.office, name="宮前区役所")
    Floor.objects.create(building=other_building, name="2階", level=2)
    client.force_login(people.subcommittee)
    form = client.get(reverse("inspections:location_create", args=["place"])).context["form"]
    assert set(form.fields["floor"].queryset) == {places.entrance.floor, places.ramp.floor}
    assert stranger.section not in form.fields["section"].queryset
    assert not form.fields["window"].queryset.filter(name="よその窓口").exists()
    # A place's floor from another office, typed by hand, is refused.
    response = client.post(
        reverse("inspections:location_create", args=["place"]),
        {
            "floor": other_building.floors.get().pk,
            "name": "x",
            "place_type": "toilet",
            "section": places.ramp.section_id,
            "sort_order": 0,
        },
    )
    # The form comes back with the error (400, as every form sent back with errors).
    assert response.status_code == 400
    assert response.context["form"].errors["floor"]
    assert not Place.objects.filter(name="x").exists()


def many_places(office, section, count, start=0):
    building = Building.objects.get_or_create(office=office, name="多数の建物")[0]
    for n in range(start, start + count):
        floor = Floor.objects.create(building=building, name=f"{n}階", level=n)
        Place.objects.create(
            floor=floor, name=f"場所{n}", place_type=PlaceType.CORRIDOR, section=section
        )
    extra = Building.objects.create(office=office, name=f"別館{start}")
    Floor.objects.create(building=extra, name="1階", level=1)


@pytest.mark.parametrize("name", ["place_list", "building_list"])
def test_the_place_lists_run_a_fixed_number_of_queries(
    client, people, office, sections, django_assert_max_num_queries, name
):
    client.force_login(people.subcommittee)
    many_places(office, sections.somu, 2)
    with django_assert_max_num_queries(14) as small:
        assert client.get(reverse(f"inspections:{name}")).status_code == 200
    many_places(office, sections.somu, 12, start=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(f"inspections:{name}")).status_code == 200


def test_the_place_list_paginates(client, people, office, sections):
    many_places(office, sections.somu, 55)
    client.force_login(people.staff)
    body = client.get(reverse("inspections:place_list")).content.decode()
    assert "1 / 2 ページ" in body
    assert "場所54" not in body
    assert "場所54" in client.get(reverse("inspections:place_list") + "?page=2").content.decode()


def test_a_place_history_page_shows_who_changed_what(client, people, places):
    place = Place.objects.get(pk=places.ramp.pk)
    place.name = "北側スロープ"
    services.location_save(location=place, by=people.admin, expected_version=place.version)
    client.force_login(people.staff)
    body = client.get(
        reverse("inspections:location_history", args=["place", place.pk])
    ).content.decode()
    assert "正面スロープ" in body and "北側スロープ" in body and "点検場所を変更" in body


def test_an_inspection_cannot_be_planned_at_a_retired_place_by_a_crafted_post(
    client, people, places, shipped_template
):
    services.location_retire(location=places.ramp, by=people.subcommittee, expected_version=1)
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("inspections:inspection_create"),
        {
            "title": "廃止した場所の点検",
            "inspected_on": datetime.date(2026, 11, 1),
            "template": shipped_template.pk,
            "places": [places.ramp.pk],
        },
    )
    assert response.status_code == 400
    assert not Inspection.objects.filter(title="廃止した場所の点検").exists()


def test_another_department_of_the_office_is_still_the_same_office(people, places, office):
    section = SectionFactory(department=DepartmentFactory(office=office, name="区民サービス部"))
    place = Place.objects.get(pk=places.ramp.pk)
    place.section = section
    services.location_save(location=place, by=people.subcommittee, expected_version=1)
    place.refresh_from_db()
    assert place.section == section


def test_a_retired_building_takes_its_floors_and_places_out_of_use(client, people, places):
    building = places.entrance.floor.building
    client.force_login(people.admin)
    response = client.post(
        reverse("inspections:location_retire", args=["building", building.pk]),
        {"version": building.version, "action": "retire"},
        follow=True,
    )
    assert "建物「高津区役所 本庁舎」を廃止しました。" in response.content.decode()
    assert not Place.objects.in_use().exists()
    body = client.get(reverse("inspections:building_list")).content.decode()
    assert "廃止" in body and "階を追加" not in body
    # No floor can be added to it, by the form or by the service.
    form = client.get(reverse("inspections:location_create", args=["floor"])).context["form"]
    assert building not in form.fields["building"].queryset
    building.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.location_save(
            location=Floor(building=building, name="5階", level=5), by=people.admin
        )
    assert refused.value.message_dict == {"building": ["廃止した建物には階を追加できません。"]}
    # Retiring twice is explained, not repeated.
    response = client.post(
        reverse("inspections:location_retire", args=["building", building.pk]),
        {"version": building.version, "action": "retire"},
        follow=True,
    )
    assert "すでに廃止しています。" in response.content.decode()
