"""The public answer form residents open from a QR code: /s/<token>/ at the site root.

No login, no intranet link, nothing that identifies the resident stored with the answers.
Abuse is kept down by a signed, expiring submission key (a forged or stale form is refused;
the same form sent twice is stored once), a honeypot field, and a per-address rate limit kept
in the cache under a salted hash of the address (the address itself is never stored).

The route lives in feedback/public_urls.py, included at the root by takatsu_portal/urls.py;
the feedback: namespace (under /feedback/) has no public page, hence `urlpatterns = []`.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from takatsu_portal.core.client import client_address
from takatsu_portal.core.editing import save_or_explain
from takatsu_portal.core.fiscal import today

from ..models import Response, Survey
from ..surveys import services as surveys_services
from . import services
from .forms import (
    LANGUAGE_NAMES,
    TEXTS,
    KeyExpired,
    KeyInvalid,
    PublicSurveyForm,
    fallback_lang,
    format_date,
    html_lang,
    issue_key,
    pick_language,
    read_key,
    survey_languages,
)

# At most RATE_LIMIT submissions per RATE_WINDOW_SECONDS from one address (a household or a
# phone network's address is shared by few; a bot is stopped after a handful).
RATE_LIMIT = 20
RATE_WINDOW_SECONDS = 10 * 60
RATE_SALT = "feedback.public_survey.rate"

urlpatterns = []


def _page(request, template, context, *, language="ja", status=200, survey=None):
    context = {
        "language": language,
        "html_lang": html_lang(language),
        "words": TEXTS[language],
        "survey": survey,
        # The office's public name in the page's language ("" when untranslated).
        "office_name": survey.office.public_name(language) if survey is not None else "",
        **context,
    }
    response = render(request, f"feedback/responses/public/{template}", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def rate_key(address):
    """The cache key counting one address's submissions: a keyed hash of the address (salted
    with SECRET_KEY), so that not even the cache holds the address itself."""
    return "feedback:public-rate:" + salted_hmac(RATE_SALT, address, algorithm="sha256").hexdigest()


def _over_rate_limit(request):
    """Count this submission for the sender's address and say whether it is one too many.
    The counter expires RATE_WINDOW_SECONDS after the first submission it counts."""
    key = rate_key(client_address(request) or "")
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    return count > RATE_LIMIT


def _languages(survey, language, window_id):
    suffix = f"&window={window_id}" if window_id else ""
    return [
        {
            "code": code,
            "lang": html_lang(code),
            "name": LANGUAGE_NAMES[code],
            "url": f"?lang={code}{suffix}",
            "current": code == language,
        }
        for code in survey_languages(survey)
    ]


def _window_param(request, windows):
    raw = request.GET.get("window", "")
    if raw.isdigit() and int(raw) in {w.pk for w in windows}:
        return int(raw)
    return None


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def public_survey(request, token):
    survey = (
        Survey.objects.city_wide("public survey by its secret token")
        .select_related("office")
        .filter(token=token)
        .first()
        if len(token) <= 40
        else None
    )
    requested = request.GET.get("lang", "ja")
    if survey is None:
        language = requested if requested in TEXTS else "ja"
        return _page(request, "not_found.html", {}, language=language, status=404)
    language = pick_language(survey, requested)
    day = today()
    if not survey.is_open_on(day):
        before = day < survey.opens_on
        words = TEXTS[language]
        message = (words["closed_before"] if before else words["closed_after"]).format(
            date=format_date(survey.opens_on if before else survey.closes_on, language)
        )
        return _page(
            request,
            "closed.html",
            {"message": message, "languages": _languages(survey, language, None)},
            language=language,
            survey=survey,
        )

    questions = list(survey.questions.prefetch_related("choices").order_by("order", "id"))
    windows = list(surveys_services.survey_windows(survey))
    window_id = _window_param(request, windows)
    has_window_question = any(q.kind == "window" for q in questions)
    form_kwargs = {
        "survey": survey,
        "questions": questions,
        "windows": windows,
        "language": language,
    }
    context = {
        "languages": _languages(survey, language, window_id),
        "action": f"?lang={language}" + (f"&window={window_id}" if window_id else ""),
        "notice": "",
    }
    status = 200

    if request.method == "POST":
        if _over_rate_limit(request):
            return _page(request, "rate_limited.html", {}, language=language, status=429)
        form = PublicSurveyForm(request.POST, **form_kwargs)
        if form.honeypot_filled():
            # A robot filled the field people cannot see: thank it and store nothing.
            return _page(request, "thanks.html", {}, language=language, survey=survey)
        try:
            nonce = read_key(survey, request.POST.get("key", ""))
        except KeyInvalid:
            return _page(
                request,
                "invalid.html",
                {"again_url": context["action"]},
                language=language,
                survey=survey,
                status=400,
            )
        except KeyExpired:
            # Keep the answers, issue a fresh key, and ask to send again.
            data = request.POST.copy()
            data["key"] = issue_key(survey)
            form = PublicSurveyForm(data, **form_kwargs)
            form.is_valid()
            context["notice"] = TEXTS[language]["err_expired"]
            status = 400
        else:
            if form.is_valid():
                refused = save_or_explain(
                    request,
                    form,
                    lambda: services.response_submit(
                        survey=survey,
                        answers=form.answers(),
                        channel=Response.Channel.WEB,
                        language=language,
                        submitted_on=day,
                        submission_key=nonce,
                        window=None if has_window_question else form.cleaned_data["window"],
                    ),
                )
                if refused is None:
                    return _page(request, "thanks.html", {}, language=language, survey=survey)
                status = 400
            else:
                status = 400 if form.tampered() else 200
            if form.tampered() and not context["notice"]:
                context["notice"] = TEXTS[language]["err_tampered"]
    else:
        initial = {"key": issue_key(survey)}
        if window_id is not None:
            window_question = next((q for q in questions if q.kind == "window"), None)
            if window_question is not None:
                initial[services.answer_field(window_question)] = window_id
            else:
                initial["window"] = window_id
        form = PublicSurveyForm(initial=initial, **form_kwargs)

    return _page(
        request,
        "form.html",
        {
            "form": form,
            "questions": form.question_views(),
            "summary": form.error_summary() if form.is_bound else [],
            "title": survey.translated("title", language),
            "title_lang": fallback_lang(survey, "title", language),
            "introduction": survey.translated("introduction", language),
            "introduction_lang": fallback_lang(survey, "introduction", language),
            "max_text": services.MAX_TEXT,
            **context,
        },
        language=language,
        survey=survey,
        status=status,
    )
