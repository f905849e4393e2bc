"""Checklists, the walk's answers, findings, corrections, proposals and re-checks, through HTTP
where a person would do it, then the database."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inspections import services
from inspections.models import Answer, ChecklistVersion, Finding, Inspection, Rating
from plans.models import Proposal

from .conftest import SHIPPED, item, upload


def walk_url(inspection, place, position=0):
    return f"{reverse('inspections:walk', args=[inspection.pk])}?place={place.pk}&item={position}"


def position_of(inspection, place, code):
    items = [i for i in inspection.template_version.items.all() if i.applies_to(place)]
    return next(n for n, i in enumerate(items) if i.code == code)


# ---------------------------------------------------------------------------------------------
# The shipped checklist


def test_the_shipped_checklist_covers_every_barrier_with_the_national_figures(shipped_template):
    version = shipped_template.current_version
    assert version.number == 1
    items = {i.code: i for i in version.items.all()}
    assert len(items) == len(SHIPPED.ITEMS)
    assert {i.barrier for i in items.values()} == {"heart", "information", "thing"}
    assert items["物-01"].rule_text == "80cm以上"
    assert items["物-05"].rule_text == "120cm以上"
    assert items["物-07"].rule_text == "1/12以下"
    assert items["物-10"].rule_text == "70cm〜75cm"
    assert items["物-20"].rule_text == "350cm以上"


# ---------------------------------------------------------------------------------------------
# Measured values decide the rating


@pytest.mark.parametrize(
    ("code", "typed", "rating"),
    [
        ("物-01", "82", Rating.OK),
        ("物-01", "80", Rating.OK),
        ("物-01", "78.5", Rating.NEEDS),
        ("物-07", "1/15", Rating.OK),
        ("物-07", "1/12", Rating.OK),
        ("物-07", "1/10", Rating.NEEDS),
        ("物-10", "72", Rating.OK),
        ("物-10", "76", Rating.NEEDS),
        ("物-10", "69", Rating.NEEDS),
    ],
)
def test_a_measured_value_decides_the_rating(inspection, places, people, code, typed, rating):
    target = item(inspection, code)
    place = {"entrance": places.entrance, "ramp": places.ramp, "counter": places.counter}[
        {"物-01": "entrance", "物-07": "ramp", "物-10": "counter"}[code]
    ]
    value = services.parse_measure(typed, item=target)
    # The tablet says 適合, but the value decides.
    answer = services.answer_record(
        inspection=inspection,
        place=place,
        item=target,
        by=people.staff,
        rating=Rating.OK,
        value=value,
    )
    assert answer.rating == rating
    assert Finding.objects.filter(answer=answer).exists() == (rating == Rating.NEEDS)


def test_a_measure_typed_in_full_width_digits_is_understood(inspection):
    assert services.parse_measure("８２．５", item=item(inspection, "物-01")) == Decimal("82.5")
    with pytest.raises(ValidationError):
        services.parse_measure("広い", item=item(inspection, "物-01"))


def test_the_walk_saves_a_measured_value_and_moves_to_the_next_item(
    client, inspection, places, people
):
    client.force_login(people.staff)
    position = position_of(inspection, places.entrance, "物-01")
    response = client.post(
        walk_url(inspection, places.entrance, position),
        {"value": "76", "rating": "", "severity": "high", "note": "扉の取っ手が出ている"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "物-01「出入口の有効幅」を保存しました（76cm：要改善）" in body
    answer = Answer.objects.get(inspection=inspection, item__code="物-01")
    assert answer.value == Decimal("76") and answer.rating == Rating.NEEDS
    finding = answer.finding
    assert finding.severity == "high"
    assert finding.section == places.entrance.section
    assert finding.due_on == datetime.date(2026, 10, 31)
    inspection.refresh_from_db()
    assert inspection.state == Inspection.State.IN_PROGRESS


def test_the_walk_without_javascript_redirects_to_the_next_item(client, inspection, places, people):
    client.force_login(people.staff)
    position = position_of(inspection, places.counter, "情-03")
    response = client.post(walk_url(inspection, places.counter, position), {"rating": "ok"})
    assert response.status_code == 302
    assert response.url.endswith(f"item={position + 1}")
    assert Answer.objects.get(item__code="情-03").rating == Rating.OK


def test_a_bad_value_is_refused_and_nothing_is_saved(client, inspection, places, people):
    client.force_login(people.staff)
    position = position_of(inspection, places.entrance, "物-01")
    response = client.post(
        walk_url(inspection, places.entrance, position), {"value": "約80", "rating": ""}
    )
    assert response.status_code == 400
    assert "数値で入力してください" in response.content.decode()
    assert not Answer.objects.exists()


def test_staff_not_on_the_team_cannot_record_answers(client, inspection, places, people):
    client.force_login(people.other_staff)
    response = client.post(walk_url(inspection, places.counter, 0), {"rating": "ok"})
    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_an_answer_changed_back_to_ok_removes_its_untouched_finding(inspection, places, people):
    target = item(inspection, "物-02")
    services.answer_record(
        inspection=inspection,
        place=places.entrance,
        item=target,
        by=people.staff,
        rating=Rating.NEEDS,
    )
    assert Finding.objects.count() == 1
    services.answer_record(
        inspection=inspection,
        place=places.entrance,
        item=target,
        by=people.staff,
        rating=Rating.OK,
    )
    assert Finding.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# Template versions


def test_a_template_change_during_an_inspection_does_not_change_it(
    client, inspection, places, people, shipped_template
):
    services.answer_record(
        inspection=inspection,
        place=places.entrance,
        item=item(inspection, "物-01"),
        by=people.staff,
        value=Decimal("82"),
    )
    old = item(inspection, "物-01")
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("inspections:item_edit", args=[old.pk]),
        {
            "version": shipped_template.version,
            "text": "出入口の有効幅（90cm以上を推奨）",
            "guidance": old.guidance,
            "barrier": "thing",
            "place_type": "entrance",
            "answer_kind": "measure",
            "unit": "cm",
            "rule": "at_least",
            "low": "90",
            "is_ratio": "",
            "photo_expected": "on",
            "note": "推奨値に合わせる",
        },
    )
    assert response.status_code == 302
    assert ChecklistVersion.objects.filter(template=shipped_template).count() == 2
    new = shipped_template.current_version
    assert new.number == 2
    assert new.items.get(code="物-01").low == Decimal("90")
    # The inspection keeps version 1, its item and its answer as they were.
    inspection.refresh_from_db()
    assert inspection.template_version.number == 1
    old.refresh_from_db()
    assert old.low == Decimal("80") and old.text == "出入口の有効幅"
    assert Answer.objects.get(item=old).rating == Rating.OK
    # A new inspection takes version 2.
    later = services.inspection_create(
        office=inspection.office,
        by=people.subcommittee,
        title="次の点検",
        inspected_on=datetime.date(2026, 11, 1),
        template=shipped_template,
        places=[places.entrance],
    )
    assert later.template_version == new


def test_a_version_nobody_uses_is_edited_in_place(people, shipped_template):
    target = shipped_template.current_version.items.get(code="心-01")
    changed = services.item_revise(
        item=target,
        by=people.subcommittee,
        expected_version=shipped_template.version,
        guidance="新しい説明",
    )
    assert changed.pk == target.pk
    assert shipped_template.versions.count() == 1


def test_two_editors_of_a_template_do_not_overwrite_each_other(people, shipped_template):
    from takatsu_portal.core.versioning import ConflictError

    target = shipped_template.current_version.items.get(code="心-01")
    loaded = shipped_template.version
    services.item_revise(
        item=target, by=people.subcommittee, expected_version=loaded, guidance="一人目"
    )
    target.refresh_from_db()
    with pytest.raises(ConflictError):
        services.item_revise(
            item=target, by=people.subcommittee, expected_version=loaded, guidance="二人目"
        )


def test_only_the_subcommittee_changes_checklists(client, people, shipped_template):
    target = shipped_template.current_version.items.first()
    client.force_login(people.manager)
    assert client.get(reverse("inspections:item_edit", args=[target.pk])).status_code == 403


# ---------------------------------------------------------------------------------------------
# Findings: correction, re-check, proposal


@pytest.fixture
def finding(inspection, places, people):
    answer = services.answer_record(
        inspection=inspection,
        place=places.entrance,
        item=item(inspection, "情-01"),
        by=people.staff,
        rating=Rating.NEEDS,
        note="フロア案内が日本語だけ",
    )
    return answer.finding


def test_a_correction_does_not_close_the_finding(client, finding, people, media):
    client.force_login(people.other_staff)  # a member of the responsible section
    response = client.post(
        reverse("inspections:finding_correct", args=[finding.pk]),
        {
            "version": finding.version,
            "correction": "英語・中国語・韓国語の表記を加えた案内板に取り替えた",
            "corrected_on": "2026-10-20",
            "photo": upload(),
        },
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.state == Finding.State.CORRECTED
    assert finding.closed_on is None
    assert finding.photos.get().stage == "after"


def test_a_finding_cannot_be_closed_without_a_confirming_recheck(client, finding, people):
    services.finding_correct(
        finding=finding,
        by=people.other_staff,
        expected_version=finding.version,
        correction="案内板を取り替えた",
        corrected_on=datetime.date(2026, 10, 20),
    )
    client.force_login(people.manager)
    response = client.post(
        reverse("inspections:finding_recheck", args=[finding.pk]),
        {
            "version": finding.version,
            "confirmed": "no",
            "checked_on": "2026-10-25",
            "note": "中国語の表記が抜けている",
        },
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.state == Finding.State.OPEN  # back to the section
    assert finding.closed_on is None
    # An open finding cannot be re-checked at all: it must be corrected first.
    response = client.post(
        reverse("inspections:finding_recheck", args=[finding.pk]),
        {"version": finding.version, "confirmed": "yes", "checked_on": "2026-10-26"},
    )
    assert response.status_code == 403
    finding.refresh_from_db()
    assert finding.state == Finding.State.OPEN
    # Corrected again, then confirmed: closed.
    services.finding_correct(
        finding=finding,
        by=people.other_staff,
        expected_version=finding.version,
        correction="中国語の表記を加えた",
        corrected_on=datetime.date(2026, 10, 27),
    )
    finding.refresh_from_db()
    response = client.post(
        reverse("inspections:finding_recheck", args=[finding.pk]),
        {"version": finding.version, "confirmed": "yes", "checked_on": "2026-10-28"},
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.state == Finding.State.CLOSED
    assert finding.closed_on == datetime.date(2026, 10, 28)
    assert finding.closed_within_due
    assert [r.confirmed for r in finding.rechecks.all()] == [False, True]


def test_staff_cannot_recheck_their_own_correction(client, finding, people):
    services.finding_correct(
        finding=finding,
        by=people.other_staff,
        expected_version=finding.version,
        correction="取り替えた",
        corrected_on=datetime.date(2026, 10, 20),
    )
    client.force_login(people.other_staff)
    response = client.post(
        reverse("inspections:finding_recheck", args=[finding.pk]),
        {"version": finding.version + 1, "confirmed": "yes", "checked_on": "2026-10-21"},
    )
    assert response.status_code == 403
    finding.refresh_from_db()
    assert finding.state == Finding.State.CORRECTED


def test_a_later_inspection_that_finds_the_item_ok_confirms_the_fix(
    finding, people, places, shipped_template
):
    services.finding_correct(
        finding=finding,
        by=people.other_staff,
        expected_version=finding.version,
        correction="取り替えた",
        corrected_on=datetime.date(2026, 10, 20),
    )
    later = services.inspection_create(
        office=finding.inspection.office,
        by=people.subcommittee,
        title="令和9年度の点検",
        inspected_on=datetime.date(2027, 10, 1),
        template=shipped_template,
        places=[places.entrance],
    )
    services.answer_record(
        inspection=later,
        place=places.entrance,
        item=item(later, "情-01"),
        by=people.subcommittee,
        rating=Rating.OK,
    )
    finding.refresh_from_db()
    assert finding.state == Finding.State.CLOSED
    recheck = finding.rechecks.get()
    assert recheck.inspection == later and recheck.confirmed


def test_a_proposal_made_from_a_finding_links_back_and_shows_its_outcome(
    client, finding, people, plan
):
    client.force_login(people.manager)
    response = client.post(
        reverse("inspections:finding_propose", args=[finding.pk]), {"version": finding.version}
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.state == Finding.State.PROPOSED
    proposal = finding.proposal
    assert proposal.plan == plan
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.section == finding.section
    assert list(proposal.policies.values_list("number", flat=True)) == [5]
    assert proposal.initiative_area.code == "information-sharing"
    # The proposal's page links back to the finding.
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert finding.get_absolute_url() in page
    assert "バリアフリー点検の指摘事項" in page
    # The subcommittee adopts it; the finding shows the outcome.
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("plans:proposal_decide", args=[proposal.pk]),
        {
            "action": "reject",
            "reject-version": proposal.version,
            "reject-comment": "来年度の改修に含める",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(finding.get_absolute_url()).content.decode()
    assert "結果：<strong>不採択</strong>" in page
    assert "来年度の改修に含める" in page


def test_staff_cannot_turn_a_finding_into_a_proposal(client, finding, people, plan):
    client.force_login(people.other_staff)
    response = client.post(
        reverse("inspections:finding_propose", args=[finding.pk]), {"version": finding.version}
    )
    assert response.status_code == 403
    assert not Proposal.objects.exists()


def test_a_proposal_without_an_open_plan_is_explained(client, finding, people):
    client.force_login(people.manager)
    response = client.post(
        reverse("inspections:finding_propose", args=[finding.pk]), {"version": finding.version}
    )
    assert response.status_code == 400
    assert "提案を受け付けている年度計画がありません" in response.content.decode()


def test_a_stale_finding_edit_is_refused(client, finding, people):
    loaded = finding.version
    services.finding_update(
        finding=finding,
        by=people.manager,
        expected_version=loaded,
        severity="high",
        section=finding.section,
        due_on=finding.due_on,
        description="先に保存",
    )
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("inspections:finding_edit", args=[finding.pk]),
        {
            "version": loaded,
            "severity": "low",
            "section": finding.section.pk,
            "due_on": "2027-01-31",
            "description": "後から保存",
        },
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.description == "先に保存"


def test_a_section_manager_plans_only_their_own_sections_inspections(
    client, people, places, shipped_template, sections
):
    with pytest.raises(ValidationError):
        services.inspection_create(
            office=sections.somu.office,
            by=people.manager,
            title="点検",
            inspected_on=datetime.date(2026, 10, 1),
            template=shipped_template,
            places=[places.counter],
            section=sections.hoken,
        )
    own = services.inspection_create(
        office=sections.somu.office,
        by=people.manager,
        title="点検",
        inspected_on=datetime.date(2026, 10, 1),
        template=shipped_template,
        places=[places.counter],
        section=sections.somu,
    )
    assert people.manager.has_perm("inspections.change_inspection", own)
    assert not people.hoken_manager.has_perm("inspections.change_inspection", own)
    with pytest.raises(PermissionDenied):
        services.inspection_create(
            office=sections.somu.office,
            by=people.staff,
            title="点検",
            inspected_on=datetime.date(2026, 10, 1),
            template=shipped_template,
            places=[places.counter],
        )


def test_a_resident_is_named_only_with_consent(inspection, people):
    with pytest.raises(ValidationError):
        services.team_member_add(
            inspection=inspection,
            by=people.subcommittee,
            kind="resident",
            resident_role="視覚に障害のある区民",
            resident_name="高津 花子",
        )
    member = services.team_member_add(
        inspection=inspection,
        by=people.subcommittee,
        kind="resident",
        resident_role="視覚に障害のある区民",
    )
    assert member.resident_name == ""


def test_voices_of_category_barrier_free_can_be_linked(client, finding, people, sections):
    from feedback.models import ResidentVoice

    def voice(category, summary):
        return ResidentVoice.objects.create(
            office=sections.somu.office,
            channel="counter",
            category=category,
            section=sections.somu,
            received_on=datetime.date(2026, 9, 1),
            summary=summary,
            body="本文",
            recorded_by=people.staff,
        )

    accessible = voice(ResidentVoice.Category.ACCESSIBILITY, "案内板が読めない")
    other = voice(ResidentVoice.Category.WAITING, "待ち時間が長い")
    client.force_login(people.other_staff)
    response = client.post(
        reverse("inspections:finding_voices", args=[finding.pk]), {"voices": [other.pk]}
    )
    assert response.status_code == 400
    response = client.post(
        reverse("inspections:finding_voices", args=[finding.pk]), {"voices": [accessible.pk]}
    )
    assert response.status_code == 302
    assert list(finding.voices.all()) == [accessible]
    assert "案内板が読めない" in client.get(finding.get_absolute_url()).content.decode()


def test_the_walk_shows_a_refused_value_to_htmx_in_the_panel(client, inspection, places, people):
    client.force_login(people.staff)
    position = position_of(inspection, places.entrance, "物-01")
    response = client.post(
        walk_url(inspection, places.entrance, position),
        {"value": "八十", "rating": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200  # htmx swaps only a 2xx answer
    body = response.content.decode()
    assert 'id="walk-panel"' in body and "<html" not in body
    assert "数値で入力してください" in body
    assert not Answer.objects.exists()


def test_the_subcommittee_plans_an_inspection_through_the_form(
    client, people, places, shipped_template
):
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("inspections:inspection_create"),
        {
            "title": "2階の点検",
            "inspected_on": "2026-11-05",
            "template": shipped_template.pk,
            "section": "",
            "places": [places.counter.pk, places.ramp.pk],
            "notes": "",
        },
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get(title="2階の点検")
    assert inspection.template_version == shipped_template.current_version
    assert set(inspection.places.all()) == {places.counter, places.ramp}
    assert inspection.history.first().history_user == people.subcommittee


def test_a_manager_who_picks_another_section_sees_the_reason_and_keeps_the_input(
    client, people, places, shipped_template, sections
):
    client.force_login(people.manager)
    response = client.post(
        reverse("inspections:inspection_create"),
        {
            "title": "窓口の点検",
            "inspected_on": "2026-11-05",
            "template": shipped_template.pk,
            "section": sections.hoken.pk,
            "places": [places.counter.pk],
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "課長が計画できるのは自分の課の点検です。" in body
    assert 'value="窓口の点検"' in body
    assert not Inspection.objects.filter(title="窓口の点検").exists()


def test_a_resident_named_without_consent_is_refused_on_the_page(client, inspection, people):
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("inspections:team_add", args=[inspection.pk]),
        {"kind": "resident", "resident_role": "外国籍の区民", "resident_name": "山田 花子"},
    )
    assert response.status_code == 400
    assert "本人が同意した日" in response.content.decode()
    assert not inspection.team.filter(kind="resident").exists()


def test_an_older_checklist_version_stays_readable(client, inspection, people, shipped_template):
    first = item(inspection, "物-01")
    services.answer_record(
        inspection=inspection,
        place=inspection.places.first(),
        item=item(inspection, "心-01"),
        by=people.staff,
        rating=Rating.OK,
    )
    services.item_revise(
        item=first,
        by=people.subcommittee,
        expected_version=shipped_template.version,
        text="出入口の有効幅（改訂）",
    )
    client.force_login(people.staff)
    url = shipped_template.get_absolute_url()
    assert "出入口の有効幅（改訂）" in client.get(url).content.decode()
    old = client.get(url + "?version=1").content.decode()
    assert "これは過去の版です" in old and "出入口の有効幅（改訂）" not in old
