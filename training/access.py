"""One access helper per object type of training (office-scoped: a row of another office is a
404; a refused action is a 403 with a Japanese reason)."""

from django.contrib.auth import get_user_model

from takatsu_portal.accounts.permissions import get_object_for_user, within_office

from .models import Course, Enrolment, Requirement, Session

VIEW_REFUSAL = "研修は職員が利用できます。"
ORGANISE_REFUSAL = "研修の登録・編集は、研修担当・推進部会の委員・管理者が行います。"


def courses_for(user):
    """The office's courses (accounts/scope.py: a user without an office sees none, unless
    they may see every office)."""
    return within_office(user, Course.objects.all())


def sessions_for(user):
    return within_office(user, Session.objects.all())


def enrolments_for(user):
    return within_office(user, Enrolment.objects.all(), path="session__course__office")


def requirements_for(user):
    return within_office(user, Requirement.objects.all(), path="office")


def people_for(user):
    qs = get_user_model().objects.filter(is_active=True)
    return within_office(user, qs, path="section__department__office")


def get_course_for_user(user, pk, *, perm="training.view", message=VIEW_REFUSAL):
    qs = courses_for(user).select_related("organiser", "office").prefetch_related("policies")
    return get_object_for_user(user, qs, perm=perm, message=message, pk=pk)


def get_session_for_user(user, pk, *, perm="training.view", message=VIEW_REFUSAL):
    qs = sessions_for(user).select_related("course", "course__organiser", "course__office")
    return get_object_for_user(user, qs, perm=perm, message=message, pk=pk)


def get_enrolment_for_user(user, pk, *, perm, message):
    qs = enrolments_for(user).select_related(
        "user", "user__section", "session", "session__course", "session__course__organiser"
    )
    return get_object_for_user(user, qs, perm=perm, message=message, pk=pk)


def get_requirement_for_user(
    user, pk, *, perm="training.manage_requirements", message=ORGANISE_REFUSAL
):
    qs = requirements_for(user).select_related("course", "section")
    return get_object_for_user(user, qs, perm=perm, message=message, pk=pk)


def get_person_for_user(user, pk, *, message="この職員の研修記録を閲覧する権限がありません。"):
    qs = people_for(user).select_related("section", "section__department")
    return get_object_for_user(user, qs, perm="training.view_record", message=message, pk=pk)
