"""Reading and 「確認しました」: once per version, a double click confirms once, outside the
audience refused and nothing recorded, a change that needs confirmation resets it."""

import pytest
from django.urls import reverse

from bulletins import services
from bulletins.models import Confirmation, ReadMark

pytestmark = pytest.mark.django_db


def confirm(client, article):
    return client.post(reverse("bulletins:article_confirm", args=[article.pk]))


def test_opening_an_article_marks_it_read_for_its_audience(client, people, required_article):
    client.force_login(people.staff)
    response = client.get(required_article.get_absolute_url())
    assert response.status_code == 200
    assert "確認しました" in response.content.decode()
    mark = ReadMark.objects.get(article=required_article, user=people.staff)
    assert mark.revision == 1


def test_staff_confirms_once_and_the_time_is_kept(client, people, required_article):
    client.force_login(people.staff)
    response = confirm(client, required_article)
    assert response.status_code == 302
    first = Confirmation.objects.get(article=required_article, user=people.staff)
    assert first.revision == required_article.confirm_revision
    # The page now says when, and offers no button.
    page = client.get(required_article.get_absolute_url()).content.decode()
    assert "確認済み" in page
    assert (
        'action="/bulletins/articles/' not in page.split("必読記事の確認")[1].split("</section>")[0]
    )


def test_a_double_click_confirms_once(client, people, required_article):
    client.force_login(people.staff)
    confirm(client, required_article)
    confirm(client, required_article)
    rows = Confirmation.objects.filter(article=required_article, user=people.staff)
    assert rows.count() == 1


def test_the_service_tolerates_the_race_of_two_clicks(people, required_article):
    _, created_first = services.article_confirm(article=required_article, user=people.staff)
    _, created_second = services.article_confirm(article=required_article, user=people.staff)
    assert (created_first, created_second) == (True, False)


def test_a_forged_post_outside_the_audience_records_nothing(client, people, sections, make_article):
    article = make_article(required=True, audience={"sections": [sections.hoken]})
    client.force_login(people.staff)  # 区民課, not 保険年金課
    response = confirm(client, article)
    assert response.status_code == 403
    assert "あなたの所属・役割に向けたものではない" in response.content.decode()
    assert not Confirmation.objects.filter(article=article).exists()
    # The page itself is refused too, and nothing is marked read.
    assert client.get(article.get_absolute_url()).status_code == 403
    assert not ReadMark.objects.filter(article=article).exists()


def test_an_editor_outside_the_audience_reads_but_cannot_confirm(
    client, people, sections, make_article
):
    article = make_article(required=True, audience={"sections": [sections.hoken]})
    client.force_login(people.editor)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "確認しました" not in page
    assert confirm(client, article).status_code == 403
    assert not Confirmation.objects.filter(article=article).exists()


def test_the_audience_by_department_and_by_role(people, sections, make_article):
    from django.contrib.auth.models import Group

    by_department = make_article(audience={"departments": [sections.kumin.department]})
    assert by_department.is_for(people.staff)
    assert by_department.is_for(people.hoken)
    assert not by_department.is_for(people.other)
    managers = Group.objects.get(name="課長")
    by_role = make_article(audience={"roles": [managers]})
    assert by_role.is_for(people.manager)
    assert by_role.is_for(people.other_manager)
    assert not by_role.is_for(people.staff)


def test_a_change_that_needs_confirmation_resets_it(client, people, required_article):
    services.article_confirm(article=required_article, user=people.staff)
    client.force_login(people.editor)
    response = client.post(
        reverse("bulletins:article_edit", args=[required_article.pk]),
        _edit_data(
            required_article,
            body="交付は予約制になりました。",
            reconfirm="on",
            change_note="交付を予約制に変更",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    required_article.refresh_from_db()
    assert required_article.revision == 2
    assert required_article.confirm_revision == 2
    client.force_login(people.staff)
    page = client.get(required_article.get_absolute_url()).content.decode()
    assert "更新あり" in page
    assert "交付を予約制に変更" in page
    assert "確認しました</button>" in page
    confirm(client, required_article)
    revisions = sorted(
        Confirmation.objects.filter(article=required_article, user=people.staff).values_list(
            "revision", flat=True
        )
    )
    assert revisions == [1, 2]


def test_a_typo_fix_keeps_the_confirmation(client, people, required_article):
    services.article_confirm(article=required_article, user=people.staff)
    client.force_login(people.editor)
    client.post(
        reverse("bulletins:article_edit", args=[required_article.pk]),
        _edit_data(
            required_article, body="4月から窓口の受付時間がかわります。", change_note="誤字の修正"
        ),
    )
    required_article.refresh_from_db()
    assert (required_article.revision, required_article.confirm_revision) == (2, 1)
    client.force_login(people.staff)
    page = client.get(required_article.get_absolute_url()).content.decode()
    assert "更新あり" in page
    assert "確認済み" in page
    # Every version is in the history.
    history = client.get(reverse("bulletins:article_history", args=[required_article.pk]))
    assert "誤字の修正" in history.content.decode()


def test_editing_a_published_article_needs_a_change_note(client, people, required_article):
    client.force_login(people.editor)
    response = client.post(
        reverse("bulletins:article_edit", args=[required_article.pk]),
        _edit_data(required_article, body="変更"),
    )
    assert response.status_code == 400
    assert "変更内容" in response.content.decode()
    required_article.refresh_from_db()
    assert required_article.revision == 1


def test_two_editors_never_overwrite_each_other(client, people, required_article):
    stale = _edit_data(required_article, body="Aさんの変更", change_note="A")
    client.force_login(people.editor)
    assert (
        client.post(
            reverse("bulletins:article_edit", args=[required_article.pk]),
            _edit_data(required_article, body="Bさんの変更", change_note="B"),
        ).status_code
        == 302
    )
    client.force_login(people.subcommittee)
    response = client.post(reverse("bulletins:article_edit", args=[required_article.pk]), stale)
    assert response.status_code == 400
    assert "他の人が先に保存した変更" in response.content.decode()
    required_article.refresh_from_db()
    assert required_article.body == "Bさんの変更"


def _edit_data(article, **changes):
    data = {
        "title": article.title,
        "body": article.body,
        "category": article.category,
        "importance": article.importance,
        "order": article.order,
        "audience_all": "on" if article.audience_all else "",
        "required": "on" if article.required else "",
        "confirm_by": article.confirm_by.isoformat() if article.confirm_by else "",
        "version": article.version,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}
