"""The rest of the city in the demo: a second, smaller ward (宮前区役所) and the city planning
bureau's account (総合企画局), so that every page of a ward shows that one ward never sees the
other's rows and the city's comparison (区役所比較) has two wards side by side.

Everything here is invented. Section names differ from 高津区役所's on purpose: some demo
seeders of other apps find Takatsu's sections by name alone.

Staff numbers are drawn in the order of MIYAMAE_PEOPLE (then the city account) from their own
seeded generator, skipping Takatsu's; add new people at the end.
"""

from typing import NamedTuple

from takatsu_portal.accounts.roles import Role

from .accounts import Person

OFFICE_CODE = "miyamae"
OFFICE_NAME = "宮前区役所"
OFFICE_NAME_TRANSLATIONS = {
    "en": "Miyamae Ward Office",
    "ja-easy": "みやまえ くやくしょ",
}
# The ward's settings (区役所ごとの設定): its own portal name and public name; reminders a
# little closer to the due dates than 高津区's.
OFFICE_SETTINGS = {
    "portal_name": "宮前区役所サービスポータル",
    "resident_name": "川崎市 宮前区役所",
    "public_base_url": "http://127.0.0.1:8000",
    "plan_due_month": 4,
    "plan_due_day": 30,
    "progress_reminder_days": 3,
    "bulletin_reminder_days": 2,
}
# After Takatsu (whose sort order is 0) in every list of offices.
OFFICE_SORT_ORDER = 50
STAFF_NUMBER_SEED = 2027

# The ward's own guideline is a copy of the city's (core/guideline.py); these titles are the
# ones 宮前区 rewrote in its own words (by number).
GUIDELINE_TITLES = {
    "policies": {
        2: "区民に寄り添い、親切で分かりやすい案内を届ける宮前区役所",
        5: "心・情報・物のバリアフリーを進め、誰もが来やすい宮前区役所",
    },
    "areas": {
        2: "来庁者が過ごしやすい庁舎環境づくり",
    },
}

# (department, its sections), in display order.
ORGANISATION = [
    ("宮前区まちづくり推進部", ["区政推進課", "地域活動支援課"]),
    ("宮前区区民サービス部", ["戸籍住民サービス課", "保険年金・税証明課"]),
    ("宮前区地域みまもり支援センター", ["地域ケア支援課", "こども家庭支援課"]),
]

STAFF = Role.STAFF
MANAGER = Role.SECTION_MANAGER
SUBCOMMITTEE = Role.SUBCOMMITTEE
COUNCIL = Role.COUNCIL
WG_LEAD = Role.WG_LEAD

# The demo accounts of the second ward (password takatsu-demo), then its other staff.
MIYAMAE_ACCOUNTS = [
    Person(
        "miyamae-subcommittee",
        "青木 真理子",
        "あおき まりこ",
        "区政推進課",
        "企画担当係長・サービス推進部会 事務局",
        (STAFF, SUBCOMMITTEE),
    ),
    Person(
        "miyamae-manager",
        "松田 浩二",
        "まつだ こうじ",
        "戸籍住民サービス課",
        "戸籍住民サービス課長",
        (STAFF, MANAGER),
    ),
    Person(
        "miyamae-staff",
        "森 さくら",
        "もり さくら",
        "戸籍住民サービス課",
        "主事（窓口）",
        (STAFF,),
    ),
]

MIYAMAE_STAFF = [
    Person("miyamae.kaneko", "金子 正人", "かねこ まさと", "区政推進課", "区長", (COUNCIL,)),
    Person(
        "miyamae.ishida",
        "石田 典子",
        "いしだ のりこ",
        "区政推進課",
        "区政推進課長",
        (STAFF, MANAGER, COUNCIL, SUBCOMMITTEE),
    ),
    Person("miyamae.ueda", "上田 航", "うえだ わたる", "区政推進課", "主任", (STAFF, WG_LEAD)),
    Person(
        "miyamae.noda",
        "野田 康弘",
        "のだ やすひろ",
        "地域活動支援課",
        "地域活動支援課長",
        (STAFF, MANAGER),
    ),
    Person("miyamae.sakai", "酒井 千尋", "さかい ちひろ", "地域活動支援課", "主事", (STAFF,)),
    Person("miyamae.kudo", "工藤 大輔", "くどう だいすけ", "地域活動支援課", "主事", (STAFF,)),
    Person("miyamae.hirano", "平野 美香", "ひらの みか", "戸籍住民サービス課", "係長", (STAFF,)),
    Person("miyamae.arai", "新井 悠斗", "あらい ゆうと", "戸籍住民サービス課", "主事", (STAFF,)),
    Person(
        "miyamae.takeda",
        "武田 弘美",
        "たけだ ひろみ",
        "保険年金・税証明課",
        "保険年金・税証明課長",
        (STAFF, MANAGER),
    ),
    Person(
        "miyamae.ogawa", "小川 亮", "おがわ りょう", "保険年金・税証明課", "主任", (STAFF, WG_LEAD)
    ),
    Person("miyamae.miura", "三浦 瑞穂", "みうら みずほ", "保険年金・税証明課", "主事", (STAFF,)),
    Person(
        "miyamae.fukuda",
        "福田 和也",
        "ふくだ かずや",
        "地域ケア支援課",
        "地域ケア支援課長",
        (STAFF, MANAGER, COUNCIL),
    ),
    Person("miyamae.iwasaki", "岩崎 愛", "いわさき あい", "地域ケア支援課", "保健師", (STAFF,)),
    Person("miyamae.kubo", "久保 誠", "くぼ まこと", "地域ケア支援課", "社会福祉職", (STAFF,)),
    Person(
        "miyamae.sugawara",
        "菅原 陽子",
        "すがわら ようこ",
        "こども家庭支援課",
        "こども家庭支援課長",
        (STAFF, MANAGER),
    ),
    Person("miyamae.nagai", "永井 翔太", "ながい しょうた", "こども家庭支援課", "主事", (STAFF,)),
    Person("miyamae.honda", "本田 里奈", "ほんだ りな", "こども家庭支援課", "保育士", (STAFF,)),
]

MIYAMAE_PEOPLE = MIYAMAE_ACCOUNTS + MIYAMAE_STAFF

# The city planning bureau's account: no section (the bureau is not a ward office), so it
# belongs to no office and reads every office (accounts.see_every_office through its role).
CITY_ACCOUNT = Person(
    "city",
    "村上 健司",
    "むらかみ けんじ",
    "",
    "総合企画局 都市経営部 企画調整担当課長",
    (Role.CITY,),
)

DEMO_ACCOUNTS = MIYAMAE_ACCOUNTS + [CITY_ACCOUNT]

SECRETARY = "miyamae-subcommittee"
CHAIR = "miyamae.ishida"
COUNCIL_CHAIR = "miyamae.kaneko"

PLAN_SUMMARY = (
    "「区役所サービス5つの基本方針」に基づき、転入の多い宮前区の戸籍・住民票の窓口の待ち時間の"
    "短縮と、子育て世代に分かりやすい案内に重点的に取り組む。"
)

# The stages of this year's plan (month, day, who, comment). The council approved the plan
# in mid-May: after the guideline's end-of-April target, which the comparison shows.
PLAN_MOVES = [
    ("reported", (4, 24), SECRETARY, "推進部会で素案を確認した。区企画調整会議に報告する。"),
    ("plan_approved", (5, 15), COUNCIL_CHAIR, "第1回区企画調整会議：承認"),
    ("projects_drafted", (6, 5), SECRETARY, "各課の事業企画案をまとめた。"),
    ("projects_approved", (6, 26), COUNCIL_CHAIR, "第2回区企画調整会議：承認"),
    ("budget_requested", (7, 3), CHAIR, "予算要求を行った。"),
    ("in_progress", (7, 10), SECRETARY, "各事業の実施に入る。"),
]


class ProjectSeed(NamedTuple):
    number: int
    title: str
    description: str
    policies: tuple
    area: int
    section: str
    status: str
    requested: int
    approved: int | None
    lead: str  # who files the progress reports
    # Per reporting period that has ended: "on_time", "late" or "missing".
    reports: tuple


PROJECTS = [
    ProjectSeed(
        1,
        "転入手続きの予約制窓口の試行",
        "3月・4月の繁忙期に、転入手続きのウェブ予約枠を設けて待ち時間を平準化する。",
        (1, 3),
        1,
        "戸籍住民サービス課",
        "in_progress",
        1_800_000,
        1_500_000,
        "miyamae-manager",
        ("on_time", "on_time", "on_time"),
    ),
    ProjectSeed(
        2,
        "子育て手続き案内シートの作成",
        "出生・転入時に必要な手続きを一枚にまとめた案内シートを作り、窓口で手渡す。",
        (2, 4),
        1,
        "こども家庭支援課",
        "completed",
        300_000,
        280_000,
        "miyamae.sugawara",
        ("on_time", "late", "on_time"),
    ),
    ProjectSeed(
        3,
        "待合スペースのキッズコーナー改修",
        "2階待合のキッズコーナーを改修し、授乳室への案内表示を増やす。",
        (1, 5),
        2,
        "区政推進課",
        "in_progress",
        2_400_000,
        2_000_000,
        "miyamae.ueda",
        ("late", "on_time", "missing"),
    ),
    ProjectSeed(
        4,
        "証明書コンビニ交付の案内強化",
        "マイナンバーカードによるコンビニ交付を窓口と区ホームページで案内し、来庁を減らす。",
        (2, 3),
        1,
        "保険年金・税証明課",
        "in_progress",
        500_000,
        500_000,
        "miyamae.ogawa",
        ("on_time", "on_time", "late"),
    ),
    ProjectSeed(
        5,
        "職員向け「みやまえ窓口メモ」の発行",
        "制度改正や窓口で多い問合せを月1回、職員向けにまとめて配る。",
        (2, 4),
        3,
        "区政推進課",
        "in_progress",
        100_000,
        100_000,
        "miyamae.ueda",
        ("on_time", "on_time", "on_time"),
    ),
    ProjectSeed(
        6,
        "地域ケア窓口の接遇研修",
        "高齢者・障害のある方への対応を中心に、地域ケア支援課の職員が接遇研修を受ける。",
        (1, 5),
        4,
        "地域ケア支援課",
        "in_progress",
        400_000,
        350_000,
        "miyamae.fukuda",
        ("on_time", "missing", "late"),
    ),
    ProjectSeed(
        7,
        "区民課と保険年金課の手続き連携",
        "転入時の国民健康保険の加入を、住民異動の窓口で続けて受け付ける。",
        (4,),
        5,
        "保険年金・税証明課",
        "planned",
        600_000,
        None,
        "miyamae.ogawa",
        (),
    ),
    ProjectSeed(
        8,
        "地域活動団体への庁舎会議室の案内",
        "地域活動団体が会議室を探しやすいよう、空き状況の掲示を始める予定だったが、全市の"
        "予約システム導入が決まったため中止した。",
        (2,),
        2,
        "地域活動支援課",
        "suspended",
        200_000,
        0,
        "miyamae.noda",
        ("on_time",),
    ),
]

# The window satisfaction survey: one window question, the overall satisfaction, a comment.
SURVEY_TITLE = "宮前区役所 窓口アンケート（{era}）"
SURVEY_INTRODUCTION = (
    "本日は宮前区役所をご利用いただき、ありがとうございます。よりよい窓口にするため、"
    "アンケートにご協力ください（1分ほどで終わります）。"
)
SURVEY_SEED = 4202
SURVEY_QUESTIONS = [
    ("window", "本日ご利用の窓口を選んでください。", True),
    ("satisfaction", "本日の窓口の対応に満足しましたか。", True),
    ("text", "ご意見・ご要望があればお書きください。", False),
]

# (section, window name, location, mean satisfaction, weight of visitors)
WINDOWS = [
    ("戸籍住民サービス課", "住民異動・証明書窓口", "1階 1〜6番窓口", 3.7, 5),
    ("保険年金・税証明課", "国民健康保険・税証明窓口", "1階 8〜11番窓口", 3.9, 3),
    ("こども家庭支援課", "こども・子育て手続き窓口", "2階 21番窓口", 4.2, 2),
]

COMMENTS = [
    "予約枠のおかげで待たずに済みました。",
    "番号札の呼び出しが聞き取りにくかったです。",
    "案内シートが分かりやすかったです。",
    "駐車場が混んでいて入れませんでした。",
    "職員の方が丁寧に説明してくれました。",
]

# Resident voices: (category, section, summary, days ago received, answered after N days or
# None when still open).
VOICES = [
    ("waiting", "戸籍住民サービス課", "転入手続きで1時間以上待った", 200, 6),
    ("waiting", "戸籍住民サービス課", "土曜開庁日の待ち時間が長い", 170, 18),
    ("wayfinding", "区政推進課", "授乳室の場所が分からなかった", 160, 4),
    ("manner", "保険年金・税証明課", "説明が早口で分かりにくかった", 150, 9),
    ("jargon", "保険年金・税証明課", "「資格喪失」の意味が分からない", 140, 12),
    ("facilities", "区政推進課", "2階の待合の椅子が少なく立って待った", 120, 20),
    ("accessibility", "区政推進課", "車いすで記載台が使いにくい", 110, 10),
    ("passed_around", "こども家庭支援課", "児童手当の窓口で別の課へ回された", 95, 7),
    ("waiting", "保険年金・税証明課", "証明書の交付に時間がかかった", 80, 3),
    ("other", "地域活動支援課", "会議室の予約方法を知りたい", 70, 5),
    ("manner", "地域ケア支援課", "電話で丁寧に対応してもらえた", 60, 2),
    ("wayfinding", "戸籍住民サービス課", "番号札の発券機の場所が分かりにくい", 45, 16),
    ("waiting", "戸籍住民サービス課", "マイナンバーカードの受取に時間がかかる", 30, 8),
    ("jargon", "こども家庭支援課", "案内文の「所得制限」の説明が難しい", 20, None),
    ("facilities", "区政推進課", "駐輪場が狭い", 10, None),
    ("other", "地域ケア支援課", "介護保険の相談日を増やしてほしい", 3, None),
]

VOICE_ANSWER = (
    "ご意見ありがとうございます。担当課で状況を確認し、改善の方法を検討しました。"
    "今後の窓口の運営に生かしてまいります。"
)

# The ward's own training: one course for everyone each fiscal year; these were absent.
COURSE_TITLE = "宮前区 窓口接遇研修（全職員）"
COURSE_OBJECTIVES = "来庁者を迎える姿勢、分かりやすい説明、電話応対の基本を、事例を使って学ぶ。"
REQUIREMENT_TITLE = "窓口接遇研修（宮前区・全職員・毎年度）"
NOT_TRAINED = {"miyamae.kaneko", "miyamae.kudo", "miyamae.honda", "miyamae.kubo"}
