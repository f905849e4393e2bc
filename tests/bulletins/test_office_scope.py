"""Default deny: an account without a section belongs to no office and sees none of the
bulletin's issues or articles, whatever its roles; an administrator without a section (the
city-wide permission accounts.see_every_office) sees them."""

import pytest
from django.urls import reverse

from takatsu_portal.accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("roles", [[Role.EDITOR], [Role.SUBCOMMITTEE], [Role.STAFF]])
def test_a_sectionless_user_sees_nothing_of_the_office(client, make_article, roles):
    article = make_article(title="秘匿の記事", required=True)
    client.force_login(UserFactory(section=None, roles=roles))
    index = client.get(reverse("bulletins:index"))
    assert "秘匿の記事" not in index.content.decode()
    assert article.issue.title not in index.content.decode()
    assert client.get(article.issue.get_absolute_url()).status_code == 404
    assert client.get(article.get_absolute_url()).status_code == 404
    found = client.get(reverse("bulletins:search"), {"q": "秘匿"})
    assert found.context["page_obj"].paginator.count == 0


def test_an_administrator_without_a_section_sees_every_office(client, make_article):
    article = make_article(title="秘匿の記事")
    client.force_login(UserFactory(section=None, roles=[Role.ADMINISTRATOR]))
    assert client.get(article.issue.get_absolute_url()).status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 200
