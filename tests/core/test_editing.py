"""The editing steps of takatsu_portal.core.editing, on their own: what a create form and a
button step hand back to the view (the pages that use them are tested through HTTP in each
app's tests; the conflict branch in tests/plans/plan/test_views.py and the edit pages' tests)."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError

from takatsu_portal.core.editing import Step, create_or_explain, run_step, save_or_explain


class TitleForm(forms.Form):
    title = forms.CharField()


def _request(rf):
    request = rf.post("/")
    request._messages = CookieStorage(request)
    return request


def _messages(request):
    return [(m.level_tag, m.message) for m in get_messages(request)]


def _refuse(error):
    def service(*_):
        raise error

    return service


def _valid_form():
    form = TitleForm({"title": "窓口案内の改善"})
    assert form.is_valid()
    return form


def test_a_create_hands_back_what_the_service_made(rf):
    made = object()
    assert create_or_explain(_request(rf), _valid_form(), lambda: made) == (made, None)


def test_a_create_refused_on_a_field_puts_the_reason_on_that_field(rf):
    form = _valid_form()
    error = ValidationError({"title": "同じ名前の事業があります。"})
    created, context = create_or_explain(_request(rf), form, _refuse(error))
    assert (created, context) == (None, {})
    assert form.errors == {"title": ["同じ名前の事業があります。"]}


def test_a_refusal_of_a_field_the_form_lacks_goes_on_the_whole_form(rf):
    form = _valid_form()
    error = ValidationError({"fiscal_year": "この年度の計画はすでにあります。"})
    assert create_or_explain(_request(rf), form, _refuse(error)) == (None, {})
    assert form.non_field_errors() == ["この年度の計画はすでにあります。"]


def test_save_or_explain_says_none_when_saved_and_the_context_when_refused(rf):
    form = _valid_form()
    assert save_or_explain(_request(rf), form, lambda: "saved") is None
    refused = save_or_explain(_request(rf), form, _refuse(ValidationError("受付は終了しました。")))
    assert refused == {}
    assert form.non_field_errors() == ["受付は終了しました。"]


def test_a_button_step_that_makes_a_record_hands_it_back_with_the_message(rf):
    request = _request(rf)
    step = run_step(
        request, None, lambda: "令和9年度の計画", success=lambda made: f"「{made}」を作成しました。"
    )
    assert step == Step(done=True, redirect=True, result="令和9年度の計画")
    assert step  # the caller redirects
    assert _messages(request) == [("success", "「令和9年度の計画」を作成しました。")]


def test_a_refused_button_step_makes_nothing_and_says_why(rf):
    request = _request(rf)
    error = ValidationError(["次年度の計画はすでにあります。", "計画を確認してください。"])
    step = run_step(request, None, _refuse(error), success="作成しました。")
    assert step == Step(done=False, redirect=False, result=None)
    assert not step
    said = "次年度の計画はすでにあります。 計画を確認してください。"
    assert _messages(request) == [("error", said)]


def test_a_form_step_refused_by_the_service_shows_the_form_again(rf):
    form = TitleForm({"title": "窓口案内の改善"})
    error = ValidationError({"title": "この段階では変更できません。"})
    step = run_step(_request(rf), form, _refuse(error), success="保存しました。")
    assert not step and not step.done
    assert form.errors == {"title": ["この段階では変更できません。"]}


def test_an_invalid_form_step_runs_no_service(rf):
    ran = []
    step = run_step(_request(rf), TitleForm({}), lambda data: ran.append(data), success="保存")
    assert step == Step(done=False, redirect=False)
    assert ran == []
