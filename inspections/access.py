"""One access helper per object type of inspections: office-scoped (404 outside the user's
office), with the select/prefetch the pages need, and the permission checked (403 with a
reason)."""

from takatsu_portal.accounts.permissions import get_object_for_user

from .models import ChecklistTemplate, Finding, Inspection, Photo, Place


def _office(user):
    return user.office


def places_for(user):
    qs = Place.objects.with_location()
    office = _office(user)
    return qs.for_office(office) if office is not None else qs


def inspections_for(user):
    office = _office(user)
    qs = Inspection.objects.for_list()
    return qs.for_office(office) if office is not None else qs


def findings_for(user):
    office = _office(user)
    qs = Finding.objects.for_list()
    return qs.for_office(office) if office is not None else qs


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
    """A photo of an answer or finding of the user's office (404 otherwise)."""
    office = _office(user)
    qs = Photo.objects.select_related("answer__inspection", "finding__inspection")
    photo = get_object_for_user(user, qs, perm="portal.view_inspections", pk=pk)
    inspection = photo.answer.inspection if photo.answer_id else photo.finding.inspection
    if office is not None and inspection.office_id != office.pk:
        from django.http import Http404

        raise Http404
    return photo
