"""The bulletin's demo data (demo/bulletins.py): a year of monthly issues with five articles
each, a 臨時号, a scheduled issue, two required articles with read and confirmation states
across sections, and nothing new on a second run."""

import pytest
from django.urls import reverse

from bulletins.models import Article, Confirmation, Issue, ReadMark
from bulletins.status import section_summary
from demo.bulletins import seed_bulletins
from takatsu_portal.accounts.models import User
from tests.demo import seeding

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Organisation, staff and the bulletin, built once for the module and rolled back."""

    def build():
        sections = seeding.parts()
        return seed_bulletins(sections), seed_bulletins(sections)

    yield from seeding.once(django_db_blocker, build)


def test_a_year_of_monthly_issues_an_extra_and_a_scheduled_one(seeded):
    published = Issue.objects.published()
    assert published.filter(kind=Issue.Kind.REGULAR).count() == 12
    assert published.filter(kind=Issue.Kind.EXTRA).count() == 1
    scheduled = Issue.objects.get(state=Issue.State.SCHEDULED)
    assert scheduled.number is None and scheduled.publish_at is not None
    assert Article.objects.published().count() == 61
    for issue in published.filter(kind=Issue.Kind.REGULAR):
        assert issue.articles.count() == 5
    numbers = list(
        published.filter(kind=Issue.Kind.REGULAR, fiscal_year=2026)
        .order_by("published_at")
        .values_list("number", flat=True)
    )
    assert numbers == list(range(1, len(numbers) + 1))


def test_two_required_articles_with_states_across_sections(seeded):
    required = list(Article.objects.published().required())
    assert len(required) == 2
    card = Article.objects.get(title="マイナンバーカードの交付手順の変更")
    summary = section_summary(card)
    rates = {row["section"]: row["confirm_rate"] for row in summary}
    assert len(rates) > 5
    assert 0 < sum(row["confirmed"] for row in summary) < sum(row["total"] for row in summary)
    assert len(set(rates.values())) > 2  # not one rate everywhere
    insurance = Article.objects.get(title="マイナ保険証への移行に伴う窓口案内")
    assert {row["section"] for row in section_summary(insurance)} == {
        "区民課",
        "保険年金課",
        "高齢・障害課",
        "地域支援課",
    }
    staff = User.objects.get(username="staff")
    assert ReadMark.objects.filter(article=insurance, user=staff).exists()
    assert not Confirmation.objects.filter(article=insurance, user=staff).exists()
    assert card.revision == 2 and card.confirm_revision == 1


def test_the_second_run_writes_nothing(seeded):
    first, second = seeded
    assert all(tally.created == 0 and tally.updated == 0 for tally in second)
    seeding.assert_unchanged(second)
    assert first[0].created == 14


def test_demo_pages_show_the_data(seeded, client):
    client.force_login(User.objects.get(username="staff"))
    home = client.get(reverse("home")).content.decode()
    assert "必読：マイナ保険証への移行に伴う窓口案内" in home
    found = client.get(reverse("bulletins:search"), {"q": "マイナ"})
    assert found.context["page_obj"].paginator.count >= 3
    client.force_login(User.objects.get(username="manager"))
    card = Article.objects.get(title="マイナンバーカードの交付手順の変更")
    page = client.get(reverse("bulletins:article_status", args=[card.pk]))
    assert {row["section"] for row in page.context["summary"]} == {"区民課"}
