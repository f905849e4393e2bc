"""The QR poster is rendered once per content (survey, window, languages, public address) and
served from the cache after that; any change to what it shows renders it anew."""

from unittest import mock

import pytest
from django.urls import reverse

from feedback.models import ServiceWindow, Survey
from feedback.surveys import poster

pytestmark = pytest.mark.django_db


def poster_url(survey, window=None):
    url = reverse("feedback:survey_poster", args=[survey.pk])
    return f"{url}?window={window.pk}" if window else url


@pytest.fixture
def renders():
    """Counts the renders (WeasyPrint stays out of these tests but one: a render is seconds)."""
    calls = []

    def fake(survey, window=None, *, html=None):
        calls.append((survey.pk, window.pk if window else None, html))
        return b"%PDF-1.7 poster " + str(len(calls)).encode()

    with mock.patch.object(poster, "render_poster", side_effect=fake):
        yield calls


@pytest.fixture
def staff_client(client, people):
    client.force_login(people.staff)
    return client


def get_pdf(client, survey, window=None):
    response = client.get(poster_url(survey, window))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_a_second_request_does_not_render_again(staff_client, survey):
    with mock.patch.object(poster, "render_poster", wraps=poster.render_poster) as render:
        first = get_pdf(staff_client, survey)
        second = get_pdf(staff_client, survey)
    assert render.call_count == 1
    assert first.startswith(b"%PDF")
    assert second == first


def test_a_changed_title_renders_anew(staff_client, survey, renders):
    first = get_pdf(staff_client, survey)
    Survey.objects.filter(pk=survey.pk).update(title="令和8年度 窓口アンケート（改訂）")
    second = get_pdf(staff_client, survey)
    assert len(renders) == 2
    assert second != first
    assert "令和8年度 窓口アンケート（改訂）" in renders[1][2]
    assert get_pdf(staff_client, survey) == second
    assert len(renders) == 2


def test_a_new_translation_renders_anew(staff_client, survey, renders):
    get_pdf(staff_client, survey)
    survey.translations = {"en": {"title": "Window satisfaction survey"}}
    survey.save()
    get_pdf(staff_client, survey)
    assert len(renders) == 2
    assert 'lang="en"' in renders[1][2]


def test_each_window_has_its_own_poster_and_a_renamed_window_renders_anew(
    staff_client, survey, windows, renders
):
    get_pdf(staff_client, survey)
    get_pdf(staff_client, survey, windows.jumin)
    get_pdf(staff_client, survey, windows.hoken)
    get_pdf(staff_client, survey, windows.jumin)
    assert [window for _, window, _ in renders] == [None, windows.jumin.pk, windows.hoken.pk]
    ServiceWindow.objects.filter(pk=windows.jumin.pk).update(location="1階 3番窓口")
    get_pdf(staff_client, survey, windows.jumin)
    assert len(renders) == 4
    assert "1階 3番窓口" in renders[3][2]


def test_a_new_public_address_renders_anew(staff_client, survey, settings, renders):
    settings.PORTAL_PUBLIC_BASE_URL = "https://enquete.example.jp"
    get_pdf(staff_client, survey)
    settings.PORTAL_PUBLIC_BASE_URL = "https://survey.city.example.jp"
    get_pdf(staff_client, survey)
    get_pdf(staff_client, survey)
    assert len(renders) == 2
    assert "https://survey.city.example.jp/s/" in renders[1][2]


def test_the_cached_poster_is_still_refused_to_another_office(client, stranger, survey, renders):
    client.force_login(stranger)
    assert client.get(poster_url(survey)).status_code == 404
    assert renders == []
