"""Named users of one ward office, its places, the shipped checklist, and a planned inspection.

`people.staff` is on the team; `people.other_staff` (same section, same office) is not;
`people.hoken_staff` works in the section that does not look after the places; `stranger`
works at another office and must find none of this.
"""

import datetime
from importlib import import_module
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from inspections import services
from inspections.models import (
    Building,
    ChecklistTemplate,
    Floor,
    Place,
    PlaceType,
    TeamMember,
)
from takatsu_portal.accounts.roles import Role
from tests.cast import Cast, make_stranger, users
from tests.plans.factories import PlanFactory

from ..factories import DepartmentFactory, SectionFactory

SHIPPED = import_module("inspections.migrations.0002_shipped_checklist")


@pytest.fixture
def shipped_template(db):
    """The checklist the data migration ships (loaded again for transactional tests)."""
    SHIPPED.load(apps, None)
    return ChecklistTemplate.objects.get(name=SHIPPED.NAME)


def make_sections(office):
    department = DepartmentFactory(office=office, name="まちづくり推進部")
    return SimpleNamespace(
        somu=SectionFactory(department=department, name="総務課"),
        hoken=SectionFactory(department=department, name="保険年金課"),
    )


def make_people(sections):
    return users(
        sections.somu,
        staff=("staff", Role.STAFF),
        other_staff=("staff2", Role.STAFF),
        hoken_staff=("hoken", Role.STAFF, sections.hoken),
        lead=("wglead", Role.STAFF, Role.WG_LEAD),
        subcommittee=("subcommittee", Role.STAFF, Role.SUBCOMMITTEE),
        council=("council", Role.COUNCIL),
        manager=("manager", Role.SECTION_MANAGER),
        hoken_manager=("manager2", Role.SECTION_MANAGER, sections.hoken),
        admin=("admin", Role.ADMINISTRATOR),
    )


@pytest.fixture(scope="session")
def cast():
    """The inspections' people (tests/conftest.py makes them once per module)."""
    return Cast(
        sections=make_sections,
        people=make_people,
        stranger=lambda: make_stranger((Role.SUBCOMMITTEE, Role.SECTION_MANAGER, Role.STAFF)),
    )


@pytest.fixture
def places(office, sections):
    building = Building.objects.create(office=office, name="高津区役所 本庁舎")
    first = Floor.objects.create(building=building, name="1階", level=1)
    outside = Floor.objects.create(building=building, name="屋外", level=0)
    return SimpleNamespace(
        entrance=Place.objects.create(
            floor=first, name="正面玄関", place_type=PlaceType.ENTRANCE, section=sections.somu
        ),
        counter=Place.objects.create(
            floor=first, name="区民課 1番窓口", place_type=PlaceType.COUNTER, section=sections.somu
        ),
        ramp=Place.objects.create(
            floor=outside, name="正面スロープ", place_type=PlaceType.RAMP, section=sections.somu
        ),
    )


@pytest.fixture
def plan(office):
    return PlanFactory(office=office, fiscal_year=2026)


@pytest.fixture
def inspection(people, places, shipped_template, office):
    inspection = services.inspection_create(
        office=office,
        by=people.subcommittee,
        title="令和8年度 本庁舎バリアフリー点検",
        inspected_on=datetime.date(2026, 10, 1),
        template=shipped_template,
        places=[places.entrance, places.counter, places.ramp],
    )
    services.team_member_add(
        inspection=inspection,
        by=people.subcommittee,
        kind=TeamMember.Kind.WHEELCHAIR,
        user=people.staff,
    )
    return inspection


def item(inspection, code):
    return inspection.template_version.items.get(code=code)


def jpeg_bytes(size=(64, 48), *, exif=None, colour=(200, 60, 40)):
    out = BytesIO()
    image = Image.new("RGB", size, colour)
    if exif is not None:
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def upload(data=None, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else jpeg_bytes(), content_type)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
