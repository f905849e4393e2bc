"""The seeds of the feedback demo (demo/feedback.py plants them): the windows and their
satisfaction profiles, the survey's questions and translations, the comments residents write,
the topics and answers of resident voices.
"""

from decimal import Decimal
from typing import NamedTuple

from feedback.models import (
    Question,
    ResidentVoice,
)

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
