"""閲覧状況: the audience with read and confirmed times, unread first, by section; a section
manager sees their own section, editors all; CSV and .xlsx; a fixed number of queries."""

import io

import pytest
from django.test import Client
from django.urls import reverse

from bulletins import services
from takatsu_portal.core import attention

pytestmark = pytest.mark.django_db


def status_url(article, name="article_status"):
    return reverse(f"bulletins:{name}", args=[article.pk])


def test_editor_sees_everyone_unread_first(client, people, required_article):
    services.article_mark_read(article=required_article, user=people.hoken)
    services.article_confirm(article=required_article, user=people.staff)
    client.force_login(people.editor)
    response = client.get(status_url(required_article))
    assert response.status_code == 200
    rows = response.context["rows"]
    names = [row["username"] for row in rows]
    # Unread first, then read but unconfirmed, confirmed last.
    assert names.index("other") < names.index("hoken") < names.index("staff")
    by_name = {row["username"]: row for row in rows}
    assert by_name["other"]["read"] == "" and by_name["other"]["confirmed"] == ""
    assert by_name["hoken"]["read"] and by_name["hoken"]["confirmed"] == ""
    assert by_name["staff"]["read"] and by_name["staff"]["confirmed"]
    page = response.content.decode()
    assert page.count("未読</span>") == sum(1 for row in rows if not row["read"])
    assert page.count("未確認</span>") == sum(1 for row in rows if not row["confirmed"])
    summary = {row["section"]: row for row in response.context["summary"]}
    assert summary["区民課"]["confirmed"] == 1
    assert summary["保険年金課"]["read"] == 1 and summary["保険年金課"]["confirmed"] == 0
    assert set(summary) == {"区民課", "保険年金課", "総務課"}


def test_the_kept_status_changes_at_once_when_someone_reads_or_confirms(
    client, people, required_article
):
    """The page's summary and list are kept in the shared cache: a read mark or a
    confirmation made since is shown at the next request, not after the cache's lifetime."""
    client.force_login(people.editor)
    client.get(status_url(required_article))  # computed and kept
    before = client.get(status_url(required_article)).content.decode()  # the kept copy
    services.article_mark_read(article=required_article, user=people.hoken)
    read = client.get(status_url(required_article)).content.decode()
    assert read.count("未読</span>") == before.count("未読</span>") - 1
    services.article_confirm(article=required_article, user=people.hoken)
    confirmed = client.get(status_url(required_article)).content.decode()
    assert confirmed.count("未確認</span>") == before.count("未確認</span>") - 1


def row_of(page, person):
    """The cells of `person`'s row in the page's list of people (the kept copy has no context
    to look at: its HTML is what the viewer gets)."""
    import re

    name = re.escape(person.full_name or person.username)
    row = re.search(rf'<th scope="row">{name}</th>(.*?)</tr>', page, re.S)
    assert row, f"{person} is not in the list"
    return re.findall(r"<td>(.*?)</td>", row.group(1), re.S)


def test_the_kept_status_follows_readers_through_the_pages(client, people, required_article):
    """Opening the article and pressing 確認しました (the views, not the services called from
    the test) move the article's marks generation: the editor's next request shows them."""
    editor, reader = client, Client()
    editor.force_login(people.editor)
    reader.force_login(people.hoken)
    editor.get(status_url(required_article))  # computed and kept
    read, confirmed = row_of(
        editor.get(status_url(required_article)).content.decode(), people.hoken
    )
    assert "未読" in read and "未確認" in confirmed

    reader.get(reverse("bulletins:article_detail", args=[required_article.pk]))
    read, confirmed = row_of(
        editor.get(status_url(required_article)).content.decode(), people.hoken
    )
    assert "未読" not in read and "未確認" in confirmed

    reader.post(reverse("bulletins:article_confirm", args=[required_article.pk]))
    read, confirmed = row_of(
        editor.get(status_url(required_article)).content.decode(), people.hoken
    )
    assert "未読" not in read and "未確認" not in confirmed


def test_a_second_read_shows_its_new_time_at_the_next_request(client, people, required_article):
    """閲覧日時 is the latest read: a re-read (which moves nobody's home page) still makes the
    kept page again."""
    import time_machine
    from django.utils import timezone

    client.force_login(people.editor)
    first = timezone.make_aware(timezone.datetime(2026, 12, 7, 9, 15))
    with time_machine.travel(first, tick=False):
        services.article_mark_read(article=required_article, user=people.hoken)
        client.get(status_url(required_article))  # computed and kept
        kept = client.get(status_url(required_article)).content.decode()
    assert row_of(kept, people.hoken)[0] == "2026年12月7日 09:15"
    with time_machine.travel(first + timezone.timedelta(minutes=10), tick=False):
        services.article_mark_read(article=required_article, user=people.hoken)
        again = client.get(status_url(required_article)).content.decode()
    assert row_of(again, people.hoken)[0] == "2026年12月7日 09:25"


def test_a_section_manager_sees_only_their_section(client, people, required_article):
    client.force_login(people.manager)
    response = client.get(status_url(required_article))
    assert response.status_code == 200
    assert {row["section"] for row in response.context["summary"]} == {"区民課"}
    sections = {row["section"] for row in response.context["rows"]}
    assert sections == {"区民課"}
    # A hand-typed ?section= of another section changes nothing.
    other = client.get(status_url(required_article) + f"?section={people.other.section_id}")
    assert {row["section"] for row in other.context["rows"]} == {"区民課"}


def test_staff_cannot_see_the_status(client, people, required_article):
    client.force_login(people.staff)
    response = client.get(status_url(required_article))
    assert response.status_code == 403
    assert "閲覧状況を見られるのは" in response.content.decode()


def test_the_status_changes_when_staff_confirm(client, people, required_article):
    client.force_login(people.manager)
    before = client.get(status_url(required_article)).context["totals"]
    client.force_login(people.staff)
    client.post(reverse("bulletins:article_confirm", args=[required_article.pk]))
    client.force_login(people.manager)
    after = client.get(status_url(required_article)).context["totals"]
    assert after["confirmed"] == before["confirmed"] + 1


def test_csv_for_excel_and_xlsx(client, people, required_article):
    services.article_confirm(article=required_article, user=people.staff)
    client.force_login(people.editor)
    response = client.get(status_url(required_article, "article_status_csv"))
    assert response.status_code == 200
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0] == "部,課,職員番号,氏名,ふりがな,閲覧日時,確認日時"
    staff_line = next(line for line in text.splitlines() if people.staff.full_name in line)
    assert staff_line.count("-") >= 4  # read and confirmed times are filled
    response = client.get(status_url(required_article, "article_status_xlsx"))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == [
        "部",
        "課",
        "職員番号",
        "氏名",
        "ふりがな",
        "閲覧日時",
        "確認日時",
    ]
    staff_row = next(r for r in sheet.iter_rows(values_only=True) if r[3] == people.staff.full_name)
    assert staff_row[1] == "区民課" and staff_row[5] and staff_row[6]


def test_the_manager_export_holds_only_their_section(client, people, required_article):
    client.force_login(people.manager)
    text = client.get(status_url(required_article, "article_status_csv")).content.decode(
        "utf-8-sig"
    )
    rows = text.splitlines()[1:]
    assert rows and all(",区民課," in row for row in rows)


def test_issue_status_by_section(client, people, required_article):
    services.article_confirm(article=required_article, user=people.staff)
    client.force_login(people.subcommittee)
    response = client.get(reverse("bulletins:issue_status", args=[required_article.issue.pk]))
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert row["totals"]["confirmed"] == 1
    # A chart of the confirmation rate by section, with its table.
    page = response.content.decode()
    assert 'role="img"' in page
    assert "課別の確認率" in page
    assert [label for label, _ in row["figure"].table.rows] == ["区民課", "保険年金課", "総務課"]


@pytest.mark.parametrize("size", [20, 2000])
def test_status_runs_a_fixed_number_of_queries(
    client, people, sections, required_article, django_assert_max_num_queries, size
):
    """At 20 and at 2,000 more people in the audience, half of them confirmed."""
    from django.utils import timezone

    from bulletins.models import Confirmation, ReadMark
    from takatsu_portal.accounts.models import User

    User.objects.bulk_create(
        User(username=f"many{n}", full_name=f"職員{n}", section=sections.hoken, password="!")
        for n in range(size)
    )
    now = timezone.now()
    many = list(User.objects.filter(username__startswith="many").values_list("pk", flat=True))
    ReadMark.objects.bulk_create(
        ReadMark(article=required_article, user_id=pk, revision=1, first_read_at=now, read_at=now)
        for pk in many[: size // 2]
    )
    Confirmation.objects.bulk_create(
        Confirmation(article=required_article, user_id=pk, revision=1, confirmed_at=now)
        for pk in many[: size // 2]
    )
    client.force_login(people.editor)
    client.get(status_url(required_article))  # warm the session and roles
    # The measured request computes the page (a kept copy would hide its queries).
    attention.changed()
    with django_assert_max_num_queries(12):
        response = client.get(status_url(required_article))
    assert response.context["totals"]["total"] >= size
    assert response.context["totals"]["confirmed"] == size // 2
    assert len(response.context["rows"]) == min(100, size + 10)
    assert response.context["page_obj"].paginator.count == size + 10


def test_a_kept_status_page_runs_no_query_of_its_own(
    client, people, required_article, django_assert_num_queries
):
    """Kept in the shared cache, the page and its article cost the session and the user only:
    the marks generation is read with the kept copy, not counted in the database, and nothing
    deferred from the article is read back."""
    client.force_login(people.editor)
    client.get(status_url(required_article))  # computed and kept
    with django_assert_num_queries(2):
        response = client.get(status_url(required_article))
    assert response.status_code == 200
    assert "閲覧状況：" + required_article.title in response.content.decode()


def test_the_kept_article_refuses_whom_it_refused(client, people, stranger, required_article):
    """The article kept for the page's office is not served to another office's editor, nor
    to staff without the right, once an editor has viewed it."""
    client.force_login(people.editor)
    client.get(status_url(required_article))
    assert client.get(status_url(required_article)).status_code == 200  # kept
    client.force_login(stranger)
    assert client.get(status_url(required_article)).status_code == 404
    assert client.get(status_url(required_article, "article_status_csv")).status_code == 404
    client.force_login(people.staff)
    assert client.get(status_url(required_article)).status_code == 403
    client.force_login(people.manager)
    assert client.get(status_url(required_article)).status_code == 200


def test_a_renamed_article_shows_its_new_title_at_the_next_request(
    client, people, required_article
):
    client.force_login(people.editor)
    client.get(status_url(required_article))
    assert "閲覧状況：マイナンバー" in client.get(status_url(required_article)).content.decode()
    required_article.title = "マイナンバーカード交付の新しい手順"
    services.article_save(
        article=required_article,
        by=people.editor,
        expected_version=required_article.version,
        reconfirm=False,
        change_note="題名を分かりやすくしました",
    )
    page = client.get(status_url(required_article)).content.decode()
    assert "閲覧状況：マイナンバーカード交付の新しい手順" in page


def test_a_kept_status_page_of_an_article_for_some_sections_names_them_without_a_query(
    client, people, sections, make_article, django_assert_num_queries
):
    """The audience in words (three many-to-many lists) is part of the kept copy."""
    article = make_article(
        title="保険年金課と総務課へ",
        required=True,
        audience={"sections": [sections.hoken, sections.somu]},
    )
    client.force_login(people.editor)
    client.get(status_url(article))  # computed and kept
    with django_assert_num_queries(2):
        page = client.get(status_url(article)).content.decode()
    assert "対象：保険年金課、総務課" in page or "対象：総務課、保険年金課" in page


def test_a_section_page_counts_from_the_summary_and_pages_on(
    client, people, sections, required_article
):
    from takatsu_portal.accounts.models import User

    User.objects.bulk_create(
        User(
            username=f"hoken{n:03}", full_name=f"保険 職員{n}", section=sections.hoken, password="!"
        )
        for n in range(120)
    )
    client.force_login(people.editor)
    url = status_url(required_article) + f"?section={sections.hoken.pk}"
    first = client.get(url)
    assert first.context["page_obj"].paginator.count == 121  # hoken and the 120
    assert len(first.context["rows"]) == 100
    assert {row["section"] for row in first.context["rows"]} == {"保険年金課"}
    second = client.get(url + "&page=2")
    assert len(second.context["rows"]) == 21
    shown = {row["username"] for row in first.context["rows"] + second.context["rows"]}
    assert len(shown) == 121
    # A section outside the office's audience lists nobody.
    assert client.get(status_url(required_article) + "?section=999999").context["rows"] == []


def test_a_reader_of_an_older_version_is_marked(client, people, required_article):
    services.article_mark_read(article=required_article, user=people.staff)
    required_article.body += "\n\n窓口の案内を追記しました。"
    services.article_save(
        article=required_article,
        by=people.editor,
        expected_version=required_article.version,
        change_note="案内を追記",
    )
    client.force_login(people.editor)
    response = client.get(status_url(required_article))
    staff = next(row for row in response.context["rows"] if row["username"] == "staff")
    assert staff["outdated"] is True
    assert response.content.decode().count("更新前の版</span>") == 1
