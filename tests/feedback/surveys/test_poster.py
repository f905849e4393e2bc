"""The QR-code poster: one A4 PDF page with the title, a QR code of the public address, the
short address and a line per language; nothing fetched while rendering it."""

import re
import zlib

import pytest
import segno
from django.urls import reverse

from feedback.surveys import poster
from tests.feedback.factories import WindowFactory

pytestmark = pytest.mark.django_db


def poster_url(survey, window=None):
    url = reverse("feedback:survey_poster", args=[survey.pk])
    return f"{url}?window={window.pk}" if window else url


def pdf_objects(pdf):
    """The PDF's text with every compressed stream inflated (pages sit in object streams)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def page_count(pdf):
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf_objects(pdf)))


@pytest.fixture
def public_base(settings):
    settings.PORTAL_PUBLIC_BASE_URL = "https://enquete.example.jp"
    return settings.PORTAL_PUBLIC_BASE_URL


def test_staff_download_an_a4_pdf_of_one_page(client, people, survey, public_base):
    client.force_login(people.staff)
    response = client.get(poster_url(survey))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="survey-{survey.pk}-poster.pdf"' in response["Content-Disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert page_count(pdf) == 1
    # A4 is 595 × 842 points.
    assert re.search(rb"/MediaBox\s*\[\s*0 0 595\.\d* 841\.\d*", pdf_objects(pdf))


def test_the_poster_shows_the_title_the_short_address_and_the_qr_code(survey, public_base):
    html = poster.poster_html(survey)
    short = f"{public_base}/s/{survey.token}/"
    assert "窓口サービス満足度アンケート" in html
    assert short in html
    assert "アンケートにご協力ください" in html
    assert "<svg" in html and 'class="segno"' in html
    assert poster.public_url(survey) == short


def test_the_qr_code_holds_the_public_address(survey, public_base):
    context = poster.poster_context(survey)
    expected = segno.make(poster.public_url(survey), error="m", micro=False)
    assert str(context["qr"]) == expected.svg_inline(
        scale=10, border=4, omitsize=True, dark="#000", light="#fff"
    )


def test_the_poster_asks_in_every_language_the_survey_has(survey):
    survey.translations = {
        "en": {"title": "Survey"},
        "zh": {"title": "问卷"},
        "ko": {"title": "설문"},
        "pt": {"title": "Pesquisa"},
        "vi": {"title": "Khảo sát"},
        "ja-easy": {"title": "アンケート"},
    }
    html = poster.poster_html(survey)
    for sentence in (
        "アンケートにご協力ください",
        "アンケートに こたえて ください",
        "Please answer our survey",
        "请协助填写问卷调查",
        "설문조사에 협조해 주세요",
        "Por favor, responda à nossa pesquisa",
        "Xin vui lòng trả lời khảo sát",
    ):
        assert sentence in html
    assert '<li lang="ko">' in html and '<li lang="vi">' in html
    assert page_count(poster.render_poster(survey)) == 1


def test_languages_without_texts_are_not_on_the_poster(survey):
    html = poster.poster_html(survey)
    assert "Please answer our survey" not in html


def test_a_window_poster_names_the_window_and_its_qr_code_names_it_too(
    client, people, survey, windows, public_base
):
    html = poster.poster_html(survey, windows.hoken)
    assert "国民健康保険窓口" in html and "1階 8番" in html
    assert poster.public_url(survey, windows.hoken) == (
        f"{public_base}/s/{survey.token}/?window={windows.hoken.pk}"
    )
    # The printed address stays the short one.
    assert f"?window={windows.hoken.pk}" not in html.split('class="url">')[1].split("</p>")[0]
    client.force_login(people.staff)
    response = client.get(poster_url(survey, windows.hoken))
    assert response.status_code == 200
    assert f"-window-{windows.hoken.pk}.pdf" in response["Content-Disposition"]


def test_the_longest_texts_still_fit_on_one_page(survey, sections):
    survey.title = "窓口サービス満足度アンケート" * 14
    survey.translations = {
        code: {"title": "x"} for code in ("ja-easy", "en", "zh", "ko", "pt", "vi")
    }
    window = WindowFactory(section=sections.kumin, name="国" * 100, location="階" * 100)
    assert page_count(poster.render_poster(survey, window)) == 1


def test_a_window_outside_the_survey_is_not_found(client, people, survey, sections):
    elsewhere = WindowFactory(section=sections.kumin, name="別の窓口")
    client.force_login(people.staff)
    assert client.get(poster_url(survey, elsewhere)).status_code == 404
    assert client.get(poster_url(survey) + "?window=abc").status_code == 404


def test_another_office_cannot_print_the_poster(client, stranger, survey):
    client.force_login(stranger)
    assert client.get(poster_url(survey)).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, survey):
    response = client.get(poster_url(survey))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_survey_texts_are_escaped_and_nothing_is_fetched(survey, monkeypatch):
    survey.title = '<img src="file:///etc/passwd"><link rel="stylesheet" href="http://x/">'
    html = poster.poster_html(survey)
    assert "<img" not in html and "&lt;img" in html
    fetchers = []
    original = poster.refusing_fetcher

    def recording():
        fetcher = original()
        fetchers.append(fetcher)
        return fetcher

    monkeypatch.setattr(poster, "refusing_fetcher", recording)
    assert poster.render_poster(survey).startswith(b"%PDF")
    assert fetchers and fetchers[0].refused == []


def test_the_fetcher_refuses_every_url():
    fetcher = poster.refusing_fetcher()
    for url in ("file:///etc/passwd", "http://127.0.0.1/", "https://example.jp/x.css", "data:,x"):
        with pytest.raises(ValueError):
            fetcher(url)
    assert len(fetcher.refused) == 4


def test_a_document_that_asks_for_urls_gets_none(survey):
    from weasyprint import HTML

    fetcher = poster.refusing_fetcher()
    html = '<html><body><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png"></body></html>'
    pdf = HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert set(fetcher.refused) == {"file:///etc/passwd", "http://127.0.0.1:9/x.png"}


# ---------------------------------------------------------------------------------------------
# The office's own settings (Office.resident_name, Office.public_base_url)


def test_the_poster_uses_the_surveys_office_public_name_and_address(survey, public_base):
    office = survey.office
    office.resident_name = "たかつ区役所（区民のみなさまへ）"
    office.public_base_url = "https://takatsu-enquete.example.jp/"
    office.save()
    survey.refresh_from_db()
    html = poster.poster_html(survey)
    assert "たかつ区役所（区民のみなさまへ）" in html
    assert f"https://takatsu-enquete.example.jp/s/{survey.token}/" in html
    assert public_base not in html
    assert poster.public_url(survey).startswith("https://takatsu-enquete.example.jp/s/")


def test_an_office_without_its_own_settings_keeps_the_install_address_and_its_name(
    survey, public_base
):
    html = poster.poster_html(survey)
    assert f"{public_base}/s/{survey.token}/" in html
    assert survey.office.name in html


def test_the_public_survey_page_shows_the_offices_public_name(client, survey):
    from tests.feedback.factories import QuestionFactory

    QuestionFactory(survey=survey)
    office = survey.office
    office.resident_name = "高津区役所 区民サービス窓口"
    office.save()
    html = client.get(reverse("public_survey", args=[survey.token])).content.decode()
    assert "高津区役所 区民サービス窓口" in html
