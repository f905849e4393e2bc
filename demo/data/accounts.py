"""The fictional 高津区役所 that `manage.py seed_demo` builds: its organisation and its staff.

The organisation follows the shape of a Kawasaki ward office (まちづくり推進部, 区民サービス部,
地域みまもり支援センター, the ward's 道路公園センター and election commission secretariat);
every person is invented. Section names are unique across the office, so a person names their
section alone.

People are listed in a fixed order and their staff numbers are drawn in that order from a
seeded generator, so add new people at the end of OTHER_STAFF: a person inserted earlier would
shift the number of everyone after them.

The ward head (区長), deputy (副区長) and department heads (部長, 所長) belong to a department
rather than a section, but the portal files everyone under a section, so they are placed in
the section that serves their office (総務課, 区民課, 地域支援課, ...).
"""

from typing import NamedTuple

from takatsu_portal.accounts.roles import Role

OFFICE_CODE = "takatsu"
OFFICE_NAME = "高津区役所"
# The public name on the survey pages, by language (the Japanese is shown beside it).
OFFICE_NAME_TRANSLATIONS = {
    "en": "Takatsu Ward Office",
    "ja-easy": "たかつ くやくしょ",
    "zh": "高津区政府",
    "ko": "다카쓰구청",
    "pt": "Prefeitura do Distrito de Takatsu",
    "vi": "Văn phòng quận Takatsu",
}
# The office's settings (区役所ごとの設定, accounts.Office), shown in the admin and used by the
# pages: the header's portal name, the public survey pages' name and address, the plan's
# deadline, the reminder days (issue 15).
OFFICE_SETTINGS = {
    "portal_name": "高津区役所サービスポータル",
    "resident_name": "川崎市 高津区役所",
    "public_base_url": "http://127.0.0.1:8000",
    "plan_due_month": 4,
    "plan_due_day": 30,
    "progress_reminder_days": 5,
    "bulletin_reminder_days": 3,
}

DEMO_PASSWORD = "takatsu-demo"
EMAIL_DOMAIN = "example.city.kawasaki.jp"

# (department, its sections), in display order.
ORGANISATION = [
    ("まちづくり推進部", ["総務課", "企画課", "地域振興課", "生涯学習支援課", "危機管理担当"]),
    ("区民サービス部", ["区民課", "保険年金課"]),
    (
        "地域みまもり支援センター（福祉事務所・保健所支所）",
        [
            "地域支援課",
            "地域ケア推進課",
            "高齢・障害課",
            "児童家庭課",
            "保育所等・地域連携",
            "衛生課",
        ],
    ),
    ("道路公園センター", ["道路公園センター管理課", "道路公園センター整備課"]),
    ("高津区選挙管理委員会", ["選挙管理委員会事務局"]),
]


class Person(NamedTuple):
    username: str
    full_name: str  # family name, a space, given name
    full_name_kana: str  # the same in hiragana
    section: str
    title: str  # 職名; shown in the command's summary, not stored (User has no title field)
    roles: tuple


STAFF = Role.STAFF
WG_LEAD = Role.WG_LEAD
SUBCOMMITTEE = Role.SUBCOMMITTEE
COUNCIL = Role.COUNCIL
MANAGER = Role.SECTION_MANAGER
ADMINISTRATOR = Role.ADMINISTRATOR
EDITOR = Role.EDITOR

# One account per role, for trying the portal as that role.
DEMO_ACCOUNTS = [
    Person(
        "admin", "小林 直樹", "こばやし なおき", "総務課", "情報システム担当係長", (ADMINISTRATOR,)
    ),
    Person("staff", "田中 美咲", "たなか みさき", "区民課", "主事（窓口）", (STAFF,)),
    Person(
        "wglead",
        "鈴木 健太",
        "すずき けんた",
        "区民課",
        "係長・窓口サービス向上WGリーダー",
        (WG_LEAD, STAFF),
    ),
    Person(
        "subcommittee",
        "山口 恵",
        "やまぐち めぐみ",
        "企画課",
        "企画係長・サービス推進部会 事務局",
        (SUBCOMMITTEE,),
    ),
    Person("council", "中島 隆", "なかじま たかし", "総務課", "まちづくり推進部長", (COUNCIL,)),
    Person("manager", "佐藤 裕之", "さとう ひろゆき", "区民課", "区民課長", (MANAGER,)),
]

# Demo accounts of roles added later. They are listed after OTHER_STAFF in PEOPLE, so that the
# staff numbers drawn for everyone before them stay as they were.
LATER_ACCOUNTS = [
    Person(
        "trainer",
        "西村 理恵",
        "にしむら りえ",
        "総務課",
        "人材育成担当係長（研修担当）",
        (Role.TRAINER, STAFF),
    ),
    Person(
        "editor",
        "高橋 由紀",
        "たかはし ゆき",
        "企画課",
        "主任・職員向け情報紙 編集担当",
        (Role.EDITOR, STAFF),
    ),
]
DEMO_ACCOUNTS = DEMO_ACCOUNTS + LATER_ACCOUNTS

DEMO_USERNAMES = [person.username for person in DEMO_ACCOUNTS]

# Everyone else. Each holds the staff role; section heads (課長) are section managers, the ward
# head, deputy and department heads sit on the council, and the subcommittee is chaired by the
# 区民サービス部長.
OTHER_STAFF = [
    # まちづくり推進部
    Person("omori.kazuhiko", "大森 和彦", "おおもり かずひこ", "総務課", "区長", (STAFF, COUNCIL)),
    Person(
        "ishikawa.yumiko", "石川 由美子", "いしかわ ゆみこ", "総務課", "副区長", (STAFF, COUNCIL)
    ),
    Person("saito.makoto", "齋藤 誠", "さいとう まこと", "総務課", "総務課長", (STAFF, MANAGER)),
    Person("murakami.aya", "村上 彩", "むらかみ あや", "総務課", "主任（庶務）", (STAFF,)),
    Person("yoshida.kenichi", "𠮷田 健一", "よしだ けんいち", "総務課", "主事", (STAFF,)),
    Person(
        "matsumoto.koji",
        "松本 浩二",
        "まつもと こうじ",
        "企画課",
        "企画課長",
        (STAFF, MANAGER, SUBCOMMITTEE),
    ),
    Person("inoue.shota", "井上 翔太", "いのうえ しょうた", "企画課", "主事", (STAFF,)),
    Person("kimura.sakura", "木村 さくら", "きむら さくら", "企画課", "主事", (STAFF,)),
    Person(
        "hayashi.masaki", "林 正樹", "はやし まさき", "地域振興課", "地域振興課長", (STAFF, MANAGER)
    ),
    Person(
        "shimizu.tomoko",
        "清水 智子",
        "しみず ともこ",
        "地域振興課",
        "係長",
        (STAFF, SUBCOMMITTEE),
    ),
    Person(
        "mori.daisuke",
        "森 大輔",
        "もり だいすけ",
        "地域振興課",
        "主任・地域連携WGリーダー",
        (STAFF, WG_LEAD),
    ),
    Person("ikeda.nanami", "池田 七海", "いけだ ななみ", "地域振興課", "主事", (STAFF,)),
    Person(
        "hashimoto.kyoko",
        "橋本 恭子",
        "はしもと きょうこ",
        "生涯学習支援課",
        "生涯学習支援課長",
        (STAFF, MANAGER),
    ),
    Person("abe.takumi", "阿部 拓海", "あべ たくみ", "生涯学習支援課", "主事", (STAFF,)),
    Person(
        "yamazaki.tsuyoshi",
        "山崎 剛",
        "やまざき つよし",
        "危機管理担当",
        "危機管理担当課長",
        (STAFF, MANAGER),
    ),
    Person("ishii.yuto", "石井 悠斗", "いしい ゆうと", "危機管理担当", "主事", (STAFF,)),
    # 区民サービス部
    Person(
        "hasegawa.yoko",
        "長谷川 洋子",
        "はせがわ ようこ",
        "区民課",
        "区民サービス部長・サービス推進部会 部会長",
        (STAFF, COUNCIL, SUBCOMMITTEE),
    ),
    Person("takahashi.mayumi", "髙橋 真由美", "たかはし まゆみ", "区民課", "主任", (STAFF,)),
    Person("ito.hina", "伊藤 陽菜", "いとう ひな", "区民課", "主事", (STAFF,)),
    Person("watanabe.ryo", "渡邉 亮", "わたなべ りょう", "区民課", "主事", (STAFF,)),
    Person("kato.miho", "加藤 美穂", "かとう みほ", "区民課", "主事", (STAFF,)),
    Person(
        "yoshikawa.chihiro", "吉川 千尋", "よしかわ ちひろ", "区民課", "会計年度任用職員", (STAFF,)
    ),
    Person(
        "yamamoto.shunsuke",
        "山本 俊介",
        "やまもと しゅんすけ",
        "保険年金課",
        "保険年金課長",
        (STAFF, MANAGER),
    ),
    Person(
        "nakamura.mai",
        "中村 麻衣",
        "なかむら まい",
        "保険年金課",
        "係長・案内表示改善WGリーダー",
        (STAFF, WG_LEAD),
    ),
    Person("ogawa.daiki", "小川 大樹", "おがわ だいき", "保険年金課", "主任", (STAFF,)),
    Person("maeda.mai", "前田 舞", "まえだ まい", "保険年金課", "主事", (STAFF,)),
    Person("fujita.shinya", "藤田 慎也", "ふじた しんや", "保険年金課", "主事", (STAFF,)),
    # 地域みまもり支援センター
    Person(
        "okada.masako",
        "岡田 雅子",
        "おかだ まさこ",
        "地域支援課",
        "地域みまもり支援センター所長",
        (STAFF, COUNCIL),
    ),
    Person(
        "goto.osamu", "後藤 修", "ごとう おさむ", "地域支援課", "地域支援課長", (STAFF, MANAGER)
    ),
    Person(
        "kondo.nao",
        "近藤 奈緒",
        "こんどう なお",
        "地域支援課",
        "保健師・係長",
        (STAFF, SUBCOMMITTEE),
    ),
    Person("endo.yuichi", "遠藤 雄一", "えんどう ゆういち", "地域支援課", "主任", (STAFF,)),
    Person(
        "aoki.satoshi",
        "青木 聡",
        "あおき さとし",
        "地域ケア推進課",
        "地域ケア推進課長",
        (STAFF, MANAGER),
    ),
    Person(
        "sakamoto.kaori", "坂本 香織", "さかもと かおり", "地域ケア推進課", "社会福祉職", (STAFF,)
    ),
    Person("fujii.ren", "藤井 蓮", "ふじい れん", "地域ケア推進課", "主事", (STAFF,)),
    Person(
        "nishimura.hiromi",
        "西村 弘美",
        "にしむら ひろみ",
        "高齢・障害課",
        "高齢・障害課長",
        (STAFF, MANAGER),
    ),
    Person("fukuda.wataru", "福田 航", "ふくだ わたる", "高齢・障害課", "主任", (STAFF,)),
    Person("ota.ai", "太田 愛", "おおた あい", "高齢・障害課", "社会福祉職", (STAFF,)),
    Person("miura.ryoko", "三浦 涼子", "みうら りょうこ", "高齢・障害課", "主事", (STAFF,)),
    Person(
        "okamoto.hiroshi",
        "岡本 浩",
        "おかもと ひろし",
        "児童家庭課",
        "児童家庭課長",
        (STAFF, MANAGER),
    ),
    Person(
        "matsuda.yuka",
        "松田 由佳",
        "まつだ ゆか",
        "児童家庭課",
        "係長・子育て情報発信WGリーダー",
        (STAFF, WG_LEAD),
    ),
    Person("nakagawa.yui", "中川 結衣", "なかがわ ゆい", "児童家庭課", "主事", (STAFF,)),
    Person("harada.haruka", "原田 悠", "はらだ はるか", "児童家庭課", "社会福祉職", (STAFF,)),
    Person(
        "ono.noriko",
        "小野 典子",
        "おの のりこ",
        "保育所等・地域連携",
        "保育所等・地域連携担当課長",
        (STAFF, MANAGER),
    ),
    Person("takeuchi.aoi", "竹内 葵", "たけうち あおい", "保育所等・地域連携", "保育士", (STAFF,)),
    Person("kaneko.tetsuya", "金子 哲也", "かねこ てつや", "衛生課", "衛生課長", (STAFF, MANAGER)),
    Person("wada.mizuki", "和田 美月", "わだ みづき", "衛生課", "食品衛生監視員", (STAFF,)),
    Person("nakano.hayato", "中野 隼人", "なかの はやと", "衛生課", "環境衛生監視員", (STAFF,)),
    # 道路公園センター
    Person(
        "ueda.seiji",
        "上田 誠司",
        "うえだ せいじ",
        "道路公園センター管理課",
        "道路公園センター所長",
        (STAFF,),
    ),
    Person(
        "hara.hideki",
        "原 秀樹",
        "はら ひでき",
        "道路公園センター管理課",
        "管理課長",
        (STAFF, MANAGER),
    ),
    Person("koyama.yuka", "小山 優花", "こやま ゆうか", "道路公園センター管理課", "主事", (STAFF,)),
    Person(
        "noguchi.yutaka",
        "野口 豊",
        "のぐち ゆたか",
        "道路公園センター整備課",
        "整備課長",
        (STAFF, MANAGER),
    ),
    Person(
        "kikuchi.tsubasa",
        "菊地 翼",
        "きくち つばさ",
        "道路公園センター整備課",
        "技師（土木）",
        (STAFF,),
    ),
    # 選挙管理委員会
    Person(
        "sugiyama.kiyoshi",
        "杉山 清",
        "すぎやま きよし",
        "選挙管理委員会事務局",
        "事務局長",
        (STAFF, MANAGER),
    ),
    Person("imai.akane", "今井 茜", "いまい あかね", "選挙管理委員会事務局", "主事", (STAFF,)),
]

PEOPLE = DEMO_ACCOUNTS[: -len(LATER_ACCOUNTS)] + OTHER_STAFF + LATER_ACCOUNTS
