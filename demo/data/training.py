"""The training year of the fictional 高津区役所: courses with their sessions (each fiscal year,
by month and day), the required-training rules, and who is new this year. Every title, place
and instructor is invented."""

from decimal import Decimal
from typing import NamedTuple


class CourseSeed(NamedTuple):
    key: str
    title: str
    category: str
    kind: str  # "voluntary" (希望研修) or "nominated" (指名研修)
    hours: Decimal
    policies: tuple  # numbers of the basic policies it serves
    objectives: str
    dates: tuple  # ((month, day, hour), ...) in each fiscal year
    capacity: int
    place: str
    instructor: str
    online: bool = False
    needs_approval: bool = False
    evaluation_required: bool = False


HALL = "高津区役所 5階 大会議室"
ROOM = "高津区役所 4階 第2会議室"

COURSES = [
    CourseSeed(
        "service",
        "窓口接遇研修（基礎）",
        "service",
        "voluntary",
        Decimal("2.0"),
        (1, 2),
        "来庁者を迎える姿勢、分かりやすい説明、待ち時間の声かけを、ロールプレイで身につけます。"
        "区民の視点に立った応対を、窓口以外の職員も含めて毎年確認します。",
        ((5, 19, 14), (7, 8, 14), (10, 14, 14), (1, 20, 14)),
        30,
        HALL,
        "外部講師 株式会社ヒューマンサービス研究所 岡本 美和",
        evaluation_required=True,
    ),
    CourseSeed(
        "phone",
        "電話応対スキルアップ研修",
        "service",
        "voluntary",
        Decimal("1.5"),
        (1, 2),
        "名乗り、用件の確認、たらい回しにしない取次ぎを練習します。",
        ((6, 10, 15), (11, 11, 15)),
        20,
        ROOM,
        "区民課 主任 髙橋 真由美",
    ),
    CourseSeed(
        "plain",
        "やさしい日本語研修 〜外国人住民に伝わる案内〜",
        "plain_japanese",
        "voluntary",
        Decimal("2.0"),
        (2, 3),
        "一文を短く、難しい言葉を言い換える「やさしい日本語」で、窓口の案内や通知文を書き直します。",
        ((6, 24, 10), (9, 16, 10), (12, 16, 10), (2, 17, 10)),
        30,
        ROOM,
        "外部講師 多文化共生センター 李 恵美",
        needs_approval=True,
    ),
    CourseSeed(
        "access",
        "障害のある方への応対研修（合理的配慮）",
        "accessibility",
        "voluntary",
        Decimal("2.0"),
        (1, 4),
        "障害者差別解消法と合理的配慮の提供、筆談や コミュニケーションボードの使い方を学びます。",
        ((9, 9, 14), (12, 21, 14)),
        12,
        ROOM,
        "外部講師 川崎市聴覚障害者情報文化センター 相談員",
    ),
    CourseSeed(
        "security",
        "情報セキュリティ研修（全職員）",
        "security",
        "voluntary",
        Decimal("1.0"),
        (5,),
        "標的型メール、USBメモリ、個人情報の持ち出しなど、庁内の情報セキュリティの決まりを確認します。",
        ((5, 28, 10), (8, 20, 10), (11, 26, 10)),
        40,
        "オンライン（庁内会議システム）",
        "総務局 情報管理部 担当者",
        online=True,
    ),
    CourseSeed(
        "issues",
        "高津区の地域課題を知る研修",
        "ward_issues",
        "voluntary",
        Decimal("3.0"),
        (3, 4),
        "人口の動き、子育て・高齢者の支援、多摩川沿いの防災など、区の課題を各課の職員が紹介します。",
        ((7, 22, 13), (1, 28, 13)),
        25,
        HALL,
        "企画課 企画課長 松本 浩二",
    ),
    CourseSeed(
        "disaster",
        "防災・避難所運営研修",
        "ward_issues",
        "voluntary",
        Decimal("3.0"),
        (4,),
        "避難所の開設手順、要配慮者の受け入れ、情報の伝え方を、図上訓練で確認します。",
        ((8, 27, 13),),
        24,
        HALL,
        "危機管理担当 危機管理担当課長 山崎 剛",
    ),
    CourseSeed(
        "newcomer",
        "新任職員研修（区役所の仕事と5つの基本方針）",
        "knowledge",
        "nominated",
        Decimal("6.0"),
        (1, 2, 3, 4, 5),
        "区役所の組織と仕事、サービス向上の基本方針、区民の声への対応を学びます。新任職員を指名します。",
        ((4, 15, 9), (12, 17, 9)),
        10,
        HALL,
        "総務課 人材育成担当 西村 理恵",
        evaluation_required=True,
    ),
    CourseSeed(
        "managers",
        "課長級マネジメント研修（ハラスメント防止）",
        "other",
        "nominated",
        Decimal("2.0"),
        (5,),
        "ハラスメントの防止と相談対応、職場の心理的安全性について学びます。課長級を指名します。",
        ((6, 3, 15),),
        20,
        ROOM,
        "外部講師 社会保険労務士 中川 誠",
    ),
    CourseSeed(
        "register",
        "戸籍・住民基本台帳事務研修",
        "knowledge",
        "voluntary",
        Decimal("3.0"),
        (5,),
        "届出の受付と審査の要点、本人確認、誤交付を防ぐ確認手順を学びます。",
        ((10, 7, 13),),
        15,
        ROOM,
        "区民課 区民課長 佐藤 裕之",
    ),
]


class RuleSeed(NamedTuple):
    title: str
    audience: str  # all, role, section, window, joiners
    what: tuple  # ("course", course key) or ("category", category value)
    due: str = "fiscal_year"  # or "after_joining"
    months: int | None = None
    role: str = ""


REQUIREMENTS = [
    RuleSeed("接遇研修（全職員・毎年度）", "all", ("category", "service")),
    RuleSeed("情報セキュリティ研修（全職員・毎年度）", "all", ("course", "security")),
    RuleSeed("窓口職員のやさしい日本語研修", "window", ("category", "plain_japanese")),
    RuleSeed(
        "新任職員研修（着任後3か月以内）", "joiners", ("course", "newcomer"), "after_joining", 3
    ),
    RuleSeed(
        "課長級のハラスメント防止研修", "role", ("course", "managers"), role="section_manager"
    ),
]

# New to the office this fiscal year (joined on 1 April); everyone else joined years ago.
NEWCOMERS = ["ito.hina", "fujita.shinya", "endo.yuichi"]

# The two sections with gaps: most of their staff have not yet taken this year's 接遇研修 and
# 情報セキュリティ研修.
GAP_SECTIONS = ["保険年金課", "地域支援課"]

COMMENTS = [
    "ロールプレイで、自分の言い方の癖に気づけた。",
    "待っている方への声かけの例がすぐに使える。",
    "時間が短く感じた。事例をもっと聞きたい。",
    "他の課の職員と話せたのがよかった。",
    "資料を課内でも共有したい。",
    "",
    "",
]
