"""Plain language in the feedback app: the live check in the survey and answer editors (it
never stops a save), and what the audit of resident texts lists for whom."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import ResidentVoice
from takatsu_portal.plain_language.audit import audit_rows
from tests.feedback.surveys.test_surveys import survey_data

from .factories import ChoiceFactory, QuestionFactory, VoiceFactory

pytestmark = pytest.mark.django_db

AUDIT = reverse("plain_language:audit")


@pytest.fixture
def answered_voice(office, sections, people):
    return VoiceFactory(
        office=office,
        section=sections.hoken,
        recorded_by=people.staff,
        summary="保険料の通知が分かりにくい",
        state=ResidentVoice.State.ANSWERED,
        answer_text="当該通知については、所管課において速やかに措置を講じます。",
        answered_at=timezone.now(),
        answered_by=people.subcommittee,
    )


def test_the_survey_editor_checks_title_introduction_and_the_easy_japanese_versions(
    client, people, survey
):
    client.force_login(people.subcommittee)
    form = client.get(reverse("feedback:survey_edit", args=[survey.pk])).context["form"]
    page = client.get(reverse("feedback:survey_edit", args=[survey.pk])).content.decode()
    assert form["title"].field.widget.attrs["data-plain-language"] == "standard"
    assert form["introduction"].field.widget.attrs["data-plain-language"] == "standard"
    assert form["title_ja_easy"].field.widget.attrs["data-plain-language"] == "easy"
    assert form["introduction_ja_easy"].field.widget.attrs["data-plain-language"] == "easy"
    assert "title_en" not in [
        name for name, f in form.fields.items() if "data-plain-language" in f.widget.attrs
    ]
    assert f'data-plain-language-url="{reverse("plain_language:live")}"' in page


def test_the_question_editor_checks_the_question_and_its_easy_japanese(client, people, survey):
    question = QuestionFactory(survey=survey)
    client.force_login(people.subcommittee)
    page = client.get(reverse("feedback:question_edit", args=[question.pk])).content.decode()
    assert 'name="text"' in page
    assert page.count('data-plain-language="easy"') == 2  # 質問 and 補足 in やさしい日本語
    assert page.count('data-plain-language="standard"') == 2


def test_jargon_never_stops_a_survey_from_being_saved(client, people, survey):
    client.force_login(people.subcommittee)
    title = "当該窓口に係る満足度の調査の実施を行うものとする"
    response = client.post(
        reverse("feedback:survey_edit", args=[survey.pk]),
        survey_data(survey, title=title, title_ja_easy="まどぐちの アンケート"),
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.title == title


def test_jargon_never_stops_an_answer_from_being_saved(client, people, office, sections):
    voice = VoiceFactory(office=office, section=sections.kumin, recorded_by=people.staff)
    client.force_login(people.subcommittee)
    page = client.get(reverse("feedback:voice_detail", args=[voice.pk])).content.decode()
    assert 'data-plain-language="standard"' in page
    text = "当該事案については可及的速やかに所要の措置を講じることができないわけではない。"
    response = client.post(
        reverse("feedback:voice_answer", args=[voice.pk]),
        {"answer_text": text, "version": voice.version},
    )
    assert response.status_code == 302
    voice.refresh_from_db()
    assert voice.answer_text == text


def test_the_audit_lists_the_office_s_resident_texts_worst_first(
    client, people, survey, answered_voice
):
    question = QuestionFactory(survey=survey, text="窓口の対応はいかがでしたか。")
    ChoiceFactory(question=question, text="よかった")
    survey.translations = {"ja-easy": {"title": "まどぐちの アンケート"}}
    survey.save()
    client.force_login(people.staff)
    response = client.get(AUDIT)
    assert response.status_code == 200
    rows = response.context["page_obj"].object_list
    assert response.context["total"] == len(audit_rows(people.staff))
    keys = [row.item.key for row in audit_rows(people.staff)]
    assert f"voice:{answered_voice.pk}:answer" == keys[0]
    assert f"survey:{survey.pk}:title:ja" in keys
    assert f"survey:{survey.pk}:title:ja-easy" in keys
    assert f"question:{question.pk}:text:ja" in keys
    assert f"choices:{question.pk}:ja" in keys
    assert "poster:ask:ja" in keys and "public:submit:ja-easy" in keys
    top = rows[0]
    assert top.findings >= 4
    assert top.item.section_name == "保険年金課"
    assert "当該" in top.examples
    # Staff do not get the count by section; the subcommittee does.
    assert response.context["by_section"] is None
    client.force_login(people.subcommittee)
    by_section = client.get(AUDIT).context["by_section"]
    names = [count.name for count in by_section]
    assert names[-1] == "区役所全体"
    assert "保険年金課" in names


def test_the_audit_filters_by_section(client, people, survey, answered_voice, sections):
    client.force_login(people.subcommittee)
    response = client.get(AUDIT, {"section": sections.hoken.pk})
    assert {row.item.section_id for row in response.context["page_obj"]} == {sections.hoken.pk}
    response = client.get(AUDIT, {"section": "none"})
    assert {row.item.section_id for row in response.context["page_obj"]} == {None}


def test_the_audit_lists_only_what_the_user_may_read(client, stranger, survey, answered_voice):
    client.force_login(stranger)
    keys = {row.item.key for row in audit_rows(stranger)}
    assert f"voice:{answered_voice.pk}:answer" not in keys
    assert not any(key.startswith(("survey:", "question:")) for key in keys)
    response = client.get(AUDIT)
    assert answered_voice.answer_text[:20] not in response.content.decode()


def test_the_audit_leaves_out_surveys_not_yet_open_and_answers_of_last_year(
    people, office, sections, survey, answered_voice
):
    survey.opens_on = timezone.localdate() + datetime.timedelta(days=30)
    survey.closes_on = survey.opens_on + datetime.timedelta(days=30)
    survey.save()
    answered_voice.answered_at = timezone.now() - datetime.timedelta(days=400)
    answered_voice.save()
    keys = {row.item.key for row in audit_rows(people.staff)}
    assert not any(key.startswith(("survey:", "voice:")) for key in keys)


def test_the_audit_runs_a_fixed_number_of_queries(
    client, people, office, sections, survey, django_assert_max_num_queries
):
    client.force_login(people.subcommittee)

    def add_voices(count):
        for n in range(count):
            VoiceFactory(
                office=office,
                section=sections.kumin,
                recorded_by=people.staff,
                state=ResidentVoice.State.ANSWERED,
                answer_text=f"当該の件について{n}回目の回答です。",
                answered_at=timezone.now(),
            )
            QuestionFactory(survey=survey, text=f"質問{n}")

    add_voices(2)
    with django_assert_max_num_queries(20):
        client.get(AUDIT)
    add_voices(30)
    with django_assert_max_num_queries(20):
        client.get(AUDIT, {"page": 2})


def test_the_warm_up_checks_each_office_s_texts_once_for_every_reader(
    people, survey, answered_voice, stranger
):
    from django.core.cache import cache

    from takatsu_portal.plain_language.audit import _key, audit_warm
    from takatsu_portal.plain_language.glossary import current_index
    from takatsu_portal.plain_language.sources import texts_for
    from takatsu_portal.plain_language.tasks import warm_audit

    checked = warm_audit.delay().get()
    assert checked == len(audit_rows(people.subcommittee)) + len(audit_rows(stranger))
    index = current_index()
    keys = [_key(item, index) for item in texts_for(people.staff)]
    assert set(cache.get_many(keys)) == set(keys)
    assert audit_warm() == checked
