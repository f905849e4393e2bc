"""Search finds 1-, 2- and many-character Japanese words inside longer words, full-width and
half-width, katakana and hiragana variants, ranks title hits first then newer articles, and
never shows an article outside the user's audience."""

import pytest
from django.db import connection
from django.urls import reverse

from bulletins import search, services, text
from bulletins.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(make_article, sections, office, people):
    older = services.issue_create(office=office, title="4月号", by=people.editor)
    newer = services.issue_create(office=office, title="5月号", by=people.editor)
    made = {
        "card": make_article(
            issue=older,
            published=False,
            title="マイナンバーカードの交付について",
            body="交付の予約は電話で受け付けます。",
        ),
        "tax": make_article(
            issue=older,
            published=False,
            title="住民税の証明書",
            body="課税証明書と非課税証明書の違いを説明します。",
        ),
        "window": make_article(
            issue=older,
            published=False,
            title="窓口案内の改善",
            body="総合案内の位置を変えました。",
        ),
        "hoken": make_article(
            issue=older,
            published=False,
            title="保険年金課だけの手順",
            body="マイナンバーの確認手順です。",
            audience={"sections": [sections.hoken]},
        ),
    }
    services.issue_publish(issue=older, by=people.editor)
    made["body_hit"] = make_article(
        issue=newer,
        title="転入届の受付",
        body="転入の際はマイナンバーカードをお持ちください。ＡＢＣ窓口で受付。",
    )  # published with its issue, after the older one
    return made


def titles(user, query, **filters):
    _, found = search.search(user, query, filters=filters)
    return [a.title for a in found]


def test_one_character_inside_longer_words(people, articles):
    assert set(titles(people.staff, "税")) == {"住民税の証明書"}


def test_two_characters_inside_longer_words(people, articles):
    assert set(titles(people.staff, "窓口")) == {"窓口案内の改善", "転入届の受付"}
    assert set(titles(people.staff, "交付")) == {"マイナンバーカードの交付について"}


def test_many_characters_and_title_hits_first(people, articles):
    # The newer article has it in its body only; the older one in its title: title first.
    assert titles(people.staff, "マイナンバー") == [
        "マイナンバーカードの交付について",
        "転入届の受付",
    ]


def test_newer_first_among_equals(people, articles):
    assert titles(people.staff, "の")[0] == "転入届の受付"


def test_half_width_katakana_hiragana_and_full_width_variants(people, articles):
    expected = ["マイナンバーカードの交付について", "転入届の受付"]
    assert titles(people.staff, "ﾏｲﾅﾝﾊﾞｰ") == expected
    assert titles(people.staff, "まいなんばー") == expected
    assert titles(people.staff, "ＭＡＩ") == []
    assert titles(people.staff, "abc窓口") == ["転入届の受付"]  # ＡＢＣ in the body


def test_several_words_must_all_match(people, articles):
    assert titles(people.staff, "マイナンバー　転入") == ["転入届の受付"]


def test_never_an_article_outside_the_audience(people, articles):
    assert "保険年金課だけの手順" not in titles(people.staff, "マイナンバー")
    assert "保険年金課だけの手順" in titles(people.hoken, "マイナンバー")


def test_never_a_draft(people, articles, make_article):
    make_article(title="下書きのマイナンバー記事", published=False)
    assert "下書きのマイナンバー記事" not in titles(people.editor, "マイナンバー")


def test_filters(people, articles):
    assert titles(people.staff, "の", category="qa") == []
    issue = articles["tax"].issue
    assert "転入届の受付" not in titles(people.staff, "の", issue=issue)


def test_attachment_names_are_searched(people, articles, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    article = articles["window"]
    upload = SimpleUploadedFile("庁舎配置図.pdf", b"%PDF-1.4", content_type="application/pdf")
    services.attachment_add(article=article, upload=upload, by=people.editor)
    assert titles(people.staff, "配置図") == ["窓口案内の改善"]


def test_the_page_highlights_the_hit(client, people, articles):
    client.force_login(people.staff)
    response = client.get(reverse("bulletins:search"), {"q": "ﾏｲﾅﾝﾊﾞｰ"})
    page = response.content.decode()
    assert "検索結果：2件" in page
    assert "<mark>マイナンバー</mark>カードをお持ちください" in page


def test_the_snippet_maps_back_to_the_original_text():
    html, found = text.snippet("転入の際はﾏｲﾅﾝﾊﾞｰｶｰﾄﾞを<持参>", ["まいなんばー"])
    assert found
    assert html == "転入の際は<mark>ﾏｲﾅﾝﾊﾞｰ</mark>ｶｰﾄﾞを&lt;持参&gt;"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index exists on PostgreSQL")
@pytest.mark.parametrize("query", ["税", "窓口", "マイナンバー"])
def test_postgresql_answers_through_the_bigram_index(people, articles, query):
    """The index serves the query's condition (the bench shows the planner choosing it at
    100,000 articles; with five rows a scan is cheaper, so scans are switched off here)."""
    found = search.matching(Article.objects.order_by(), text.query_terms(query)).values("pk")
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "bulletins_article_search_gin" in plan


def test_the_bigrams_of_a_text():
    assert text.bigrams("窓口 税") == {"窓口", "口", "税"}
    assert text.tsquery_literal("まいな") == "'まい' & 'いな'"
    assert text.tsquery_literal("税") == "'税':*"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the function is PostgreSQL's")
@pytest.mark.parametrize(
    "sample", ["窓口 税", "まいなんばーかーどの交付", "a'b\\c x", "ー", "", "転入届 を 出す 。"]
)
def test_postgresql_makes_the_same_bigrams_as_python(sample):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(bulletins_bigrams(%s))", [sample])
        assert set(cursor.fetchone()[0]) == text.bigrams(sample)


@pytest.mark.parametrize("count", [5, 40])
def test_search_page_runs_a_fixed_number_of_queries(
    client, people, make_article, django_assert_max_num_queries, count
):
    for n in range(count):
        make_article(title=f"窓口のお知らせ{n}")
    client.force_login(people.staff)
    client.get(reverse("bulletins:search"), {"q": "窓口"})
    with django_assert_max_num_queries(12):
        response = client.get(reverse("bulletins:search"), {"q": "窓口"})
    assert response.context["page_obj"].paginator.count == count


def test_the_scan_fallback_finds_the_same(people, articles, monkeypatch):
    """SQLite has no tsvector: the same query on the normalised text alone."""
    from types import SimpleNamespace

    monkeypatch.setattr(search, "connection", SimpleNamespace(vendor="sqlite"))
    assert titles(people.staff, "マイナンバー") == [
        "マイナンバーカードの交付について",
        "転入届の受付",
    ]
    assert Article.objects.filter(search_text__contains="まいなんばー").count() == 3
