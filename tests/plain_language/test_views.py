"""The pages and endpoints of plain language through HTTP: who may open what, the live
check's answer and rate limit, the JSON API, the glossary's edits, history and conflicts."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from takatsu_portal.accounts.roles import Role
from takatsu_portal.plain_language import ratelimit
from takatsu_portal.plain_language.models import Term
from tests.factories import UserFactory

ALL = set(Role)
EDITORS = {Role.EDITOR, Role.SUBCOMMITTEE, Role.ADMINISTRATOR}


@pytest.fixture
def term(db):
    return Term.objects.get(term="当該")


@pytest.fixture
def fixed_minute(monkeypatch, role_users):
    """The rate limit's clock stands still and each user's count starts at zero."""
    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_800_000_000.0)
    window = int(1_800_000_000 // ratelimit.WINDOW_SECONDS)
    users = list(role_users.values())
    cache.delete_many([f"plain_language:rate:{u.pk}:{window}" for u in users])
    yield
    cache.delete_many([f"plain_language:rate:{u.pk}:{window}" for u in users])


def url_of(name, term):
    if name in ("term_detail", "term_edit", "term_delete"):
        return reverse(f"plain_language:{name}", args=[term.pk])
    return reverse(f"plain_language:{name}")


# name → (method, data, who may, their status)
MATRIX = {
    "index": ("get", None, ALL, 200),
    "live": ("post", {"text": "当該書類"}, ALL, 200),
    "api_check": ("get", {"text": "当該書類"}, ALL, 200),
    "glossary": ("get", None, ALL, 200),
    "term_detail": ("get", None, ALL, 200),
    "glossary_export_csv": ("get", None, ALL, 200),
    "glossary_export_xlsx": ("get", None, ALL, 200),
    "term_create": ("get", None, EDITORS, 200),
    "term_edit": ("get", None, EDITORS, 200),
    "term_delete": ("get", None, EDITORS, 200),
    "glossary_import": ("get", None, EDITORS, 200),
    "audit": ("get", None, ALL, 200),
}


def test_the_matrix_covers_every_url():
    from takatsu_portal.plain_language.urls import urlpatterns

    assert {p.name for p in urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(client, role_users, term, fixed_minute, name):
    method, data, allowed, status = MATRIX[name]
    url = url_of(name, term)
    for role, user in role_users.items():
        client.force_login(user)
        response = getattr(client, method)(url, data or {})
        expected = status if role in allowed else 403
        assert response.status_code == expected, (role, response.status_code)
        if expected == 403:
            assert "言い換え辞書を編集できるのは" in response.content.decode()
    client.logout()
    response = getattr(client, method)(url, data or {})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_signed_in_account_without_a_role_is_refused_with_a_reason(client, term):
    client.force_login(UserFactory())
    for name in ("index", "glossary", "audit"):
        response = client.get(url_of(name, term))
        assert response.status_code == 403
        assert "職員のみ" in response.content.decode()


def test_refusals_of_posts_change_nothing(client, role_users, term):
    client.force_login(role_users[Role.STAFF])
    response = client.post(reverse("plain_language:term_delete", args=[term.pk]))
    assert response.status_code == 403
    assert Term.objects.filter(pk=term.pk).exists()


# ---------------------------------------------------------------------------------------------
# Checking


def test_the_paste_page_shows_findings_marked_in_the_text(client, role_users):
    client.force_login(role_users[Role.STAFF])
    response = client.post(
        reverse("plain_language:index"),
        {"text": "当該書類を速やかに提出してください。", "profile": "standard"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<mark>当該<sup>[1]</sup></mark>" in page
    assert "<mark>速やかに<sup>[2]</sup></mark>" in page
    assert "読みやすさ" in page
    assert [f.text for f in response.context["result"].findings] == ["当該", "速やかに"]


def test_the_paste_page_keeps_the_text_when_it_is_too_long(client, role_users, settings):
    settings.PLAIN_LANGUAGE_MAX_TEXT_CHARS = 10
    client.force_login(role_users[Role.STAFF])
    response = client.post(reverse("plain_language:index"), {"text": "あ" * 11})
    assert response.status_code == 400
    assert "10文字までの文を点検できます" in response.content.decode()
    assert response.context["form"]["text"].value() == "あ" * 11


def test_the_live_check_lists_findings_with_a_replacement_button(client, role_users, fixed_minute):
    client.force_login(role_users[Role.STAFF])
    response = client.post(
        reverse("plain_language:live"), {"text": "当該書類を送ります。", "profile": "easy"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "ことばの点検：" in page
    assert 'data-start="0"' in page and 'data-end="2"' in page
    assert 'data-from="当該"' in page and 'data-to="その"' in page
    assert "「その」に置き換える" in page
    assert "やさしい日本語の基準" in page


def test_the_live_check_of_a_clean_text_says_so(client, role_users, fixed_minute):
    client.force_login(role_users[Role.STAFF])
    response = client.post(reverse("plain_language:live"), {"text": "窓口は2階です。"})
    assert "指摘はありません" in response.content.decode()


def test_the_live_check_is_post_only(client, role_users):
    client.force_login(role_users[Role.STAFF])
    assert client.get(reverse("plain_language:live"), {"text": "当該"}).status_code == 405


def test_the_live_check_is_rate_limited_per_user(client, role_users, settings, fixed_minute):
    settings.PLAIN_LANGUAGE_RATE_LIMIT = 3
    client.force_login(role_users[Role.STAFF])
    url = reverse("plain_language:live")
    assert [client.post(url, {"text": "当該"}).status_code for _ in range(3)] == [200] * 3
    refused = client.post(url, {"text": "当該"})
    assert refused.status_code == 429
    assert "少し待ってから点検します" in refused.content.decode()
    api = client.get(reverse("plain_language:api_check"), {"text": "当該"})
    assert api.status_code == 429
    assert "少し待って" in api.json()["error"]
    # Another member of staff is not held back by this one.
    client.force_login(role_users[Role.EDITOR])
    assert client.post(url, {"text": "当該"}).status_code == 200


def test_the_json_api_answers_get_form_and_json(client, role_users, fixed_minute):
    client.force_login(role_users[Role.STAFF])
    url = reverse("plain_language:api_check")
    by_get = client.get(url, {"text": "当該書類", "profile": "standard"}).json()
    by_json = client.post(
        url, json.dumps({"text": "当該書類"}), content_type="application/json"
    ).json()
    by_form = client.post(url, {"text": "当該書類"}).json()
    assert by_get == by_json == by_form
    [finding] = by_get["findings"]
    assert finding["kind"] == "term"
    assert (finding["start"], finding["end"], finding["replacement"]) == (0, 2, "その")
    assert finding["kind_label"] == "言い換えたい言葉"
    assert by_get["thresholds"] == {
        "max_sentence_chars": 60,
        "max_kanji_run": 6,
        "max_commas": 3,
    }
    assert by_get["readability"]["level"]


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "text（点検する文）を指定してください。"),
        ({"text": "はい", "profile": "hard"}, "profile は standard、easy のどれかにしてください。"),
    ],
)
def test_the_json_api_explains_a_bad_request(client, role_users, fixed_minute, data, message):
    client.force_login(role_users[Role.STAFF])
    response = client.get(reverse("plain_language:api_check"), data)
    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_the_json_api_explains_a_json_body_it_cannot_use(client, role_users, fixed_minute):
    client.force_login(role_users[Role.STAFF])
    url = reverse("plain_language:api_check")
    for body, message in [
        ("{not json", "JSONとして読めません。"),
        ("[1, 2]", 'JSONのオブジェクト（{"text": ...}）を送ってください。'),
        ('{"text": "はい", "profile": ["easy"]}', "profile は standard、easy のどれか"),
        ('{"text": 3}', "text（点検する文）を指定してください。"),
    ]:
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400
        assert message in response.json()["error"]


def test_the_json_api_refuses_a_text_past_the_limit(client, role_users, settings, fixed_minute):
    settings.PLAIN_LANGUAGE_MAX_TEXT_CHARS = 5
    client.force_login(role_users[Role.STAFF])
    response = client.post(reverse("plain_language:api_check"), {"text": "あいうえおか"})
    assert response.status_code == 400
    assert "5文字まで" in response.json()["error"]


# ---------------------------------------------------------------------------------------------
# Glossary


def term_data(term, **changes):
    data = {
        "term": term.term,
        "reading": term.reading,
        "category": term.category,
        "alternatives": term.alternatives,
        "explanation": term.explanation,
        "example": term.example,
        "variants": term.variants,
        "auto_replace": "on" if term.auto_replace else "",
        "is_active": "on" if term.is_active else "",
        "version": term.version,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_an_editor_adds_a_term_that_the_checker_finds_at_once(client, role_users, fixed_minute):
    client.force_login(role_users[Role.EDITOR])
    response = client.post(
        reverse("plain_language:term_create"),
        {
            "term": "ご足労",
            "reading": "ごそくろう",
            "category": "jargon",
            "alternatives": "お越し\nおいで",
            "explanation": "来てもらうことの硬い言い方です。",
            "auto_replace": "on",
            "is_active": "on",
        },
    )
    term = Term.objects.get(term="ご足労")
    assert response["Location"] == term.get_absolute_url()
    assert term.updated_by == role_users[Role.EDITOR]
    assert term.history.get().history_user == role_users[Role.EDITOR]
    answer = client.get(reverse("plain_language:api_check"), {"text": "ご足労いただき"}).json()
    assert answer["findings"][0]["replacement"] == "お越し"


def test_a_new_term_needs_an_alternative_and_keeps_the_input(client, role_users):
    client.force_login(role_users[Role.SUBCOMMITTEE])
    response = client.post(
        reverse("plain_language:term_create"),
        {"term": "ご足労", "category": "jargon", "alternatives": " \n "},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["alternatives"] == ["このフィールドは必須です。"]
    assert response.context["form"]["term"].value() == "ご足労"
    assert not Term.objects.filter(term="ご足労").exists()


def test_an_edit_is_kept_in_the_terms_history(client, role_users, term):
    client.force_login(role_users[Role.ADMINISTRATOR])
    response = client.post(
        reverse("plain_language:term_edit", args=[term.pk]),
        term_data(term, alternatives="その\nこの\n該当の"),
    )
    assert response["Location"] == term.get_absolute_url()
    term.refresh_from_db()
    assert term.version == 2
    assert term.alternative_list == ["その", "この", "該当の"]
    page = client.get(term.get_absolute_url()).content.decode()
    assert "変更履歴" in page and "該当の" in page
    latest = term.history.latest()
    assert latest.history_user == role_users[Role.ADMINISTRATOR]
    assert latest.history_change_reason == "変更"


def test_a_second_editor_on_an_old_version_sees_the_conflict_and_keeps_their_input(
    client, role_users, term
):
    url = reverse("plain_language:term_edit", args=[term.pk])
    client.force_login(role_users[Role.EDITOR])
    client.post(url, term_data(term, alternatives="その"))
    client.force_login(role_users[Role.SUBCOMMITTEE])
    response = client.post(url, term_data(term, alternatives="この", version=1))
    assert response.status_code == 409
    page = response.content.decode()
    assert "他の人が先に保存した変更" in page
    assert response.context["form"]["alternatives"].value() == "この"
    term.refresh_from_db()
    assert term.alternatives == "その"
    # Saving again now is a deliberate choice: the form carries the current version.
    again = client.post(url, {**response.context["form"].data.dict()})
    assert again.status_code == 302
    term.refresh_from_db()
    assert term.alternatives == "この"


def test_an_editor_deletes_a_term_and_its_history_remains(client, role_users, term):
    client.force_login(role_users[Role.EDITOR])
    response = client.post(reverse("plain_language:term_delete", args=[term.pk]))
    assert response["Location"] == reverse("plain_language:glossary")
    assert not Term.objects.filter(pk=term.pk).exists()
    assert (
        Term.history.filter(id=term.pk, history_type="-").get().history_user
        == role_users[Role.EDITOR]
    )


def test_the_glossary_searches_and_filters(client, role_users):
    client.force_login(role_users[Role.STAFF])
    response = client.get(reverse("plain_language:glossary"), {"q": "とうがい"})
    assert [t.term for t in response.context["page_obj"]] == ["当該"]
    response = client.get(reverse("plain_language:glossary"), {"category": "abbreviation"})
    assert {t.category for t in response.context["page_obj"]} == {"abbreviation"}


def test_the_glossary_list_runs_a_fixed_number_of_queries(
    client, role_users, django_assert_max_num_queries
):
    client.force_login(role_users[Role.STAFF])
    url = reverse("plain_language:glossary")
    with django_assert_max_num_queries(12):
        client.get(url)
    Term.objects.bulk_create(
        Term(term=f"試験用語{n}", category="jargon", alternatives="ことば") for n in range(200)
    )
    with django_assert_max_num_queries(12):
        client.get(url, {"page": 3})


def test_the_navigation_links_to_plain_language_for_staff(client, role_users):
    client.force_login(role_users[Role.COUNCIL])
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("plain_language:index")}">やさしい言葉</a>' in page


def test_a_glossary_change_queues_one_warm_up_of_the_audit(
    client, role_users, term, django_capture_on_commit_callbacks, monkeypatch
):
    from takatsu_portal.plain_language import tasks

    sent = []
    monkeypatch.setattr(tasks.warm_audit, "delay", lambda: sent.append(1))
    client.force_login(role_users[Role.EDITOR])
    # Other commit hooks run too (the attention cache is told of the change); what is counted
    # is the warm-ups queued.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("plain_language:term_edit", args=[term.pk]),
            term_data(term, alternatives="その"),
        )
    assert sent == [1]
