"""One access helper per object type of the feedback app (office-scoped; 404 outside the
user's office, 403 with a reason without the permission)."""

from takatsu_portal.accounts.permissions import get_object_for_user
from takatsu_portal.accounts.scope import office_scope_of

from .models import ResidentVoice, ServiceWindow, Survey


def office_filter(user, path):
    """Filter kwargs that keep a query within the user's office (`path` leads to the office);
    a user without an office matches nothing (accounts/scope.py: default deny)."""
    return office_scope_of(user).lookup(path)


def windows_for(user):
    return ServiceWindow.objects.filter(**office_filter(user, "section__department__office"))


def surveys_for(user):
    return Survey.objects.filter(**office_filter(user, "office"))


def voices_for(user):
    return ResidentVoice.objects.filter(**office_filter(user, "office"))


def get_window_for_user(user, pk, *, perm="feedback.view_windows", message=None):
    kwargs = {"message": message} if message else {}
    qs = windows_for(user).select_related("section", "section__department")
    return get_object_for_user(user, qs, perm=perm, pk=pk, **kwargs)


def get_survey_for_user(user, pk, *, perm="feedback.view_surveys", message=None):
    kwargs = {"message": message} if message else {}
    qs = surveys_for(user).select_related("office", "created_by", "copied_from")
    return get_object_for_user(user, qs, perm=perm, pk=pk, **kwargs)


def get_voice_for_user(user, pk, *, perm="feedback.view_voices", message=None):
    kwargs = {"message": message} if message else {}
    qs = voices_for(user).select_related(
        "section", "section__department", "window", "assignee", "answered_by", "recorded_by"
    )
    return get_object_for_user(user, qs, perm=perm, pk=pk, **kwargs)
