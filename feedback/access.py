"""One access helper per object type of the feedback app (office-scoped; 404 outside the
user's office, 403 with a reason without the permission)."""

from takatsu_portal.accounts.permissions import get_object_for_user, within_office

from .models import ResidentVoice, ServiceWindow, Survey


def windows_for(user):
    return within_office(user, ServiceWindow.objects.all())


def surveys_for(user):
    return within_office(user, Survey.objects.all())


def voices_for(user):
    return within_office(user, ResidentVoice.objects.all())


def get_window_for_user(user, pk, *, perm="feedback.view_windows", message=None):
    kwargs = {"message": message} if message else {}
    qs = windows_for(user).select_related("section", "section__department")
    return get_object_for_user(user, qs, perm=perm, pk=pk, **kwargs)


SURVEY_RELATED = ("office", "created_by", "copied_from")


def get_survey_for_user(
    user,
    pk,
    *,
    perm="feedback.view_surveys",
    message=None,
    newest_response=False,
    related=SURVEY_RELATED,
):
    """The survey, 404 outside the user's office, 403 without `perm`. `newest_response`: with
    `newest_response_id` (None without answers) read in the same query, one index step (the
    analysis page keeps its numbers under it). `related`: the relations read with it (a page
    that shows none of them joins nothing: PostgreSQL plans a join at every request)."""
    kwargs = {"message": message} if message else {}
    qs = surveys_for(user).select_related(*related) if related else surveys_for(user)
    if newest_response:
        from django.db.models import OuterRef, Subquery

        from .models import Response

        newest = Response.objects.newest_of(OuterRef("pk")).values("id")[:1]
        qs = qs.annotate(newest_response_id=Subquery(newest))
    return get_object_for_user(user, qs, perm=perm, pk=pk, **kwargs)


def get_voice_for_user(user, pk, *, perm="feedback.view_voices", message=None):
    kwargs = {"message": message} if message else {}
    qs = voices_for(user).select_related(
        "section", "section__department", "window", "assignee", "answered_by", "recorded_by"
    )
    return get_object_for_user(user, qs, perm=perm, pk=pk, **kwargs)
