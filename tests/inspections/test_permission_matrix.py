"""Each URL of inspections × each role (and anonymous, and a member of another office) → the
answer the design expects. GET for pages; POST with an empty form for actions, which must be
refused (403) before the form is read, or answered with the form's errors (400) or a redirect.

Everyone here works in 総務課, the section that looks after the places, so a finding's
responsible section is theirs; `staff` is on the inspection's team, `wglead` is not; the
inspection is the subcommittee's (no running section). Places (buildings, floors, points)
are kept by the subcommittee and the administrators; checklists by the subcommittee.
"""

import datetime

import pytest
from django.urls import reverse

from inspections import services
from inspections.access import LOCATION_REFUSALS
from inspections.models import Rating
from inspections.urls import urlpatterns
from takatsu_portal.accounts.permissions import CITY_READ_ONLY

from .conftest import item, upload

ROLES = ["staff", "lead", "subcommittee", "council", "manager", "admin", "city"]
ALL = set(ROLES)
# The city planning bureau reads every office and writes nothing.
WARD = ALL - {"city"}
OK = 200
KEEPERS = {"subcommittee", "admin"}
# A section manager keeps the points of their own section (the fixture's places are 総務課's).
POINT_KEEPERS = KEEPERS | {"manager"}

MATRIX = {
    "index": ("get", None, ALL, OK),
    "inspection_create": ("get", None, {"subcommittee", "manager"}, OK),
    "inspection_detail": ("get", "inspection", ALL, OK),
    "inspection_edit": ("get", "inspection", {"subcommittee"}, OK),
    "inspection_history": ("get", "inspection", ALL, OK),
    "team_add": ("post", "inspection", {"subcommittee"}, 400),
    "inspection_finish": ("post", "inspection", {"subcommittee"}, 302),
    "walk": ("get", "inspection", {"subcommittee", "staff"}, OK),
    "place_list": ("get", None, ALL, OK),
    "building_list": ("get", None, ALL, OK),
    # "new:<kind>": the page that adds a building, floor or place (no object yet).
    "location_create": ("get", "new:place", POINT_KEEPERS, OK),
    "location_edit": ("get", "place", POINT_KEEPERS, OK),
    # An empty form: refused before it is read, or sent back with "reload the page".
    "location_retire": ("post", "place", POINT_KEEPERS, 302),
    "location_delete": ("get", "place", POINT_KEEPERS, OK),
    "location_history": ("get", "place", ALL, OK),
    "template_list": ("get", None, ALL, OK),
    "template_create": ("get", None, {"subcommittee"}, OK),
    "template_detail": ("get", "template", ALL, OK),
    "template_edit": ("get", "template", {"subcommittee"}, OK),
    "template_history": ("get", "template", ALL, OK),
    "item_add": ("get", "template", {"subcommittee"}, OK),
    "item_edit": ("get", "item", {"subcommittee"}, OK),
    "item_move": ("post", "item", {"subcommittee"}, 302),
    "item_remove": ("get", "item", {"subcommittee"}, OK),
    "item_history": ("get", "item", ALL, OK),
    "finding_list": ("get", None, ALL, OK),
    "finding_detail": ("get", "finding", ALL, OK),
    "finding_history": ("get", "finding", ALL, OK),
    "finding_edit": ("post", "finding", {"subcommittee", "manager"}, 400),
    # Members of the responsible section record a correction.
    "finding_correct": ("post", "finding", WARD, 400),
    "finding_propose": ("post", "finding", {"subcommittee", "manager"}, 400),
    "finding_recheck": ("post", "corrected", {"subcommittee", "manager"}, 400),
    "finding_voices": ("post", "finding", WARD, 302),
    "photo": ("get", "photo", ALL, OK),
    "summary": ("get", None, {"subcommittee", "council", "manager", "admin"}, OK),
}


def test_the_matrix_covers_every_url_of_the_app():
    assert {p.name for p in urlpatterns} == set(MATRIX)


@pytest.fixture
def objects(inspection, places, people, shipped_template, media):
    answer = services.answer_record(
        inspection=inspection,
        place=places.entrance,
        item=item(inspection, "物-02"),
        by=people.staff,
        rating=Rating.NEEDS,
        photo=upload(),
    )
    other = services.answer_record(
        inspection=inspection,
        place=places.entrance,
        item=item(inspection, "物-04"),
        by=people.staff,
        rating=Rating.NEEDS,
    )
    corrected = services.finding_correct(
        finding=other.finding,
        by=people.staff,
        expected_version=other.finding.version,
        correction="点字ブロックを補修した",
        corrected_on=datetime.date(2026, 10, 10),
    )
    return {
        "inspection": inspection,
        "finding": answer.finding,
        "corrected": corrected,
        "template": shipped_template,
        "item": item(inspection, "物-01"),
        "photo": answer.photos.get(),
        "place": places.entrance,
        "floor": places.entrance.floor,
        "building": places.entrance.floor.building,
    }


LOCATION_KINDS = ("building", "floor", "place")


def url_for(name, kind, objects):
    if kind is None:
        return reverse(f"inspections:{name}")
    if kind.startswith("new:"):
        return reverse(f"inspections:{name}", args=[kind.removeprefix("new:")])
    if name.startswith("location_"):
        return reverse(f"inspections:{name}", args=[kind, objects[kind].pk])
    return reverse(f"inspections:{name}", args=[objects[kind].pk])


def scoped(row):
    """Rows about an object of the office (checklists are shared by every office)."""
    kind = row[1]
    return kind is not None and not kind.startswith("new:") and kind not in ("template", "item")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer(client, people, objects, role, name):
    method, kind, allowed, status = MATRIX[name]
    client.force_login(getattr(people, role))
    response = getattr(client, method)(url_for(name, kind, objects))
    if role in allowed:
        assert response.status_code == status, (role, name, response.status_code)
    else:
        assert response.status_code == 403, (role, name, response.status_code)
        assert "このページにはアクセスできません" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_anonymous_is_sent_to_the_login_page(client, objects, name):
    method, kind, _, _ = MATRIX[name]
    response = getattr(client, method)(url_for(name, kind, objects))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("kind", LOCATION_KINDS)
@pytest.mark.parametrize(
    "name", sorted(n for n in MATRIX if n.startswith("location_") and MATRIX[n][1] == "place")
)
@pytest.mark.parametrize("role", ROLES)
def test_buildings_and_floors_are_kept_by_the_keepers_points_also_by_their_manager(
    client, people, objects, role, name, kind
):
    method, _, allowed, status = MATRIX[name]
    if kind != "place" and allowed == POINT_KEEPERS:
        allowed = KEEPERS
    client.force_login(getattr(people, role))
    response = getattr(client, method)(url_for(name, kind, objects))
    expected = status if role in allowed else 403
    assert response.status_code == expected, (role, name, kind, response.status_code)
    if expected == 403:
        # The city planning bureau is refused every write before the view (CityReadOnly).
        reason = CITY_READ_ONLY if role == "city" and method == "post" else LOCATION_REFUSALS[kind]
        assert reason in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", LOCATION_KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_adding_any_kind_of_place_is_for_the_keepers(client, people, objects, role, kind):
    client.force_login(getattr(people, role))
    response = client.get(reverse("inspections:location_create", args=[kind]))
    allowed = POINT_KEEPERS if kind == "place" else KEEPERS
    assert response.status_code == (OK if role in allowed else 403), (role, kind)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", LOCATION_KINDS)
@pytest.mark.parametrize("name", sorted(n for n in MATRIX if n.startswith("location_")))
def test_another_offices_places_are_not_found(client, stranger, objects, name, kind):
    if MATRIX[name][1].startswith("new:"):
        return
    method = MATRIX[name][0]
    client.force_login(stranger)
    response = getattr(client, method)(url_for(name, kind, objects))
    assert response.status_code == 404, (name, kind, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, row in MATRIX.items() if scoped(row)))
def test_a_member_of_another_office_finds_nothing(client, stranger, objects, name):
    method, kind, _, _ = MATRIX[name]
    client.force_login(stranger)
    response = getattr(client, method)(url_for(name, kind, objects))
    assert response.status_code == 404, (name, response.status_code)


@pytest.mark.django_db
def test_another_office_lists_none_of_this_office(client, stranger, objects):
    client.force_login(stranger)
    for name in ("index", "finding_list", "place_list", "building_list"):
        body = client.get(reverse(f"inspections:{name}")).content.decode()
        assert "本庁舎" not in body, name
    body = client.get(reverse("inspections:summary")).content.decode()
    assert "指摘事項：0件" in body


@pytest.mark.django_db
def test_a_manager_of_another_section_may_not_act_on_the_finding(client, people, objects):
    client.force_login(people.hoken_manager)
    finding = objects["finding"]
    for name in ("finding_edit", "finding_propose", "finding_correct"):
        response = client.post(reverse(f"inspections:{name}", args=[finding.pk]))
        assert response.status_code == 403, name
    response = client.post(reverse("inspections:finding_recheck", args=[objects["corrected"].pk]))
    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, row in MATRIX.items() if scoped(row)))
def test_a_user_without_a_section_finds_nothing(client, objects, name):
    from takatsu_portal.accounts.roles import Role
    from tests.factories import UserFactory

    nobody = UserFactory(
        username="nosection", roles=[Role.SUBCOMMITTEE, Role.SECTION_MANAGER], section=None
    )
    method, kind, _, _ = MATRIX[name]
    client.force_login(nobody)
    response = getattr(client, method)(url_for(name, kind, objects))
    assert response.status_code == 404, (name, response.status_code)


@pytest.mark.django_db
def test_lists_are_empty_for_a_user_without_a_section_and_full_for_a_city_wide_admin(
    client, objects
):
    from takatsu_portal.accounts.roles import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nosection", roles=[Role.SUBCOMMITTEE], section=None))
    for name in ("index", "finding_list", "place_list"):
        assert "本庁舎" not in client.get(reverse(f"inspections:{name}")).content.decode(), name
    client.force_login(UserFactory(username="cityadmin", roles=[Role.ADMINISTRATOR], section=None))
    assert "本庁舎" in client.get(reverse("inspections:index")).content.decode()
    photo = objects["photo"]
    assert client.get(reverse("inspections:photo", args=[photo.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, row in MATRIX.items() if row[0] == "post"))
def test_the_city_planning_bureau_is_refused_every_action_with_its_reason(
    client, people, objects, name
):
    from takatsu_portal.accounts.permissions import CITY_READ_ONLY

    method, kind, _, _ = MATRIX[name]
    client.force_login(people.city)
    response = client.post(url_for(name, kind, objects))
    assert response.status_code == 403, (name, response.status_code)
    assert CITY_READ_ONLY in response.content.decode()
