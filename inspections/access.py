"""One access helper per object type of inspections: office-scoped (404 outside the user's
office), with the select/prefetch the pages need, and the permission checked (403 with a
reason)."""

from takatsu_portal.accounts.permissions import get_object_for_user, within_office

from .models import Building, ChecklistTemplate, Finding, Floor, Inspection, Photo, Place

PLACE_REFUSAL = (
    "点検場所を登録・変更できるのは推進部会の委員と管理者、自分の課の場所を受け持つ課長です。"
)
BUILDING_REFUSAL = "建物と階を登録・変更できるのは推進部会の委員と管理者です。"
LOCATION_REFUSALS = {
    "building": BUILDING_REFUSAL,
    "floor": BUILDING_REFUSAL,
    "place": PLACE_REFUSAL,
}


def places_for(user):
    """The places of the user's office (none for a user without an office, every office's for
    one who may see every office: accounts/scope.py)."""
    return within_office(user, Place.objects.with_location())


def buildings_for(user):
    return within_office(user, Building.objects.select_related("office"), path="office")


def floors_for(user):
    return within_office(
        user,
        Floor.objects.select_related("building", "building__office"),
        path="building__office",
    )


LOCATIONS = {"building": buildings_for, "floor": floors_for, "place": places_for}


def get_location_for_user(user, kind, pk, *, perm="inspections.keep_location", message=None):
    """A building, floor or place (`kind`) of the user's office: 404 outside it, 403 (with the
    reason) for someone who may not keep it."""
    return get_object_for_user(
        user, LOCATIONS[kind](user), perm=perm, pk=pk, message=message or LOCATION_REFUSALS[kind]
    )


def inspections_for(user):
    return within_office(user, Inspection.objects.for_list())


def findings_for(user):
    return within_office(user, Finding.objects.for_list())


def get_template_for_user(user, pk, *, perm="portal.view_inspections", message=None):
    kwargs = {"message": message} if message else {}
    return get_object_for_user(user, ChecklistTemplate.objects.all(), perm=perm, pk=pk, **kwargs)


def get_inspection_for_user(user, pk, *, perm="inspections.view_inspection", message=None):
    kwargs = {"message": message} if message else {}
    return get_object_for_user(user, inspections_for(user), perm=perm, pk=pk, **kwargs)


def get_finding_for_user(user, pk, *, perm="inspections.view_finding", message=None):
    kwargs = {"message": message} if message else {}
    qs = findings_for(user).select_related(
        "answer", "inspection__template_version__template", "proposal__project", "corrected_by"
    )
    return get_object_for_user(user, qs, perm=perm, pk=pk, **kwargs)


def get_photo_for_user(user, pk):
    """A photo of an answer or finding of the user's office (404 otherwise: for a user of no
    office `inspections` is empty, and so is the query)."""
    return get_object_for_user(
        user, within_office(user, Photo.objects.all()), perm="portal.view_inspections", pk=pk
    )
