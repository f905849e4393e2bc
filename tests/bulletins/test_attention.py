"""The home page lists unconfirmed required articles (most urgent first) and unread ones."""

import datetime

import pytest
from django.urls import reverse

from bulletins import services

pytestmark = pytest.mark.django_db


def test_home_page_lists_required_articles_until_confirmed(client, people, make_article):
    today = datetime.date.today()
    later = make_article(
        title="後の期限", required=True, confirm_by=today + datetime.timedelta(days=20)
    )
    sooner = make_article(
        title="先の期限", required=True, confirm_by=today + datetime.timedelta(days=2)
    )
    overdue = make_article(
        title="期限切れ", required=True, confirm_by=today - datetime.timedelta(days=1)
    )
    client.force_login(people.staff)
    page = client.get(reverse("home")).content.decode()
    positions = [page.index(f"必読：{a.title}") for a in (overdue, sooner, later)]
    assert positions == sorted(positions)
    assert reverse("bulletins:article_detail", args=[sooner.pk]) in page
    services.article_confirm(article=sooner, user=people.staff)
    page = client.get(reverse("home")).content.decode()
    assert "必読：先の期限" not in page
    assert "必読：後の期限" in page


def test_home_page_counts_unread_articles(client, people, make_article):
    article = make_article(title="お知らせ")
    client.force_login(people.staff)
    assert "未読の情報紙の記事が1件あります" in client.get(reverse("home")).content.decode()
    client.get(article.get_absolute_url())
    assert "未読の情報紙の記事" not in client.get(reverse("home")).content.decode()


def test_articles_for_others_are_not_listed(client, people, sections, make_article):
    make_article(title="保険年金課だけ", required=True, audience={"sections": [sections.hoken]})
    client.force_login(people.staff)
    assert "保険年金課だけ" not in client.get(reverse("home")).content.decode()
    client.force_login(people.hoken)
    assert "必読：保険年金課だけ" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_the_attention_items_run_a_fixed_number_of_queries(
    people, make_article, django_assert_max_num_queries, count
):
    from bulletins.attention import bulletin_items
    from takatsu_portal.accounts.models import User

    for n in range(count):
        make_article(title=f"記事{n}", required=n % 2 == 0)
    user = User.objects.select_related("section__department").get(pk=people.staff.pk)
    with django_assert_max_num_queries(1):
        items = bulletin_items(user)
    assert len(items) >= 2


def test_the_most_urgent_come_first(client, people, make_article):
    """Overdue required articles, then unread 緊急 articles, then required ones (緊急 first,
    then by date), then the count of the other unread ones."""
    from bulletins.models import Importance

    today = datetime.date.today()
    soon = make_article(title="通常の必読", required=True, confirm_by=today + datetime.timedelta(2))
    urgent_required = make_article(
        title="緊急の必読",
        required=True,
        confirm_by=today + datetime.timedelta(days=9),
        importance=Importance.URGENT,
    )
    overdue = make_article(
        title="期限切れ", required=True, confirm_by=today - datetime.timedelta(1)
    )
    urgent = make_article(title="庁舎の停電", importance=Importance.URGENT)
    make_article(title="区民祭り")
    client.force_login(people.staff)
    page = client.get(reverse("home")).content.decode()
    order = ["必読：期限切れ", "緊急：庁舎の停電", "必読：緊急の必読", "必読：通常の必読"]
    positions = [page.index(title) for title in order]
    assert positions == sorted(positions)
    assert "ほかに未読の情報紙の記事が1件あります" in page
    assert reverse("bulletins:article_detail", args=[urgent.pk]) in page
    # Read, the urgent article leaves the list.
    client.get(urgent.get_absolute_url())
    page = client.get(reverse("home")).content.decode()
    assert "緊急：庁舎の停電" not in page
    for article in (soon, urgent_required, overdue):
        assert f"必読：{article.title}" in page
