"""Each office's own guideline: the city's template, the copy a new office gets, its own
titles edited in the admin with history, and the guideline page of the user's office."""

import pytest
from django.urls import reverse

from takatsu_portal.accounts.models import Office
from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.guideline import office_guideline_copy
from takatsu_portal.core.models import InitiativeArea, Policy
from tests.factories import OfficeFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_citys_template_is_the_guideline_the_migration_loaded():
    titles = list(Policy.objects.templates().values_list("number", "title"))
    assert titles[0] == (1, "区民の声に耳を傾け、区民の視点に立った区役所")
    assert [n for n, _ in titles] == [1, 2, 3, 4, 5]
    assert InitiativeArea.objects.templates().count() == 6


def test_a_copy_keeps_the_templates_numbers_titles_and_texts_word_for_word():
    office = OfficeFactory(code="saiwai", name="幸区役所", guideline=False)
    assert office_guideline_copy(office=office) == (5, 6)
    fields = ["number", "title", "description"]
    assert list(Policy.objects.for_office(office).values_list(*fields)) == list(
        Policy.objects.templates().values_list(*fields)
    )
    fields = ["code", "number", "scope", "title", "description"]
    assert list(InitiativeArea.objects.for_office(office).values_list(*fields)) == list(
        InitiativeArea.objects.templates().values_list(*fields)
    )
    assert Policy.objects.for_office(office).first().history.get().history_type == "+"


def test_copying_again_keeps_the_offices_edits_and_adds_nothing():
    office = OfficeFactory(code="saiwai", name="幸区役所")
    Policy.objects.filter(office=office, number=3).update(title="幸区の言葉")
    assert office_guideline_copy(office=office) == (0, 0)
    assert Policy.objects.for_office(office).get(number=3).title == "幸区の言葉"
    assert Policy.objects.for_office(office).count() == 5


def test_an_office_created_in_the_admin_gets_its_own_copy(client):
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    response = client.post(
        reverse("admin:accounts_office_add"),
        {
            "code": "asao",
            "name": "麻生区役所",
            "name_translations": "{}",
            "sort_order": 70,
            "plan_due_month": 4,
            "plan_due_day": 30,
        },
    )
    assert response.status_code == 302
    office = Office.objects.get(code="asao")
    assert Policy.objects.for_office(office).count() == 5
    assert InitiativeArea.objects.for_office(office).count() == 6


def test_an_office_edits_its_own_title_in_the_admin_and_the_history_says_who(client):
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    takatsu, miyamae = OfficeFactory(), OfficeFactory(code="miyamae", name="宮前区役所")
    policy = Policy.objects.for_office(miyamae).get(number=2)
    client.force_login(admin)
    response = client.post(
        reverse("admin:core_policy_change", args=[policy.pk]),
        {
            "office": miyamae.pk,
            "number": 2,
            "title": "宮前区の親切で分かりやすい案内",
            "description": policy.description,
        },
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.title == "宮前区の親切で分かりやすい案内"
    newest = policy.history.first()
    assert newest.history_type == "~" and newest.history_user == admin
    assert newest.prev_record.title == "区民に対して親切で分かりやすい区役所"
    # Neither Takatsu's copy nor the city's template changed.
    assert Policy.objects.for_office(takatsu).get(number=2).title == newest.prev_record.title
    assert Policy.objects.templates().get(number=2).title == newest.prev_record.title


def test_the_number_is_unique_within_an_office_only(client):
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    office = OfficeFactory()
    response = client.post(
        reverse("admin:core_policy_add"),
        {"office": office.pk, "number": 1, "title": "重複", "description": "説明"},
    )
    assert response.status_code == 200
    assert Policy.objects.for_office(office).filter(number=1).count() == 1
    other = OfficeFactory(code="tama", name="多摩区役所", guideline=False)
    response = client.post(
        reverse("admin:core_policy_add"),
        {"office": other.pk, "number": 1, "title": "多摩区の方針", "description": "説明"},
    )
    assert response.status_code == 302
    assert Policy.objects.for_office(other).get(number=1).title == "多摩区の方針"


def test_the_guideline_page_and_home_show_the_users_own_offices_titles(client):
    miyamae = OfficeFactory(code="miyamae", name="宮前区役所")
    Policy.objects.filter(office=miyamae, number=1).update(title="宮前区民の声を聴く区役所")
    takatsu_user = UserFactory(roles=[Role.STAFF], section=SectionFactory())
    miyamae_user = UserFactory(
        roles=[Role.STAFF], section=SectionFactory(department__office=miyamae)
    )
    client.force_login(miyamae_user)
    for url in (reverse("guideline"), reverse("home")):
        html = client.get(url).content.decode()
        assert "宮前区民の声を聴く区役所" in html, url
    client.force_login(takatsu_user)
    for url in (reverse("guideline"), reverse("home")):
        html = client.get(url).content.decode()
        assert "宮前区民の声を聴く区役所" not in html, url
        assert "区民の声に耳を傾け、区民の視点に立った区役所" in html, url


def test_policies_and_areas_are_office_scoped_in_a_request(client):
    """The office-scope guard (core/scoping.py): a query of policies or initiative areas that
    no office scopes fails in a request; the office's own rows and the city's template (every
    office may read it) pass; pages answer with the reader's own rows, and another office's
    policy chosen by its id is not a choice."""
    from takatsu_portal.core.scoping import UnscopedQueryError, guarded

    takatsu, miyamae = OfficeFactory(), OfficeFactory(code="miyamae", name="宮前区役所")
    Policy.objects.filter(office=miyamae, number=1).update(title="宮前区民の声を聴く区役所")
    InitiativeArea.objects.filter(office=miyamae, number=1).update(title="宮前区の窓口の取組")
    with guarded("raise"):
        with pytest.raises(UnscopedQueryError, match=r"core\.Policy"):
            Policy.objects.count()
        with pytest.raises(UnscopedQueryError, match=r"core\.InitiativeArea"):
            InitiativeArea.objects.filter(number=1).exists()
        with pytest.raises(UnscopedQueryError):  # an office's id is not a scope
            Policy.objects.get(pk=Policy.objects.for_office(miyamae).first().pk)
        assert Policy.objects.for_office(takatsu).count() == 5
        assert (
            InitiativeArea.objects.for_office(miyamae).get(number=1).title == "宮前区の窓口の取組"
        )
        assert list(Policy.objects.for_office(None)) == list(Policy.objects.templates())
        assert InitiativeArea.objects.templates().count() == 6

    takatsu_user = UserFactory(roles=[Role.STAFF], section=SectionFactory())
    city_user = UserFactory(roles=[Role.CITY], section=None)
    for user in (takatsu_user, city_user):  # the office's own rows; the template for the city
        client.force_login(user)
        html = client.get(reverse("guideline")).content.decode()
        assert "区民の声に耳を傾け、区民の視点に立った区役所" in html
        assert "宮前区民の声を聴く区役所" not in html and "宮前区の窓口の取組" not in html

    client.force_login(takatsu_user)
    theirs = Policy.objects.for_office(miyamae).get(number=1)
    ours = Policy.objects.for_office(takatsu).get(number=1)
    url = reverse("plans:project_list")
    assert "正しく選択してください" not in client.get(url, {"policy": ours.pk}).content.decode()
    response = client.get(url, {"policy": theirs.pk})
    assert response.status_code == 200
    assert "正しく選択してください。選択したものは候補にありません。" in response.content.decode()
