"""What the demo's two wards exchange (demo/citywide.py): a transfer from 高津区 to 宮前区
next April, and 宮前区's good practices shared city-wide, one of which
高津区 copied as a proposal. Everything here is invented."""

from typing import NamedTuple

# A plain member of 高津区's staff (no demo account) moves to 宮前区 next 1 April.
TRANSFER_USER = "kimura.sakura"
TRANSFER_TO_SECTION = "地域活動支援課"
TRANSFER_NOTE = "定期人事異動（宮前区役所へ転出）"
TRANSFER_BY = "admin"


class PracticeSeed(NamedTuple):
    author: str  # a member of 宮前区's staff
    manager: str  # their section manager, who acknowledged it
    title: str
    problem: str
    change: str
    effect: str
    goal: str
    policies: tuple
    recorded_ago: int  # days before the run (kept within the fiscal year)
    acknowledged_after: int  # days after recorded
    shared_ago: int  # days before the run that the subcommittee shared it city-wide
    comment: str = ""


SHARER = "miyamae-subcommittee"

PRACTICES = [
    PracticeSeed(
        "miyamae-staff",
        "miyamae-manager",
        "転入手続の「持ち物チェックシート」を事前にお渡し",
        "転入の届出で必要な書類（本人確認書類、転出証明書、マイナンバーカード）が揃わず、"
        "出直しになる来庁者が1日5件ほどあった。",
        "電話の問合せと案内係で「持ち物チェックシート」（やさしい日本語・英語併記）を渡し、"
        "区のホームページにも同じ内容を掲載した。",
        "出直しが1日1件ほどに減り、転入手続の平均待ち時間が12分短くなった。",
        "窓口の待ち時間の短縮",
        (2, 3),
        200,
        6,
        150,
        "他の区でも使える工夫です。推進部会から全市に共有します。",
    ),
    PracticeSeed(
        "miyamae.sakai",
        "miyamae.noda",
        "地域活動の相談予約をオンライン化",
        "町内会・自治会の相談が窓口に集中し、担当者不在で出直しになることがあった。",
        "相談の予約を区のオンライン予約に載せ、担当者の在席日を公開した。",
        "出直しがなくなり、相談件数は前年同期より2割増えた。",
        "地域活動の支援",
        (3, 4),
        60,
        5,
        5,
        "地域の団体から好評です。",
    ),
]

# 高津区's planner who copied the first practice into a proposal of this year's plan.
COPIER = "subcommittee"
COPY_SECTION = "区民課"
COPY_AREA = 1
COPY_ESTIMATE = 120_000
COPIED_AGO = 140  # days before the run (after the share)
