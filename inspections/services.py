"""Workflows of barrier-free inspections. Views, the demo and tests all call these.

Each checks the permission of `by`, runs in one transaction and records who did it in the
history. The plans app's proposal service is imported here and nowhere else in this app, so
that its move (plans/proposals/services.py) is a one-line change.
"""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from plans.models import AnnualPlan, Proposal, Stage
from plans.proposals.services import proposal_submit
from takatsu_portal.accounts.permissions import (
    check_perm,
    is_section_manager,
    is_subcommittee,
    user_may,
)
from takatsu_portal.accounts.scope import office_scope_of
from takatsu_portal.core.fiscal import FiscalYear, today
from takatsu_portal.core.uploads import validate_photo
from takatsu_portal.core.versioning import ConflictError, save_versioned

from .access import LOCATION_REFUSALS
from .models import (
    Answer,
    Barrier,
    Building,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    Finding,
    Floor,
    Inspection,
    Photo,
    Place,
    Rating,
    Recheck,
    TeamMember,
)

# A finding's due date when nobody sets one: by severity, days after the inspection.
DUE_DAYS = {
    Finding.Severity.HIGH: 30,
    Finding.Severity.MEDIUM: 90,
    Finding.Severity.LOW: 180,
}
# The plan's initiative area a proposal from a finding belongs to, by barrier (the guideline's
# 具体的な取組: amenity for things, information sharing for information, training for the heart).
INITIATIVE_BY_BARRIER = {
    Barrier.THING: "amenity",
    Barrier.INFORMATION: "information-sharing",
    Barrier.HEART: "training",
}
BARRIER_FREE_POLICY = 5


def _require(by, perm, obj=None, message="この操作を行う権限がありません。"):
    check_perm(by, perm, obj, message=message)


# ---------------------------------------------------------------------------------------------
# Places: buildings, floors and the points on a floor


OWN_SECTION_ONLY = "課長が登録・変更できるのは自分の課の点検場所です。"
LOCATION_NOUN = {Building: "建物", Floor: "階", Place: "点検場所"}


def office_id_of(location):
    """The office a building, floor or place belongs to."""
    if isinstance(location, Building):
        return location.office_id
    if isinstance(location, Floor):
        return location.building.office_id
    return location.floor.building.office_id


def _require_places(by, location):
    """The subcommittee and administrators keep every place of their office; a section
    manager the points of their own section (a point moved to another section is refused on
    its field, the rest with 403)."""
    if (
        isinstance(location, Place)
        and is_section_manager(by)
        and not user_may(by, "inspections.manage_buildings")
        and location.section_id != by.section_id
    ):
        raise ValidationError({"section": OWN_SECTION_ONLY})
    kind = "place" if isinstance(location, Place) else "building"
    _require(by, "inspections.keep_location", location, LOCATION_REFUSALS[kind])
    scope = office_scope_of(by)
    if not scope.every_office and (
        scope.office is None or scope.office.pk != office_id_of(location)
    ):
        raise PermissionDenied("他の区役所の点検場所は変更できません。")


def _check_location(location):
    """What a form cannot see: a unique name among its siblings, the parts of one office, and
    nothing new under a retired building or floor."""
    errors = {}
    if isinstance(location, Building):
        siblings = Building.objects.for_office(location.office_id)
        duplicate = "この区役所には同じ名前の建物がすでにあります。"
    elif isinstance(location, Floor):
        siblings = location.building.floors.all()
        duplicate = "この建物には同じ名前の階がすでにあります。"
        if location.building.is_retired and location.pk is None:
            errors["building"] = "廃止した建物には階を追加できません。"
    else:
        siblings = location.floor.places.all()
        duplicate = "この階には同じ名前の点検場所がすでにあります。"
        office_id = location.floor.building.office_id
        if location.floor.is_out_of_use and location.pk is None:
            errors["floor"] = "廃止した階（建物）には点検場所を追加できません。"
        if location.section.department.office_id != office_id:
            errors["section"] = "管理する課は、建物と同じ区役所の課を選んでください。"
        window = location.window
        if window is not None and window.section.department.office_id != office_id:
            errors["window"] = "窓口は、建物と同じ区役所の窓口を選んでください。"
    if siblings.filter(name=location.name).exclude(pk=location.pk).exists():
        errors["name"] = duplicate
    if errors:
        raise ValidationError(errors)
    location.full_clean(exclude=["version"], validate_constraints=False)


def location_save(*, location, by, expected_version=None):
    """Add or change a building, floor or place (the one kept by the subcommittee and the
    administrators, in their own office). The version the editor loaded guards against two
    editors at once; the history records who changed what."""
    _require_places(by, location)
    _check_location(location)
    noun = LOCATION_NOUN[type(location)]
    reason = f"{noun}を登録" if location.pk is None else f"{noun}を変更"
    return save_versioned(location, by=by, expected_version=expected_version, reason=reason)


def location_retire(*, location, by, expected_version, retire=True):
    """Retire a building, floor or place (廃止), or take it back into use. A retired one keeps
    what inspections recorded there and is no longer offered to new inspections; what lies
    under it (a building's floors, a floor's places) goes out of use with it."""
    _require_places(by, location)
    if retire and location.is_retired:
        raise ValidationError("すでに廃止しています。")
    if not retire and not location.is_retired:
        raise ValidationError("廃止していません。")
    location.retired_on = today() if retire else None
    noun = LOCATION_NOUN[type(location)]
    return save_versioned(
        location,
        by=by,
        expected_version=expected_version,
        reason=f"{noun}を廃止" if retire else f"{noun}の使用を再開",
    )


DELETE_REFUSALS = {
    Building: "階が登録されている建物は削除できません。使わなくなった建物は廃止にしてください。",
    Floor: "点検場所が登録されている階は削除できません。使わなくなった階は廃止にしてください。",
    Place: (
        "点検で使われた場所は削除できません。廃止にしてください（これまでの点検の記録は残ります）。"
    ),
}


def location_delete(*, location, by, expected_version):
    """Delete a building, floor or place that nothing refers to (a mistyped entry). One that an
    inspection (or a floor, a place) refers to is retired instead, never deleted."""
    _require_places(by, location)
    with transaction.atomic():
        # The version is compared on the locked row: a save made meanwhile waits for this
        # transaction or has already moved the version, and is never deleted unseen.
        current = type(location)._base_manager.select_for_update().get(pk=location.pk)
        if current.version != int(expected_version):
            raise ConflictError(current, expected_version)
        if current.is_in_use():
            raise ValidationError(DELETE_REFUSALS[type(location)])
        location._history_user = by
        location._change_reason = f"{LOCATION_NOUN[type(location)]}を削除"
        location.delete()


# ---------------------------------------------------------------------------------------------
# Checklists


def parse_number(text, *, field, ratio=False):
    """A number as people type it: "82", "８２．５", or for a slope "1/15" (stored as the
    decimal gradient). ValidationError in Japanese on `field` when it is not a number."""
    raw = (text or "").strip().replace("／", "/").replace("，", ".").replace(",", ".")
    raw = raw.translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
    if not raw:
        raise ValidationError({field: "数値を入力してください。"})
    try:
        if "/" in raw:
            top, _, bottom = raw.partition("/")
            value = Decimal(top.strip()) / Decimal(bottom.strip())
        else:
            value = Decimal(raw)
    except (InvalidOperation, ZeroDivisionError):
        example = "1/15" if ratio else "82"
        raise ValidationError({field: f"数値で入力してください（例：{example}）。"}) from None
    if not value.is_finite() or value < 0 or value >= Decimal("1000000"):
        raise ValidationError({field: "数値が範囲外です（0以上、1000000未満）。"})
    return value.quantize(Decimal("0.000001"))


def parse_measure(text, *, item):
    """A measured value as typed on the tablet: "82", "82.5", or for a slope "1/15" (a ratio
    is stored as a decimal gradient). ValidationError in Japanese when it is not a number."""
    if not (text or "").strip():
        raise ValidationError({"value": "計測値を入力してください。"})
    try:
        return parse_number(text, field="value", ratio=item.is_ratio)
    except ValidationError as error:
        message = error.message_dict["value"][0].replace("数値が範囲外", "計測値が範囲外")
        raise ValidationError({"value": message}) from None


def rating_for(item, *, rating=None, value=None):
    """The rating of an answer: for a measured item, the value decides (outside the rule is
    要改善 by itself; 該当なし stays possible when the thing is not there)."""
    if item.is_measure and rating != Rating.NA:
        if value is None:
            raise ValidationError({"value": "計測値を入力してください。"})
        return Rating.OK if item.meets_rule(value) else Rating.NEEDS
    if rating not in Rating.values:
        raise ValidationError({"rating": "適合・要改善・該当なしのどれかを選んでください。"})
    return rating


ITEM_FIELDS = (
    "code",
    "barrier",
    "place_type",
    "order",
    "text",
    "guidance",
    "answer_kind",
    "unit",
    "rule",
    "low",
    "high",
    "is_ratio",
    "photo_expected",
)


TEMPLATE_REFUSAL = "チェックリストを変更できるのは推進部会の委員です。"


def _copy_items(source, target):
    """Copies of `source`'s items in the version `target` (with their first history row)."""
    bulk_create_with_history(
        [
            ChecklistItem(version=target, **{f: getattr(item, f) for f in ITEM_FIELDS})
            for item in source.items.all()
        ],
        ChecklistItem,
        default_user=target.created_by,
        default_change_reason=f"第{target.number}版を作成",
    )


def _copy_version(version, *, by, note):
    """The template's next version with copies of `version`'s items."""
    new = ChecklistVersion.objects.create(
        template=version.template,
        number=version.template.versions.order_by("-number").first().number + 1,
        note=note,
        created_by=by,
    )
    _copy_items(version, new)
    return new


def _template_change(template, *, by, expected_version, note):
    """Check the permission and the editor's version of the template, and return the version
    a change goes to: the current one while no inspection uses it, otherwise a new version
    copied from it (the inspections keep the items they were planned with). Call inside a
    transaction."""
    _require(by, "inspections.change_template", template, TEMPLATE_REFUSAL)
    save_versioned(template, by=by, expected_version=expected_version, reason=note)
    current = template.current_version
    if current is None:
        return ChecklistVersion.objects.create(
            template=template, number=1, note=note, created_by=by
        )
    if current.is_in_use():
        return _copy_version(current, by=by, note=note)
    if not current.note:
        current.note = note[:200]
        current.save(update_fields=["note"])
    return current


def _save_item(item, *, by, reason):
    item._history_user = by
    item._change_reason = reason
    item.full_clean(exclude=["version"])
    item.save()
    return item


def _current_item(item):
    """`item` as it is in its template's current version (it may have been copied there)."""
    current = item.version.template.current_version
    if item.version_id == current.pk:
        return item
    return current.items.get(code=item.code)


def item_revise(*, item, by, expected_version, note="", **changes):
    """Change a checklist item. When an inspection already uses its version, the change goes
    to a new version of the template (copied from the current one) and the inspection keeps
    the items it was planned with; otherwise the version is edited in place. The template's
    version number guards against two editors at once. Returns the changed item."""
    template = item.version.template
    _require(by, "inspections.change_template", template, TEMPLATE_REFUSAL)
    if item.version_id != template.current_version.pk:
        raise ValidationError("この版は最新ではありません。最新の版の項目を変更してください。")
    note = note or f"項目 {item.code} を変更"
    with transaction.atomic():
        _template_change(template, by=by, expected_version=expected_version, note=note)
        item = _current_item(item)
        for name, value in changes.items():
            setattr(item, name, value)
        _save_item(item, by=by, reason=note)
    return item


def item_add(*, template, by, expected_version, note="", code, **fields):
    """Add an item at the end of its barrier's items (in a new version when an inspection
    uses the current one). The item's number is unique within the version."""
    _require(by, "inspections.change_template", template, TEMPLATE_REFUSAL)
    code = code.strip()
    note = note or f"項目 {code} を追加"
    with transaction.atomic():
        version = _template_change(template, by=by, expected_version=expected_version, note=note)
        if version.items.filter(code=code).exists():
            raise ValidationError({"code": f"番号「{code}」の項目はすでにあります。"})
        last = version.items.order_by("-order").values_list("order", flat=True).first()
        item = ChecklistItem(version=version, code=code, order=(last or 0) + 10, **fields)
        _save_item(item, by=by, reason=note)
    return item


def item_remove(*, item, by, expected_version, note=""):
    """Remove an item from the checklist (from a new version when an inspection uses the
    current one: that inspection keeps it). Returns the version without the item."""
    template = item.version.template
    _require(by, "inspections.change_template", template, TEMPLATE_REFUSAL)
    if item.version_id != template.current_version.pk:
        raise ValidationError("この版は最新ではありません。最新の版の項目を削除してください。")
    note = note or f"項目 {item.code} を削除"
    with transaction.atomic():
        version = _template_change(template, by=by, expected_version=expected_version, note=note)
        item = _current_item(item)
        if version.items.count() == 1:
            raise ValidationError("最後の一項目は削除できません。")
        item._history_user = by
        item._change_reason = note
        item.delete()
    return version


def item_move(*, item, by, expected_version, up):
    """Move an item one place up or down among the items of its barrier (the order the
    checklist page and the walk show). In a new version when an inspection uses the current
    one. Returns the moved item."""
    template = item.version.template
    _require(by, "inspections.change_template", template, TEMPLATE_REFUSAL)
    if item.version_id != template.current_version.pk:
        raise ValidationError("この版は最新ではありません。最新の版の項目を並べ替えてください。")
    note = f"項目 {item.code} を{'上' if up else '下'}へ移動"
    with transaction.atomic():
        version = _template_change(template, by=by, expected_version=expected_version, note=note)
        item = _current_item(item)
        items = list(version.items.order_by("order", "id"))
        same = [i for i in items if i.barrier == item.barrier]
        at = next(n for n, i in enumerate(same) if i.pk == item.pk)
        other = at - 1 if up else at + 1
        if not 0 <= other < len(same):
            raise ValidationError(
                "これ以上上へは移動できません。" if up else "これ以上下へは移動できません。"
            )
        a, b = items.index(same[at]), items.index(same[other])
        items[a], items[b] = items[b], items[a]
        for position, row in enumerate(items, start=1):
            if row.order != position * 10:
                row.order = position * 10
                row._history_user = by
                row._change_reason = note
                row.save(update_fields=["order"])
    return next(i for i in items if i.pk == item.pk)


def template_create(*, by, name, description="", copy_from=None):
    """A new checklist: empty, or a copy of the items of another checklist's current version
    (its version 1 says where it came from). Items are added on its page."""
    _require(by, "inspections.change_template", None, TEMPLATE_REFUSAL)
    name = name.strip()
    if ChecklistTemplate.objects.filter(name=name).exists():
        raise ValidationError({"name": "同じ名前のチェックリストがすでにあります。"})
    source = copy_from.current_version if copy_from is not None else None
    note = f"「{copy_from.name}」第{source.number}版から複製" if source else "新規作成"
    with transaction.atomic():
        template = ChecklistTemplate(name=name, description=description)
        save_versioned(template, by=by, reason=note)
        version = ChecklistVersion.objects.create(
            template=template, number=1, note=note, created_by=by
        )
        if source is not None:
            _copy_items(source, version)
    return template


def template_update(*, template, by, expected_version, name, description):
    """Rename a checklist or change its description (the items are not touched)."""
    _require(by, "inspections.change_template", template, TEMPLATE_REFUSAL)
    name = name.strip()
    if ChecklistTemplate.objects.filter(name=name).exclude(pk=template.pk).exists():
        raise ValidationError({"name": "同じ名前のチェックリストがすでにあります。"})
    template.name = name
    template.description = description
    return save_versioned(
        template, by=by, expected_version=expected_version, reason="名前・説明を変更"
    )


# ---------------------------------------------------------------------------------------------
# Inspections


def inspection_create(*, office, by, title, inspected_on, template, places, section=None, notes=""):
    """Plan an inspection with the template's current version: that version is the one the
    inspection keeps, whatever changes the template later."""
    _require(
        by, "inspections.add_inspection", message="点検を計画できるのは推進部会の委員と課長です。"
    )
    # A section manager runs inspections of their own section's places only.
    if not is_subcommittee(by) and section is not None and section.pk != by.section_id:
        raise ValidationError({"section": "課長が計画できるのは自分の課の点検です。"})
    if section is None and not is_subcommittee(by):
        raise ValidationError(
            {"section": "課長の点検では、実施する課（自分の課）を選んでください。"}
        )
    if not places:
        raise ValidationError({"places": "点検する場所を一つ以上選んでください。"})
    version = template.current_version
    if version is None or not version.items.exists():
        raise ValidationError({"template": "このチェックリストには項目がありません。"})
    with transaction.atomic():
        inspection = Inspection(
            office=office,
            title=title,
            inspected_on=inspected_on,
            template_version=version,
            section=section,
            notes=notes,
            created_by=by,
        )
        save_versioned(inspection, by=by, reason="点検を計画")
        inspection.places.set(places)
    return inspection


def inspection_update(*, inspection, by, expected_version, title, inspected_on, places, notes):
    _require(
        by,
        "inspections.change_inspection",
        inspection,
        "点検を変更できるのは実施する推進部会の委員・課長です。",
    )
    if not places:
        raise ValidationError({"places": "点検する場所を一つ以上選んでください。"})
    with transaction.atomic():
        inspection.title = title
        inspection.inspected_on = inspected_on
        inspection.notes = notes
        save_versioned(inspection, by=by, expected_version=expected_version)
        inspection.places.set(places)
    return inspection


def inspection_finish(*, inspection, by, expected_version):
    _require(
        by,
        "inspections.change_inspection",
        inspection,
        "点検を完了にできるのは実施する推進部会の委員・課長です。",
    )
    inspection.state = Inspection.State.DONE
    return save_versioned(inspection, by=by, expected_version=expected_version, reason="点検を完了")


def team_member_add(
    *, inspection, by, kind, user=None, resident_role="", resident_name="", consent_on=None
):
    """Add a member to the team. A resident of the panel is recorded by role; their name only
    with the date they agreed to it."""
    _require(
        by,
        "inspections.change_inspection",
        inspection,
        "点検チームを変更できるのは実施する推進部会の委員・課長です。",
    )
    if kind == TeamMember.Kind.RESIDENT:
        if user is not None:
            raise ValidationError({"user": "区民モニターには職員を選びません。"})
        if not resident_role and not resident_name:
            raise ValidationError({"resident_role": "区民モニターの立場を入力してください。"})
        if resident_name and consent_on is None:
            raise ValidationError(
                {"consent_on": "氏名を記録するには、本人が同意した日を入力してください。"}
            )
    else:
        if user is None:
            raise ValidationError({"user": "職員を選んでください。"})
        resident_role = resident_name = ""
        consent_on = None
        if inspection.team.filter(user=user).exists():
            raise ValidationError({"user": "この職員はすでにチームにいます。"})
    member = TeamMember(
        inspection=inspection,
        kind=kind,
        user=user,
        resident_role=resident_role,
        resident_name=resident_name,
        consent_on=consent_on,
    )
    member._history_user = by
    member.save()
    return member


def photo_add(*, by, uploaded, stage, answer=None, finding=None, caption=""):
    """Store a photo re-encoded without metadata (core.uploads.validate_photo)."""
    data, width, height = validate_photo(uploaded)
    photo = Photo(
        answer=answer,
        finding=finding,
        stage=stage,
        width=width,
        height=height,
        caption=caption[:200],
        uploaded_by=by,
    )
    photo.image.save("photo.jpg", ContentFile(data), save=False)
    photo.save()
    return photo


def _confirm_earlier_findings(answer, *, by):
    """A later inspection that finds the same item at the same place 適合 confirms the fix of
    every earlier finding there that is not closed yet."""
    earlier = (
        Finding.objects.for_office(answer.inspection.office_id)
        .filter(place=answer.place, item__code=answer.item.code)
        .exclude(inspection=answer.inspection)
        .filter(inspection__inspected_on__lt=answer.inspection.inspected_on)
        .unclosed()
    )
    for finding in earlier:
        _record_recheck(
            finding,
            by=by,
            confirmed=True,
            checked_on=answer.inspection.inspected_on,
            note=f"「{answer.inspection.title}」で適合を確認",
            inspection=answer.inspection,
        )


def answer_record(
    *, inspection, place, item, by, rating=None, value=None, note="", severity=None, photo=None
):
    """Save one item's answer at one place as soon as it is given (the walk saves item by
    item, so a lost connection loses at most the item on screen). A 要改善 answer is a finding
    (created once, kept up to date); an answer changed back from 要改善 removes a finding that
    nobody has worked on yet."""
    _require(
        by,
        "inspections.record_answer",
        inspection,
        "回答を記録できるのは点検チームの職員です（完了した点検は変更できません）。",
    )
    if item.version_id != inspection.template_version_id or not item.applies_to(place):
        raise ValidationError("この項目はこの点検・場所のものではありません。")
    if not inspection.places.filter(pk=place.pk).exists():
        raise ValidationError("この場所はこの点検の対象ではありません。")
    if rating == Rating.NA:
        value = None
    rating = rating_for(item, rating=rating, value=value)
    with transaction.atomic():
        answer = inspection.answers.filter(place=place, item=item).first()
        if answer is None:
            answer = Answer(inspection=inspection, place=place, item=item)
        answer.rating = rating
        answer.value = value if item.is_measure else None
        answer.note = note
        answer.answered_by = by
        answer._history_user = by
        answer.save()
        if photo is not None:
            photo_add(by=by, uploaded=photo, stage=Photo.Stage.BEFORE, answer=answer)
        if inspection.state == Inspection.State.PLANNED:
            inspection.state = Inspection.State.IN_PROGRESS
            save_versioned(inspection, by=by, reason="点検を開始")
        finding = Finding._base_manager.filter(answer=answer).first()
        if rating == Rating.NEEDS:
            severity = severity or (finding.severity if finding else Finding.Severity.MEDIUM)
            description = note or (
                f"{item.text}：{item.format_value(value)}（基準 {item.rule_text}）"
                if item.is_measure
                else item.text
            )
            if finding is None:
                finding = Finding(
                    answer=answer,
                    inspection=inspection,
                    place=place,
                    item=item,
                    barrier=item.barrier,
                    section=place.section,
                    severity=severity,
                    due_on=inspection.inspected_on + timedelta(days=DUE_DAYS[severity]),
                    description=description,
                )
                save_versioned(finding, by=by, reason="点検で要改善")
            elif finding.state == Finding.State.OPEN:
                finding.severity = severity
                finding.description = description
                save_versioned(finding, by=by, reason="点検の回答を修正")
        elif finding is not None:
            if finding.state != Finding.State.OPEN or finding.proposal_id:
                raise ValidationError(
                    "この項目の指摘事項はすでに是正・提案が進んでいるため、回答を変更できません。"
                )
            finding.voices.clear()
            finding.delete()
        if rating == Rating.OK:
            _confirm_earlier_findings(answer, by=by)
    return answer


# ---------------------------------------------------------------------------------------------
# Findings


def finding_update(*, finding, by, expected_version, severity, section, due_on, description):
    _require(
        by,
        "inspections.change_finding",
        finding,
        "指摘事項を変更できるのは担当課の課長と推進部会の委員です。",
    )
    finding.severity = severity
    finding.section = section
    finding.due_on = due_on
    finding.description = description
    return save_versioned(finding, by=by, expected_version=expected_version)


def finding_correct(*, finding, by, expected_version, correction, corrected_on, photo=None):
    """The section fixed it directly: what was done, when, and a photo after. The finding now
    waits for a re-check; it is not closed by the section's own word."""
    _require(
        by,
        "inspections.correct_finding",
        finding,
        "是正を記録できるのは担当課の職員と推進部会の委員です（未対応の指摘事項のみ）。",
    )
    if corrected_on > today():
        raise ValidationError({"corrected_on": "是正日に未来の日付は入力できません。"})
    with transaction.atomic():
        finding.correction = correction
        finding.corrected_on = corrected_on
        finding.corrected_by = by
        finding.state = Finding.State.CORRECTED
        save_versioned(finding, by=by, expected_version=expected_version, reason="是正を記録")
        if photo is not None:
            photo_add(by=by, uploaded=photo, stage=Photo.Stage.AFTER, finding=finding)
    return finding


def plan_for_proposal(office):
    """The plan a finding's proposal goes to: this fiscal year's plan of the office, else the
    newest plan that still takes proposals."""
    plans = AnnualPlan.objects.for_office(office).exclude(stage=Stage.CLOSED)
    return (
        plans.filter(fiscal_year=FiscalYear.current().year).first()
        or plans.order_by("-fiscal_year").first()
    )


def finding_propose(*, finding, by, expected_version):
    """Turn a finding into a project proposal (事業企画案) of the plan, in one step, through the
    plans app's own service (the subcommittee is told as for any proposal). The finding keeps
    the proposal and shows its outcome; the proposal page links back to the finding."""
    _require(
        by,
        "inspections.propose_finding",
        finding,
        "事業企画案にできるのは担当課の課長と推進部会の委員です（未対応の指摘事項のみ）。",
    )
    from takatsu_portal.core.models import InitiativeArea, Policy

    plan = plan_for_proposal(finding.inspection.office)
    if plan is None:
        raise ValidationError(
            "提案を受け付けている年度計画がありません。推進部会に確認してください。"
        )
    place = finding.place
    with transaction.atomic():
        proposal = Proposal(
            plan=plan,
            title=f"【バリアフリー点検】{place.name}：{finding.item.text}"[:200],
            description=(
                f"{finding.inspection.title}（{finding.inspection.inspected_on:%Y年%m月%d日}）の"
                f"指摘事項です。\n場所：{place.full_name}\n"
                f"項目：{finding.item.code} {finding.item.text}\n"
                f"重要度：{finding.get_severity_display()}\n内容：{finding.description}\n"
                f"指摘事項のページ：{finding.get_absolute_url()}"
            ),
            initiative_area=InitiativeArea.objects.for_office(plan.office).get(
                code=INITIATIVE_BY_BARRIER[finding.barrier]
            ),
            section=finding.section,
            budget_estimate=0,
        )
        proposal_submit(
            proposal=proposal,
            by=by,
            policies=list(
                Policy.objects.for_office(plan.office).filter(number=BARRIER_FREE_POLICY)
            ),
        )
        finding.proposal = proposal
        finding.state = Finding.State.PROPOSED
        save_versioned(finding, by=by, expected_version=expected_version, reason="事業企画案を作成")
    return proposal


def _record_recheck(finding, *, by, confirmed, checked_on, note="", inspection=None):
    recheck = Recheck(
        finding=finding,
        checked_on=checked_on,
        confirmed=confirmed,
        note=note,
        inspection=inspection,
        checked_by=by,
    )
    recheck._history_user = by
    recheck.save()
    if confirmed:
        finding.state = Finding.State.CLOSED
        finding.closed_on = checked_on
        reason = "再確認で是正を確認し完了"
    else:
        # Not fixed: a direct correction goes back to open; a proposal stays with the plan.
        if finding.state == Finding.State.CORRECTED:
            finding.state = Finding.State.OPEN
        reason = "再確認で是正を確認できず"
    save_versioned(finding, by=by, reason=reason)
    return recheck


def finding_recheck(*, finding, by, expected_version, confirmed, checked_on, note="", photo=None):
    """Look at the place again. Only a confirming re-check closes a finding (nothing else in
    the portal closes one); an unconfirmed one sends a direct correction back to open."""
    _require(
        by,
        "inspections.recheck_finding",
        finding,
        "再確認できるのは担当課の課長と推進部会の委員です（是正済み・提案済みの指摘事項のみ）。",
    )
    if checked_on > today():
        raise ValidationError({"checked_on": "確認日に未来の日付は入力できません。"})
    with transaction.atomic():
        # Compared on the locked row, then saved from it: a change saved meanwhile is a
        # conflict, never overwritten by the state this request started from.
        current = Finding._base_manager.select_for_update().get(pk=finding.pk)
        if current.version != int(expected_version):
            raise ConflictError(current, expected_version)
        finding.refresh_from_db()
        recheck = _record_recheck(
            finding, by=by, confirmed=confirmed, checked_on=checked_on, note=note
        )
        if photo is not None:
            photo_add(by=by, uploaded=photo, stage=Photo.Stage.RECHECK, finding=finding)
    return recheck


def finding_link_voices(*, finding, by, voices):
    """Link resident voices of category バリアフリー to the finding (the voices come from
    feedback's access helper, scoped to the user's office)."""
    _require(
        by,
        "inspections.link_voices",
        finding,
        "区民の声を関連付けられるのは担当課の職員と推進部会の委員です。",
    )
    from feedback.models import ResidentVoice

    wrong = [v for v in voices if v.category != ResidentVoice.Category.ACCESSIBILITY]
    if wrong:
        raise ValidationError({"voices": "関連付けられるのは分類「バリアフリー」の区民の声です。"})
    with transaction.atomic():
        finding.voices.set(voices)
        finding._history_user = by
        save_versioned(finding, by=by, reason="区民の声を関連付け")
    return finding
