"""Personal data of resident voices (name, contact): shown only to the voice's section and the
subcommittee; never in the list, the exports, the history or a notification."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from feedback.models import ResidentVoice
from feedback.voices.services import voice_assign, voice_remove_personal_data
from takatsu_portal.core.models import AuditEvent, Notification
from tests.feedback.factories import VoiceFactory

NAME = "川崎 花子"
CONTACT = "044-000-1234"
MASK_DETAIL = "（個人情報あり：担当課と推進部会のみ閲覧できます）"
MASK_EXPORT = "（個人情報あり・非表示）"
LIST = reverse("feedback:voice_list")
CSV = reverse("feedback:voice_export_csv")
XLSX = reverse("feedback:voice_export_xlsx")

# The voice belongs to 保険年金課: its members and the subcommittee may see the personal data.
SEE = ["other_lead", "other_manager", "subcommittee"]
NOT_SEE = ["staff", "lead", "manager", "council"]


@pytest.fixture
def voice(office, sections, people):
    return VoiceFactory(
        office=office,
        section=sections.hoken,
        summary="保険証の切替えの説明が分かりにくい",
        contact_name=NAME,
        contact_info=CONTACT,
        recorded_by=people.staff,
    )


def detail(voice):
    return reverse("feedback:voice_detail", args=[voice.pk])


def edit(voice):
    return reverse("feedback:voice_edit", args=[voice.pk])


@pytest.mark.parametrize("who", SEE)
def test_the_section_and_the_subcommittee_see_the_personal_data(client, people, voice, who):
    client.force_login(getattr(people, who))
    body = client.get(detail(voice)).content.decode()
    assert NAME in body
    assert CONTACT in body
    assert MASK_DETAIL not in body


@pytest.mark.parametrize("who", NOT_SEE)
def test_others_see_only_that_there_is_personal_data(client, people, voice, who):
    client.force_login(getattr(people, who))
    response = client.get(detail(voice))
    body = response.content.decode()
    assert response.status_code == 200
    assert NAME not in body
    assert CONTACT not in body
    assert MASK_DETAIL in body
    assert response.context["personal"] is None


def test_without_personal_data_there_is_nothing_to_mask(client, people, office, sections):
    voice = VoiceFactory(office=office, section=sections.hoken)
    client.force_login(people.staff)
    body = client.get(detail(voice)).content.decode()
    assert MASK_DETAIL not in body
    assert "個人情報は記録されていません" in body


@pytest.mark.parametrize("who", SEE + NOT_SEE)
def test_the_list_shows_only_that_there_is_personal_data(client, people, voice, who):
    client.force_login(getattr(people, who))
    response = client.get(LIST)
    body = response.content.decode()
    assert NAME not in body
    assert CONTACT not in body
    row = response.context["page_obj"].object_list[0]
    assert row.has_contact is True
    # The list does not even load the personal data from the database.
    assert {"contact_name", "contact_info"} <= row.get_deferred_fields()


@pytest.mark.parametrize("who", ["other_lead", "subcommittee"])
def test_the_edit_form_holds_the_personal_data_for_those_who_may_see_it(client, people, voice, who):
    client.force_login(getattr(people, who))
    form = client.get(edit(voice)).context["form"]
    assert form["contact_name"].value() == NAME
    assert form["contact_info"].value() == CONTACT


@pytest.mark.parametrize("who", ["staff", "manager", "council"])
def test_others_may_not_open_the_edit_form(client, people, voice, who):
    client.force_login(getattr(people, who))
    assert client.get(edit(voice)).status_code == 403


def _edit_data(voice, **overrides):
    data = {
        "channel": voice.channel,
        "category": voice.category,
        "section": voice.section_id,
        "window": "",
        "received_on": voice.received_on.isoformat(),
        "due_on": voice.due_on.isoformat(),
        "summary": voice.summary,
        "body": voice.body,
        "version": voice.version,
    }
    data.update(overrides)
    return data


def test_under_the_real_rules_everyone_who_may_edit_a_voice_may_see_its_personal_data(
    people, stranger, voice
):
    """The edit form shows the personal data fields only to those who may see them; the real
    rules make that everyone who may edit, open or closed, and no one else."""
    from takatsu_portal.accounts.permissions import user_may

    everyone = [*vars(people).values(), stranger]
    seers = {u for u in everyone if user_may(u, "feedback.view_personal_data", voice)}
    # The voice's section and the subcommittee see it; others of the office do not. (Another
    # office's subcommittee holds the rule too: the office scope of the loaders keeps it out,
    # tested with the stranger below.)
    assert {people.other_lead, people.other_manager, people.subcommittee} <= seers
    assert not {people.staff, people.council} & seers
    for state in ("received", "assigned", "closed"):
        voice.state = state
        editors = {u for u in everyone if user_may(u, "feedback.handle_voice", voice)}
        assert editors <= seers
        if state != "closed":
            assert people.other_lead in editors


@pytest.mark.parametrize("who", ["staff", "council", "manager"])
def test_someone_who_may_not_see_personal_data_can_neither_open_the_edit_form_nor_change_it(
    client, people, voice, who
):
    client.force_login(getattr(people, who))
    response = client.get(edit(voice))
    assert response.status_code == 403
    body = response.content.decode()
    assert NAME not in body and CONTACT not in body
    response = client.post(
        edit(voice), _edit_data(voice, summary="件名を直した", contact_name="別人", contact_info="")
    )
    assert response.status_code == 403
    voice.refresh_from_db()
    assert voice.summary == "保険証の切替えの説明が分かりにくい"
    assert (voice.contact_name, voice.contact_info) == (NAME, CONTACT)


def test_another_offices_subcommittee_finds_neither_the_voice_nor_its_personal_data(
    client, stranger, voice
):
    client.force_login(stranger)
    for url in (detail(voice), edit(voice)):
        response = client.get(url)
        assert response.status_code == 404
        assert NAME not in response.content.decode()
    response = client.post(edit(voice), _edit_data(voice, contact_name="別人", contact_info=""))
    assert response.status_code == 404
    voice.refresh_from_db()
    assert (voice.contact_name, voice.contact_info) == (NAME, CONTACT)


def test_a_section_member_corrects_the_personal_data(client, people, voice):
    client.force_login(people.other_lead)
    client.post(edit(voice), _edit_data(voice, contact_name="川崎 花", contact_info=CONTACT))
    voice.refresh_from_db()
    assert voice.contact_name == "川崎 花"


def _csv_rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("who", ["subcommittee", "manager", "other_manager"])
def test_the_csv_export_masks_personal_data_always_and_is_audited(client, people, voice, who):
    client.force_login(getattr(people, who))
    response = client.get(CSV)
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(response)
    assert rows[0][-2] == "個人情報"
    assert rows[1][-2] == MASK_EXPORT
    text = response.content.decode("utf-8-sig")
    assert NAME not in text and CONTACT not in text
    event = AuditEvent.objects.get(action="export")
    assert event.detail["what"] == "resident_voices"
    assert event.detail["rows"] == 1
    assert event.user == getattr(people, who)


@pytest.mark.parametrize("who", ["subcommittee", "other_manager"])
def test_the_excel_export_masks_personal_data_always_and_is_audited(client, people, voice, who):
    client.force_login(getattr(people, who))
    response = client.get(XLSX)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert MASK_EXPORT in values
    assert NAME not in values and CONTACT not in values
    assert AuditEvent.objects.filter(action="export", detail__format="xlsx").count() == 1


@pytest.mark.parametrize("who", ["staff", "lead", "council", "other_lead"])
def test_staff_and_the_council_may_not_export_voices(client, people, voice, who):
    client.force_login(getattr(people, who))
    for url in (CSV, XLSX):
        response = client.get(url)
        assert response.status_code == 403
        assert "区民の声を出力できるのは推進部会の委員と課長です。" in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_export_follows_the_lists_filters_and_keeps_voices_without_personal_data_blank(
    client, people, voice, office, sections
):
    VoiceFactory(office=office, section=sections.kumin, summary="区民課の声")
    client.force_login(people.subcommittee)
    rows = _csv_rows(client.get(CSV, {"section": sections.kumin.pk}))
    assert len(rows) == 2
    assert rows[1][6] == "区民課の声"
    assert rows[1][-2] == ""


def test_cells_that_excel_would_read_as_a_formula_are_quoted(client, people, office, sections):
    VoiceFactory(office=office, section=sections.kumin, summary='=HYPERLINK("x")')
    client.force_login(people.subcommittee)
    rows = _csv_rows(client.get(CSV))
    assert rows[1][6] == '\'=HYPERLINK("x")'


def test_the_shift_jis_export_refuses_characters_it_cannot_hold(client, people, office, sections):
    voice = VoiceFactory(office=office, section=sections.kumin, summary="𠮷野家の前の歩道")
    client.force_login(people.subcommittee)
    response = client.get(CSV, {"encoding": "cp932"})
    assert response.status_code == 400
    assert f"No.{voice.pk}" in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()
    voice.summary = "高津の歩道"
    voice.save()
    response = client.get(CSV, {"encoding": "cp932"})
    assert response.status_code == 200
    assert "高津の歩道" in response.content.decode("cp932")


def test_the_history_never_holds_personal_data(client, people, voice, sections):
    history_model = ResidentVoice.history.model
    field_names = {field.name for field in history_model._meta.get_fields()}
    assert "contact_name" not in field_names
    assert "contact_info" not in field_names
    voice_assign(voice=voice, by=people.other_manager, assignee=people.other_lead)
    client.force_login(people.other_lead)
    client.post(edit(voice), _edit_data(voice, contact_name="川崎 華子", contact_info="090"))
    assert ResidentVoice.history.filter(id=voice.pk).count() >= 3
    for row in history_model.objects.filter(id=voice.pk).values():
        assert not any(
            isinstance(value, str) and ("川崎" in value or "090" in value or CONTACT in value)
            for value in row.values()
        )
    page = client.get(reverse("feedback:voice_history", args=[voice.pk])).content.decode()
    assert "川崎" not in page


def test_notifications_never_carry_personal_data(people, voice):
    voice_assign(voice=voice, by=people.other_manager, assignee=people.other_lead)
    message = Notification.objects.get(recipient=people.other_lead).message
    assert voice.summary in message
    assert NAME not in message and CONTACT not in message


def test_the_section_removes_personal_data_on_request(client, people, voice):
    client.force_login(people.other_manager)
    url = reverse("feedback:voice_remove_personal_data", args=[voice.pk])
    response = client.post(url, {"version": voice.version})
    assert response["Location"] == detail(voice)
    voice.refresh_from_db()
    assert (voice.contact_name, voice.contact_info) == ("", "")
    assert voice.personal_data_removed_at is not None
    assert voice.summary  # the voice itself stays
    assert voice.history.latest().history_change_reason == "個人情報を削除"


def test_removing_personal_data_from_an_older_version_is_a_conflict(client, people, voice):
    # The subcommittee opened the voice at version 1; meanwhile the section assigned it.
    opened = voice.version
    voice_assign(voice=voice, by=people.other_manager, assignee=people.other_lead)
    client.force_login(people.subcommittee)
    url = reverse("feedback:voice_remove_personal_data", args=[voice.pk])
    response = client.post(url, {"version": opened}, follow=True)
    page = response.content.decode()
    assert "あなたが開いた後に他の人が更新しました" in page
    voice.refresh_from_db()
    assert (voice.contact_name, voice.contact_info) == (NAME, CONTACT)
    assert voice.personal_data_removed_at is None
    # From the version now shown, the removal is done.
    client.post(url, {"version": voice.version})
    voice.refresh_from_db()
    assert (voice.contact_name, voice.contact_info) == ("", "")


@pytest.mark.parametrize("who", ["staff", "manager", "council"])
def test_others_may_not_remove_personal_data(client, people, voice, who):
    client.force_login(getattr(people, who))
    url = reverse("feedback:voice_remove_personal_data", args=[voice.pk])
    response = client.post(url, {"version": voice.version})
    assert response.status_code == 403
    assert "個人情報を扱えるのは" in response.content.decode()
    voice.refresh_from_db()
    assert voice.contact_name == NAME


def test_removing_personal_data_twice_is_refused(people, voice):
    from django.core.exceptions import ValidationError

    voice_remove_personal_data(voice=voice, by=people.subcommittee)
    with pytest.raises(ValidationError):
        voice_remove_personal_data(voice=voice, by=people.subcommittee)


def test_the_update_service_refuses_personal_data_from_someone_who_may_not_see_it(people, voice):
    from django.core.exceptions import PermissionDenied

    from feedback.voices import services as voice_services
    from takatsu_portal.accounts.permissions import user_may

    # people.staff works in another section than the voice's: the real rules refuse them both
    # the voice and its personal data.
    assert not user_may(people.staff, "feedback.view_personal_data", voice)
    with pytest.raises(PermissionDenied):
        voice_services.voice_update(
            voice=voice,
            by=people.staff,
            expected_version=voice.version,
            channel=voice.channel,
            category=voice.category,
            section=voice.section,
            window=None,
            received_on=voice.received_on,
            due_on=voice.due_on,
            summary=voice.summary,
            body=voice.body,
            projects=[],
            contact_name="別人",
        )
    voice.refresh_from_db()
    assert (voice.contact_name, voice.contact_info) == (NAME, CONTACT)
    voice.refresh_from_db()
    assert voice.contact_name == NAME
