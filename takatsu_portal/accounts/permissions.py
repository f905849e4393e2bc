"""The one permission layer every view uses.

Two levels, one API (`user.has_perm`):
- model permissions come from the role groups (roles.py), through Django's ModelBackend;
- portal-wide and object rules are `rules` predicates registered here and in each app's
  `rules.py`, through rules' ObjectPermissionBackend.

Views never test roles themselves: they call `require_perm` / `get_object_for_user`, and
templates use `{% has_perm %}` from rules' template tags or `perms`.
"""

from functools import wraps

import rules
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .roles import Role, roles_of
from .scope import office_scope_of

DEFAULT_REFUSAL = "この操作を行う権限がありません。"


def has_role(*wanted):
    """A predicate true for users holding any of the roles (superusers hold them all)."""
    wanted = frozenset(Role(r) for r in wanted)

    @rules.predicate(name="has_role(" + ",".join(sorted(wanted)) + ")")
    def predicate(user):
        if not user.is_authenticated or not user.is_active:
            return False
        return user.is_superuser or bool(roles_of(user) & wanted)

    return predicate


is_signed_in = rules.predicate(lambda user: user.is_authenticated and user.is_active)
is_staff_member = has_role(*Role)
is_wg_lead = has_role(Role.WG_LEAD)
is_subcommittee = has_role(Role.SUBCOMMITTEE)
is_council = has_role(Role.COUNCIL)
is_section_manager = has_role(Role.SECTION_MANAGER)
is_administrator = has_role(Role.ADMINISTRATOR)
is_editor = has_role(Role.EDITOR)
# The city planning bureau (総合企画局) reads every ward and writes none of their records.
# A "ward" role is any other; a city reader holds the city's role and no ward role (a person
# who also works in a ward keeps what that ward role lets them do).
WARD_ROLES = tuple(role for role in Role if role != Role.CITY)
is_city = has_role(Role.CITY)
is_ward_staff = has_role(*WARD_ROLES)
is_city_reader = is_city & ~is_ward_staff
CITY_READ_ONLY = (
    "総合企画局の職員は各区役所の記録を閲覧できますが、作成・変更・削除はできません。"
    "変更が必要なときは、その区役所の担当者に依頼してください。"
)


@rules.predicate
def in_own_section(user, obj):
    """The object belongs to the user's own section (obj has a section_id)."""
    if obj is None or not user.is_authenticated:
        return False
    return user.section_id is not None and getattr(obj, "section_id", None) == user.section_id


manages_section_of = is_section_manager & in_own_section

# Portal areas: the navigation shows a link only when the same rule lets the view answer.
rules.add_perm("portal.view_plans", is_staff_member)
rules.add_perm(
    "portal.view_progress",
    is_wg_lead | is_subcommittee | is_council | is_section_manager | is_administrator | is_city,
)
rules.add_perm("portal.view_feedback", is_staff_member)
rules.add_perm("portal.view_bulletins", is_staff_member)
rules.add_perm("portal.view_training", is_staff_member)
rules.add_perm(
    "portal.view_reports",
    is_subcommittee | is_council | is_section_manager | is_administrator | is_city,
)
# Asking for a new report (the subcommittee prepares the council's papers); reading them is
# view_reports.
rules.add_perm("portal.request_reports", is_subcommittee | is_administrator)
rules.add_perm("portal.admin_site", is_administrator)


def user_may(user, perm, obj=None):
    """Whether `user` may do `perm` (on `obj`). A permission defined by a rule is decided by
    the rule alone: Django answers yes to a superuser for everything, but a superuser holds no
    seat on the council, and decisions that belong to a role follow the rule."""
    if rules.perm_exists(perm):
        return rules.has_perm(perm, user, obj)
    return user.has_perm(perm, obj)


def check_perm(user, perm, obj=None, message=DEFAULT_REFUSAL):
    if not user_may(user, perm, obj):
        raise PermissionDenied(message)


def require_perm(perm, message=DEFAULT_REFUSAL):
    """View decorator: refuse with 403 and a Japanese message unless the user has `perm`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            check_perm(request.user, perm, message=message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def writes_nothing_of_a_ward(view):
    """View decorator: this view changes nothing of a ward's records (the user's own session,
    password, notifications or feed address; a check that stores nothing; a request that the
    view itself limits to the kinds the user's role may ask for), so the city's reader may
    POST to it (`middleware.CityReadOnlyMiddleware` refuses every other write of theirs).
    Outermost or under `functools.wraps` decorators, which carry the mark."""
    view.writes_nothing_of_a_ward = True
    return view


def get_object_for_user(user, queryset, *, perm, message=DEFAULT_REFUSAL, **lookup):
    """Load one object for `user`, or answer 404 when it does not exist in `queryset` (scope the
    queryset to what the user may know of) and 403 when the user may not do `perm` on it."""
    obj = get_object_or_404(queryset, **lookup)
    check_perm(user, perm, obj, message=message)
    return obj


def within_office(user, queryset, *, path=None):
    """`queryset` kept to the user's office, by the one rule of accounts/scope.py (default
    deny: a user without an office sees nothing, unless they may see every office): every
    app's list and loader scopes through this one function, `OfficeScope.apply`.

    Each model says where its office is through its QuerySet's `for_office(office)`; for a
    model whose QuerySet has no such method, `path` names the lookup from the model to its
    office (`session__course__office`)."""
    return office_scope_of(user).apply(queryset, path)
