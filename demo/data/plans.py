"""The seeds of the plans demo (demo/plans.py plants them): the working groups, last year's and this
year's projects, proposals, improvements, council agenda items, how each project's progress
reports went and its year-end evaluation. Dates are (month, day) in the fiscal year: April to
December of its first calendar year, January to March of the next.
"""

from typing import NamedTuple

from plans.models import (
    Indicator,
    ProgressReport,
    Project,
    Proposal,
    WorkingGroup,
    YearEndEvaluation,
)

PROJECT_GROUP = WorkingGroup.Kind.PROJECT
ISSUE_STUDY = WorkingGroup.Kind.ISSUE_STUDY
PLANNED = Project.Status.PLANNED
IN_PROGRESS = Project.Status.IN_PROGRESS
COMPLETED = Project.Status.COMPLETED
SUSPENDED = Project.Status.SUSPENDED
UP = Indicator.Direction.INCREASE
DOWN = Indicator.Direction.DECREASE

SECRETARY = "subcommittee"  # 山口 恵, 推進部会 事務局: drafts, registers meetings and agendas
CHAIR = "hasegawa.yoko"  # 長谷川 洋子, 区民サービス部長・推進部会長
COUNCIL = "council"  # 中島 隆, まちづくり推進部長: records the council's decisions
VICE_MAYOR = "ishikawa.yumiko"  # 石川 由美子, 副区長

# ---------------------------------------------------------------------------------------------
# The data. Dates are (month, day) in the fiscal year: April–December of its first calendar
# year, January–March of the next.


class GroupSeed(NamedTuple):
    key: str
    name: str
    kind: str
    lead: str
    purpose: str
    members: tuple
    established: tuple  # (fiscal year offset: 0 this year, -1 last year, month, day)
    dissolved: tuple | None = None


GROUPS = [
    GroupSeed(
        "window",
        "窓口サービス向上ワーキング",
        PROJECT_GROUP,
        "wglead",
        "窓口の待ち時間の短縮と、申請書の書きやすさ・手続き案内の分かりやすさの改善に取り組む。"
        "区民課・保険年金課を中心に、窓口を持つ各課の職員で構成する。",
        ("staff", "ogawa.daiki", "ito.hina", "nakagawa.yui", "fukuda.wataru", "koyama.yuka"),
        (-1, 4, 1),
    ),
    GroupSeed(
        "environment",
        "庁舎環境・サインワーキング",
        PROJECT_GROUP,
        "nakamura.mai",
        "庁舎内外の案内サイン、フロアマップ、授乳室・キッズスペースなど、来庁者が迷わず快適に"
        "過ごせる庁舎環境づくりに取り組む。耐震対策・大規模修繕の工事期間中の仮設窓口の案内も"
        "担当する。",
        ("yoshida.kenichi", "kikuchi.tsubasa", "ota.ai", "takeuchi.aoi", "ishii.yuto"),
        (-1, 4, 1),
    ),
    GroupSeed(
        "sharing",
        "情報共有ワーキング",
        PROJECT_GROUP,
        "mori.daisuke",
        "職員向け情報紙「たかつ通信」の発行と、庁内ポータルを使った各課の情報共有を進め、"
        "区民からの問合せにどの職員でも的確に答えられるようにする。",
        ("kimura.sakura", "ikeda.nanami", "abe.takumi", "endo.yuichi", "imai.akane", "maeda.mai"),
        (-1, 4, 1),
    ),
    GroupSeed(
        "training",
        "研修企画ワーキング",
        PROJECT_GROUP,
        "murakami.aya",
        "接遇研修・やさしい日本語研修など、区独自の職員研修を企画・実施する。研修の受講状況と"
        "効果を把握し、次年度の研修計画に反映する。",
        ("inoue.shota", "sakamoto.kaori", "harada.haruka", "watanabe.ryo", "fujita.shinya"),
        (0, 4, 1),
    ),
    GroupSeed(
        "childcare",
        "子育て手続き課題検討ワーキング",
        ISSUE_STUDY,
        "matsuda.yuka",
        "出生・転入の際に子育て世帯が児童家庭課・区民課・保険年金課など複数の窓口を回らなければ"
        "ならない課題について、手続きを一つの窓口で受け付ける方法を検討する。",
        ("nakagawa.yui", "takeuchi.aoi", "kato.miho", "fujita.shinya", "kondo.nao"),
        (0, 5, 12),
    ),
    GroupSeed(
        "certificates",
        "証明書窓口混雑対策課題検討ワーキング",
        ISSUE_STUDY,
        "takahashi.mayumi",
        "転入転出の繁忙期に証明書交付窓口の待ち時間が2時間を超える課題について、原因を分析し"
        "対策を検討する。対策の実施と効果の確認をもって解散する。",
        ("watanabe.ryo", "kato.miho", "ogawa.daiki", "ishii.yuto"),
        (-1, 6, 2),
        (-1, 3, 19),
    ),
]


class ProjectSeed(NamedTuple):
    number: int | None  # R8-01 ...; None for a project carried over (it keeps its code)
    title: str
    description: str
    policies: tuple
    area: int
    section: str
    group: str | None
    requested: int
    approved: int
    status: str
    milestones: tuple  # (title, (month, day), done)
    indicators: tuple  # (name, unit, baseline, target, direction)
    finished: tuple | None = None  # (month, day) completed or suspended
    carried_from: int | None = None  # number of last year's project


LAST_YEAR_PROJECTS = [
    ProjectSeed(
        1,
        "窓口の待ち時間表示と呼出しシステムの改善",
        "区民課・保険年金課の窓口で、現在の呼出し番号と待ち人数を表示するモニターを増設し、"
        "待ち時間の目安が分かるようにする。呼出しシステムの更新に合わせ、番号札に手続きの種類を"
        "表示する。",
        (1, 3),
        1,
        "区民課",
        "window",
        4_800_000,
        4_200_000,
        IN_PROGRESS,
        (
            ("呼出しシステム更新の仕様決定", (7, 31), True),
            ("待ち人数表示モニターの増設（1階）", (12, 19), True),
            ("2階窓口への展開の検討", (3, 13), False),
        ),
        (("平均待ち時間", "分", 35, 25, DOWN),),
    ),
    ProjectSeed(
        2,
        "窓口アンケートの実施",
        "来庁者を対象に窓口サービスのアンケートを実施し、満足度と改善の要望を把握する。結果は"
        "推進部会で分析し、次年度の計画に反映する。",
        (1,),
        1,
        "企画課",
        "window",
        250_000,
        250_000,
        COMPLETED,
        (
            ("アンケートの実施（7月）", (7, 31), True),
            ("結果の取りまとめと公表", (11, 28), True),
        ),
        (("窓口満足度", "%", 68, 75, UP),),
        finished=(11, 28),
    ),
    ProjectSeed(
        3,
        "庁舎内外の案内サインの改修",
        "庁舎の出入口・エレベーターホール・各階の案内サインを、ピクトグラムと大きな文字を使った"
        "統一デザインに改修する。初年度は1階・2階、次年度に3階以上と屋外のサインを改修する。",
        (2, 5),
        5,
        "総務課",
        "environment",
        3_500_000,
        3_200_000,
        IN_PROGRESS,
        (
            ("サインデザインの統一方針の決定", (8, 29), True),
            ("1階・2階のサイン改修", (2, 27), True),
        ),
        (("案内サインの改修箇所数", "箇所", 0, 40, UP),),
    ),
    ProjectSeed(
        4,
        "職員向け情報紙「たかつ通信」の発行",
        "区役所職員として知っておくべき事項や各課の事業を紹介する職員向け情報紙「たかつ通信」を"
        "毎月発行し、区民からの問合せに的確に対応できるようにする。",
        (3, 4),
        3,
        "企画課",
        "sharing",
        120_000,
        120_000,
        IN_PROGRESS,
        (
            ("創刊号の発行", (6, 13), True),
            ("第10号の発行", (3, 13), True),
        ),
        (("情報紙発行回数", "回", 0, 10, UP),),
    ),
    ProjectSeed(
        5,
        "接遇研修の実施",
        "窓口・電話で区民に接する職員を対象に、外部講師による接遇研修を実施する。新任職員と窓口"
        "担当職員の受講を優先する。",
        (2, 3),
        4,
        "総務課",
        None,
        400_000,
        360_000,
        COMPLETED,
        (
            ("接遇研修（第1回）", (7, 10), True),
            ("接遇研修（第2回）", (11, 13), True),
        ),
        (("研修受講者数", "人", 40, 60, UP),),
        finished=(12, 12),
    ),
    ProjectSeed(
        6,
        "証明書交付窓口の混雑対策",
        "転入転出の繁忙期に証明書交付窓口の待ち時間が長くなる課題について、課題検討ワーキングで"
        "原因を分析し、繁忙期の臨時窓口の開設とコンビニ交付の案内の強化を行う。",
        (3, 4),
        1,
        "区民課",
        "certificates",
        650_000,
        600_000,
        COMPLETED,
        (
            ("混雑状況の調査と原因分析", (9, 30), True),
            ("繁忙期の臨時窓口の開設", (3, 2), True),
        ),
        (("繁忙期の最長待ち時間", "分", 130, 60, DOWN),),
        finished=(3, 19),
    ),
    ProjectSeed(
        7,
        "庁舎のバリアフリー点検（車いす・ベビーカー動線）",
        "車いす・ベビーカーを利用する方の動線に沿って、段差・通路幅・扉・エレベーター・多目的"
        "トイレを点検し、改善が必要な箇所を一覧にする。点検は当事者団体の協力を得て行う。",
        (5,),
        2,
        "高齢・障害課",
        "environment",
        300_000,
        300_000,
        IN_PROGRESS,
        (
            ("点検項目の作成（当事者団体と協議）", (9, 12), True),
            ("1階・2階の点検", (1, 30), True),
        ),
        (("点検箇所数", "箇所", 0, 60, UP),),
    ),
    ProjectSeed(
        8,
        "窓口手数料のキャッシュレス決済の試行",
        "証明書交付窓口の手数料について、電子マネー・二次元コードによるキャッシュレス決済を試行"
        "する。全市で一斉に導入する方針が示されたため、区での試行は中止した。",
        (1, 3),
        1,
        "区民課",
        "window",
        1_200_000,
        1_000_000,
        SUSPENDED,
        (
            ("決済事業者の選定", (8, 29), True),
            ("試行の開始", (12, 1), False),
        ),
        (("キャッシュレス決済の利用率", "%", 0, 20, UP),),
        finished=(10, 31),
    ),
]

CURRENT_PROJECTS = [
    # Carried over from last year (same code, the plan's "start next year").
    ProjectSeed(
        None,
        "窓口の待ち時間表示と呼出しシステムの改善",
        "前年度に1階の窓口へ増設した待ち人数表示モニターを、2階の保険年金課・児童家庭課の窓口"
        "にも広げる。番号札に手続きの種類と目安の待ち時間を表示し、混雑時には庁舎内放送でも"
        "案内する。",
        (1, 3),
        1,
        "区民課",
        "window",
        3_200_000,
        2_900_000,
        IN_PROGRESS,
        (
            ("2階窓口のモニター設置場所の決定", (6, 12), True),
            ("2階窓口へのモニター設置", (10, 23), True),
            ("番号札への目安時間の表示開始", (12, 18), False),
            ("効果測定（待ち時間調査）", (2, 26), False),
        ),
        (("平均待ち時間", "分", 25, 15, DOWN),),
        carried_from=1,
    ),
    ProjectSeed(
        None,
        "庁舎内外の案内サインの改修",
        "前年度に改修した1階・2階に続き、3階以上の各階と屋外（庁舎入口・駐輪場）の案内サインを"
        "統一デザインに改修する。英語・中国語・韓国語を併記し、ピクトグラムで目的の窓口が分かる"
        "ようにする。",
        (2, 5),
        5,
        "総務課",
        "environment",
        4_600_000,
        4_200_000,
        IN_PROGRESS,
        (
            ("3階・4階のサイン改修", (9, 30), True),
            ("屋外サインの設計", (11, 20), False),
            ("5階と屋外のサイン改修", (2, 26), False),
        ),
        (("案内サインの改修箇所数", "箇所", 40, 95, UP),),
        carried_from=3,
    ),
    ProjectSeed(
        None,
        "職員向け情報紙「たかつ通信」の発行",
        "職員向け情報紙「たかつ通信」を毎月発行する。今年度は各課の「よくある問合せ」と、個別"
        "業務の改善の優良事例を毎号紹介し、庁内ポータルにも掲載する。",
        (3, 4),
        3,
        "企画課",
        "sharing",
        120_000,
        120_000,
        IN_PROGRESS,
        (
            ("4月号の発行", (4, 17), True),
            ("9月号の発行（優良事例特集）", (9, 18), True),
            ("3月号の発行（年間のまとめ）", (3, 19), False),
        ),
        (
            ("情報紙発行回数", "回", 0, 12, UP),
            ("情報紙を読んでいる職員の割合", "%", 55, 80, UP),
        ),
        carried_from=4,
    ),
    ProjectSeed(
        None,
        "庁舎のバリアフリー点検（車いす・ベビーカー動線）",
        "前年度に作成した点検項目に沿って、3階以上と庁舎の外周（歩道からの入口・駐車場）の"
        "車いす・ベビーカー動線を点検する。点検結果は改善の優先度を付けて一覧にし、所管課と改修の"
        "計画を協議する。",
        (5, 1),
        2,
        "高齢・障害課",
        "environment",
        350_000,
        300_000,
        IN_PROGRESS,
        (
            ("3階以上の点検", (7, 17), True),
            ("庁舎外周の点検（当事者団体と合同）", (10, 16), True),
            ("改善箇所一覧の作成と所管課との協議", (1, 29), False),
        ),
        (("点検箇所数", "箇所", 60, 140, UP),),
        carried_from=7,
    ),
    # New this year.
    ProjectSeed(
        1,
        "窓口アンケートの実施",
        "来庁者を対象に、窓口の待ち時間・職員の対応・案内の分かりやすさについてアンケートを実施"
        "する。今年度から二次元コードによるオンライン回答も受け付け、若い世代の声も把握する。"
        "結果は推進部会で分析し、次年度の計画に反映する。",
        (1,),
        1,
        "企画課",
        "window",
        300_000,
        280_000,
        IN_PROGRESS,
        (
            ("調査票の確定", (6, 12), True),
            ("アンケートの実施（7月1日〜31日）", (7, 31), True),
            ("集計・分析結果の推進部会への報告", (10, 30), True),
            ("結果の公表（区ホームページ・たかつ通信）", (1, 29), False),
        ),
        (
            ("窓口満足度", "%", 72, 80, UP),
            ("アンケート回答数", "件", 820, 1200, UP),
        ),
    ),
    ProjectSeed(
        2,
        "総合案内（フロアマップ）の多言語化",
        "1階総合案内のフロアマップと窓口一覧を、日本語・英語に加えて中国語・韓国語・ベトナム語と"
        "やさしい日本語で表示する。表現は区内の国際交流団体の協力を得て確認する。",
        (2, 5),
        2,
        "総務課",
        "environment",
        1_800_000,
        1_500_000,
        IN_PROGRESS,
        (
            ("翻訳内容の確認（国際交流団体）", (8, 28), True),
            ("多言語フロアマップの掲出", (12, 11), False),
        ),
        (("フロアマップの対応言語数", "言語", 2, 6, UP),),
    ),
    ProjectSeed(
        3,
        "庁舎の耐震対策・大規模修繕に伴う仮設窓口の案内",
        "庁舎の耐震対策・大規模修繕の工事期間中は一部の窓口が仮設窓口に移るため、移転先を案内する"
        "仮設サイン・床面の誘導表示・チラシを整備する。工事の工程に合わせて区ホームページと庁舎"
        "入口で事前に周知し、来庁者が迷わないようにする。",
        (2, 4),
        5,
        "総務課",
        "environment",
        2_400_000,
        2_200_000,
        IN_PROGRESS,
        (
            ("工事工程と窓口移転計画の確認", (5, 29), True),
            ("仮設サイン・床面誘導表示の設置（第1期工事）", (8, 31), True),
            ("第2期工事に向けた案内の見直し", (1, 15), False),
        ),
        (("仮設窓口の場所に関する問合せ件数", "件/月", 120, 40, DOWN),),
    ),
    ProjectSeed(
        4,
        "接遇研修・やさしい日本語研修",
        "全職員を対象とする接遇研修に加え、外国人住民や高齢者に伝わる「やさしい日本語」の研修を"
        "新たに実施する。研修には窓口の実際の場面を使ったロールプレイを取り入れる。",
        (2, 3),
        4,
        "総務課",
        "training",
        450_000,
        400_000,
        IN_PROGRESS,
        (
            ("接遇研修（新任職員）", (5, 22), True),
            ("やさしい日本語研修（第1回）", (9, 25), True),
            ("やさしい日本語研修（第2回）", (12, 4), False),
            ("受講者アンケートの集計", (2, 19), False),
        ),
        (
            ("研修受講者数", "人", 60, 150, UP),
            ("研修の満足度", "%", 80, 90, UP),
        ),
    ),
    ProjectSeed(
        5,
        "役所言葉の言い換え集の作成",
        "通知文や窓口で使われがちな役所言葉・専門用語（「続柄」「世帯主」「還付」など）を集め、"
        "分かりやすい言い換えの例をまとめた言い換え集を作成する。職員から寄せられた例をもとに"
        "研修企画ワーキングが編集し、庁内ポータルで共有する。",
        (2,),
        4,
        "企画課",
        "training",
        0,
        0,
        IN_PROGRESS,
        (
            ("職員からの言い換え例の募集", (7, 31), True),
            ("言い換え集（第1版）の庁内公開", (11, 27), False),
            ("やさしい日本語研修での活用", (12, 4), False),
        ),
        (("掲載した言い換え例の数", "語", 0, 100, UP),),
    ),
    ProjectSeed(
        6,
        "申請書記入例の整備",
        "区民課・保険年金課の主な申請書について記載台に記入例を掲示し、よくある記入の誤りを"
        "分かりやすく示す。記入例は区ホームページにも掲載し、来庁前に確認できるようにする。",
        (2, 3),
        1,
        "区民課",
        "window",
        150_000,
        150_000,
        IN_PROGRESS,
        (
            ("記入例を整備する申請書の選定", (6, 19), True),
            ("記載台への記入例の掲示（区民課）", (9, 11), True),
            ("保険年金課の記入例の掲示とホームページへの掲載", (12, 18), False),
        ),
        (
            ("記入例を整備した申請書の種類", "種類", 12, 40, UP),
            ("申請書の書き直し件数", "件/月", 90, 45, DOWN),
        ),
    ),
    ProjectSeed(
        7,
        "証明書発行の手続き案内の見直し",
        "住民票の写し・印鑑登録証明書・戸籍証明書などの請求方法（窓口・郵送・コンビニ交付・"
        "オンライン）を一枚で比べられる案内を作成する。窓口に来なくても取得できる方法を周知し、"
        "窓口の混雑を和らげる。",
        (2, 3),
        1,
        "区民課",
        "window",
        120_000,
        100_000,
        IN_PROGRESS,
        (
            ("案内チラシの作成", (8, 7), True),
            ("区ホームページの案内ページの改訂", (10, 30), True),
            ("繁忙期（3月）に向けた周知", (2, 19), False),
        ),
        (("コンビニ交付の利用率", "%", 28, 40, UP),),
    ),
    ProjectSeed(
        8,
        "子育て関連手続きのワンストップ化（各課横断）",
        "出生・転入の際に必要な子育て関連の手続き（児童手当・子ども医療費助成・国民健康保険など）"
        "を、児童家庭課の窓口で一度に受け付けられるようにする。子育て手続き課題検討ワーキングで"
        "手続きの流れを見直し、各課の連携の方法と必要な書類を整理する。",
        (4, 1),
        5,
        "児童家庭課",
        "childcare",
        3_600_000,
        3_000_000,
        IN_PROGRESS,
        (
            ("手続きの現状調査（回る窓口と所要時間）", (7, 10), True),
            ("ワンストップ窓口の運用案の作成", (10, 30), True),
            ("ワンストップ窓口の試行開始", (1, 5), False),
            ("試行結果の検証", (3, 19), False),
        ),
        (
            ("出生時の手続きで回る窓口の数", "か所", 4, 1, DOWN),
            ("手続きの所要時間", "分", 90, 40, DOWN),
        ),
    ),
    ProjectSeed(
        9,
        "省エネ・創エネ（照明のLED化）",
        "庁舎の執務室・廊下・会議室の照明をLEDに更新し、電力使用量を削減する。あわせて窓口周りの"
        "照度を上げ、書類を読みやすくする。",
        (5,),
        2,
        "総務課",
        None,
        12_000_000,
        10_800_000,
        IN_PROGRESS,
        (
            ("照明器具の更新計画の作成", (7, 24), True),
            ("1階・2階の照明のLED化", (11, 13), True),
            ("3階以上の照明のLED化", (3, 12), False),
        ),
        (
            ("照明のLED化率", "%", 35, 70, UP),
            ("庁舎の電力使用量", "MWh/年", 1250, 1120, DOWN),
        ),
    ),
    ProjectSeed(
        10,
        "授乳室・キッズスペースの整備",
        "2階の児童家庭課の窓口の近くに授乳室とキッズスペースを設け、乳幼児を連れた来庁者が"
        "手続きの間も安心して過ごせるようにする。設置場所と工事の時期は庁舎の大規模修繕の工程に"
        "合わせて決める。",
        (5, 1),
        2,
        "児童家庭課",
        "environment",
        2_800_000,
        2_500_000,
        PLANNED,
        (
            ("設置場所の決定（大規模修繕の工程と調整）", (9, 30), True),
            ("授乳室・キッズスペースの工事", (2, 12), False),
            ("利用開始", (3, 23), False),
        ),
        (("授乳室・キッズスペースの設置数", "か所", 0, 2, UP),),
    ),
    ProjectSeed(
        11,
        "窓口へのコミュニケーションボード・筆談具の設置",
        "耳の不自由な方や日本語に不慣れな方が手続きしやすいよう、各窓口にコミュニケーション"
        "ボード・筆談ボード・拡大鏡を備える。職員向けに使い方の手引きを作成する。",
        (5, 2),
        2,
        "高齢・障害課",
        "window",
        200_000,
        180_000,
        COMPLETED,
        (
            ("配置する窓口と用具の決定", (6, 19), True),
            ("全窓口への配置と手引きの配布", (9, 18), True),
        ),
        (("コミュニケーションボードを備えた窓口の数", "か所", 3, 24, UP),),
        finished=(9, 30),
    ),
    ProjectSeed(
        12,
        "多言語翻訳タブレットの導入",
        "外国人の来庁者が多い区民課・保険年金課・児童家庭課の窓口に、音声翻訳アプリを入れた"
        "タブレット端末を置く。通訳を待つ時間を減らし、手続きの説明を正確に伝える。",
        (2, 5),
        1,
        "区民課",
        "window",
        960_000,
        720_000,
        IN_PROGRESS,
        (
            ("端末と翻訳アプリの選定", (7, 17), True),
            ("3課の窓口への配置", (9, 1), True),
            ("利用状況の中間報告", (12, 11), False),
        ),
        (("翻訳タブレットの利用件数", "件/月", 0, 150, UP),),
    ),
    ProjectSeed(
        13,
        "庁内ポータルを活用した情報共有の促進",
        "各課の新しい事業や制度改正、よくある問合せと回答を庁内ポータルに掲載し、他課の職員でも"
        "区民の問合せに答えられるようにする。掲載の様式をそろえ、情報共有ワーキングが各課の掲載を"
        "支援する。",
        (3, 4),
        3,
        "企画課",
        "sharing",
        0,
        0,
        IN_PROGRESS,
        (
            ("掲載様式の作成", (6, 26), True),
            ("各課への説明会", (7, 24), True),
            ("掲載状況の点検", (1, 22), False),
        ),
        (("各課のお知らせ掲載件数", "件/月", 20, 60, UP),),
    ),
    ProjectSeed(
        14,
        "区民の声への回答の迅速化",
        "窓口の意見箱・区ホームページ・電話で寄せられた区民の声について、受付から回答までの流れを"
        "見直し、担当課への回付と回答の期限を明確にする。回答の状況は毎月推進部会に報告する。",
        (1, 3),
        1,
        "企画課",
        None,
        0,
        0,
        IN_PROGRESS,
        (
            ("受付・回付の流れの見直し", (6, 30), True),
            ("回答期限の運用開始", (8, 3), True),
            ("半年間の運用結果の報告", (2, 19), False),
        ),
        (("回答までの平均日数", "日", 14, 7, DOWN),),
    ),
    ProjectSeed(
        15,
        "災害時の窓口対応訓練",
        "窓口の受付時間中に地震などの災害が起きた場合を想定し、来庁者の避難誘導と窓口業務の継続の"
        "訓練を行う。危機管理担当と研修企画ワーキングが訓練の手順書を作成する。",
        (3, 4),
        4,
        "危機管理担当",
        "training",
        250_000,
        200_000,
        PLANNED,
        (
            ("訓練手順書の作成", (12, 18), False),
            ("全庁訓練の実施", (1, 22), False),
            ("訓練結果の振り返り", (2, 26), False),
        ),
        (("訓練参加者数", "人", 40, 120, UP),),
    ),
    ProjectSeed(
        16,
        "国民健康保険・年金の手続きチェックシートの作成",
        "国民健康保険・国民年金の加入・脱退の手続きに必要な書類を、来庁前に確認できるチェック"
        "シートにまとめる。区民課の転入・転出の窓口でも配り、書類の不足による再来庁を減らす。",
        (3, 4),
        1,
        "保険年金課",
        "window",
        60_000,
        60_000,
        COMPLETED,
        (
            ("チェックシートの作成", (7, 10), True),
            ("区民課・保険年金課の窓口での配布開始", (8, 3), True),
            ("再来庁件数の調査", (10, 30), True),
        ),
        (("書類の不足による再来庁件数", "件/月", 30, 10, DOWN),),
        finished=(10, 30),
    ),
    ProjectSeed(
        17,
        "道路・公園の不具合通報の受付案内の改善",
        "道路の陥没や公園遊具の破損などの通報について、窓口・電話・オンラインの受付方法を一つの"
        "案内にまとめ、区ホームページと区役所の総合案内で周知する。受付から対応状況の連絡までの"
        "流れも整理する。",
        (1, 4),
        1,
        "道路公園センター管理課",
        None,
        80_000,
        50_000,
        IN_PROGRESS,
        (
            ("通報の受付方法の整理", (7, 31), True),
            ("案内チラシと区ホームページの改訂", (10, 9), True),
            ("対応状況の連絡方法の試行", (1, 29), False),
        ),
        (("受付から対応着手までの平均日数", "日", 10, 5, DOWN),),
    ),
    ProjectSeed(
        18,
        "個別業務改善の事例共有会の開催",
        "職員が記録した個別業務の改善のうち、課長が優良事例とした取組を発表し合う事例共有会を"
        "開く。他課でも使える工夫を広げ、改善の取組を日常のものにする。",
        (3,),
        6,
        "企画課",
        "sharing",
        50_000,
        50_000,
        PLANNED,
        (
            ("発表する事例の選定", (1, 15), False),
            ("事例共有会の開催", (2, 12), False),
        ),
        (("個別業務の改善の記録件数", "件", 40, 80, UP),),
    ),
]


class ProposalSeed(NamedTuple):
    title: str
    proposer: str
    section: str
    group: str | None
    submitted: tuple  # (month, day)
    status: str
    decided: tuple | None = None  # (month, day)
    decided_by: str | None = None
    comment: str = ""  # the subcommittee's; a withdrawn proposal's: its proposer's reason
    project: int | None = None  # number of the project it became (adopted)
    description: str = ""  # of proposals that did not become a project
    policies: tuple = ()
    area: int | None = None
    estimate: int = 0


ADOPTED = Proposal.Status.ADOPTED
RETURNED = Proposal.Status.RETURNED
REJECTED = Proposal.Status.REJECTED
SUBMITTED = Proposal.Status.SUBMITTED
WITHDRAWN = Proposal.Status.WITHDRAWN

# An adopted proposal's text, policies, area and estimate are those of its project.
PROPOSALS = [
    ProposalSeed(
        "申請書記入例の整備",
        "takahashi.mayumi",
        "区民課",
        None,
        (5, 7),
        ADOPTED,
        (5, 15),
        CHAIR,
        "記入の誤りによる書き直しは待ち時間の大きな原因です。窓口サービス向上ワーキングの事業と"
        "して採択します。",
        project=6,
    ),
    ProposalSeed(
        "総合案内（フロアマップ）の多言語化",
        "yoshida.kenichi",
        "総務課",
        "environment",
        (5, 8),
        ADOPTED,
        (5, 15),
        CHAIR,
        "外国人住民の増加に対応するため優先度が高いと判断しました。国際交流団体との連携を進めて"
        "ください。",
        project=2,
    ),
    ProposalSeed(
        "多言語翻訳タブレットの導入",
        "ito.hina",
        "区民課",
        "window",
        (5, 8),
        ADOPTED,
        (5, 15),
        SECRETARY,
        "3課の窓口で試行し、利用状況を中間報告してください。端末の台数は査定で調整します。",
        project=12,
    ),
    ProposalSeed(
        "役所言葉の言い換え集の作成",
        "inoue.shota",
        "企画課",
        "training",
        (5, 11),
        ADOPTED,
        (5, 22),
        SECRETARY,
        "費用をかけずに全課で取り組める事業です。やさしい日本語研修と連携して進めてください。",
        project=5,
    ),
    ProposalSeed(
        "授乳室・キッズスペースの整備",
        "nakagawa.yui",
        "児童家庭課",
        None,
        (5, 12),
        ADOPTED,
        (5, 22),
        SECRETARY,
        "設置場所は大規模修繕の工程と調整が必要なため、庁舎環境・サインワーキングの事業として"
        "採択します。",
        project=10,
    ),
    ProposalSeed(
        "子育て関連手続きのワンストップ化（各課横断）",
        "matsuda.yuka",
        "児童家庭課",
        "childcare",
        (5, 13),
        ADOPTED,
        (5, 22),
        CHAIR,
        "課題検討ワーキングの検討結果を踏まえ、各課を横断する事業として採択します。区民課・"
        "保険年金課は運用案の作成に協力してください。",
        project=8,
    ),
    ProposalSeed(
        "地域包括ケアの相談窓口案内リーフレットの作成",
        "fujii.ren",
        "地域ケア推進課",
        None,
        (5, 8),
        RETURNED,
        (5, 22),
        CHAIR,
        "既存の「高齢者福祉のしおり」と内容が重なります。しおりの改訂で対応できない点を整理し、"
        "配布先と部数の根拠を示して再提出してください。",
        description="高齢者や家族が介護・医療・福祉の相談先に迷わないよう、区内の相談窓口を一冊に"
        "まとめたリーフレットを作成し、区役所と地域包括支援センターで配布する。",
        policies=(2, 4),
        area=5,
        estimate=400_000,
    ),
    ProposalSeed(
        "来庁者用駐車場の利用時間の制限による混雑緩和",
        "koyama.yuka",
        "道路公園センター管理課",
        None,
        (5, 11),
        REJECTED,
        (5, 22),
        SECRETARY,
        "庁舎駐車場の管理方法の変更は市の財産管理の所管で全市的に検討されている事項のため、"
        "区役所サービス向上計画の事業としては不採択とします。混雑の状況は総務課から所管局に"
        "伝えます。",
        description="庁舎駐車場に長時間駐車する車が多く、来庁者が駐車できない状況を改善するため、"
        "駐車時間を制限し、出入口にゲートを設置する。",
        policies=(1,),
        area=2,
        estimate=5_800_000,
    ),
    ProposalSeed(
        "全職員へのタブレット端末の配布",
        "abe.takumi",
        "生涯学習支援課",
        None,
        (5, 13),
        REJECTED,
        (5, 22),
        CHAIR,
        "全職員への端末の配布は全市の情報化計画で検討されており、区の予算では対応できないため"
        "不採択とします。窓口での活用は「多言語翻訳タブレットの導入」の結果を見て検討します。",
        description="窓口や外出先で資料を示しながら説明できるよう、全職員にタブレット端末を配布"
        "する。",
        policies=(3,),
        area=3,
        estimate=11_500_000,
    ),
    ProposalSeed(
        "窓口の呼出し番号をスマートフォンに通知するサービスの導入",
        "staff",
        "区民課",
        None,
        (11, 4),
        RETURNED,
        (11, 19),
        SECRETARY,
        "待ち時間表示の改善で更新する呼出しシステムに通知の機能を追加できないか、区民課と事業者に"
        "確認したうえで、費用の内訳を添えて再提出してください。次年度の計画での事業化も含めて"
        "検討します。",
        description="待ち時間の間に庁舎の外で用事を済ませられるよう、呼出し番号が近づいたら"
        "スマートフォンに通知するサービスを導入する。区民課の証明書交付窓口で試行し、効果を見て"
        "他の窓口に広げる。",
        policies=(1, 3),
        area=1,
        estimate=4_500_000,
    ),
    # Taken back by its proposer: the idea became part of another proposal (#10.1).
    ProposalSeed(
        "記載台への拡大鏡の設置",
        "staff",
        "区民課",
        None,
        (10, 2),
        WITHDRAWN,
        (10, 20),
        comment="老眼鏡の設置も合わせて「記載台への拡大鏡・老眼鏡の設置」として出し直すため、"
        "取り下げます。",
        description="記載台で細かい文字が読みにくいという声があるため、各記載台に拡大鏡を置く。",
        policies=(2,),
        area=2,
        estimate=60_000,
    ),
    ProposalSeed(
        "期日前投票所の案内表示の改善",
        "imai.akane",
        "選挙管理委員会事務局",
        None,
        (11, 10),
        SUBMITTED,
        description="期日前投票の期間中、区役所内の投票所への経路が分かりにくいという声があるため、"
        "庁舎入口からの誘導表示と、投票所の混雑状況の案内を整備する。",
        policies=(2, 5),
        area=5,
        estimate=350_000,
    ),
    ProposalSeed(
        "記載台への拡大鏡・老眼鏡の設置",
        "staff",
        "区民課",
        None,
        (11, 18),
        SUBMITTED,
        description="区民課の記載台で、申請書の細かい文字が読みにくいという声が多いため、各記載台"
        "に拡大鏡と老眼鏡を備える。",
        policies=(5, 2),
        area=2,
        estimate=60_000,
    ),
    ProposalSeed(
        "食品衛生の営業許可手続きのオンライン事前相談",
        "wada.mizuki",
        "衛生課",
        None,
        (11, 20),
        SUBMITTED,
        description="飲食店の営業許可の申請について、オンライン会議による事前相談を受け付け、"
        "申請者の来庁回数を減らす。相談の予約はオンラインフォームで受け付ける。",
        policies=(3, 4),
        area=1,
        estimate=120_000,
    ),
]


class ImprovementSeed(NamedTuple):
    author: str
    title: str
    problem: str
    change: str
    effect: str
    goal: str
    policies: tuple
    recorded: tuple  # (month, day)
    acknowledged: tuple | None = None  # (month, day); None: waiting for the manager
    comment: str = ""
    good_practice: bool = False


IMPROVEMENTS = [
    ImprovementSeed(
        "staff",
        "住民票の写しの交付申請書の記入例を記載台に掲示",
        "記入漏れや請求する種類の誤りが多く、窓口で書き直しをお願いすることが1日20件ほどあった。",
        "記載台ごとに記入例をラミネートして掲示し、よくある誤り（世帯全員か一部か、本籍の記載の"
        "要否）を赤字で示した。",
        "書き直しが1日平均8件ほどに減り、窓口での説明の時間も短くなった。",
        "窓口の待ち時間の短縮",
        (2, 3),
        (5, 20),
        (5, 27),
        "他の申請書にも広げられる工夫です。窓口サービス向上ワーキングの記入例の整備にも活かして"
        "ください。",
        True,
    ),
    ImprovementSeed(
        "staff",
        "転入手続きの持ち物案内メモの作成",
        "転入の手続きに来た方が、マイナンバーカードや転出証明書を持たずに来庁し、出直しになる"
        "ことがあった。",
        "電話で問合せを受けたときに読み上げる持ち物のメモを作り、窓口の電話の横に置いた。",
        "電話で案内した方の持ち物の不足がほとんどなくなった。",
        "窓口の待ち時間の短縮",
        (3,),
        (11, 12),
    ),
    ImprovementSeed(
        "watanabe.ryo",
        "電話の取次ぎメモの様式統一",
        "係ごとに取次ぎメモの書き方が違い、折り返しの電話番号や用件が抜けることがあった。",
        "用件・折り返し先・希望の時間帯を書く欄のある共通の様式を作り、課内で使うことにした。",
        "折り返しの電話での聞き直しが減った。",
        "正確な事務処理",
        (3,),
        (11, 17),
    ),
    ImprovementSeed(
        "kato.miho",
        "窓口の番号札の色分け",
        "どの窓口で呼ばれるのか分からず、呼出しに気づかない方がいた。",
        "証明書・転入転出・印鑑登録の手続きごとに番号札の色を分け、呼出し表示と窓口の案内板も"
        "同じ色にそろえた。",
        "呼出しに応答がない件数が減り、次の方をお呼びするまでの時間が短くなった。",
        "窓口の待ち時間の短縮",
        (2, 5),
        (6, 10),
        (6, 17),
        "来庁者にも分かりやすい工夫です。番号札の更新の際に他課にも紹介します。",
    ),
    ImprovementSeed(
        "ogawa.daiki",
        "国保の加入・脱退の手続きの書類の事前チェックリスト",
        "国民健康保険の加入・脱退の手続きで書類が足りず、再度来庁していただくことが多かった。",
        "必要な書類を手続きの種類別にまとめたチェックリストを作り、窓口と区ホームページで案内した。",
        "書類の不足による再来庁が月30件ほどから12件ほどに減った。",
        "手続きの正確さと迅速さの向上",
        (3, 4),
        (6, 3),
        (6, 10),
        "チェックシートの事業化につながった取組です。優良事例として共有します。",
        True,
    ),
    ImprovementSeed(
        "maeda.mai",
        "電話応対マニュアルの作成（よくある質問20問）",
        "保険料や年金についての電話の問合せに、担当者によって答え方が異なることがあった。",
        "よくある質問20問と回答例をまとめた電話応対のマニュアルを作り、係内で読み合わせをした。",
        "新しく配属された職員も同じ内容で答えられるようになった。",
        "正確な事務処理",
        (2, 3),
        (11, 6),
    ),
    ImprovementSeed(
        "murakami.aya",
        "会議室の予約の共有カレンダー化",
        "会議室の予約を紙の台帳で受け付けていたため、空き状況の確認のために総務課に問合せが"
        "集中していた。",
        "会議室の予約を庁内の共有カレンダーで受け付けるようにした。",
        "総務課への問合せが減り、各課が自分で空き状況を確かめられるようになった。",
        "事務の効率化",
        (4,),
        (7, 8),
        (7, 15),
        "各課の事務の効率化につながっています。",
    ),
    ImprovementSeed(
        "wada.mizuki",
        "営業許可の申請の事前相談の予約制",
        "飲食店の営業許可の相談が特定の時間帯に集中し、長くお待たせしていた。",
        "事前相談を予約制にし、予約の際に図面など持ってきていただく資料を案内するようにした。",
        "相談の待ち時間がほぼなくなり、1回の相談で申請まで進む方が増えた。",
        "窓口の待ち時間の短縮",
        (1, 3),
        (7, 22),
        (7, 29),
        "事業者の方からも好評です。予約制は他の相談窓口でも参考になります。",
        True,
    ),
    ImprovementSeed(
        "nakano.hayato",
        "犬の登録の案内文のやさしい日本語化",
        "犬の登録や狂犬病予防注射の案内文に専門用語が多く、外国人の飼い主から問合せがあった。",
        "案内文をやさしい日本語で書き直し、ふりがなを付けた。",
        "案内文についての問合せが減った。",
        "分かりやすい情報の提供",
        (2, 5),
        (10, 29),
    ),
    ImprovementSeed(
        "nakagawa.yui",
        "児童手当の申請書類の事前送付と記入例の同封",
        "出生の届出の後、児童手当の申請書の記入に窓口で時間がかかっていた。",
        "出生の届出の際に申請書と記入例を渡し、家で記入して持ってきていただけるようにした。",
        "窓口での手続きの時間が1件あたり10分ほど短くなった。",
        "子育て世帯の手続きの負担の軽減",
        (2, 4),
        (6, 24),
        (7, 1),
        "ワンストップ化の検討にも活かせる取組です。優良事例として共有します。",
        True,
    ),
    ImprovementSeed(
        "fukuda.wataru",
        "介護保険の申請窓口への筆談ボードと拡大鏡の配置",
        "耳の聞こえにくい方や、細かい字が読みにくい方への説明に時間がかかっていた。",
        "申請窓口に筆談ボードと拡大鏡を置き、職員がすぐに使えるようにした。",
        "説明が伝わりやすくなり、聞き返しが減った。",
        "誰もが利用しやすい窓口",
        (5,),
        (5, 14),
        (5, 21),
        "全窓口への配置を事業として提案することを検討してください。",
    ),
    ImprovementSeed(
        "koyama.yuka",
        "道路占用許可の申請の記載例をホームページに掲載",
        "道路占用許可の申請書の書き方について、電話での問合せが多かった。",
        "よくある工事の種類ごとに記載例を作り、区ホームページに掲載した。",
        "記載方法についての電話の問合せが半分ほどに減った。",
        "分かりやすい情報の提供",
        (2, 3),
        (8, 19),
        (8, 26),
        "申請者の手間も減る取組です。",
    ),
    ImprovementSeed(
        "imai.akane",
        "期日前投票の宣誓書の記入台の配置の見直し",
        "期日前投票所で宣誓書の記入台が入口の近くにあり、混雑時に列が廊下まで伸びていた。",
        "記入台を受付の奥に移し、待つ列と記入する場所を分けた。",
        "混雑時の待ち時間が短くなり、廊下の通行の妨げもなくなった。",
        "投票しやすい環境づくり",
        (1, 5),
        (9, 9),
        (9, 16),
        "次の選挙でも続けてください。優良事例として共有します。",
        True,
    ),
    ImprovementSeed(
        "abe.takumi",
        "市民館の講座の申込みのオンラインフォームへの一本化",
        "講座の申込みを電話・はがき・窓口で受けていたため、受付の集計に手間がかかっていた。",
        "申込みをオンラインフォームにまとめ、電話での申込みは職員がフォームに代わりに入力する"
        "ことにした。",
        "集計の作業がなくなり、受付の結果をすぐにお知らせできるようになった。",
        "事務の効率化",
        (3,),
        (9, 30),
        (10, 7),
        "電話での申込みの方への配慮も続けてください。",
    ),
    ImprovementSeed(
        "endo.yuichi",
        "相談記録の様式の統一による引継ぎの効率化",
        "担当者ごとに相談記録の書き方が違い、担当が替わるときの引継ぎに時間がかかっていた。",
        "相談の経過・次の対応・関係機関を書く欄のある共通の様式を作った。",
        "引継ぎの時間が短くなり、相談者に同じことを何度も聞かずに済むようになった。",
        "正確な事務処理",
        (3, 4),
        (10, 14),
        (10, 21),
        "課の全係で使うようにします。",
    ),
]


class ItemSeed(NamedTuple):
    title: str
    subject: str
    plan: str | None  # "last" or "current"
    presented: int | None  # the plan version presented (approvals)
    decision: str
    comment: str = ""
    decided_by: str = COUNCIL
    proposals: bool = False  # this year's adopted proposals


class ProgressSeed(NamedTuple):
    """How one project's reports went: each quarter's status and progress (%), and what became
    of the latest report (the earlier ones were accepted)."""

    statuses: tuple  # the status of each quarter's report, Q1–Q4
    percents: tuple  # the progress at the end of each quarter
    latest: str  # "accepted", "submitted", "changes", "draft" or "missing"
    comment: str = ""  # the subcommittee's request, for "changes"
    unreported: str = ""  # an indicator the latest report left out (what "changes" asks for)


OK_ = ProgressReport.Status.ON_TRACK
RISK = ProgressReport.Status.AT_RISK
LATE = ProgressReport.Status.DELAYED
DONE = ProgressReport.Status.DONE

# Keyed by this year's project number, or ("carried", last year's number).
PROGRESS = {
    ("carried", 1): ProgressSeed((OK_, OK_, OK_, OK_), (25, 50, 70, 90), "accepted"),
    ("carried", 3): ProgressSeed((OK_, RISK, RISK, OK_), (30, 45, 65, 90), "accepted"),
    ("carried", 4): ProgressSeed((OK_, OK_, OK_, OK_), (25, 50, 75, 95), "accepted"),
    ("carried", 7): ProgressSeed((OK_, OK_, OK_, OK_), (30, 60, 80, 95), "accepted"),
    1: ProgressSeed((OK_, OK_, OK_, OK_), (20, 60, 80, 95), "submitted"),
    2: ProgressSeed(
        (OK_, LATE, RISK, OK_),
        (20, 35, 60, 90),
        "changes",
        "翻訳の確認が遅れている理由と、多言語フロアマップを掲出する時期の見通しを「改善（Act）」"
        "に具体的に書いてください。国際交流団体との日程調整の状況も添えてください。",
    ),
    3: ProgressSeed((OK_, OK_, OK_, OK_), (30, 60, 75, 90), "submitted"),
    4: ProgressSeed((OK_, OK_, OK_, OK_), (25, 55, 75, 95), "submitted"),
    5: ProgressSeed((OK_, LATE, RISK, OK_), (20, 30, 55, 85), "accepted"),
    6: ProgressSeed(
        (OK_, OK_, OK_, OK_),
        (25, 55, 75, 95),
        "changes",
        "指標「申請書の書き直し件数」の実績値が入力されていません。記入例を掲示した後の9月の"
        "集計値を入力し、掲示の前後で比べた結果を「評価（Check）」に書いてください。",
        "申請書の書き直し件数",
    ),
    7: ProgressSeed((OK_, OK_, OK_, OK_), (30, 60, 80, 95), "draft"),
    8: ProgressSeed((OK_, RISK, RISK, OK_), (25, 45, 65, 85), "accepted"),
    10: ProgressSeed((OK_, RISK, OK_, OK_), (10, 20, 50, 80), "draft"),
    11: ProgressSeed((OK_, DONE, DONE, DONE), (60, 100, 100, 100), "accepted"),
    12: ProgressSeed((LATE, LATE, RISK, OK_), (10, 40, 60, 85), "missing"),
    13: ProgressSeed((OK_, RISK, OK_, OK_), (30, 45, 70, 90), "draft"),
    15: ProgressSeed((OK_, OK_, OK_, OK_), (5, 15, 50, 90), "missing"),
    16: ProgressSeed((OK_, OK_, DONE, DONE), (60, 90, 100, 100), "accepted"),
    18: ProgressSeed((OK_, OK_, OK_, OK_), (5, 10, 40, 80), "accepted"),
}

STATUS_CHECK = {
    OK_: "取組はおおむね計画どおりに進んでいる。",
    RISK: "一部の作業に遅れが出ており、次期の進め方に注意が必要である。",
    LATE: "予定より遅れており、工程を見直す必要がある。",
    DONE: "予定したすべての取組を終え、事業を完了した。",
}
STATUS_ACT = {
    OK_: "これまでの進め方を続け、作業の進み具合はワーキングの会議で毎月確かめる。",
    RISK: "遅れている作業は、ワーキングのメンバーで分担を見直して取り戻す。",
    LATE: "所管課と工程を見直し、次期の報告で新しい見通しを示す。",
    DONE: "成果を所管課の通常業務に引き継ぎ、「たかつ通信」で他の課にも紹介する。",
}
REVIEW_COMMENT = {
    OK_: "計画どおりの進捗を確認しました。引き続き「{indicator}」の推移を報告してください。",
    RISK: "遅れの原因と対策が具体的に書かれています。次期の報告で対策の効果を確認します。",
    LATE: "遅れを確認しました。見直した工程を次回の推進部会で説明してください。",
    DONE: "事業の完了を確認しました。成果は年度末評価で報告します。",
}

# Last year's year-end evaluation: (grade, decision, reason) by last year's project number.
# The decisions are what "start next year" followed: 1, 3, 4 and 7 carried over.
CONTINUE = YearEndEvaluation.Decision.CONTINUE
CHANGE = YearEndEvaluation.Decision.CHANGE
FINISH = YearEndEvaluation.Decision.FINISH
EVALUATIONS = {
    1: (
        "B",
        CONTINUE,
        "1階の窓口に待ち人数表示モニターを増設し、平均待ち時間は35分から28分に短くなったが、目標"
        "の25分には届かなかった。2階の窓口への展開が残るため、次年度も継続する。",
    ),
    2: (
        "A",
        FINISH,
        "7月にアンケートを実施し、窓口満足度は76%と目標の75%を上回った。結果は公表済みで、"
        "次年度はオンライン回答を加えた新しい事業として実施する。",
    ),
    3: (
        "B",
        CHANGE,
        "1階・2階の案内サインを統一デザインに改修した（40箇所）。外国人来庁者の増加を踏まえ、"
        "次年度は多言語の併記を加えて3階以上と屋外のサインを改修する。",
    ),
    4: (
        "A",
        CONTINUE,
        "「たかつ通信」を予定どおり10号発行し、職員アンケートでも役に立つとの回答が多かった。"
        "次年度は毎月の発行とし、よくある問合せと優良事例の紹介を加える。",
    ),
    5: (
        "A",
        FINISH,
        "接遇研修を2回実施し、受講者数は62人と目標の60人を上回った。次年度は研修企画"
        "ワーキングがやさしい日本語研修と合わせた新しい事業として企画する。",
    ),
    6: (
        "A",
        FINISH,
        "繁忙期の臨時窓口の開設とコンビニ交付の案内により、最長待ち時間は130分から55分に短く"
        "なり、目標を達成した。課題が解決したため、課題検討ワーキングとともに終了する。",
    ),
    7: (
        "B",
        CONTINUE,
        "当事者団体と作成した点検項目で1階・2階の60箇所を点検した。3階以上と庁舎の外周の点検"
        "が残るため、次年度も継続する。",
    ),
    8: (
        "C",
        FINISH,
        "決済事業者の選定までは進めたが、全市でキャッシュレス決済を一斉に導入する方針が示された"
        "ため、区での試行は中止した。窓口の準備の経験は全市の導入の際に所管局へ伝える。",
    ),
}
