import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from demo import city
from demo.data import accounts as demo_data
from demo.management.commands import seed_demo as command
from takatsu_portal.accounts.models import Department, Office, Section, User, kana_validator
from takatsu_portal.accounts.roles import Role, assign_role, roles_of

from . import seeding

pytestmark = pytest.mark.django_db

DEMO_ROLES = {
    "admin": {Role.ADMINISTRATOR},
    "staff": {Role.STAFF},
    "wglead": {Role.WG_LEAD, Role.STAFF},
    "subcommittee": {Role.SUBCOMMITTEE},
    "council": {Role.COUNCIL},
    "manager": {Role.SECTION_MANAGER},
    "trainer": {Role.TRAINER, Role.STAFF},
    "editor": {Role.EDITOR, Role.STAFF},
}
MODELS = [Office, Department, Section, User]


@pytest.fixture(autouse=True)
def debug(settings):
    """pytest-django runs tests with DEBUG false, which the command refuses."""
    settings.DEBUG = True


@pytest.fixture(autouse=True)
def seeders(monkeypatch):
    """The command builds only the organisation and its staff (what these tests look at), not
    the apps' demos, unless a test asks for them (`with_city`, `every_seeder`)."""
    monkeypatch.setattr(command, "SEEDERS", [])


@pytest.fixture
def with_city(seeders, monkeypatch):
    """The second ward and the city account too, for the tests that look at every user."""
    monkeypatch.setattr(command, "SEEDERS", [city.seed_city])


@pytest.fixture
def every_seeder(seeders, monkeypatch):
    """The whole demo, as `manage.py seed_demo` builds it."""
    monkeypatch.setattr(command, "SEEDERS", SEEDERS)


SEEDERS = list(command.SEEDERS)


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot():
    """Row and history-row counts of every model the command writes."""
    return {m.__name__: (m.objects.count(), m.history.count()) for m in MODELS}


def test_every_demo_account_has_its_roles_the_demo_password_and_a_section():
    seed()

    for username, roles in DEMO_ROLES.items():
        user = User.objects.get(username=username)
        assert set(roles_of(user)) == roles, username
        assert user.check_password(demo_data.DEMO_PASSWORD), username
        assert not user.is_superuser
        assert user.section is not None
    assert User.objects.get(username="manager").section.name == "区民課"
    assert User.objects.get(username="subcommittee").section.name == "企画課"


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_each_demo_account_can_sign_in_with_the_demo_password(client, username):
    seed()

    response = client.post(
        reverse("login"), {"username": username, "password": demo_data.DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_password_does_not_sign_in_a_demo_account(client):
    seed()

    response = client.post(reverse("login"), {"username": "admin", "password": "takatsu"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_builds_the_ward_office_with_its_departments_and_sections():
    seed()

    office = Office.objects.get(code="takatsu")
    assert office.name == "高津区役所"
    departments = list(office.departments.values_list("name", flat=True))
    assert departments[:2] == ["まちづくり推進部", "区民サービス部"]
    assert len(departments) == len(demo_data.ORGANISATION)
    centre = Department.objects.get(name__startswith="地域みまもり支援センター")
    assert list(centre.sections.values_list("name", flat=True)) == [
        "地域支援課",
        "地域ケア推進課",
        "高齢・障害課",
        "児童家庭課",
        "保育所等・地域連携",
        "衛生課",
    ]
    assert Section.objects.for_office(office).count() == 16


def test_about_sixty_staff_each_with_section_kana_mail_and_a_unique_staff_number(with_city):
    seed()

    users = list(User.objects.select_related("section__department__office"))
    takatsu = [u for u in users if u.section and u.section.department.office.code == "takatsu"]
    miyamae = [u for u in users if u.section and u.section.department.office.code == "miyamae"]
    assert 55 <= len(takatsu) <= 65
    assert 15 <= len(miyamae) <= 25  # the demo's second, smaller ward (demo/city.py)
    numbers = [u.staff_number for u in users]
    assert len(set(numbers)) == len(numbers)
    # Everyone belongs to a section of a ward, but the city planning bureau's account.
    assert [u.username for u in users if u.section is None] == ["city"]
    for user in users:
        assert re.fullmatch(r"\d{6}", user.staff_number), user.username
        kana_validator(user.full_name_kana)
        assert len(user.full_name.split(" ")) == 2, user.full_name
        assert len(user.full_name_kana.split(" ")) == 2, user.full_name_kana
        assert user.email == f"{user.username}@example.city.kawasaki.jp"
        assert roles_of(user), user.username


def test_every_section_has_staff_and_exactly_one_manager(with_city):
    seed()

    for section in Section.objects.all():
        members = list(section.members.all())
        managers = [u for u in members if Role.SECTION_MANAGER in roles_of(u)]
        assert members, section.name
        assert len(managers) == 1, section.name


def test_the_ward_head_and_department_heads_sit_on_the_council():
    seed()

    council = User.objects.filter(groups__name=Role.COUNCIL.label)
    names = set(council.values_list("full_name", flat=True))
    assert {"大森 和彦", "石川 由美子", "長谷川 洋子", "中島 隆"} <= names
    chair = User.objects.get(full_name="長谷川 洋子")
    assert Role.SUBCOMMITTEE in roles_of(chair)


def test_staff_numbers_are_the_same_on_a_fresh_database():
    # Without the plans and feedback demos (the `seeders` fixture): their records keep the staff
    # they name (protected foreign keys).
    seed()
    first = dict(User.objects.values_list("username", "staff_number"))
    User.objects.all().delete()

    seed()

    assert dict(User.objects.values_list("username", "staff_number")) == first


def test_running_it_twice_changes_nothing(with_city):
    # The whole demo run twice: tests/demo/test_plans.py.
    seed()
    before = snapshot()
    roles_before = {u.username: set(roles_of(u)) for u in User.objects.all()}

    output = seed()

    assert snapshot() == before
    assert {u.username: set(roles_of(u)) for u in User.objects.all()} == roles_before
    seeding.assert_unchanged(output)
    assert f"職員: {len(demo_data.PEOPLE)}（新規 0、更新 0）" in output
    assert "宮前区役所の職員: " in output


def test_a_second_run_keeps_a_password_the_user_changed():
    seed()
    user = User.objects.get(username="staff")
    user.set_password("my-own-password-2026")
    user.save()

    seed()

    user.refresh_from_db()
    assert user.check_password("my-own-password-2026")
    assert not user.check_password(demo_data.DEMO_PASSWORD)


def test_a_second_run_puts_back_a_changed_field_with_one_history_row():
    seed()
    user = User.objects.get(username="manager")
    User.objects.filter(pk=user.pk).update(section=Section.objects.get(name="衛生課"))
    history_before = user.history.count()

    seed()

    user.refresh_from_db()
    assert user.section.name == "区民課"
    assert user.history.count() == history_before + 1
    assert user.history.first().history_change_reason == "デモデータ投入（seed_demo）"


def test_a_second_run_keeps_a_role_given_by_hand():
    seed()
    user = User.objects.get(username="staff")
    assign_role(user, Role.WG_LEAD)

    seed()

    assert roles_of(User.objects.get(username="staff")) == {Role.STAFF, Role.WG_LEAD}


def test_it_refuses_when_debug_is_false_and_writes_nothing(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG=true") as refused:
        seed()

    assert "開発環境でのみ" in str(refused.value)
    assert all(count == (0, 0) for count in snapshot().values())


def test_it_prints_a_summary_with_counts_and_the_demo_accounts(every_seeder):
    output = seed()

    # A first run creates every row it counts and updates none: every tally line says so.
    tallies = seeding.tallies(output)
    assert len(tallies) > 20
    for label, counts in tallies.items():
        total, created = re.fullmatch(r"(\d+)（新規 (\d+)、更新 0）", counts).groups()
        assert total == created, label

    assert "部: 5（新規 5、更新 0）" in output
    assert "課: 16（新規 16、更新 0）" in output
    assert f"職員: {len(demo_data.PEOPLE)}（新規 {len(demo_data.PEOPLE)}、更新 0）" in output
    for username in DEMO_ROLES:
        assert re.search(rf"^  {username} ", output, re.MULTILINE), username
    assert "takatsu-demo" in output


def test_a_name_with_a_character_outside_the_bmp_round_trips(client):
    seed()

    user = User.objects.get(username="yoshida.kenichi")
    assert user.full_name == "\U00020bb7田 健一"
    assert user.full_name_kana == "よしだ けんいち"
    assert User.objects.filter(full_name__startswith="𠮷").get() == user
    assert User.objects.filter(full_name="𠮷田 健一").exists()

    client.post(
        reverse("login"),
        {"username": "yoshida.kenichi", "password": demo_data.DEMO_PASSWORD},
    )
    assert "𠮷田 健一" in client.get(reverse("profile")).content.decode()


def test_the_demo_data_lists_are_consistent():
    usernames = [p.username for p in demo_data.PEOPLE]
    full_names = [p.full_name for p in demo_data.PEOPLE]
    sections = [name for _, names in demo_data.ORGANISATION for name in names]
    assert len(set(usernames)) == len(usernames)
    assert len(set(full_names)) == len(full_names)
    assert len(set(sections)) == len(sections)
    assert {p.section for p in demo_data.PEOPLE} == set(sections)
    assert list(DEMO_ROLES) == demo_data.DEMO_USERNAMES


def test_a_page_kept_before_seeding_is_made_again_after_it(with_city):
    """The seeders write most rows without the services, so the command moves every kept
    page's generation itself: nobody reads a list or page kept from before the demo data."""
    from takatsu_portal.core import attention

    seed()
    user = User.objects.get(username="staff")
    made = []
    attention.cached(user, "tests-demo-kept", lambda: made.append(1) or len(made))
    assert attention.cached(user, "tests-demo-kept", lambda: made.append(1) or len(made)) == 1
    seed()
    assert attention.cached(user, "tests-demo-kept", lambda: made.append(1) or len(made)) == 2
