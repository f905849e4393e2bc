from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from . import attention
from .audit import record_event
from .fiscal import FiscalYear, today
from .models import InitiativeArea, Policy


def home(request):
    """ダッシュボード: greeting, the fiscal year, and what needs the user's attention."""
    fiscal_year = FiscalYear.current()
    office = request.user.office
    # The office's five basic policies are kept with the user's attention list: they change
    # only in the admin site, whose every change moves the data generation.
    items, policies = attention.cached_items_for(
        request.user, also=lambda: list(Policy.objects.for_office(office))
    )
    return render(
        request,
        "core/home.html",
        {
            "fiscal_year": fiscal_year,
            "today": today(),
            "days_left": fiscal_year.days_left(),
            "attention_items": items,
            "policies": policies,
        },
    )


def guideline(request):
    """The user's office's own guideline: its basic policies and initiative areas (the city's
    template for a user without an office, such as the city planning bureau)."""
    office = request.user.office
    return render(
        request,
        "core/guideline.html",
        {
            "office": office,
            "policies": Policy.objects.for_office(office),
            "initiative_areas": InitiativeArea.objects.for_office(office),
            "breadcrumbs": [("サービス向上指針", None)],
        },
    )


def permission_denied(request, exception=None):
    """403 with the refusal's own message, and a line in the audit log."""
    message = str(exception) if exception is not None and str(exception) else None
    if request.user.is_authenticated:
        record_event("denied", request=request, message=message or "")
    return render(
        request,
        "403.html",
        {"message": message, "breadcrumbs": [("アクセスできません", None)]},
        status=403,
    )


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request):
    return render(request, "500.html", status=500)


@login_not_required
def csrf_failure(request, reason=""):
    """A form that failed the CSRF check: usually an old page or cookies switched off. A page
    of its own, with no intranet link, since residents of the public survey can meet it too."""
    return render(request, "403_csrf.html", status=403)
