"""The office-scope guard (issue 15) on the bulletin's confirmations, reminders and notices of
publication: in a request, a query of them that no office scopes raises; `for_office` and the
article's related managers see one office's rows; the pages that write and read them still
answer for their own office and 404 for another office's article or issue."""

import pytest
from django.urls import reverse

from bulletins import services
from bulletins.models import Article, AudienceNotice, Confirmation, Reminder
from takatsu_portal.core.scoping import UnscopedQueryError, guarded

pytestmark = pytest.mark.django_db

DUE = "2026-12-25"


@pytest.fixture
def theirs(stranger):
    """A required article of another ward office, published (its audience told), confirmed
    and reminded by its own reader."""
    office = stranger.section.department.office
    issue = services.issue_create(office=office, title="宮前区の4月号", by=stranger)
    article = Article(issue=issue, title="宮前区の必読記事", body="本文", required=True)
    article.confirm_by = DUE
    services.article_save(article=article, by=stranger)
    services.issue_publish(issue=issue, by=stranger)
    article.refresh_from_db()
    services.article_confirm(article=article, user=stranger)
    Reminder.objects.create(article=article, user=stranger, kind=Reminder.Kind.BEFORE, revision=1)
    return article


@pytest.fixture
def ours(people, required_article):
    services.article_confirm(article=required_article, user=people.staff)
    Reminder.objects.create(
        article=required_article, user=people.other, kind=Reminder.Kind.BEFORE, revision=1
    )
    return required_article


@pytest.mark.parametrize("model", [Confirmation, Reminder, AudienceNotice])
def test_an_unscoped_query_raises_and_for_office_sees_one_office(model, office, ours, theirs):
    with guarded("raise"):
        with pytest.raises(UnscopedQueryError, match=model._meta.label):
            model.objects.filter(article__title__contains="必読").count()
        with pytest.raises(UnscopedQueryError):  # an article's id is not a scope
            model.objects.filter(article_id=theirs.pk).exists()
        mine = model.objects.for_office(office)
        assert {row.article_id for row in mine} == {ours.pk}
        # The article's related manager is a scope too.
        assert getattr(ours, model._meta.get_field("article").remote_field.related_name).exists()
    everyone = model.objects.values_list("article_id", flat=True).distinct()
    assert set(everyone) == {ours.pk, theirs.pk}  # outside a request: every office


def test_confirming_answers_for_the_own_office_and_404s_for_another(client, people, ours, theirs):
    client.force_login(people.staff)
    page = client.get(ours.get_absolute_url())
    assert page.status_code == 200
    assert "確認済み" in page.content.decode()
    assert client.post(reverse("bulletins:article_confirm", args=[ours.pk])).status_code == 302
    assert Confirmation.objects.filter(article=ours, user=people.staff).count() == 1
    assert client.get(theirs.get_absolute_url()).status_code == 404
    response = client.post(reverse("bulletins:article_confirm", args=[theirs.pk]))
    assert response.status_code == 404
    assert not Confirmation.objects.filter(article=theirs, user=people.staff).exists()


def test_publishing_tells_the_audience_once_and_404s_for_another_office(
    client, people, make_article, theirs
):
    article = make_article(title="窓口の混雑状況", published=False)
    issue = article.issue
    client.force_login(people.editor)
    response = client.post(
        reverse("bulletins:issue_publish", args=[issue.pk]),
        {"when": "now", "version": issue.version},
    )
    assert response.status_code == 302
    told = AudienceNotice.objects.filter(article=article)
    assert told.filter(user=people.staff).count() == 1
    response = client.post(
        reverse("bulletins:issue_publish", args=[theirs.issue_id]),
        {"when": "now", "version": theirs.issue.version},
    )
    assert response.status_code == 404
    assert not AudienceNotice.objects.filter(article=theirs, user=people.editor).exists()
