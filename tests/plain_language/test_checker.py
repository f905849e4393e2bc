"""The checker on texts with known terms: exactly those findings, at those positions, with
inflected forms; thresholds from the settings; the shipped glossary."""

import pytest

from takatsu_portal.plain_language.checker import check, conjugate, sentences
from takatsu_portal.plain_language.models import Category, Term
from takatsu_portal.plain_language.readability import level_of

pytestmark = pytest.mark.django_db


def found(text, profile="standard", kinds=None):
    result = check(text, profile)
    return [
        (f.kind, f.start, f.end, f.text, f.replacement)
        for f in result.findings
        if kinds is None or f.kind in kinds
    ]


def test_the_shipped_glossary_has_at_least_200_terms_in_every_category_with_history():
    assert Term.objects.count() >= 200
    for category in Category.values:
        assert Term.objects.filter(category=category).count() >= 10, category
    term = Term.objects.get(term="当該")
    assert term.alternative_list == ["その", "この"]
    assert term.history.count() == 1


def test_a_text_with_known_terms_gives_exactly_those_findings_at_their_positions():
    text = "当該書類を速やかに提出してください。"
    assert found(text) == [
        ("term", 0, 2, "当該", "その"),
        ("term", 5, 9, "速やかに", "すぐに"),
    ]


@pytest.mark.parametrize(
    "text, span, replacement",
    [
        ("必要な措置を講ずる。", (3, 9), "対応する"),
        ("必要な措置を講じる。", (3, 9), "対応する"),
        # Inflected: the verb's form is carried over to the replacement.
        ("必要な措置を講じた。", (3, 8), "対応し"),
        ("必要な措置を講じます。", (3, 8), "対応し"),
        # An inflection that cannot be conjugated safely: suggestions only.
        ("必要な措置を講ぜられたい。", (3, 8), None),
    ],
)
def test_inflected_forms_match_one_entry(text, span, replacement):
    [finding] = [f for f in check(text).findings if f.kind == "term"]
    assert (finding.start, finding.end) == span
    assert finding.text == text[span[0] : span[1]]
    assert finding.suggestions[0] == "対応する"
    assert finding.replacement == replacement


def test_multi_token_phrases_match_and_the_longest_term_wins():
    text = "可及的速やかに申請することができます。"
    assert found(text, kinds={"term"}) == [
        ("term", 0, 7, "可及的速やかに", "できるだけ早く"),
        ("term", 9, 16, "することができ", "でき"),
    ]


def test_a_term_inside_a_longer_phrase_is_one_finding():
    # 「この限りでない」 is one entry; its words are not reported again one by one.
    assert found("ただし、この限りでない。", kinds={"term"}) == [
        ("term", 4, 11, "この限りでない", "当てはまりません")
    ]


def test_a_term_written_with_a_placeholder_is_matched_without_it():
    Term.objects.create(term="～をもって", category="jargon", alternatives="～で")
    assert found("書面をもって通知します。", kinds={"term"}) == [("term", 2, 6, "をもって", "で")]


def test_a_term_not_in_use_is_not_reported():
    Term.objects.filter(term="当該").update(is_active=False)
    assert found("当該書類", kinds={"term"}) == []


def test_a_term_without_the_replacement_button_gives_suggestions_only():
    [finding] = check("できないわけではない。").findings
    assert (finding.kind, finding.start, finding.end) == ("term", 2, 10)
    assert finding.replacement is None
    assert finding.suggestions == ["場合もある"]


def test_long_sentences_follow_the_setting(settings):
    sentence = "あ" * 61 + "。"
    assert found(sentence, kinds={"long_sentence"}) == [("long_sentence", 0, 62, sentence, None)]
    settings.PLAIN_LANGUAGE_MAX_SENTENCE_CHARS = 62
    assert found(sentence, kinds={"long_sentence"}) == []


def test_easy_japanese_has_stricter_thresholds(settings):
    text = "きょうは くやくしょの まどぐちで てつづきを します。あした また きます。"
    assert found(text, "standard") == []
    settings.PLAIN_LANGUAGE_EASY_MAX_SENTENCE_CHARS = 20
    assert found(text, "easy", kinds={"long_sentence"}) == [
        ("long_sentence", 0, 28, text[:28], None)
    ]


def test_runs_of_kanji_past_the_limit(settings):
    text = "住民基本台帳事務を担当します。"
    assert found(text, kinds={"kanji_run"}) == [("kanji_run", 0, 8, "住民基本台帳事務", None)]
    settings.PLAIN_LANGUAGE_MAX_KANJI_RUN = 8
    assert found(text, kinds={"kanji_run"}) == []
    # やさしい日本語: more than three kanji in a row.
    assert found("本人確認書類を持ってきてください。", "easy", kinds={"kanji_run"}) == [
        ("kanji_run", 0, 6, "本人確認書類", None)
    ]


def test_more_than_three_commas_in_one_sentence(settings):
    text = "申請書、写真、印鑑、本人確認書類、手数料が必要です。次へ、どうぞ。"
    assert found(text, kinds={"commas"}) == [("commas", 0, 26, text[:26], None)]
    settings.PLAIN_LANGUAGE_MAX_COMMAS = 4
    assert found(text, kinds={"commas"}) == []


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("行けなくはない。", 2, 7),
        ("知らないことはない。", 2, 9),
        ("そうとは言えないとは言えない。", 6, 14),
        ("中止せざるを得ません。", 3, 10),
    ],
)
def test_double_negatives(text, start, end):
    kinds = [(f.kind, f.start, f.end) for f in check(text).findings]
    assert len(kinds) == 1
    assert kinds[0][1:] == (start, end)
    assert kinds[0][0] in ("double_negative", "term")


def test_verbs_made_into_nouns_are_found_with_a_plain_form():
    assert found("意識調査の実施を行う。", kinds={"nominalization"}) == [
        ("nominalization", 0, 10, "意識調査の実施を行う", "意識調査する")
    ]
    # Inflected: the plain form is suggested, not written by a button.
    [finding] = check("改善の検討を行いました。").findings
    assert (finding.kind, finding.start, finding.end) == ("nominalization", 0, 8)
    assert finding.suggestions == ["改善を検討する"]
    assert finding.replacement is None


def test_positions_count_characters_not_bytes_or_utf16_units():
    text = "𠮷田様、当該書類をお送りします。"
    [finding] = [f for f in check(text).findings if f.kind == "term"]
    assert (finding.start, finding.end) == (4, 6)
    assert text[finding.start : finding.end] == "当該"


def test_a_long_text_is_checked_in_pieces_with_positions_in_the_whole():
    text = ("窓口で手続きをします。\n" * 1000) + "当該書類"
    [finding] = [f for f in check(text).findings if f.kind == "term"]
    assert text[finding.start : finding.end] == "当該"
    assert finding.start == 11 * 1000 + 1000


def test_an_edited_term_is_used_by_the_next_check():
    assert found("ステークホルダー", kinds={"term"})[0][4] == "関係する人や団体"
    term = Term.objects.get(term="ステークホルダー")
    term.alternatives = "関係者"
    term.save()
    assert found("ステークホルダー", kinds={"term"})[0][4] == "関係者"


def test_readability_is_higher_for_plain_text():
    hard = check("当該申請に係る所要の措置を講ずるものとし、関係機関との連携を図る。")
    easy = check("きょうは いい てんきです。こうえんで あそびます。")
    assert easy.readability.score > hard.readability.score
    assert hard.readability.level in ("上級後半", "上級前半", "中級後半")


def test_readability_levels():
    assert level_of(6.0) == ("初級前半", "とてもやさしい")
    assert level_of(3.0) == ("中級後半", "やや難しい")
    assert level_of(-1.0) == ("上級後半", "とても難しい")


def test_an_empty_text_has_no_findings_and_no_score():
    result = check("")
    assert result.findings == []
    assert result.readability is None


def test_sentences_are_cut_after_end_marks_and_at_line_ends():
    assert sentences("はい。 いいえ！\nたぶん") == [(0, 3), (4, 8), (9, 12)]


def test_conjugate_only_where_certain():
    assert conjugate("対応する", "連用形-一般") == "対応し"
    assert conjugate("考える", "連用形-一般") == "考え"
    assert conjugate("役立つ", "連用形-促音便") is None
    assert conjugate("対応する", "未然形-一般") is None
