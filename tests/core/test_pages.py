import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.attention import AttentionItem, items_for, register
from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AREA_URLS = {
    "plans:index": set(Role),
    "plans:progress": {
        Role.WG_LEAD,
        Role.SUBCOMMITTEE,
        Role.COUNCIL,
        Role.SECTION_MANAGER,
        Role.ADMINISTRATOR,
        Role.CITY,
    },
    "feedback:index": set(Role),
    "inspections:index": set(Role),
    "bulletins:index": set(Role),
    "training:index": set(Role),
    "reports:index": {
        Role.SUBCOMMITTEE,
        Role.COUNCIL,
        Role.SECTION_MANAGER,
        Role.ADMINISTRATOR,
        Role.CITY,
    },
    "compare:index": {Role.CITY, Role.ADMINISTRATOR},
}


def test_home_greets_the_user_and_shows_the_fiscal_year(client):
    user = UserFactory(full_name="高津 花子", roles=[Role.STAFF])
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert "高津 花子さん" in html
    assert FiscalYear.current().label in html
    assert "対応が必要な項目" in html
    assert "区民の声に耳を傾け、区民の視点に立った区役所" in html


def test_home_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    UserFactory(section=None)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for _ in range(30):
        UserFactory(section=None, roles=[Role.STAFF])
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    # 10, plus training's check of what the person still has to complete (the office's
    # required-training rules: one query when there are none), the bulletin's unread and
    # unconfirmed articles (one query) and inspections' count of the section's open findings.
    # The count does not grow with the rows (above).
    assert len(few) <= 12


def test_administrator_is_told_about_staff_without_section(client):
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    UserFactory(section=None)
    UserFactory(section=None)
    client.force_login(admin)
    html = client.get(reverse("home")).content.decode()
    assert "所属課が未設定の職員が2名います" in html
    assert not any("所属課" in i.title for i in items_for(UserFactory(roles=[Role.STAFF])))


def test_attention_providers_are_shown_most_urgent_first(client):
    user = UserFactory(roles=[Role.STAFF])

    @register
    def provider(for_user):
        if for_user != user:
            return []
        return [
            AttentionItem("お知らせです", "/a/", level="info"),
            AttentionItem("期限を過ぎた報告", "/b/", level="danger"),
        ]

    try:
        client.force_login(user)
        html = client.get(reverse("home")).content.decode()
        assert html.index("期限を過ぎた報告") < html.index("お知らせです")
        assert "期限超過" in html
    finally:
        from takatsu_portal.core import attention

        attention._providers.remove(provider)


@pytest.mark.parametrize("url_name", sorted(AREA_URLS))
@pytest.mark.parametrize("role", list(Role))
def test_area_pages_answer_by_role_and_refuse_with_a_reason(client, role, url_name):
    client.force_login(UserFactory(roles=[role]))
    response = client.get(reverse(url_name))
    if role in AREA_URLS[url_name]:
        assert response.status_code == 200
        assert 'aria-current="page"' in response.content.decode()
    else:
        assert response.status_code == 403
        html = response.content.decode()
        assert "このページにはアクセスできません" in html
        assert "が利用できます。" in html
        assert AuditEvent.objects.filter(action="denied", path=reverse(url_name)).exists()


@pytest.mark.parametrize("role", list(Role))
def test_navigation_shows_only_what_the_role_may_open(client, role):
    client.force_login(UserFactory(roles=[role]))
    html = client.get(reverse("home")).content.decode()
    for url_name, allowed in AREA_URLS.items():
        link = f'href="{reverse(url_name)}"'
        assert (link in html) is (role in allowed), (role, url_name)
    assert (f'href="{reverse("admin:index")}"' in html) is (role == Role.ADMINISTRATOR)
    assert role.label in html


def test_guideline_page_shows_policies_and_initiative_areas(client):
    client.force_login(UserFactory(roles=[Role.STAFF]))
    html = client.get(reverse("guideline")).content.decode()
    assert html.count("区役所</h3>") == 5
    for title in ["窓口サービスの満足度の向上", "各課を横断した取組", "個別業務の改善"]:
        assert title in html


def test_unknown_page_is_a_japanese_404(client):
    client.force_login(UserFactory())
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_opening_a_post_only_address_shows_the_portals_own_405_page_with_a_way_back(client):
    client.force_login(UserFactory(roles=[Role.STAFF]))
    response = client.get(reverse("notification_read"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "このページは直接開けません" in page
    assert f'href="{reverse("notification_list")}"' in page
    assert "<html" in page  # the portal's layout, not an empty body


def test_a_405_whose_address_belongs_to_no_page_links_to_the_dashboard(client):
    from takatsu_portal.core.middleware import _way_back

    assert _way_back("/notifications/read/") == "/notifications/"
    assert _way_back("/nowhere/at/all/") is None
    assert _way_back("/") is None
