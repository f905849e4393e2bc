"""The barrier-free inspections of the demo 高津区役所: the places of the ward office building,
the teams, and what two inspections a year apart found (and what became of it).

Every name is invented. Sections and windows are named as in `demo/data/accounts.py` and
`demo/feedback.py`.
"""

from typing import NamedTuple

BUILDING = "高津区役所 本庁舎"
ADDRESS = "川崎市高津区下作延二丁目8番1号"

# (floor name, level)
FLOORS = [("屋外", 0), ("1階", 1), ("2階", 2), ("4階", 4)]


class PlaceSeed(NamedTuple):
    floor: str
    name: str
    place_type: str
    section: str
    window: str = ""  # a key of demo.feedback.WINDOWS


PLACES = {
    "ramp": PlaceSeed("屋外", "正面玄関前スロープ", "ramp", "総務課"),
    "parking": PlaceSeed("屋外", "車いす使用者用駐車区画", "parking", "総務課"),
    "entrance": PlaceSeed("1階", "正面玄関", "entrance", "総務課"),
    "annai": PlaceSeed("1階", "総合案内", "counter", "総務課", "annai"),
    "jumin": PlaceSeed("1階", "住民記録窓口（1番）", "counter", "区民課", "jumin"),
    "shomei": PlaceSeed("1階", "証明書発行窓口（3番）", "counter", "区民課", "shomei"),
    "kokuho": PlaceSeed("1階", "国民健康保険窓口（8番）", "counter", "保険年金課", "kokuho"),
    "wait1": PlaceSeed("1階", "待合スペース", "waiting", "区民課"),
    "toilet1": PlaceSeed("1階", "多機能トイレ", "toilet", "総務課"),
    "lift1": PlaceSeed("1階", "エレベーターホール", "lift", "総務課"),
    "corridor1": PlaceSeed("1階", "東側廊下", "corridor", "総務課"),
    "kosodate": PlaceSeed("2階", "子育て相談窓口（21番）", "counter", "児童家庭課", "kosodate"),
    "kaigo": PlaceSeed("2階", "介護保険窓口（25番）", "counter", "高齢・障害課", "kaigo"),
    "baby": PlaceSeed("2階", "授乳室", "baby", "児童家庭課"),
    "wait2": PlaceSeed("2階", "待合スペース", "waiting", "児童家庭課"),
    "toilet2": PlaceSeed("2階", "多機能トイレ", "toilet", "総務課"),
    "katsudo": PlaceSeed("4階", "区民活動の相談窓口（41番）", "counter", "地域振興課", "katsudo"),
    # Walked by last year's inspection, closed since: retired (kept with its answers).
    "rinji": PlaceSeed("1階", "臨時給付金窓口（5番）", "counter", "区民課"),
}
# Retired after last year's inspection, about five months ago.
RETIRED = {"rinji": 150}

# A second building of the office, with its own points (not inspected yet).
ANNEX = "高津区役所 道路公園センター"
ANNEX_ADDRESS = "川崎市高津区坂戸三丁目12番4号"
ANNEX_FLOORS = [("1階", 1), ("2階", 2)]
ANNEX_PLACES = {
    "annex_entrance": PlaceSeed("1階", "正面出入口", "entrance", "総務課"),
    "annex_counter": PlaceSeed("1階", "占用許可の受付窓口", "counter", "総務課"),
    "annex_toilet": PlaceSeed("1階", "多機能トイレ", "toilet", "総務課"),
    "annex_lift": PlaceSeed("1階", "エレベーター", "lift", "総務課"),
    "annex_wait": PlaceSeed("2階", "打合せ待合コーナー", "waiting", "総務課"),
}

# The checklist revised after last year's inspection (its version 2; both inspections keep
# version 1): an item added from a resident's voice and an item's guidance sharpened.
REVISION_NOTE = "外国籍の区民の声を受けて、音声翻訳機の項目を追加"
REVISION_ITEM = {
    "code": "情-12",
    "barrier": "information",
    "place_type": "counter",
    "text": "窓口で多言語の音声翻訳機を使える",
    "guidance": (
        "翻訳機が充電され、すぐ出せる場所にあるか。職員が使い方を知っていて、"
        "やさしい日本語と併せて使っているかを確かめる。"
    ),
    "answer_kind": "rating",
    "photo_expected": False,
}
REVISED_CODE = "心-02"
REVISED_GUIDANCE = (
    "専門用語や役所言葉を使わず、短い文で話しているか。"
    "「住民票の写し」など用語を使うときは、言い換えを添えているかを確かめる。"
)

# A measured value that meets the rule, for the items nobody found wanting.
GOOD_VALUES = {
    "物-01": "95",
    "物-05": "180",
    "物-07": "1/15",
    "物-10": "72",
    "物-11": "67",
    "物-12": "50",
    "物-13": "90",
    "物-14": "150",
    "物-15": "160",
    "物-17": "90",
    "物-20": "360",
}

LAST_TITLE = "本庁舎バリアフリー点検（前年度）"
THIS_TITLE = "本庁舎バリアフリー点検（今年度）"


class TeamSeed(NamedTuple):
    kind: str
    username: str = ""
    resident_role: str = ""
    resident_name: str = ""


TEAM = [
    TeamSeed("staff", "subcommittee"),
    TeamSeed("wheelchair", "staff"),
    TeamSeed("pram", "nakagawa.yui"),
    TeamSeed("staff", "murakami.aya"),
    TeamSeed("resident", resident_role="視覚に障害のある区民（白杖を使用）"),
    TeamSeed(
        "resident",
        resident_role="外国籍の区民（日本語は日常会話程度）",
        resident_name="グエン・ティ・ラン",
    ),
    TeamSeed("resident", resident_role="子育て中の区民（ベビーカーを使用）"),
]


class Deficiency(NamedTuple):
    """Something an inspection found wanting, and what became of it.

    fate: open (nobody has acted), corrected (waiting for a re-check), closed (corrected, then
    confirmed by a re-check; `late` when after the due date), later (corrected, confirmed by
    this year's inspection), proposed (a project proposal, pending), returned (a proposal the
    subcommittee sent back with a comment).
    """

    place: str
    code: str
    note: str
    severity: str
    fate: str
    value: str = ""
    correction: str = ""
    days_to_fix: int = 0
    voice: str = ""  # the summary of a demo resident voice to link


LAST_YEAR = [
    Deficiency(
        "ramp",
        "物-07",
        "勾配が約1/10で、車いすを押す職員が途中で止まった。踊り場もない。",
        "high",
        "proposed",
        value="1/10",
        voice="正面玄関のスロープが急",
    ),
    Deficiency(
        "jumin",
        "物-10",
        "記載台の高さが78cmで、車いすでは手元が見えない。",
        "high",
        "closed",
        value="78",
        correction="天板の高さ72cmのローカウンターを1台設置した。",
        days_to_fix=21,
    ),
    Deficiency(
        "annai",
        "情-05",
        "ヒアリングループの表示がなく、機器も電池切れだった。",
        "medium",
        "later",
        correction="電池を交換し、耳マークとループ設置の表示を掲示した。",
        days_to_fix=14,
    ),
    Deficiency(
        "toilet1",
        "情-08",
        "光で知らせる非常警報がない。",
        "high",
        "returned",
    ),
    Deficiency(
        "baby",
        "物-23",
        "内側の鍵が壊れていて、授乳中に扉が開いてしまう。",
        "medium",
        "closed",
        correction="鍵を交換した。",
        days_to_fix=120,
    ),
    Deficiency(
        "corridor1",
        "物-06",
        "段ボール箱と古いパンフレットスタンドが通路をふさいでいる。",
        "low",
        "open",
    ),
    Deficiency(
        "entrance",
        "情-01",
        "フロア案内が日本語だけで、ピクトグラムもない。",
        "medium",
        "corrected",
        correction="英語・中国語・韓国語・ポルトガル語とピクトグラムを加えたフロア案内に張り替えた。",
        days_to_fix=60,
    ),
    Deficiency(
        "kokuho",
        "心-04",
        "耳の不自由な区民モニターに、職員から筆談を申し出なかった。",
        "medium",
        "closed",
        correction="課内で筆談・コミュニケーションボードの使い方の研修を行い、窓口に常備した。",
        days_to_fix=40,
        voice="に筆談の用意がほしい",
    ),
]

THIS_YEAR = [
    Deficiency(
        "parking",
        "物-20",
        "区画の幅が330cmで、車いすの乗り降りに足りない。",
        "high",
        "open",
        value="330",
    ),
    Deficiency(
        "kosodate",
        "情-04",
        "手続きの案内がやさしい日本語になっていない。",
        "medium",
        "corrected",
        correction="主な案内3枚をやさしい日本語（ふりがな付き）で作り直した。",
        days_to_fix=7,
    ),
    Deficiency(
        "wait2",
        "物-22",
        "待合にベビーカーのまま待てる場所がない。",
        "medium",
        "proposed",
        voice="の近くにベビーカーを置く場所がない",
    ),
]

# This year's inspection walks these places (and is still in progress).
THIS_YEAR_PLACES = ["annai", "parking", "kosodate", "wait2", "baby", "kaigo"]

RETURN_COMMENT = (
    "光警報装置は全トイレでの設置を庁舎修繕計画で検討します。"
    "対象の個室と概算額を整理して再提出してください。"
)
