"""Plain language's part of `manage.py seed_demo`.

The glossary itself comes with the migration. This adds what makes 区民向け文書の点検 worth
opening on a demo: answers to resident voices of this fiscal year written the ways a ward
office really writes them, from heavy 役所言葉 to plain Japanese, in five sections (the other
demo answers are already plain), and two terms the subcommittee added to the glossary, each
with its history. Rows are found by natural keys (a voice by its summary, a term by its
spelling) and written like the other demo modules (`writer.put`): a second run writes nothing.
"""

from datetime import timedelta
from typing import NamedTuple

from feedback.models import ResidentVoice
from feedback.voices.services import DEFAULT_DUE_DAYS
from takatsu_portal.accounts.models import Office, User
from takatsu_portal.core.fiscal import FiscalYear, today
from takatsu_portal.plain_language.models import Term

from .data import accounts as demo_data
from .writer import Step, Tally, at, put

C = ResidentVoice.Category
CH = ResidentVoice.Channel


class Answered(NamedTuple):
    section: str
    category: str
    channel: str
    summary: str
    body: str
    answer: str
    days_ago: int


# From the hardest to read to the plainest; the audit sorts them back into this order.
ANSWERED = [
    Answered(
        "保険年金課",
        C.JARGON,
        CH.LETTER,
        "保険料の減額の通知が分かりにくい",
        "届いた通知を読んでも、何をすればよいのか分からなかった。",
        "標記の件につきましては、当該被保険者に係る所得の申告を勘案し、所要の措置を講じた上で、"
        "減免の可否を決定するものとします。なお、申請書及び添付書類に不備がある場合は、"
        "この限りではありません。ご査収のほどよろしくお願い申し上げます。",
        40,
    ),
    Answered(
        "区民課",
        C.JARGON,
        CH.COUNTER,
        "転入届の説明が難しかった",
        "窓口で言われた言葉が難しく、もう一度来ることになった。",
        "住民基本台帳法に基づき、転入届の届出に際しては本人確認書類の提示を要するところであり、"
        "代理人による届出にあっては委任状の添付を要します。遺漏なきようご留意いただきますよう"
        "お願い申し上げます。",
        75,
    ),
    Answered(
        "地域振興課",
        C.OTHER,
        CH.EMAIL,
        "地域の集会所の使い方を知りたい",
        "町内会で集会所を使いたいが、申込み方法が分からない。",
        "集会所の利用に当たっては、所定の様式により利用日の14日前までに申請を行うことができます。"
        "利用の可否については、関係団体とのコンセンサスを踏まえ、可及的速やかにご連絡いたします。",
        20,
    ),
    Answered(
        "生涯学習支援課",
        C.OTHER,
        CH.PHONE,
        "講座の申込みが締め切られていた",
        "申込みの締め切りがいつなのか、どこにも書いていなかった。",
        "ご不便をおかけしました。講座の申込み期間は区のホームページに掲出しておりますが、"
        "周知が十分でなかったことから、今後は広報紙にも掲載し、周知徹底を図ります。",
        12,
    ),
    Answered(
        "総務課",
        C.FACILITIES,
        CH.COUNTER,
        "駐輪場が分かりにくい",
        "自転車をどこに止めればよいか分からなかった。",
        "ご指摘ありがとうございます。区役所の駐輪場は正面入口の右側です。"
        "入口に案内の看板を立てました。",
        8,
    ),
    Answered(
        "区民課",
        C.WAITING,
        CH.COUNTER,
        "証明書の受け取りに時間がかかった",
        "住民票の写しを受け取るまで40分待った。",
        "お待たせして申し訳ありません。月曜日の午前は特に混み合います。"
        "コンビニでも住民票の写しを受け取れますので、ご利用ください。",
        5,
    ),
]

# Terms the subcommittee added in the portal: (term, reading, category, alternatives,
# explanation, example, days ago).
ADDED_TERMS = [
    (
        "ご足労",
        "ごそくろう",
        "jargon",
        "お越し\nおいで",
        "来てもらうことの硬い言い方です。区民には「お越しいただき」で伝わります。",
        "ご足労いただき → お越しいただき",
        60,
    ),
    (
        "拝察",
        "はいさつ",
        "jargon",
        "思う\n考える",
        "相手の気持ちを推し量る硬い言葉です。区民向けの手紙では使いません。",
        "ご心配のことと拝察いたします → ご心配のことと思います",
        30,
    ),
]


def _first_of(section_name):
    return (
        User.objects.filter(section__name=section_name, is_active=True).order_by("username").first()
    )


def seed_plain_language(sections):
    """The demo answers and glossary terms (see the module docstring); returns tallies."""
    office = Office.objects.get(code=demo_data.OFFICE_CODE)
    recorder = User.objects.get(username="staff")
    subcommittee = User.objects.get(username="subcommittee")
    today_ = today()
    year_start = FiscalYear.of(today_).start
    voices, terms = Tally("やさしい言葉の点検用の区民の声"), Tally("言い換え辞書（追加語）")

    for seed in ANSWERED:
        section = sections[seed.section]
        answerer = _first_of(seed.section) or recorder
        received = max(year_start, today_ - timedelta(days=seed.days_ago))
        answered_on = min(received + timedelta(days=3), today_)
        final = {
            "channel": seed.channel,
            "category": seed.category,
            "section": section,
            "received_on": received,
            "due_on": received + timedelta(days=DEFAULT_DUE_DAYS),
            "body": seed.body,
            "recorded_by": recorder,
            "state": ResidentVoice.State.ANSWERED,
            "assignee": answerer,
            "answer_text": seed.answer,
            "answered_at": at(answered_on, 15),
            "answered_by": answerer,
        }
        put(
            ResidentVoice,
            lookup={"office": office, "summary": seed.summary},
            values=final,
            steps=[
                Step(
                    at(received, 10),
                    recorder,
                    "受付",
                    {
                        "state": ResidentVoice.State.RECEIVED,
                        "assignee": None,
                        "answer_text": "",
                        "answered_at": None,
                        "answered_by": None,
                    },
                ),
                Step(at(answered_on, 15), answerer, "回答"),
            ],
            tally=voices,
        )

    for term, reading, category, alternatives, explanation, example, days_ago in ADDED_TERMS:
        put(
            Term,
            lookup={"term": term},
            values={
                "reading": reading,
                "category": category,
                "alternatives": alternatives,
                "explanation": explanation,
                "example": example,
                "updated_by": subcommittee,
            },
            steps=[Step(at(today_ - timedelta(days=days_ago), 11), subcommittee, "作成")],
            tally=terms,
        )
    return [voices, terms]
