"""The feedback area's front page: the way to the voices register, the surveys, their
analysis and the service windows, with the counts of voices that wait for the user."""

from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import path

from takatsu_portal.accounts.permissions import require_perm, user_may
from takatsu_portal.core.fiscal import today

from .access import voices_for
from .models import ResidentVoice

OPEN = Q(state__in=[ResidentVoice.State.RECEIVED, ResidentVoice.State.ASSIGNED])


def voice_counts(user):
    """Open and overdue voices of the user's section, those assigned to them, and overdue ones
    of the whole office (one query)."""
    overdue = OPEN & Q(due_on__lt=today())
    own = Q(section_id=user.section_id) if user.section_id else Q(pk__in=[])
    return voices_for(user).aggregate(
        section_open=Count("id", filter=own & OPEN),
        section_overdue=Count("id", filter=own & overdue),
        mine=Count("id", filter=OPEN & Q(assignee_id=user.pk)),
        office_overdue=Count("id", filter=overdue),
    )


@require_perm("portal.view_feedback", "区民の声・アンケートは職員が利用できます。")
def index(request):
    user = request.user
    return render(
        request,
        "feedback/index.html",
        {
            "counts": voice_counts(user),
            "section": user.section if user.section_id else None,
            "may": {
                "statistics": user_may(user, "feedback.voice_statistics"),
                "surveys": user_may(user, "feedback.view_surveys"),
                "results": user_may(user, "feedback.view_results"),
                "windows": user_may(user, "feedback.view_windows"),
            },
            "breadcrumbs": [("区民の声・アンケート", None)],
        },
    )


urlpatterns = [
    path("", index, name="index"),
]
