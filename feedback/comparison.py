"""The feedback app's figures for the city's comparison of offices (区役所比較, registered in
FeedbackConfig.ready): residents' overall satisfaction with the number of answers and a 95 %
confidence interval, and resident voices by category with the share answered by the due date.
Each metric reads every office at once (grouped by office)."""

from collections import defaultdict

from django.db.models import Count, F, Max

from takatsu_portal.compare.registry import Column, Metric, register
from takatsu_portal.compare.stats import percent, wilson_interval
from takatsu_portal.core.fiscal import today
from takatsu_portal.core.shared_cache import shared_value

from .analysis.results import (
    Satisfaction,
    in_fiscal_year,
    satisfaction_aggregates,
    satisfaction_answers,
)
from .models import ResidentVoice, Response
from .voices.statistics import on_time_counts


def satisfaction_values(offices, fiscal_year):
    """Satisfaction as each office's own analysis page (集計・分析) counts it: every answer to
    a satisfaction question of the office's surveys given in the fiscal year
    (analysis.results), grouped by the survey's office, with the Wilson interval."""
    answers = in_fiscal_year(satisfaction_answers(None, offices=offices), fiscal_year)
    rows = (
        answers.values(office=F("question__survey__office_id"))
        .annotate(**satisfaction_aggregates())
        .order_by()
    )
    values = {}
    for row in rows:
        satisfaction = Satisfaction.of(row)
        n, satisfied = satisfaction.count, satisfaction.satisfied
        interval = wilson_interval(satisfied, n)
        values[row["office"]] = {
            "answers": n,
            "share": satisfaction.percent,
            "low": interval[0] if interval else None,
            "high": interval[1] if interval else None,
            "width": round(interval[1] - interval[0], 1) if interval else None,
        }
    return values


def satisfaction_stamp(offices, fiscal_year):
    """Residents' answers come in without moving a data generation (the public form and the
    imports write them apart from the services that report changes): the newest response's id
    moves with every one of them (one look-up of the primary key's index)."""
    responses = Response.objects.city_wide("comparison of the offices in the reader's scope")
    return responses.aggregate(last=Max("id"))["last"]


register(
    Metric(
        key="satisfaction",
        title="区民満足度（総合）",
        columns=(
            Column("answers", "回答件数", "件"),
            Column("share", "満足・やや満足の割合", "%"),
            Column("low", "95%信頼区間の下限", "%"),
            Column("high", "95%信頼区間の上限", "%"),
            Column("width", "信頼区間の幅", "ポイント"),
        ),
        values=satisfaction_values,
        stamp=satisfaction_stamp,
        chart="share",
        note="各アンケートの満足度の質問への年度内の回答すべて（各区の「集計・分析」と同じ数え方）。"
        "信頼区間はウィルソン法で、回答件数が少ないほど幅が広くなります。区間が重なる区役所の差は、"
        "偶然のばらつきの範囲かもしれません。",
        order=50,
    )
)


CATEGORIES = ResidentVoice.Category.choices


def voice_values(offices, fiscal_year):
    """Voices received in the fiscal year by category, and of those that can be judged, the
    ones answered by the due date (voices.statistics.on_time_counts), per office: one grouped
    query for both metrics of voices, kept as shared content until the data changes."""
    office_ids = sorted(office.pk for office in offices)
    return shared_value(
        "compare-voices",
        [office_ids, fiscal_year.year],
        lambda: _voice_counts(office_ids, fiscal_year),
    )


def _voice_counts(office_ids, fiscal_year):
    rows = (
        ResidentVoice.objects.city_wide("comparison of the offices in the reader's scope")
        .filter(office_id__in=office_ids, received_on__range=(fiscal_year.start, fiscal_year.end))
        .values("office_id", "category")
        .annotate(n=Count("id"), **on_time_counts(on=today()))
        .order_by()
    )
    counts = defaultdict(lambda: defaultdict(int))
    for row in rows:
        office = counts[row["office_id"]]
        office[row["category"]] += row["n"]
        office[f"{row['category']}_judged"] += row["judged"]
        office[f"{row['category']}_on_time"] += row["on_time"]
        office["total"] += row["n"]
        office["judged"] += row["judged"]
        office["on_time"] += row["on_time"]
    return {office_id: dict(office) for office_id, office in counts.items()}  # picklable


def voice_count_values(offices, fiscal_year):
    return {
        office_id: {key: counts.get(key, 0) for key, _ in [*CATEGORIES, ("total", "")]}
        for office_id, counts in voice_values(offices, fiscal_year).items()
    }


def voice_rate_values(offices, fiscal_year):
    values = {}
    for office_id, counts in voice_values(offices, fiscal_year).items():
        row = {
            key: percent(counts.get(f"{key}_on_time", 0), counts.get(f"{key}_judged", 0))
            for key, _ in CATEGORIES
        }
        row["all"] = percent(counts.get("on_time", 0), counts.get("judged", 0))
        values[office_id] = row
    return values


register(
    Metric(
        key="voices",
        title="区民の声の件数（分類別）",
        columns=(
            *(Column(key, label, "件") for key, label in CATEGORIES),
            Column("total", "合計", "件"),
        ),
        values=voice_count_values,
        chart="total",
        note="年度内に受け付けた区民の声の件数です。",
        order=60,
    )
)

register(
    Metric(
        key="voices_on_time",
        title="区民の声の期限内回答率（分類別）",
        columns=(
            *(Column(key, label, "%") for key, label in CATEGORIES),
            Column("all", "全体", "%"),
        ),
        values=voice_rate_values,
        chart="all",
        note="回答期限のある区民の声のうち、回答済みのもの又は期限を過ぎたものを分母に、"
        "期限内に回答したものの割合です（期限前の未回答は含みません）。",
        order=70,
    )
)
