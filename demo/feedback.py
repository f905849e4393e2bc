"""The feedback app's part of `manage.py seed_demo`: 高津区役所's windows, a year of resident
voices, and two years of the window satisfaction survey.

`seed_feedback(sections)` builds:

- the service windows of the demo sections (住民記録, 証明書, マイナンバーカード, 国民健康保険 ...);
- `seed_surveys()`: 窓口サービス満足度アンケート of last fiscal year and of this one (a copy of
  last year's), eight questions of every kind with やさしい日本語 and English translations, and
  a few thousand anonymous responses spread over the working days (this year's up to today),
  with a satisfaction that differs by window and by season, and some free-text comments;
- about a hundred resident voices received over the last year, in every state and category
  (old ones closed, recent ones waiting, some overdue), some with personal data, some linked
  to projects of the current plan, three promoted from this year's survey comments.

Everything is drawn from fixed random seeds, so every run draws the same data. Rows are found
by natural keys (a window by section and name, a survey by title, a response by its submission
key, a voice by its summary or its source answer) and written like `plans.demo.put`: a
missing row is created with the history it would have had, an existing one is saved only when
a demo field differs, nothing is deleted, and a second run on the same day writes nothing.
Voices' dates count back from today, so a run on a later day moves them with it.
"""

import random
from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Q

from feedback.models import (
    Answer,
    Choice,
    Question,
    ResidentVoice,
    Response,
    ServiceWindow,
    Survey,
)
from feedback.voice_services import DEFAULT_DUE_DAYS
from plans.models import AnnualPlan
from takatsu_portal.accounts.models import Office, User
from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.fiscal import FiscalYear, today

from .data import accounts as demo_data
from .writer import Step, Tally, at, put

SECRETARY = "subcommittee"  # 山口 恵, 推進部会 事務局: runs the survey
VOICE_SEED = 20260401
SURVEY_SEED = 8101

# ---------------------------------------------------------------------------------------------
# Windows: key → (section, name, location)


class WindowSeed(NamedTuple):
    section: str
    name: str
    location: str


WINDOWS = {
    "annai": WindowSeed("総務課", "総合案内", "1階 正面玄関"),
    "jumin": WindowSeed("区民課", "住民記録窓口（転入・転出）", "1階 1番"),
    "shomei": WindowSeed("区民課", "証明書発行窓口", "1階 3番"),
    "mynumber": WindowSeed("区民課", "マイナンバーカード窓口", "1階 5番"),
    "kokuho": WindowSeed("保険年金課", "国民健康保険窓口", "1階 8番"),
    "nenkin": WindowSeed("保険年金課", "国民年金窓口", "1階 10番"),
    "kosodate": WindowSeed("児童家庭課", "子育て相談窓口", "2階 21番"),
    "kaigo": WindowSeed("高齢・障害課", "介護保険窓口", "2階 25番"),
    "eisei": WindowSeed("衛生課", "食品衛生・動物の窓口", "3階 31番"),
    "katsudo": WindowSeed("地域振興課", "区民活動の相談窓口", "4階 41番"),
    "doro": WindowSeed("道路公園センター管理課", "道路・公園の相談窓口", "道路公園センター 1階"),
}

# Window names as foreign residents read them (the public form shows the Japanese beside).
# Chinese, Korean, Portuguese and Vietnamese are left for the translators: the survey page
# lists them as missing.
WINDOW_TRANSLATIONS = {
    "annai": ("General Information", "あんない"),
    "jumin": ("Resident Registration (moving in / out)", "じゅうみんの とどけ（ひっこし）"),
    "shomei": ("Certificates", "しょうめいしょを だす まどぐち"),
    "mynumber": ("My Number Card", "マイナンバーカードの まどぐち"),
    "kokuho": ("National Health Insurance", "こくみん けんこう ほけんの まどぐち"),
    "nenkin": ("National Pension", "こくみん ねんきんの まどぐち"),
    "kosodate": ("Child-Rearing Consultation", "こそだての そうだん"),
    "kaigo": ("Long-Term Care Insurance", "かいご ほけんの まどぐち"),
    "eisei": ("Food Hygiene and Animals", "たべものと どうぶつの まどぐち"),
    "katsudo": ("Community Activities Consultation", "ちいき かつどうの そうだん"),
    "doro": ("Roads and Parks Consultation", "どうろと こうえんの そうだん"),
}

# Survey: the mean of the satisfaction question by window, the usual wait in minutes, and how
# busy the window is (relative number of responses).
WINDOW_PROFILE = {
    "annai": (4.3, 2, 2),
    "jumin": (3.6, 35, 10),
    "shomei": (4.0, 12, 8),
    "mynumber": (3.3, 45, 7),
    "kokuho": (3.5, 25, 6),
    "nenkin": (3.9, 15, 3),
    "kosodate": (4.3, 10, 3),
    "kaigo": (4.0, 15, 3),
    "eisei": (4.2, 8, 1),
    "katsudo": (4.4, 5, 1),
    "doro": (3.8, 10, 1),
}
# March and April (moving season) make 住民記録 and マイナンバーカード busier and slower.
PEAK_MONTHS = {3, 4}
PEAK_WINDOWS = {"jumin", "mynumber", "shomei"}


# ---------------------------------------------------------------------------------------------
# Survey questions: (kind, text, help text, required, translations, choices)

EASY = "ja-easy"


def _tr(easy, english, field="text"):
    return {EASY: {field: easy}, "en": {field: english}}


class ChoiceSeed(NamedTuple):
    text: str
    easy: str
    english: str


class QuestionSeed(NamedTuple):
    kind: str
    text: str
    easy: str
    english: str
    required: bool = False
    help_text: str = ""
    choices: tuple = ()
    min_value: Decimal | None = None
    max_value: Decimal | None = None


K = Question.Kind
QUESTIONS = [
    QuestionSeed(
        K.WINDOW,
        "本日ご利用の窓口・手続きを選んでください。",
        "きょう つかった まどぐちを えらんで ください。",
        "Which counter did you use today?",
        required=True,
    ),
    QuestionSeed(
        K.SATISFACTION,
        "本日の窓口の対応に満足しましたか。",
        "きょうの まどぐちは よかったですか。",
        "How satisfied were you with the service at the counter today?",
        required=True,
    ),
    QuestionSeed(
        K.SATISFACTION,
        "待ち時間に満足しましたか。",
        "まつ じかんは よかったですか。",
        "How satisfied were you with the waiting time?",
    ),
    QuestionSeed(
        K.NUMBER,
        "待ち時間はおよそ何分でしたか。",
        "だいたい なんぷん まちましたか。",
        "About how many minutes did you wait?",
        help_text="分で入力してください。",
        min_value=Decimal(0),
        max_value=Decimal(300),
    ),
    QuestionSeed(
        K.SINGLE,
        "職員の説明は分かりやすかったですか。",
        "しょくいんの せつめいは わかりやすかったですか。",
        "Was the staff's explanation easy to understand?",
        choices=(
            ChoiceSeed("分かりやすかった", "わかりやすかった", "Easy to understand"),
            ChoiceSeed("ふつう", "ふつう", "Neither"),
            ChoiceSeed("分かりにくかった", "わかりにくかった", "Hard to understand"),
        ),
    ),
    QuestionSeed(
        K.MULTIPLE,
        "よかった点を選んでください（いくつでも）。",
        "よかった ところを えらんで ください（いくつでも）。",
        "What was good? (choose all that apply)",
        choices=(
            ChoiceSeed("案内表示が分かりやすい", "あんないが わかりやすい", "Clear signs"),
            ChoiceSeed("職員の言葉づかい", "しょくいんの ことば", "Staff's manner"),
            ChoiceSeed("手続きが速い", "てつづきが はやい", "Quick procedure"),
            ChoiceSeed("書類が書きやすい", "しょるいが かきやすい", "Easy forms"),
            ChoiceSeed("庁舎がきれい", "たてものが きれい", "Clean building"),
        ),
    ),
    QuestionSeed(
        K.SINGLE,
        "年代を教えてください。",
        "なんさいですか。",
        "What is your age group?",
        choices=(
            ChoiceSeed("20代以下", "20さいだい より した", "Under 30"),
            ChoiceSeed("30代", "30さいだい", "30s"),
            ChoiceSeed("40代", "40さいだい", "40s"),
            ChoiceSeed("50代", "50さいだい", "50s"),
            ChoiceSeed("60代", "60さいだい", "60s"),
            ChoiceSeed("70代以上", "70さいだい より うえ", "70 or over"),
        ),
    ),
    QuestionSeed(
        K.TEXT,
        "ご意見・ご要望があればお書きください。",
        "いけんが あれば かいて ください。",
        "Please write any comments or requests.",
        help_text="個人を特定できる内容（氏名・連絡先）は書かないでください。",
    ),
]

SURVEY_INTRODUCTION = (
    "本日は高津区役所をご利用いただきありがとうございます。窓口サービスの向上のため、"
    "アンケートにご協力ください。回答は匿名で、2分ほどで終わります。"
)
SURVEY_TRANSLATIONS = {
    EASY: {
        "title": "まどぐちの アンケート",
        "introduction": "たかつくやくしょに きて くれて ありがとう ございます。"
        "まどぐちを よく するため、こたえて ください。なまえは かきません。",
    },
    "en": {
        "title": "Counter Service Satisfaction Survey",
        "introduction": "Thank you for visiting Takatsu Ward Office. Please help us improve "
        "our counter service. The survey is anonymous and takes about two minutes.",
    },
}
LANGUAGE_WEIGHTS = [
    ("ja", 880),
    (EASY, 50),
    ("en", 40),
    ("zh", 12),
    ("ko", 8),
    ("pt", 5),
    ("vi", 5),
]

# Free-text comments: a first sentence by mood, sometimes a request after it.
GOOD_COMMENTS = [
    "職員の方がとても親切で、分からないことを丁寧に教えてくれました。",
    "思ったより早く手続きが終わり、助かりました。",
    "書き方の見本が置いてあり、迷わずに記入できました。",
    "番号の呼出し画面が見やすくなりました。",
    "子ども連れでしたが、キッズスペースがあって安心して待てました。",
    "やさしい日本語で説明してもらえて、よく分かりました。",
    "案内の方が窓口まで連れて行ってくれて、ありがたかったです。",
    "いつも気持ちよく対応していただいています。",
]
BAD_COMMENTS = [
    "待ち時間が長く、1時間以上かかりました。",
    "どの窓口に行けばよいのか分かりにくかったです。",
    "説明に専門用語が多く、よく分かりませんでした。",
    "ほかの窓口に行くように言われ、何度も移動しました。",
    "待合の椅子が足りず、立って待ちました。",
    "呼出しの声が聞こえにくかったです。",
    "申請書の書き方が難しかったです。",
    "昼休みの時間帯は窓口が少なく、混んでいました。",
]
REQUESTS = [
    "待ち時間の目安を表示してほしいです。",
    "土曜日にも手続きできる窓口を増やしてほしいです。",
    "オンラインで予約できるようにしてほしいです。",
    "案内表示をもっと大きくしてほしいです。",
    "外国語の案内を増やしてほしいです。",
    "記入例を窓口ごとに置いてほしいです。",
    "",
    "",
]


# ---------------------------------------------------------------------------------------------
# Resident voices: (category, summary with {w}, body with {w}, window keys, channel or None)


class VoiceTopic(NamedTuple):
    category: str
    summary: str
    body: str
    windows: tuple
    channel: str | None = None


C = ResidentVoice.Category
CH = ResidentVoice.Channel
TOPICS = [
    VoiceTopic(
        C.WAITING,
        "{w}の待ち時間が長い",
        "{w}で1時間以上待った。おおよその待ち時間を表示してほしい。",
        ("jumin", "shomei", "mynumber", "kokuho", "nenkin", "kaigo"),
    ),
    VoiceTopic(
        C.WAITING,
        "{w}の呼出し番号が聞こえにくい",
        "{w}の番号の呼出しが小さな声で、待合の奥では聞こえなかった。画面も見えにくい。",
        ("jumin", "shomei", "kokuho", "nenkin"),
    ),
    VoiceTopic(
        C.WAITING,
        "{w}の混雑状況を出かける前に知りたい",
        "{w}の混み具合がウェブで分かれば、すいている時間に行ける。",
        ("jumin", "mynumber", "kokuho"),
        CH.EMAIL,
    ),
    VoiceTopic(
        C.WAITING,
        "土曜開庁日の{w}が混みすぎる",
        "土曜開庁日に{w}へ行ったら2時間待ちだった。窓口を増やしてほしい。",
        ("jumin", "mynumber"),
    ),
    VoiceTopic(
        C.WAYFINDING,
        "{w}の場所が分かりにくい",
        "エレベーターを降りてから{w}までの案内がなく、迷ってしまった。",
        ("kokuho", "nenkin", "kosodate", "kaigo", "eisei", "katsudo"),
    ),
    VoiceTopic(
        C.WAYFINDING,
        "{w}への案内表示が小さい",
        "{w}への案内表示の文字が小さく、高齢の母には読めなかった。",
        ("kosodate", "kaigo", "eisei", "katsudo", "doro"),
    ),
    VoiceTopic(
        C.WAYFINDING,
        "{w}の番号札の取り方が分からなかった",
        "{w}で番号札の発券機の使い方が分からず、しばらく並んでいた。",
        ("jumin", "shomei", "mynumber"),
    ),
    VoiceTopic(
        C.PASSED_AROUND,
        "{w}で別の課へ行くよう言われ何度も移動した",
        "{w}で相談したら別の課へ行くよう言われ、そこでも別の窓口を案内された。一か所で済ませたい。",
        ("kokuho", "nenkin", "kosodate", "kaigo", "jumin"),
    ),
    VoiceTopic(
        C.PASSED_AROUND,
        "{w}で同じ説明を何度もさせられた",
        "{w}で担当が替わるたびに、同じ事情を最初から説明しなければならなかった。",
        ("kosodate", "kaigo", "kokuho"),
    ),
    VoiceTopic(
        C.MANNER,
        "{w}の職員の丁寧な説明へのお礼",
        "{w}の職員が、分からないことを一つずつ丁寧に説明してくれて助かった。お礼を伝えたい。",
        ("jumin", "kokuho", "nenkin", "kosodate", "kaigo", "eisei", "annai", "doro"),
        CH.LETTER,
    ),
    VoiceTopic(
        C.MANNER,
        "{w}の職員の言葉づかいが冷たく感じた",
        "{w}で質問したら面倒そうに答えられ、冷たく感じた。",
        ("jumin", "kokuho", "nenkin", "shomei"),
    ),
    VoiceTopic(
        C.MANNER,
        "{w}の職員が電話で名乗らなかった",
        "{w}に電話したが、出た職員が名乗らず、誰と話したのか分からなかった。",
        ("kokuho", "nenkin", "kaigo", "doro"),
        CH.PHONE,
    ),
    VoiceTopic(
        C.JARGON,
        "{w}の説明に専門用語が多い",
        "{w}の説明で「世帯主」「資格喪失」など分からない言葉が多かった。",
        ("kokuho", "nenkin", "kaigo", "jumin"),
    ),
    VoiceTopic(
        C.JARGON,
        "{w}の申請書の書き方が分かりにくい",
        "{w}の申請書のどこに何を書くのか分かりにくい。記入例がほしい。",
        ("jumin", "shomei", "kokuho", "kosodate", "kaigo"),
    ),
    VoiceTopic(
        C.JARGON,
        "{w}の案内をやさしい日本語でもほしい",
        "日本語が少し分かる外国人の家族と{w}へ来た。やさしい日本語の案内があると助かる。",
        ("jumin", "kokuho", "kosodate", "mynumber"),
    ),
    VoiceTopic(
        C.ACCESSIBILITY,
        "{w}の記載台が車いすで使いにくい",
        "{w}の記載台が高く、車いすでは書きにくかった。",
        ("jumin", "shomei", "kokuho"),
    ),
    VoiceTopic(
        C.ACCESSIBILITY,
        "{w}に筆談の用意がほしい",
        "耳が聞こえにくいため、{w}に筆談ボードなどを置いてほしい。",
        ("jumin", "kokuho", "kaigo", "kosodate"),
    ),
    VoiceTopic(
        C.ACCESSIBILITY,
        "{w}の近くにベビーカーを置く場所がない",
        "{w}の前が狭く、ベビーカーを置く場所がなかった。",
        ("kosodate", "jumin"),
    ),
    VoiceTopic(
        C.FACILITIES,
        "{w}の待合の椅子が足りない",
        "{w}の待合の椅子が足りず、立って待っている人が多かった。",
        ("jumin", "kokuho", "mynumber"),
    ),
    VoiceTopic(
        C.FACILITIES,
        "{w}の近くの廊下が暗い",
        "{w}へ向かう廊下の照明が暗く、足元が見えにくい。",
        ("eisei", "katsudo", "nenkin"),
    ),
    VoiceTopic(
        C.FACILITIES,
        "{w}の待合が寒い",
        "冬の{w}の待合は入口の風が入って寒い。",
        ("jumin", "kokuho", "shomei"),
    ),
    VoiceTopic(
        C.OTHER,
        "{w}の受付時間を延ばしてほしい",
        "仕事帰りに{w}へ行くと間に合わない。平日の夜も開けてほしい。",
        ("jumin", "shomei", "mynumber"),
        CH.EMAIL,
    ),
    VoiceTopic(
        C.OTHER,
        "{w}でキャッシュレス決済を使いたい",
        "{w}の手数料を現金でしか払えず不便だった。",
        ("shomei", "jumin"),
    ),
    VoiceTopic(
        C.OTHER,
        "{w}の手続きをオンラインでもしたい",
        "{w}の手続きを、区役所に来なくてもできるようにしてほしい。",
        ("mynumber", "kokuho", "kosodate"),
        CH.EMAIL,
    ),
]
# Voices about no particular window: (category, section, summary, body, channel).
OFFICE_TOPICS = [
    (
        C.FACILITIES,
        "総務課",
        "区役所の駐輪場が足りない",
        "自転車で来たが駐輪場が満車だった。",
        CH.PHONE,
    ),
    (
        C.WAYFINDING,
        "総務課",
        "バス停から区役所への案内がない",
        "バス停から庁舎の入口が分からず遠回りした。",
        CH.EMAIL,
    ),
    (
        C.OTHER,
        "企画課",
        "区のホームページの情報が古い",
        "区のホームページの窓口案内が古いままだった。",
        CH.EMAIL,
    ),
    (
        C.ACCESSIBILITY,
        "総務課",
        "正面玄関のスロープが急",
        "正面玄関のスロープが急で、車いすを押すのが大変だった。",
        CH.LETTER,
    ),
    (
        C.FACILITIES,
        "総務課",
        "授乳室の場所を増やしてほしい",
        "授乳室が1階にしかなく、2階の窓口からは遠い。",
        CH.OTHER,
    ),
    (
        C.OTHER,
        "道路公園センター管理課",
        "公園の遊具が壊れている",
        "近くの公園のブランコの鎖が切れそうで危ない。",
        CH.PHONE,
    ),
    (
        C.OTHER,
        "道路公園センター管理課",
        "歩道の段差でつまずいた",
        "区役所前の歩道の段差でつまずいた。直してほしい。",
        CH.PHONE,
    ),
    (
        C.MANNER,
        "地域振興課",
        "区民祭の運営へのお礼",
        "区民祭の運営がよく、職員の方の案内も親切だった。",
        CH.LETTER,
    ),
]
ANSWERS = {
    C.WAITING: (
        "ご不便をおかけし申し訳ありません。待ち時間の目安を窓口前の画面に表示し、"
        "混雑する時間帯は窓口を増やして対応しています。"
    ),
    C.WAYFINDING: (
        "ご指摘ありがとうございます。案内表示を見直し、エレベーター前にフロアマップを設置しました。"
    ),
    C.PASSED_AROUND: (
        "ご迷惑をおかけしました。関係する課が一つの窓口で相談を受ける体制を検討しています。"
    ),
    C.MANNER: "お声をお寄せいただきありがとうございます。職員に伝え、接遇研修で共有しました。",
    C.JARGON: (
        "分かりにくい説明で申し訳ありません。役所言葉の言い換え集と記入例を用意し、"
        "窓口で使い始めました。"
    ),
    C.ACCESSIBILITY: "ご指摘ありがとうございます。窓口に筆談具と低い記載台を用意しました。",
    C.FACILITIES: "ご不便をおかけしました。庁舎管理の担当と確認し、改善を進めています。",
    C.OTHER: "ご意見ありがとうございます。担当課で検討し、できるところから取り組みます。",
}
# Words of a current project's title that answer a category's voices.
PROJECT_WORDS = {
    C.WAITING: ["待ち時間表示"],
    C.WAYFINDING: ["案内サイン", "フロアマップ"],
    C.PASSED_AROUND: ["ワンストップ", "チェックシート"],
    C.MANNER: ["接遇研修"],
    C.JARGON: ["役所言葉", "記入例"],
    C.ACCESSIBILITY: ["バリアフリー", "コミュニケーションボード"],
    C.FACILITIES: ["授乳室", "LED"],
    C.OTHER: ["区民の声への回答"],
}
CONTACT_NAMES = [
    "川崎 一郎",
    "溝口 花子",
    "二子 健",
    "久地 由美",
    "末長 誠",
    "坂戸 恵子",
    "梶ヶ谷 浩",
    "久本 明美",
]
CHANNELS = [
    (CH.COUNTER, 40),
    (CH.PHONE, 20),
    (CH.EMAIL, 20),
    (CH.LETTER, 8),
    (CH.OTHER, 6),
]


# ---------------------------------------------------------------------------------------------
# The seed


class _People:
    """The demo staff by section: managers and the others, as User rows."""

    def __init__(self):
        self.users = User.objects.in_bulk(
            [person.username for person in demo_data.PEOPLE], field_name="username"
        )
        self.managers, self.staff = {}, {}
        for person in demo_data.PEOPLE:
            user = self.users[person.username]
            if Role.SECTION_MANAGER in person.roles:
                self.managers.setdefault(person.section, user)
            elif Role.COUNCIL not in person.roles:
                self.staff.setdefault(person.section, []).append(user)

    def manager(self, section):
        return self.managers.get(section) or self.users[SECRETARY]

    def members(self, section):
        return self.staff.get(section) or [self.manager(section)]


def seed_feedback(sections):
    """The feedback app's demo data (see the module docstring); returns tallies."""
    office = Office.objects.get(code=demo_data.OFFICE_CODE)
    people = _People()
    tallies = {}

    def tally(label):
        return tallies.setdefault(label, Tally(label))

    windows = _seed_windows(sections, tally("窓口"))
    surveys = seed_surveys(office=office, windows=windows, people=people, tally=tally)
    _seed_voices(office, sections, windows, people, surveys, tally("区民の声"))
    return list(tallies.values())


def _seed_windows(sections, tally):
    first_day = at(FiscalYear.current().previous().start, 9)
    windows = {}
    for order, (key, seed) in enumerate(WINDOWS.items(), start=1):
        windows[key] = put(
            ServiceWindow,
            lookup={"section": sections[seed.section], "name": seed.name},
            values={
                "location": seed.location,
                "is_active": True,
                "sort_order": order * 10,
                "translations": {
                    "en": {"name": WINDOW_TRANSLATIONS[key][0]},
                    "ja-easy": {"name": WINDOW_TRANSLATIONS[key][1]},
                },
            },
            steps=[Step(first_day, None, "窓口を登録")],
            tally=tally,
        )
    return windows


def seed_surveys(*, office=None, windows=None, people=None, tally=None):
    """Last fiscal year's and this year's window satisfaction surveys with their responses;
    returns {"last": survey, "current": survey}. Callable alone after the windows exist."""
    office = office or Office.objects.get(code=demo_data.OFFICE_CODE)
    people = people or _People()
    if windows is None:
        by_name = {
            w.name: w for w in ServiceWindow.objects.for_office(office).select_related("section")
        }
        windows = {key: by_name[seed.name] for key, seed in WINDOWS.items()}
    if tally is None:
        tallies = {}

        def tally(label):
            return tallies.setdefault(label, Tally(label))

    fy = FiscalYear.current()
    last = _seed_survey(office, fy.previous(), windows, people, tally, copied_from=None)
    current = _seed_survey(office, fy, windows, people, tally, copied_from=last)
    _seed_responses(last, fy.previous(), windows, people, tally("アンケートの回答"), boost=0)
    _seed_responses(current, fy, windows, people, tally("アンケートの回答"), boost=0.2)
    return {"last": last, "current": current}


def _seed_survey(office, fy, windows, people, tally, *, copied_from):
    secretary = people.users[SECRETARY]
    created = at(fy.start - timedelta(days=14), 10)
    survey = put(
        Survey,
        lookup={"office": office, "title": f"窓口サービス満足度アンケート（{fy.era_label}）"},
        values={
            "introduction": SURVEY_INTRODUCTION,
            "opens_on": fy.start,
            "closes_on": fy.end,
            "translations": SURVEY_TRANSLATIONS,
            "created_by": secretary,
            "copied_from": copied_from,
        },
        m2m={"windows": list(windows.values())},
        stamps={"created_at": created},
        steps=[
            Step(
                created,
                secretary,
                f"「{copied_from}」を複製して作成" if copied_from else "アンケートを作成",
            )
        ],
        tally=tally("アンケート"),
    )
    for order, seed in enumerate(QUESTIONS, start=1):
        translations = _tr(seed.easy, seed.english)
        if seed.help_text:
            translations[EASY]["help_text"] = "なまえや でんわばんごうは かかないで ください。"
            translations["en"]["help_text"] = (
                "In minutes."
                if seed.kind == K.NUMBER
                else "Please do not write your name or contact."
            )
            if seed.kind == K.NUMBER:
                translations[EASY]["help_text"] = "なんぷんか かいて ください。"
        question = put(
            Question,
            lookup={"survey": survey, "order": order},
            values={
                "kind": seed.kind,
                "text": seed.text,
                "help_text": seed.help_text,
                "required": seed.required,
                "min_value": seed.min_value,
                "max_value": seed.max_value,
                "translations": translations,
            },
            steps=[Step(created, secretary)],
            tally=tally("質問"),
        )
        for choice_order, choice in enumerate(seed.choices, start=1):
            put(
                Choice,
                lookup={"question": question, "order": choice_order},
                values={"text": choice.text, "translations": _tr(choice.easy, choice.english)},
                steps=[Step(created, secretary)],
                tally=tally("選択肢"),
            )
    return survey


def _survey_days(fy):
    """The days the windows are open: weekdays and the second and fourth Saturday (土曜開庁)."""
    day, days = fy.start, []
    while day <= fy.end:
        saturday_open = day.weekday() == 5 and (day.day - 1) // 7 in (1, 3)
        if day.weekday() < 5 or saturday_open:
            days.append(day)
        day += timedelta(days=1)
    return days


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _clamp(value, low=1, high=5):
    return max(low, min(high, value))


def _seed_responses(survey, fy, windows, people, tally, *, boost):
    """A year of responses (this year's up to today), drawn from a seed of their own so that a
    run on a later day adds the days since and changes none of the earlier ones."""
    rng = random.Random(SURVEY_SEED + fy.year)  # noqa: S311  (demo data, not a secret)
    questions = {q.order: q for q in survey.questions.all()}
    choices = {
        q.order: list(q.choices.order_by("order")) for q in questions.values() if q.has_choices
    }
    keys = list(windows)
    busy = [WINDOW_PROFILE[key][2] for key in keys]
    last_day = min(fy.end, today())
    existing = set(survey.responses.values_list("submission_key", flat=True))
    planned = []  # (response, [answer fields])
    number = 0
    for day in _survey_days(fy):
        for _ in range(rng.randint(4, 14)):
            number += 1
            key = rng.choices(keys, weights=busy)[0]
            draw = _draw_response(rng, key, day, questions, choices, windows, boost)
            submission_key = f"demo-{fy.year}-{number:05d}"
            if day > last_day or submission_key in existing:
                continue
            channel = Response.Channel.PAPER if draw["paper"] else Response.Channel.WEB
            window = windows[key]
            planned.append(
                (
                    Response(
                        survey=survey,
                        submitted_on=day,
                        channel=channel,
                        language=draw["language"],
                        window=window,
                        submission_key=submission_key,
                        entered_by=(
                            people.members(WINDOWS[key].section)[0]
                            if channel == Response.Channel.PAPER
                            else None
                        ),
                    ),
                    draw["answers"],
                )
            )
    tally.unchanged += len(existing)
    if not planned:
        return
    responses = Response.objects.bulk_create([response for response, _ in planned], batch_size=1000)
    answers = [
        Answer(response=response, **fields)
        for response, (_, rows) in zip(responses, planned, strict=True)
        for fields in rows
    ]
    Answer.objects.bulk_create(answers, batch_size=2000)
    tally.created += len(responses)


def _draw_response(rng, key, day, questions, choices, windows, boost):
    mean, wait, _ = WINDOW_PROFILE[key]
    peak = day.month in PEAK_MONTHS and key in PEAK_WINDOWS
    if peak:
        mean -= 0.5
        wait = int(wait * 1.8)
    minutes = max(0, round(rng.gauss(wait, wait * 0.5)))
    overall = _clamp(round(rng.gauss(mean + boost, 0.9)))
    wait_score = _clamp(5 - minutes // 15 + rng.choice((-1, 0, 0, 1)))
    answers = [
        {"question": questions[1], "text": windows[key].name},
        {"question": questions[2], "number": Decimal(overall)},
    ]
    if rng.random() < 0.9:
        answers.append({"question": questions[3], "number": Decimal(wait_score)})
    if rng.random() < 0.8:
        answers.append({"question": questions[4], "number": Decimal(minutes)})
    if rng.random() < 0.85:
        clarity = 0 if overall >= 4 else (1 if overall == 3 else 2)
        if rng.random() < 0.2:
            clarity = rng.randrange(3)
        answers.append({"question": questions[5], "choice": choices[5][clarity]})
    good = [c for c in choices[6] if rng.random() < (0.15 + 0.08 * overall)]
    answers.extend({"question": questions[6], "choice": c} for c in good)
    if rng.random() < 0.8:
        answers.append({"question": questions[7], "choice": rng.choice(choices[7])})
    if rng.random() < 0.07:
        pool = GOOD_COMMENTS if overall >= 4 else BAD_COMMENTS
        text = rng.choice(pool) + rng.choice(REQUESTS)
        answers.append({"question": questions[8], "text": text})
    return {
        "answers": answers,
        "language": _weighted(rng, LANGUAGE_WEIGHTS),
        "paper": rng.random() < 0.25,
    }


# ---------------------------------------------------------------------------------------------
# Voices


class _VoicePlan(NamedTuple):
    category: str
    section: str
    window: str | None
    summary: str
    body: str
    channel: str | None


def _voice_plans(windows):
    plans = []
    for topic in TOPICS:
        for key in topic.windows:
            name = windows[key].name
            plans.append(
                _VoicePlan(
                    topic.category,
                    WINDOWS[key].section,
                    key,
                    topic.summary.format(w=name),
                    topic.body.format(w=name),
                    topic.channel,
                )
            )
    for category, section, summary, body, channel in OFFICE_TOPICS:
        plans.append(_VoicePlan(category, section, None, summary, body, channel))
    return plans


def _current_projects(office):
    plan = AnnualPlan.objects.filter(office=office, fiscal_year=FiscalYear.current().year).first()
    if plan is None:
        return {}
    projects = list(plan.projects.order_by("code"))
    return {
        category: [p for p in projects if any(word in p.title for word in words)]
        for category, words in PROJECT_WORDS.items()
    }


def _seed_voices(office, sections, windows, people, surveys, tally):
    rng = random.Random(VOICE_SEED)  # noqa: S311  (demo data, not a secret)
    day = today()
    projects = _current_projects(office)
    plans = _voice_plans(windows)
    ages = sorted((rng.randrange(0, 365) for _ in plans), reverse=True)
    rng.shuffle(plans)
    turn = {}
    for index, (plan, age) in enumerate(zip(plans, ages, strict=True)):
        received = day - timedelta(days=age)
        members = people.members(plan.section)
        # The section's staff take turns, so the demo "staff" account gets some of 区民課's.
        turn[plan.section] = turn.get(plan.section, -1) + 1
        assignee = members[turn[plan.section] % len(members)]
        channel = plan.channel or _weighted(rng, CHANNELS)
        linked = projects.get(plan.category) or []
        _put_voice(
            rng,
            office=office,
            section=sections[plan.section],
            window=windows[plan.window] if plan.window else None,
            category=plan.category,
            channel=channel,
            summary=plan.summary,
            body=plan.body,
            received=received,
            today_=day,
            recorder=rng.choice(people.members(plan.section)),
            manager=people.manager(plan.section),
            assignee=assignee,
            projects=linked[:1] if linked and index % 4 == 0 else [],
            contact=index % 5 in (0, 2),
            index=index,
            lookup={"office": office, "summary": plan.summary},
            tally=tally,
        )
    _seed_promoted(rng, office, windows, people, surveys["current"], projects, tally, day)


def _state_for(rng, age):
    """The voice's state by its age in days: old voices are closed, a few are late."""
    roll = rng.random()
    if age > 45:
        return "closed" if roll < 0.85 else ("answered" if roll < 0.95 else "assigned")
    if age > 14:
        if roll < 0.35:
            return "closed"
        if roll < 0.7:
            return "answered"
        return "assigned" if roll < 0.9 else "received"
    if roll < 0.4:
        return "received"
    return "assigned" if roll < 0.8 else "answered"


def _put_voice(
    rng,
    *,
    office,
    section,
    window,
    category,
    channel,
    summary,
    body,
    received,
    today_,
    recorder,
    manager,
    assignee,
    projects,
    contact,
    index,
    lookup,
    tally,
    source_answer=None,
):
    age = (today_ - received).days
    state = _state_for(rng, age)
    due = received + timedelta(days=DEFAULT_DUE_DAYS)
    assigned_on = min(received + timedelta(days=rng.randint(0, 2)), today_)
    answered_on = min(assigned_on + timedelta(days=rng.randint(2, 20)), today_)
    closed_on = min(answered_on + timedelta(days=rng.randint(1, 5)), today_)
    answered_at = at(answered_on, 15, rng.randrange(60))
    closed_at = at(closed_on, 17, rng.randrange(60))
    final = {
        "channel": channel,
        "category": category,
        "section": section,
        "window": window,
        "received_on": received,
        "due_on": due,
        "body": body,
        "recorded_by": recorder,
        "state": state,
        "assignee": assignee if state != "received" else None,
        "answer_text": ANSWERS[category] if state in ("answered", "closed") else "",
        "answered_at": answered_at if state in ("answered", "closed") else None,
        "answered_by": assignee if state in ("answered", "closed") else None,
        "closed_at": closed_at if state == "closed" else None,
        "contact_name": CONTACT_NAMES[index % len(CONTACT_NAMES)] if contact else "",
        "contact_info": (
            (f"044-000-{1000 + index:04d}" if index % 2 else f"resident{index}@example.jp")
            if contact
            else ""
        ),
        "source_answer": source_answer,
    }
    if "summary" not in lookup:
        final["summary"] = summary
    unanswered = {"answer_text": "", "answered_at": None, "answered_by": None, "closed_at": None}
    steps = [
        Step(
            at(received, 10, rng.randrange(60)),
            recorder,
            "受付",
            {"state": "received", "assignee": None, **unanswered},
        )
    ]
    if state != "received":
        steps.append(
            Step(
                at(assigned_on, 11, rng.randrange(60)),
                manager,
                f"担当者を{assignee}に決定",
                {"state": "assigned", **unanswered},
            )
        )
    if state in ("answered", "closed"):
        steps.append(Step(answered_at, assignee, "回答", {"state": "answered", "closed_at": None}))
    if state == "closed":
        steps.append(Step(closed_at, manager, "完了"))
    return put(
        ResidentVoice,
        lookup={**lookup, "office": office},
        values=final,
        m2m={"projects": projects},
        steps=steps,
        tally=tally,
    )


def _seed_promoted(rng, office, windows, people, survey, projects, tally, day):
    """Three of this year's survey comments that the subcommittee recorded as voices."""
    answers = (
        Answer.objects.filter(
            response__survey=survey,
            question__kind=Question.Kind.TEXT,
            response__window__isnull=False,
        )
        .filter(Q(text__contains="待ち時間") | Q(text__contains="分かりにく"))
        .select_related("response__window__section")
        .order_by("response__submission_key", "pk")[:3]
    )
    secretary = people.users[SECRETARY]
    for index, answer in enumerate(answers):
        response = answer.response
        section = response.window.section
        category = C.WAITING if "待ち時間" in answer.text else C.WAYFINDING
        first = answer.text.split("。")[0]
        linked = projects.get(category) or []
        _put_voice(
            rng,
            office=office,
            section=section,
            window=response.window,
            category=category,
            channel=CH.SURVEY,
            summary=f"アンケートより：{first}",
            body=answer.text,
            received=response.submitted_on,
            today_=day,
            recorder=secretary,
            manager=people.manager(section.name),
            assignee=people.members(section.name)[0],
            projects=linked[:1],
            contact=False,
            index=1000 + index,
            lookup={"source_answer": answer},
            tally=tally,
            source_answer=answer,
        )
