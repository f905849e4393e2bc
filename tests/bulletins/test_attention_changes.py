"""Bulletins clear a home-page list only after a write that changes what it counts: a first read
or a read of a new revision (not every view), a deletion that happened (not a refused one)."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from bulletins import services
from takatsu_portal.core import attention

pytestmark = pytest.mark.django_db


def own_generation(user):
    return cache.get(attention.USER_GENERATION_KEY.format(user.pk))


def test_only_a_first_read_or_a_new_revision_clears_the_readers_list(client, people, make_article):
    article = make_article(title="窓口混雑のお知らせ")
    client.force_login(people.staff)
    before = own_generation(people.staff)
    assert client.get(article.get_absolute_url()).status_code == 200
    first = own_generation(people.staff)
    assert first != before
    client.get(article.get_absolute_url())
    assert own_generation(people.staff) == first
    article.revision += 1
    article.save(update_fields=["revision"])
    client.get(article.get_absolute_url())
    assert own_generation(people.staff) != first


def test_a_refused_deletion_clears_no_list(people, make_article):
    article = make_article(title="公開済みの記事")
    assert article.issue.is_published
    before = cache.get(attention.GENERATION_KEY)
    with pytest.raises(ValidationError):
        services.article_delete(article=article, by=people.editor)
    assert cache.get(attention.GENERATION_KEY) == before
