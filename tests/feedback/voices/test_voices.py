"""The resident voices register: list, record (also from a survey answer), the state machine
with its permissions, edit with conflicts, project links, statistics, hub and home page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.models import Question, ResidentVoice
from feedback.voices.services import (
    AlreadyPromoted,
    voice_answer,
    voice_assign,
    voice_close,
    voice_promote_from_answer,
    voice_record,
)
from feedback.voices.statistics import voice_statistics_data
from takatsu_portal.core import attention
from takatsu_portal.core.attention import items_for
from takatsu_portal.core.fiscal import FiscalYear, today
from takatsu_portal.core.models import Notification
from tests.factories import UserFactory
from tests.feedback.factories import (
    AnswerFactory,
    QuestionFactory,
    ResponseFactory,
    VoiceFactory,
    WindowFactory,
)
from tests.plans import conftest as plans_fixtures
from tests.plans.factories import ProjectFactory

LIST = reverse("feedback:voice_list")
CREATE = reverse("feedback:voice_create")
STATISTICS = reverse("feedback:voice_statistics")
State = ResidentVoice.State

plan = plans_fixtures.plan


def days(n):
    return today() + datetime.timedelta(days=n)


@pytest.fixture
def voice(office, sections, people):
    """An open voice of 区民課 received five days ago, due in nine days."""
    return VoiceFactory(
        office=office,
        section=sections.kumin,
        recorded_by=people.staff,
        received_on=days(-5),
        due_on=days(9),
        summary="転入手続きの待ち時間が長い",
    )


def detail(voice):
    return reverse("feedback:voice_detail", args=[voice.pk])


def step(name, voice):
    return reverse(f"feedback:voice_{name}", args=[voice.pk])


def refusal(response):
    return response.content.decode()


# ---------------------------------------------------------------------------------------------
# List


def test_staff_sees_the_voices_of_their_office_but_not_of_another(
    client, people, office, sections, voice, stranger
):
    VoiceFactory(
        office=stranger.office, section=stranger.section, summary="宮前区の声", recorded_by=stranger
    )
    client.force_login(people.staff)
    response = client.get(LIST)
    assert response.status_code == 200
    assert "転入手続きの待ち時間が長い" in response.content.decode()
    assert "宮前区の声" not in response.content.decode()


def test_a_user_without_a_role_may_not_see_the_register(client, sections):
    client.force_login(UserFactory(section=sections.kumin))
    response = client.get(LIST)
    assert response.status_code == 403
    assert "区民の声は職員が閲覧できます。" in refusal(response)


def test_anonymous_visitors_are_sent_to_the_login_page(client, voice):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_overdue_voices_come_first_then_by_due_date(client, people, office, sections):
    later = VoiceFactory(
        office=office, section=sections.kumin, received_on=days(-1), due_on=days(20), summary="後"
    )
    sooner = VoiceFactory(
        office=office, section=sections.kumin, received_on=days(-1), due_on=days(3), summary="先"
    )
    overdue = VoiceFactory(
        office=office, section=sections.kumin, received_on=days(-30), due_on=days(-2), summary="超"
    )
    closed = VoiceFactory(
        office=office,
        section=sections.kumin,
        received_on=days(-40),
        due_on=days(-20),
        state=State.CLOSED,
        summary="済",
    )
    client.force_login(people.staff)
    response = client.get(LIST)
    rows = list(response.context["page_obj"].object_list)
    assert rows == [overdue, sooner, later, closed]
    assert rows[0].is_overdue and not rows[3].is_overdue
    assert "期限超過" in response.content.decode()


def test_the_list_can_be_sorted_by_the_day_received(client, people, office, sections):
    old = VoiceFactory(
        office=office, section=sections.kumin, received_on=days(-30), due_on=days(-2)
    )
    new = VoiceFactory(office=office, section=sections.kumin, received_on=days(-1), due_on=days(3))
    client.force_login(people.staff)
    response = client.get(LIST, {"sort": "received"})
    assert list(response.context["page_obj"].object_list) == [new, old]


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"state": "open"}, {"open_kumin", "overdue_hoken"}),
        ({"state": "closed"}, {"closed"}),
        ({"category": "jargon"}, {"overdue_hoken"}),
        ({"channel": "phone"}, {"closed"}),
        ({"overdue": "on"}, {"overdue_hoken"}),
        ({"q": "駐輪場"}, {"closed"}),
        ({"mine": "on"}, {"open_kumin"}),
    ],
)
def test_the_filters_narrow_the_list(client, people, office, sections, windows, query, expected):
    voices = {
        "open_kumin": VoiceFactory(
            office=office,
            section=sections.kumin,
            window=windows.jumin,
            received_on=days(-1),
            due_on=days(10),
            assignee=people.staff,
            state=State.ASSIGNED,
        ),
        "overdue_hoken": VoiceFactory(
            office=office,
            section=sections.hoken,
            category=ResidentVoice.Category.JARGON,
            received_on=days(-20),
            due_on=days(-6),
        ),
        "closed": VoiceFactory(
            office=office,
            section=sections.hoken,
            channel=ResidentVoice.Channel.PHONE,
            body="駐輪場が足りない",
            received_on=days(-50),
            due_on=days(-36),
            state=State.CLOSED,
        ),
    }
    client.force_login(people.staff)
    response = client.get(LIST, query)
    names = {name for name, v in voices.items() if v in response.context["page_obj"].object_list}
    assert names == expected


def test_the_section_window_and_month_filters_narrow_the_list(
    client, people, office, sections, windows
):
    june = VoiceFactory(
        office=office,
        section=sections.kumin,
        window=windows.jumin,
        received_on=datetime.date(2026, 6, 3),
    )
    VoiceFactory(office=office, section=sections.hoken, received_on=datetime.date(2026, 7, 3))
    client.force_login(people.staff)
    for query in (
        {"section": sections.kumin.pk},
        {"window": windows.jumin.pk},
        {"month": "2026-06"},
    ):
        response = client.get(LIST, query)
        assert list(response.context["page_obj"].object_list) == [june], query


def test_the_keyword_never_searches_personal_data(client, people, office, sections):
    VoiceFactory(office=office, section=sections.kumin, contact_name="川崎 花子")
    client.force_login(people.subcommittee)
    response = client.get(LIST, {"q": "花子"})
    assert response.context["page_obj"].paginator.count == 0


def _bulk_voices(office, sections, windows, people, count, start=0):
    ResidentVoice.objects.bulk_create(
        ResidentVoice(
            office=office,
            channel=ResidentVoice.Channel.COUNTER,
            category=ResidentVoice.Category.choices[n % 8][0],
            section=(sections.kumin, sections.hoken)[n % 2],
            window=(windows.jumin, windows.hoken)[n % 2],
            received_on=days(-(n % 300)),
            due_on=days(14 - (n % 300)),
            summary=f"声{n}",
            body="内容",
            assignee=people.staff if n % 3 else None,
            state=State.ASSIGNED if n % 3 else State.RECEIVED,
            contact_name="川崎 花子" if n % 5 == 0 else "",
            recorded_by=people.staff,
        )
        for n in range(start, start + count)
    )


def test_the_list_runs_the_same_number_of_queries_for_10_and_500_voices(
    client, people, office, sections, windows, django_assert_max_num_queries
):
    client.force_login(people.staff)
    _bulk_voices(office, sections, windows, people, 10)
    client.get(LIST)  # warm the session and caches
    # Both requests compute the list (the kept copy would hide its queries); the rows are
    # added behind the services' back, which would announce them.
    attention.changed()
    with CaptureQueriesContext(connection) as at_ten:
        assert client.get(LIST).status_code == 200
    _bulk_voices(office, sections, windows, people, 490, start=10)
    attention.changed()
    with django_assert_max_num_queries(len(at_ten)):
        response = client.get(LIST)
    assert response.context["page_obj"].paginator.count == 500
    assert len(response.context["page_obj"].object_list) == 30


def test_the_list_pages_through_the_voices(client, people, office, sections, windows):
    _bulk_voices(office, sections, windows, people, 35)
    client.force_login(people.staff)
    response = client.get(LIST, {"page": 2})
    assert len(response.context["page_obj"].object_list) == 5


# ---------------------------------------------------------------------------------------------
# Record


def voice_form(**overrides):
    data = {
        "channel": ResidentVoice.Channel.PHONE,
        "category": ResidentVoice.Category.WAYFINDING,
        "received_on": today().isoformat(),
        "due_on": "",
        "summary": "保険年金課の場所が分かりにくい",
        "body": "1階の案内板に保険年金課が載っていない。",
        "contact_name": "",
        "contact_info": "",
    }
    data.update(overrides)
    return data


def test_staff_records_a_voice_for_their_section_due_in_fourteen_days(
    client, people, sections, windows
):
    client.force_login(people.staff)
    form = client.get(CREATE).context["form"]
    assert form["section"].value() == sections.kumin.pk
    assert "14日後" in form.fields["due_on"].help_text
    response = client.post(CREATE, voice_form(section=sections.kumin.pk, window=windows.jumin.pk))
    voice = ResidentVoice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(voice)
    assert voice.state == State.RECEIVED
    assert voice.due_on == today() + datetime.timedelta(days=14)
    assert voice.recorded_by == people.staff
    assert voice.office == sections.kumin.department.office
    assert voice.history.get().history_change_reason == "受付"


def test_the_window_must_belong_to_the_chosen_section(client, people, sections, windows):
    client.force_login(people.staff)
    response = client.post(CREATE, voice_form(section=sections.kumin.pk, window=windows.hoken.pk))
    assert response.status_code == 200
    assert "区民課の窓口ではありません" in response.content.decode()
    assert not ResidentVoice.objects.exists()


def test_a_voice_cannot_be_received_in_the_future_or_due_before_it_is_received(
    client, people, sections
):
    client.force_login(people.staff)
    response = client.post(
        CREATE, voice_form(section=sections.kumin.pk, received_on=days(1).isoformat())
    )
    assert "未来の日付" in response.content.decode()
    response = client.post(
        CREATE, voice_form(section=sections.kumin.pk, due_on=days(-1).isoformat())
    )
    assert "受付日以降" in response.content.decode()
    assert not ResidentVoice.objects.exists()


def test_a_section_of_another_office_cannot_be_chosen(client, people, stranger):
    client.force_login(people.staff)
    response = client.post(CREATE, voice_form(section=stranger.section_id))
    assert response.status_code == 200
    assert response.context["form"].errors["section"]
    assert not ResidentVoice.objects.exists()


def test_the_recorder_links_projects_of_the_plan(client, people, sections, plan):
    project = ProjectFactory(plan=plan, section=sections.kumin)
    client.force_login(people.staff)
    client.post(CREATE, voice_form(section=sections.kumin.pk, projects=[project.pk]))
    assert list(ResidentVoice.objects.get().projects.all()) == [project]


def test_a_user_without_a_role_may_not_record_a_voice(client, sections):
    client.force_login(UserFactory(section=sections.kumin))
    response = client.post(CREATE, voice_form(section=sections.kumin.pk))
    assert response.status_code == 403
    assert "区民の声を記録できるのは職員です。" in refusal(response)


# ---------------------------------------------------------------------------------------------
# Promotion of a survey's free-text answer


@pytest.fixture
def free_text(survey, windows):
    question = QuestionFactory(survey=survey, kind=Question.Kind.TEXT, text="ご意見をどうぞ")
    response = ResponseFactory(
        survey=survey, window=windows.hoken, submitted_on=datetime.date(2026, 10, 2)
    )
    return AnswerFactory(
        response=response, question=question, text="番号札の呼び出しが聞こえにくい。\n改善を。"
    )


def test_a_manager_promotes_a_free_text_answer_prefilled_from_the_response(
    client, people, free_text, windows, sections
):
    client.force_login(people.manager)
    url = f"{CREATE}?answer={free_text.pk}"
    form = client.get(url).context["form"]
    assert form["body"].value() == free_text.text
    assert form["window"].value() == windows.hoken.pk
    assert form["section"].value() == sections.hoken.pk
    assert str(form["received_on"].value()) == "2026-10-02"
    assert "contact_name" not in form.fields  # the answers are anonymous
    data = voice_form(
        section=sections.hoken.pk,
        window=windows.hoken.pk,
        received_on="2026-10-02",
        body=free_text.text,
        channel=ResidentVoice.Channel.PHONE,  # ignored: the channel is fixed
        contact_name="川崎 花子",  # ignored: no such field
    )
    response = client.post(url, data)
    voice = ResidentVoice.objects.get()
    assert response["Location"] == detail(voice)
    assert voice.source_answer == free_text
    assert voice.channel == ResidentVoice.Channel.SURVEY
    assert voice.contact_name == ""


def test_an_answer_becomes_a_voice_only_once(client, people, free_text, sections, windows):
    client.force_login(people.manager)
    url = f"{CREATE}?answer={free_text.pk}"
    client.post(url, voice_form(section=sections.hoken.pk, window=windows.hoken.pk))
    voice = ResidentVoice.objects.get()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == detail(voice)
    response = client.post(url, voice_form(section=sections.hoken.pk), follow=True)
    assert "すでに区民の声" in response.content.decode()
    assert ResidentVoice.objects.count() == 1
    with pytest.raises(AlreadyPromoted) as raised:
        voice_promote_from_answer(
            answer=free_text,
            by=people.subcommittee,
            office=voice.office,
            category="other",
            section=sections.hoken,
            summary="二度目",
        )
    assert raised.value.voice == voice


def test_staff_may_not_promote_a_free_text_answer(client, people, free_text):
    client.force_login(people.staff)
    response = client.get(f"{CREATE}?answer={free_text.pk}")
    assert response.status_code == 403
    assert "自由記述を読めるのは" in refusal(response)


def test_an_answer_without_a_window_keeps_the_users_own_section(client, people, survey, sections):
    question = QuestionFactory(survey=survey, kind=Question.Kind.TEXT)
    answer = AnswerFactory(
        response=ResponseFactory(survey=survey), question=question, text="案内が親切でした。"
    )
    client.force_login(people.manager)
    form = client.get(f"{CREATE}?answer={answer.pk}").context["form"]
    assert form["section"].value() == sections.kumin.pk
    assert form["summary"].value() == "案内が親切でした。"


def test_an_answer_of_another_office_is_not_found(client, stranger, free_text):
    client.force_login(stranger)
    assert client.get(f"{CREATE}?answer={free_text.pk}").status_code == 404


# ---------------------------------------------------------------------------------------------
# Detail


def test_staff_sees_a_voice_and_its_history(client, people, voice):
    client.force_login(people.other_lead)  # another section: may read, not handle
    response = client.get(detail(voice))
    assert response.status_code == 200
    body = response.content.decode()
    assert voice.body in body
    assert "変更履歴" in body
    assert not response.context["may"]["handle"]
    assert reverse("feedback:voice_edit", args=[voice.pk]) not in body
    assert client.get(step("history", voice)).status_code == 200


def test_a_voice_of_another_office_is_not_found(client, stranger, voice):
    client.force_login(stranger)
    for name in ("detail", "edit", "history"):
        assert client.get(step(name, voice)).status_code == 404, name
    for name in ("assign", "answer", "close", "reopen", "projects", "remove_personal_data"):
        assert client.post(step(name, voice), {"version": 1}).status_code == 404, name


# ---------------------------------------------------------------------------------------------
# State machine


def test_the_section_manager_assigns_a_member_who_is_notified(client, people, voice):
    client.force_login(people.manager)
    response = client.post(
        step("assign", voice), {"assignee": people.staff.pk, "version": voice.version}
    )
    assert response["Location"] == detail(voice)
    voice.refresh_from_db()
    assert voice.state == State.ASSIGNED
    assert voice.assignee == people.staff
    note = Notification.objects.get(recipient=people.staff)
    assert voice.summary in note.message
    assert note.url == detail(voice)
    assert voice.history.latest().history_change_reason.startswith("担当者を")


def test_the_subcommittee_assigns_any_sections_voice(client, people, voice):
    client.force_login(people.subcommittee)
    client.post(step("assign", voice), {"assignee": people.lead.pk, "version": voice.version})
    voice.refresh_from_db()
    assert voice.assignee == people.lead


@pytest.mark.parametrize("who", ["staff", "other_manager", "council", "other_lead"])
def test_others_may_not_assign(client, people, voice, who):
    client.force_login(getattr(people, who))
    response = client.post(
        step("assign", voice), {"assignee": people.staff.pk, "version": voice.version}
    )
    assert response.status_code == 403
    assert "担当者を決められるのは、担当課の課長と推進部会の委員です。" in refusal(response)
    voice.refresh_from_db()
    assert voice.state == State.RECEIVED


def test_the_assignee_must_be_a_member_of_the_voices_section(client, people, voice):
    client.force_login(people.subcommittee)
    response = client.post(
        step("assign", voice), {"assignee": people.other_lead.pk, "version": voice.version}
    )
    assert response.status_code == 400
    assert response.context["assign_form"].errors["assignee"]
    voice.refresh_from_db()
    assert voice.assignee is None


def test_a_section_member_answers_and_the_voice_is_closed(client, people, voice):
    voice_assign(voice=voice, by=people.manager, assignee=people.staff)
    client.force_login(people.staff)
    response = client.post(
        step("answer", voice),
        {"answer_text": "待ち時間の表示を始めました。", "version": voice.version},
    )
    assert response["Location"] == detail(voice)
    voice.refresh_from_db()
    assert voice.state == State.ANSWERED
    assert voice.answered_by == people.staff
    assert voice.answered_at is not None
    client.post(step("close", voice), {"version": voice.version})
    voice.refresh_from_db()
    assert voice.state == State.CLOSED
    assert voice.closed_at is not None
    reasons = list(
        voice.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons[-2:] == ["回答", "完了"]
    assert reasons[-3].startswith("担当者を")


@pytest.mark.parametrize("who", ["other_lead", "other_manager"])
def test_members_of_another_section_may_not_answer(client, people, voice, who):
    client.force_login(getattr(people, who))
    response = client.post(step("answer", voice), {"answer_text": "回答", "version": voice.version})
    assert response.status_code == 403
    assert "担当課の職員と推進部会の委員です" in refusal(response)


def test_the_subcommittee_may_answer_any_voice(client, people, voice):
    client.force_login(people.subcommittee)
    client.post(step("answer", voice), {"answer_text": "回答", "version": voice.version})
    voice.refresh_from_db()
    assert voice.state == State.ANSWERED


def test_an_empty_answer_is_refused(client, people, voice):
    client.force_login(people.staff)
    response = client.post(step("answer", voice), {"answer_text": " ", "version": voice.version})
    assert response.status_code == 400
    voice.refresh_from_db()
    assert voice.state == State.RECEIVED


def test_a_voice_is_closed_only_after_its_answer(client, people, voice):
    client.force_login(people.staff)
    response = client.post(step("close", voice), {"version": voice.version})
    assert response.status_code == 400
    assert "先に回答を記録してください" in response.content.decode()
    voice.refresh_from_db()
    assert voice.state == State.RECEIVED


def test_a_closed_voice_can_no_longer_be_handled_or_edited(client, people, voice):
    voice_answer(voice=voice, by=people.staff, answer_text="回答")
    voice_close(voice=voice, by=people.staff)
    client.force_login(people.staff)
    for name in ("answer", "close"):
        response = client.post(step(name, voice), {"answer_text": "x", "version": voice.version})
        assert response.status_code == 403, name
    assert client.get(step("edit", voice)).status_code == 403


def test_the_subcommittee_reopens_a_closed_voice_to_its_assignee(client, people, voice):
    voice_assign(voice=voice, by=people.manager, assignee=people.staff)
    voice_answer(voice=voice, by=people.staff, answer_text="回答")
    voice_close(voice=voice, by=people.staff)
    client.force_login(people.subcommittee)
    response = client.post(
        step("reopen", voice), {"reason": "再度のお問い合わせ", "version": voice.version}
    )
    assert response["Location"] == detail(voice)
    voice.refresh_from_db()
    assert voice.state == State.ASSIGNED
    assert voice.closed_at is None
    assert voice.answer_text == "回答"  # kept for the next answer
    assert voice.history.latest().history_change_reason == "再開：再度のお問い合わせ"
    assert Notification.objects.filter(recipient=people.staff, message__contains="再開").exists()


@pytest.mark.parametrize("who", ["manager", "staff"])
def test_only_the_subcommittee_reopens(client, people, voice, who):
    voice_answer(voice=voice, by=people.staff, answer_text="回答")
    voice_close(voice=voice, by=people.staff)
    client.force_login(getattr(people, who))
    response = client.post(step("reopen", voice), {"reason": "x", "version": voice.version})
    assert response.status_code == 403
    assert "再開できるのは推進部会の委員です。" in refusal(response)


def test_a_step_on_an_old_version_is_refused_as_a_conflict(client, people, voice):
    client.force_login(people.staff)
    stale = voice.version
    voice_answer(voice=voice, by=people.subcommittee, answer_text="先の回答")
    response = client.post(step("close", voice), {"version": stale}, follow=True)
    assert "他の人が更新しました" in response.content.decode()
    voice.refresh_from_db()
    assert voice.state == State.ANSWERED


def test_the_steps_answer_only_to_post(client, people, voice):
    client.force_login(people.manager)
    assert client.get(step("assign", voice)).status_code == 405


# ---------------------------------------------------------------------------------------------
# Edit


def edit_data(voice, **overrides):
    data = {
        "channel": voice.channel,
        "category": voice.category,
        "section": voice.section_id,
        "window": voice.window_id or "",
        "received_on": voice.received_on.isoformat(),
        "due_on": voice.due_on.isoformat() if voice.due_on else "",
        "summary": voice.summary,
        "body": voice.body,
        "version": voice.version,
    }
    data.update(overrides)
    return data


def test_a_section_member_edits_a_voice(client, people, voice):
    client.force_login(people.staff)
    response = client.post(step("edit", voice), edit_data(voice, summary="新しい件名"))
    assert response["Location"] == detail(voice)
    voice.refresh_from_db()
    assert voice.summary == "新しい件名"
    assert voice.version == 2


def test_a_member_of_another_section_may_not_edit(client, people, voice):
    client.force_login(people.other_lead)
    response = client.get(step("edit", voice))
    assert response.status_code == 403
    assert "担当課の職員と推進部会の委員です" in refusal(response)


def test_the_second_of_two_editors_sees_the_first_ones_change(client, people, voice):
    client.force_login(people.staff)
    stale = edit_data(voice, summary="二人目の件名")
    client.post(step("edit", voice), edit_data(voice, summary="一人目の件名"))
    response = client.post(step("edit", voice), stale)
    assert response.status_code == 200
    assert response.context["conflict"]
    assert "一人目の件名" in response.content.decode()
    voice.refresh_from_db()
    assert voice.summary == "一人目の件名"
    # Saving again is a deliberate choice and now goes through.
    client.post(step("edit", voice), response.context["form"].data)
    voice.refresh_from_db()
    assert voice.summary == "二人目の件名"


def test_moving_a_voice_to_another_section_clears_its_assignee(client, people, voice, sections):
    voice_assign(voice=voice, by=people.manager, assignee=people.staff)
    client.force_login(people.subcommittee)
    client.post(step("edit", voice), edit_data(voice, section=sections.hoken.pk, window=""))
    voice.refresh_from_db()
    assert voice.section == sections.hoken
    assert voice.assignee is None
    assert voice.state == State.RECEIVED
    assert voice.history.latest().history_change_reason == "担当課を区民課から保険年金課に変更"


# ---------------------------------------------------------------------------------------------
# Projects


def test_linked_projects_show_the_voice_on_the_project_page(client, people, voice, plan, sections):
    project = ProjectFactory(plan=plan, section=sections.kumin)
    voice.contact_name = "川崎 花子"
    voice.save()
    client.force_login(people.manager)
    response = client.post(
        step("projects", voice), {"projects": [project.pk], "version": voice.version}
    )
    assert response["Location"] == detail(voice)
    assert list(voice.projects.all()) == [project]
    page = client.get(project.get_absolute_url()).content.decode()
    assert "関連する区民の声" in page
    assert voice.summary in page
    assert "川崎 花子" not in page


def test_a_closed_voice_can_still_be_linked_to_a_project_by_the_subcommittee(
    client, people, voice, plan, sections
):
    voice_answer(voice=voice, by=people.staff, answer_text="回答")
    voice_close(voice=voice, by=people.staff)
    project = ProjectFactory(plan=plan, section=sections.kumin)
    client.force_login(people.subcommittee)
    client.post(step("projects", voice), {"projects": [project.pk], "version": voice.version})
    assert list(voice.projects.all()) == [project]


def test_a_member_of_another_section_may_not_link_projects(client, people, voice, plan):
    project = ProjectFactory(plan=plan)
    client.force_login(people.other_lead)
    response = client.post(
        step("projects", voice), {"projects": [project.pk], "version": voice.version}
    )
    assert response.status_code == 403
    assert not voice.projects.exists()


def test_a_project_of_another_office_cannot_be_linked(client, people, voice, stranger):
    from tests.plans.factories import PlanFactory

    foreign = ProjectFactory(plan=PlanFactory(office=stranger.office))
    client.force_login(people.subcommittee)
    response = client.post(
        step("projects", voice), {"projects": [foreign.pk], "version": voice.version}
    )
    assert response.status_code == 400
    assert not voice.projects.exists()


# ---------------------------------------------------------------------------------------------
# Statistics


@pytest.fixture
def year_of_voices(office, sections, people):
    """Fiscal 2025: three voices in April (two waiting, one jargon), one in March 2026."""
    fy = FiscalYear(2025)

    def make(received, category, section, due, answered=None, state=State.RECEIVED):
        voice = VoiceFactory(
            office=office,
            section=section,
            category=category,
            received_on=received,
            due_on=due,
            state=state,
        )
        if answered:
            ResidentVoice.objects.filter(pk=voice.pk).update(
                answered_at=datetime.datetime(*answered, 12, tzinfo=datetime.UTC),
                state=State.ANSWERED,
            )
        return voice

    d = datetime.date
    make(d(2025, 4, 1), "waiting", sections.kumin, d(2025, 4, 15), answered=(2025, 4, 5))
    make(d(2025, 4, 10), "waiting", sections.kumin, d(2025, 4, 24), answered=(2025, 4, 30))
    make(d(2025, 4, 20), "jargon", sections.hoken, d(2025, 5, 4))  # open past its due date
    make(d(2026, 3, 31), "jargon", sections.hoken, None, answered=(2026, 4, 3))
    make(d(2024, 12, 1), "waiting", sections.kumin, d(2024, 12, 15))  # another year
    return fy


def test_statistics_count_voices_by_month_category_and_section(year_of_voices, office, people):
    from feedback.access import voices_for

    data = voice_statistics_data(voices_for(people.subcommittee), year_of_voices)
    assert data["months"][0] == datetime.date(2025, 4, 1)
    assert data["months"][-1] == datetime.date(2026, 3, 1)
    by_category = {label: (cells, total) for label, cells, total in data["by_category"]}
    assert by_category["待ち時間"][0][0] == 2 and by_category["待ち時間"][1] == 2
    assert by_category["役所言葉・専門用語"][0][0] == 1
    assert by_category["役所言葉・専門用語"][0][11] == 1
    assert by_category["その他"][1] == 0
    by_section = {label: total for label, cells, total in data["by_section"]}
    assert by_section == {"区民課": 2, "保険年金課": 2}
    assert data["category_totals"][0] == 3
    assert data["total"] == 4
    assert data["answered"] == 3
    # Judged: the two answered with a due date and the open one past it; on time: one.
    assert (data["judged"], data["on_time"]) == (3, 1)
    assert data["on_time_rate"] == 33.3
    # Days to answer: 4, 20 and 3 → 9.0
    assert data["average_days"] == 9.0


def test_the_statistics_page_shows_the_chosen_year(client, people, year_of_voices):
    client.force_login(people.council)
    response = client.get(STATISTICS, {"year": 2025})
    assert response.status_code == 200
    assert response.context["fy"] == FiscalYear(2025)
    body = response.content.decode()
    assert "33.3%" in body
    assert "9.0日" in body
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2  # by month, by category
    assert "令和7年度の区民の声の受付件数（月別）（表）" in body  # the chart's own table


@pytest.mark.parametrize("who", ["staff", "lead"])
def test_staff_may_not_see_the_statistics(client, people, who):
    client.force_login(getattr(people, who))
    response = client.get(STATISTICS)
    assert response.status_code == 403
    assert "区民の声の統計を閲覧できるのは" in refusal(response)


# ---------------------------------------------------------------------------------------------
# Hub and home page


def test_the_hub_counts_the_open_and_overdue_voices_of_the_users_section(
    client, people, office, sections, voice
):
    VoiceFactory(office=office, section=sections.kumin, received_on=days(-30), due_on=days(-1))
    VoiceFactory(office=office, section=sections.hoken, received_on=days(-30), due_on=days(-1))
    VoiceFactory(office=office, section=sections.kumin, state=State.CLOSED)
    client.force_login(people.staff)
    response = client.get(reverse("feedback:index"))
    assert response.status_code == 200
    counts = response.context["counts"]
    assert counts["section_open"] == 2
    assert counts["section_overdue"] == 1
    assert counts["office_overdue"] == 2
    assert counts["mine"] == 0
    body = response.content.decode()
    assert reverse("feedback:voice_list") in body
    assert reverse("feedback:survey_list") in body


def test_the_hub_links_to_the_parts_each_role_may_use(client, people):
    client.force_login(people.manager)
    body = client.get(reverse("feedback:index")).content.decode()
    for name in ("voice_statistics", "analysis", "survey_list", "window_list"):
        assert reverse(f"feedback:{name}") in body, name
    client.force_login(people.staff)
    body = client.get(reverse("feedback:index")).content.decode()
    assert reverse("feedback:voice_statistics") not in body
    assert reverse("feedback:analysis") not in body


def test_a_stranger_counts_nothing_of_this_office_on_the_hub(client, stranger, voice):
    client.force_login(stranger)
    counts = client.get(reverse("feedback:index")).context["counts"]
    assert counts == {"section_open": 0, "section_overdue": 0, "mine": 0, "office_overdue": 0}


def _titles(user):
    return [(item.level, item.title) for item in items_for(user) if item.area == "区民の声"]


def test_members_of_a_section_see_its_overdue_voices_on_the_home_page(
    people, office, sections, voice
):
    VoiceFactory(office=office, section=sections.kumin, received_on=days(-30), due_on=days(-1))
    assert ("danger", "区民課の区民の声で、回答期限を過ぎたものが1件あります") in _titles(
        people.staff
    )
    assert not any("回答期限を過ぎた" in title for _, title in _titles(people.other_lead))


def test_the_assignee_sees_their_open_voices_on_the_home_page(people, voice):
    voice_assign(voice=voice, by=people.manager, assignee=people.staff)
    assert ("warning", "あなたが担当の区民の声（未回答）が1件あります") in _titles(people.staff)
    voice_answer(voice=voice, by=people.staff, answer_text="回答")
    assert not any("あなたが担当" in title for _, title in _titles(people.staff))


def test_the_section_manager_sees_voices_waiting_for_an_assignee(people, voice):
    assert any("担当者が決まっていない" in title for _, title in _titles(people.manager))
    assert not any("担当者が決まっていない" in title for _, title in _titles(people.staff))


def test_the_subcommittee_sees_overdue_voices_of_the_whole_office(people, office, sections):
    VoiceFactory(office=office, section=sections.hoken, received_on=days(-30), due_on=days(-1))
    assert ("danger", "区役所全体で、回答期限を過ぎた区民の声が1件あります") in _titles(
        people.subcommittee
    )
    assert not any("区役所全体" in title for _, title in _titles(people.manager))


# ---------------------------------------------------------------------------------------------
# Services on their own


def test_record_refuses_a_window_of_another_section(people, office, sections, windows):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        voice_record(
            office=office,
            by=people.staff,
            channel="counter",
            category="waiting",
            section=sections.kumin,
            window=windows.hoken,
            summary="件名",
            body="内容",
        )


def test_a_window_of_the_section_is_accepted(people, office, sections):
    window = WindowFactory(section=sections.kumin)
    voice = voice_record(
        office=office,
        by=people.staff,
        channel="counter",
        category="waiting",
        section=sections.kumin,
        window=window,
        summary="件名",
        body="内容",
        received_on=days(-2),
    )
    assert voice.due_on == days(12)


@pytest.mark.parametrize("who", ["council", "admin"])
def test_the_council_and_administrators_are_not_asked_to_handle_voices(
    people, office, sections, who
):
    VoiceFactory(office=office, section=sections.kumin, received_on=days(-30), due_on=days(-1))
    assert _titles(getattr(people, who)) == []
