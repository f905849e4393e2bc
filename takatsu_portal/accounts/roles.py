"""The roles of DESIGN.md, kept as Django groups with permissions.

A role is a group whose name is the role's Japanese title. Model permissions of each role are
listed here (apps add theirs as they arrive) and written to the groups by `sync_roles`, which
runs after every migrate. Object rules (own section, own working group) live in
`permissions.py`, on top of these.
"""

from django.contrib.auth.models import Group, Permission
from django.db import models


class Role(models.TextChoices):
    STAFF = "staff", "職員"
    WG_LEAD = "wg_lead", "ワーキンググループリーダー"
    SUBCOMMITTEE = "subcommittee", "区役所サービス推進部会 委員"
    COUNCIL = "council", "区企画調整会議 委員"
    SECTION_MANAGER = "section_manager", "課長"
    ADMINISTRATOR = "administrator", "管理者"
    EDITOR = "editor", "情報紙編集者"
    TRAINER = "trainer", "研修担当"
    CITY = "city", "総合企画局"

    @property
    def group_name(self):
        return self.label


ROLE_BY_GROUP_NAME = {role.label: role for role in Role}

# Model permissions per role, as "app_label.codename" ("app_label.*" grants every permission
# of that app; "app_label.view_*" every view permission). These are what the Django admin
# checks; the portal's own pages use the rules of accounts/permissions.py and <app>/rules.py.
# Each app's issue adds its own lines here.
ROLE_PERMISSIONS = {
    Role.STAFF: [],
    Role.WG_LEAD: [],
    Role.SUBCOMMITTEE: [],
    Role.COUNCIL: [],
    Role.SECTION_MANAGER: ["accounts.view_user", "accounts.view_section"],
    # The bulletin editor and the training organiser: their apps' issues add their lines.
    Role.EDITOR: ["bulletins.view_*"],
    Role.TRAINER: [
        "training.view_course",
        "training.add_course",
        "training.change_course",
        "training.view_session",
        "training.add_session",
        "training.change_session",
        "training.view_enrolment",
        "training.view_requirement",
        "training.add_requirement",
        "training.change_requirement",
    ],
    # The city planning bureau has no section and reads every ward (accounts/scope.py); it
    # writes nothing (accounts/permissions.py is_city_reader, CityReadOnlyMiddleware).
    Role.CITY: ["accounts.see_every_office"],
    Role.ADMINISTRATOR: [
        "accounts.*",
        "core.*",
        # Plans are changed through the portal's pages (stages, versions, decisions); the
        # admin shows them read-only, except the working groups' membership.
        "plans.view_*",
        "plans.change_workinggroup",
        "feedback.view_*",
        "reports.view_*",
        "plain_language.view_*",
        "training.view_*",
        "bulletins.view_*",
        "feedback.add_servicewindow",
        # Barrier-free inspections (places included) change through the portal's pages only,
        # with their optimistic lock and history; the admin shows them read-only.
        "inspections.view_*",
        "feedback.change_servicewindow",
        "auth.view_group",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accesslog",
        "axes.view_accessfailurelog",
    ],
}


def _resolve(spec, using):
    app_label, _, codename = spec.partition(".")
    qs = Permission.objects.using(using).filter(content_type__app_label=app_label)
    if codename.endswith("*"):
        qs = qs.filter(codename__startswith=codename[:-1])
    else:
        qs = qs.filter(codename=codename)
    return list(qs)


def sync_roles(using="default"):
    """Create the role groups and set exactly the permissions listed above."""
    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=role.group_name)
        perms = []
        for spec in ROLE_PERMISSIONS[role]:
            perms.extend(_resolve(spec, using))
        group.permissions.set(perms)


def roles_of(user):
    """The set of Role values the user holds, read once per request and cached on the user."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        from . import authcache

        generation, cached = authcache.lookup("roles", user)
        if cached is None:
            names = user.groups.values_list("name", flat=True)
            cached = frozenset(ROLE_BY_GROUP_NAME[n] for n in names if n in ROLE_BY_GROUP_NAME)
            authcache.put("roles", user, cached, generation)
        user._portal_roles = cached
    return cached


def assign_role(user, role):
    user.groups.add(Group.objects.get(name=Role(role).group_name))
    user.__dict__.pop("_portal_roles", None)
