"""The QR-code poster of a survey: one A4 page to put up at a window.

It carries the survey's title, a large QR code of the public address, the short address
printed for those who type it, and "please answer our survey" in every language the survey
has. A poster for one window also prints the window's name and place, and its QR code names
the window (?window=<id>), so that answers from it are counted for that window.

WeasyPrint renders it (one page, one to a few seconds) once per content: `poster_pdf` keeps
the PDF in the cache under the SHA-256 of the poster's HTML, which holds everything the PDF
is drawn from (the survey's title, the languages of its translations, the window's name and
place, the public address in the QR code and under it). A change to any of them (or to the
template, or to PORTAL_PUBLIC_BASE_URL) makes another key, so the next request renders anew;
the same poster asked again is served from the cache. Nothing in it is fetched:
the QR code is inline SVG, the font is the system's Noto Sans CJK JP, and the URL fetcher
refuses every URL, so no text in a survey can make WeasyPrint read a file or the network.
"""

import functools
import hashlib

import segno
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from ..models import LANGUAGE_CODES
from ..responses.forms import TEXTS, html_lang, survey_languages


@functools.cache
def _refusing_fetcher_class():
    # WeasyPrint takes about 0.6 s to import: only the processes that draw a poster pay it.
    from weasyprint.urls import URLFetcher

    class RefusingFetcher(URLFetcher):
        """A URL fetcher that fetches nothing: the poster needs no outside resource."""

        def __init__(self):
            super().__init__(allowed_protocols=(), allow_redirects=False)
            self.refused = []

        def fetch(self, url, headers=None):
            self.refused.append(url)
            raise ValueError(f"The poster fetches no URL: {url[:100]}")

    return RefusingFetcher


def refusing_fetcher():
    """A WeasyPrint URL fetcher that refuses every URL (and lists them in `.refused`)."""
    return _refusing_fetcher_class()()


def public_base_url(office=None):
    """The address residents reach the portal's public pages at: the office's own
    (Office.public_base_url), else PORTAL_PUBLIC_BASE_URL when the install sets one (the public
    form is often served on another host than the intranet), else PORTAL_BASE_URL."""
    if office is not None:
        return office.public_address
    base = getattr(settings, "PORTAL_PUBLIC_BASE_URL", "") or settings.PORTAL_BASE_URL
    return base.rstrip("/")


def public_url(survey, window=None):
    url = public_base_url(survey.office) + reverse("public_survey", args=[survey.token])
    return f"{url}?window={window.pk}" if window is not None else url


def qr_svg(url):
    """The QR code of `url` as an inline <svg> sized by CSS (medium error correction, so that
    a smudged or partly covered print still reads)."""
    code = segno.make(url, error="m", micro=False)
    return code.svg_inline(scale=10, border=4, omitsize=True, dark="#000", light="#fff")


def poster_context(survey, window=None):
    url = public_url(survey, window)
    languages = [code for code in LANGUAGE_CODES if code in survey_languages(survey)]
    return {
        "survey": survey,
        "window": window,
        "title": survey.title,
        "office_name": survey.office.name_for_residents,
        "short_url": public_url(survey),
        "qr": mark_safe(qr_svg(url)),  # noqa: S308 (segno's own markup, no user text)
        "asks": [{"lang": html_lang(code), "text": TEXTS[code]["ask"]} for code in languages],
    }


def poster_html(survey, window=None):
    return render_to_string("feedback/surveys/poster.html", poster_context(survey, window))


def render_document(survey, window=None, *, fetcher=None, html=None):
    """The laid-out poster (a WeasyPrint Document: its `pages` can be counted)."""
    from weasyprint import HTML

    document = HTML(
        string=html if html is not None else poster_html(survey, window),
        url_fetcher=fetcher or refusing_fetcher(),
        base_url=None,
    )
    return document.render()


def render_poster(survey, window=None, *, html=None):
    """The poster as PDF bytes, rendered now."""
    return render_document(survey, window, html=html).write_pdf()


CACHE_SECONDS = 30 * 24 * 3600  # an unused poster leaves the cache after a month


def poster_cache_key(survey, window, html):
    digest = hashlib.sha256(html.encode()).hexdigest()
    return f"survey-poster:{survey.pk}:{window.pk if window is not None else 0}:{digest}"


def poster_pdf(survey, window=None):
    """The poster as PDF bytes: from the cache when the same poster (same HTML) was rendered
    before, else rendered now and kept."""
    html = poster_html(survey, window)
    key = poster_cache_key(survey, window, html)
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_poster(survey, window, html=html)
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf
