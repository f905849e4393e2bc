"""The bulletin's list pages run a fixed number of queries whatever the number of rows."""

import pytest
from django.urls import reverse

from bulletins import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [2, 25])
def test_index_runs_a_fixed_number_of_queries(
    client, people, office, make_article, django_assert_max_num_queries, count
):
    for n in range(count):
        make_article(title=f"お知らせ{n}", required=n % 3 == 0)
        services.issue_create(office=office, title=f"下書き{n}", by=people.editor)
    for user in (people.staff, people.editor):
        client.force_login(user)
        client.get(reverse("bulletins:index"))
        with django_assert_max_num_queries(14):
            response = client.get(reverse("bulletins:index"))
        assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_issue_page_runs_a_fixed_number_of_queries(
    client, people, office, make_article, django_assert_max_num_queries, count, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    issue = services.issue_create(office=office, title="多くの記事", by=people.editor)
    for n in range(count):
        article = make_article(issue=issue, published=False, title=f"記事{n}", required=True)
        upload = SimpleUploadedFile(f"資料{n}.txt", "本文".encode(), content_type="text/plain")
        services.attachment_add(article=article, upload=upload, by=people.editor)
    services.issue_publish(issue=issue, by=people.editor)
    for user in (people.staff, people.editor):
        client.force_login(user)
        client.get(issue.get_absolute_url())
        with django_assert_max_num_queries(20):
            response = client.get(issue.get_absolute_url())
        assert len(response.context["articles"]) == count
