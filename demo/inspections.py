"""The inspections app's part of `manage.py seed_demo`: the places of the ward office building,
two barrier-free inspections a year apart with the shipped checklist, and findings in every
state (open and overdue, corrected waiting for a re-check, closed by a re-check in time and
late, closed by the later inspection, turned into a project proposal that is pending or was
sent back), with photos drawn for the demo by Pillow.

Places are written like every demo row (found by natural keys, saved only when a field
differs). An inspection is made once, through the app's own services (so its findings,
proposals, notifications and history are what the portal makes), and found again by its
title on the next run, which then writes nothing. Dates count back from today: last year's
inspection about a year before this year's, three weeks ago.
"""

import random
from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.models import ResidentVoice, ServiceWindow
from inspections import services
from inspections.models import (
    Building,
    ChecklistTemplate,
    ChecklistVersion,
    Finding,
    Floor,
    Inspection,
    Photo,
    Place,
    Rating,
)
from plans.proposals.services import proposal_return
from takatsu_portal.accounts.models import Office, User
from takatsu_portal.core.fiscal import today

from .data import accounts as demo_data
from .data import inspections as data
from .feedback import WINDOWS
from .writer import Tally, at, upsert, workday

PHOTO_SEED = 20261001
CHECKLIST = "区役所バリアフリー点検チェックリスト"


def seed_inspections(sections):
    """The inspections' demo data (see the module docstring); returns tallies."""
    office = Office.objects.get(code=demo_data.OFFICE_CODE)
    places_tally, inspections_tally = Tally("点検場所"), Tally("バリアフリー点検")
    places = _seed_places(office, sections, places_tally)
    template = ChecklistTemplate.objects.get(name=CHECKLIST)
    this_day = workday(today() - timedelta(days=21))
    last_day = workday(this_day - timedelta(days=364))
    rng = random.Random(PHOTO_SEED)  # noqa: S311  (demo pictures, not a secret)
    last = _seed_inspection(
        office,
        template,
        places,
        inspections_tally,
        rng,
        title=data.LAST_TITLE,
        day=last_day,
        place_keys=list(data.PLACES),
        deficiencies=data.LAST_YEAR,
        finish=True,
    )
    _seed_inspection(
        office,
        template,
        places,
        inspections_tally,
        rng,
        title=data.THIS_TITLE,
        day=this_day,
        place_keys=data.THIS_YEAR_PLACES,
        deficiencies=data.THIS_YEAR,
        finish=False,
        earlier=last,
    )
    _retire_places(places)
    revision_tally = Tally("チェックリストの改訂")
    _revise_checklist(template, revision_tally, day=last_day + timedelta(days=120))
    return [places_tally, inspections_tally, revision_tally]


def _retire_places(places):
    """Places closed since last year's inspection: retired through the service (so the
    history says who), dated back to when it happened. A second run finds them retired."""
    secretary = _user("subcommittee")
    for key, days_ago in data.RETIRED.items():
        place = places[key]
        if place.is_retired:
            continue
        services.location_retire(location=place, by=secretary, expected_version=place.version)
        day = workday(today() - timedelta(days=days_ago))
        Place.objects.filter(pk=place.pk).update(retired_on=day)
        place.history.filter(history_change_reason="点検場所を廃止").update(
            retired_on=day, history_date=at(day, 10)
        )


def _revise_checklist(template, tally, *, day):
    """Version 2 of the shipped checklist, made in the portal's way (services) after last
    year's inspection: both demo inspections keep version 1. Once made, found again."""
    if template.versions.filter(number__gt=1).exists():
        tally.unchanged += 1
        return
    secretary = _user("subcommittee")
    added = services.item_add(
        template=template,
        by=secretary,
        expected_version=template.version,
        note=data.REVISION_NOTE,
        **data.REVISION_ITEM,
    )
    revised = added.version.items.get(code=data.REVISED_CODE)
    services.item_revise(
        item=revised,
        by=secretary,
        expected_version=template.version,
        note="心-02 の確認の仕方を具体的に",
        guidance=data.REVISED_GUIDANCE,
    )
    ChecklistVersion.objects.filter(pk=added.version_id).update(created_at=at(day, 15))
    tally.created += 1


def _seed_places(office, sections, tally):
    building = upsert(
        Building,
        lookup={"office": office, "name": data.BUILDING},
        values={"address": data.ADDRESS, "sort_order": 10},
        tally=tally,
    )
    floors = {
        name: upsert(
            Floor, lookup={"building": building, "name": name}, values={"level": level}, tally=tally
        )
        for name, level in data.FLOORS
    }
    places = {}
    for order, (key, seed) in enumerate(data.PLACES.items(), start=1):
        window = None
        if seed.window:
            window_seed = WINDOWS[seed.window]
            window = ServiceWindow.objects.filter(
                section=sections[window_seed.section], name=window_seed.name
            ).first()
        places[key] = upsert(
            Place,
            lookup={"floor": floors[seed.floor], "name": seed.name},
            values={
                "place_type": seed.place_type,
                "section": sections[seed.section],
                "window": window,
                "sort_order": order * 10,
            },
            tally=tally,
        )
    annex = upsert(
        Building,
        lookup={"office": office, "name": data.ANNEX},
        values={"address": data.ANNEX_ADDRESS, "sort_order": 20},
        tally=tally,
    )
    annex_floors = {
        name: upsert(
            Floor, lookup={"building": annex, "name": name}, values={"level": level}, tally=tally
        )
        for name, level in data.ANNEX_FLOORS
    }
    for order, (key, seed) in enumerate(data.ANNEX_PLACES.items(), start=1):
        places[key] = upsert(
            Place,
            lookup={"floor": annex_floors[seed.floor], "name": seed.name},
            values={
                "place_type": seed.place_type,
                "section": sections[seed.section],
                "sort_order": order * 10,
            },
            tally=tally,
        )
    return places


def _user(username):
    return User.objects.get(username=username)


def _member_of(section):
    """A member of staff of the section who is not its manager (for corrections)."""
    return (
        User.objects.filter(section=section, is_active=True)
        .exclude(groups__name="課長")
        .order_by("staff_number")
        .first()
    ) or _user(demo_data.DEMO_ACCOUNTS[3].username)


def demo_photo(rng, *, label, after=False):
    """A 640×480 JPEG drawn for the demo: a wall, a floor and a door or sign, redder before a
    fix and greener after, with a small caption in ASCII (Pillow's built-in font)."""
    from PIL import Image, ImageDraw

    wall = (rng.randint(200, 235), rng.randint(200, 235), rng.randint(190, 225))
    image = Image.new("RGB", (640, 480), wall)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 330, 640, 480), fill=(rng.randint(110, 150), 110, 100))
    x = rng.randint(60, 380)
    accent = (40, 150, 80) if after else (200, 60, 50)
    draw.rectangle((x, 90, x + 180, 330), fill=(150, 120, 90), outline=(60, 50, 40), width=4)
    draw.rectangle((x + 20, 40, x + 160, 80), fill=accent)
    draw.line((0, 330, 640, 330), fill=(80, 80, 80), width=3)
    draw.text((16, 450), label, fill=(20, 20, 20))
    out = BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile("demo.jpg", out.getvalue(), content_type="image/jpeg")


def _date_photos(photos, day):
    Photo.objects.filter(pk__in=[p.pk for p in photos]).update(uploaded_at=at(day, 11))


def _seed_inspection(
    office,
    template,
    places,
    tally,
    rng,
    *,
    title,
    day,
    place_keys,
    deficiencies,
    finish,
    earlier=None,
):
    existing = Inspection.objects.filter(office=office, title=title).first()
    if existing is not None:
        tally.unchanged += 1
        return existing
    secretary = _user("subcommittee")
    inspection = services.inspection_create(
        office=office,
        by=secretary,
        title=title,
        inspected_on=day,
        template=template,
        places=[places[key] for key in place_keys],
        notes="車いす・ベビーカーで実際に通り、区民モニターの方と一緒に確認しました。",
    )
    for seed in data.TEAM:
        services.team_member_add(
            inspection=inspection,
            by=secretary,
            kind=seed.kind,
            user=_user(seed.username) if seed.username else None,
            resident_role=seed.resident_role,
            resident_name=seed.resident_name,
            consent_on=day - timedelta(days=14) if seed.resident_name else None,
        )
    found = {(d.place, d.code): d for d in deficiencies}
    items = list(inspection.template_version.items.all())
    for key in place_keys:
        place = places[key]
        for item in items:
            if not item.applies_to(place):
                continue
            deficiency = found.get((key, item.code))
            photo = None
            if deficiency is not None:
                rating, typed, note = Rating.NEEDS, deficiency.value, deficiency.note
                photo = demo_photo(rng, label=f"{item.code} before")
            else:
                rating, typed, note = Rating.OK, data.GOOD_VALUES.get(item.code, ""), ""
            value = services.parse_measure(typed, item=item) if item.is_measure else None
            answer = services.answer_record(
                inspection=inspection,
                place=place,
                item=item,
                by=secretary,
                rating=rating,
                value=value,
                note=note,
                severity=deficiency.severity if deficiency else None,
                photo=photo,
            )
            _date_photos(answer.photos.all(), day)
    for deficiency in deficiencies:
        finding = Finding.objects.get(
            inspection=inspection, place=places[deficiency.place], item__code=deficiency.code
        )
        _follow_up(finding, deficiency, rng, secretary)
    if finish:
        services.inspection_finish(
            inspection=inspection, by=secretary, expected_version=inspection.version
        )
    Inspection.objects.filter(pk=inspection.pk).update(created_at=at(day - timedelta(days=30)))
    tally.created += 1
    return inspection


def _follow_up(finding, deficiency, rng, secretary):
    """What the section and the subcommittee did about a finding (its `fate`)."""
    day = finding.inspection.inspected_on
    if deficiency.voice:
        voice = (
            ResidentVoice.objects.filter(
                category=ResidentVoice.Category.ACCESSIBILITY,
                summary__contains=deficiency.voice,
            )
            .order_by("received_on")
            .first()
        )
        if voice is not None:
            services.finding_link_voices(finding=finding, by=secretary, voices=[voice])
            finding.refresh_from_db()
    fate = deficiency.fate
    if fate in ("corrected", "closed", "later"):
        fixed_on = min(day + timedelta(days=deficiency.days_to_fix), today())
        services.finding_correct(
            finding=finding,
            by=_member_of(finding.section),
            expected_version=finding.version,
            correction=deficiency.correction,
            corrected_on=fixed_on,
            photo=demo_photo(rng, label=f"{finding.item.code} after", after=True),
        )
        _date_photos(finding.photos.filter(stage=Photo.Stage.AFTER), fixed_on)
        finding.refresh_from_db()
        if fate == "closed":
            checked_on = min(fixed_on + timedelta(days=3), today())
            services.finding_recheck(
                finding=finding,
                by=secretary,
                expected_version=finding.version,
                confirmed=True,
                checked_on=checked_on,
                note="現地で是正を確認しました。区民モニターにも確認してもらいました。",
            )
    elif fate in ("proposed", "returned"):
        proposal = services.finding_propose(
            finding=finding, by=secretary, expected_version=finding.version
        )
        if fate == "returned":
            proposal_return(
                proposal=proposal,
                by=secretary,
                comment=data.RETURN_COMMENT,
                expected_version=proposal.version,
            )
    # "later": this year's inspection answers the item 適合 and closes it (services).
