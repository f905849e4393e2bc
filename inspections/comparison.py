"""The inspections app's figure for the city's comparison of offices (区役所比較, registered in
InspectionsConfig.ready): barrier-free findings still open, and those past their due date, in
one query for every office."""

from django.db.models import Count, Q

from takatsu_portal.compare.registry import Column, Metric, register
from takatsu_portal.core.fiscal import today

from .models import Finding


def finding_values(offices, fiscal_year):
    """Findings not closed (whenever they were found) on the fiscal year's last day, or today
    for the current year; and how many of them are past their due date."""
    day = min(today(), fiscal_year.end)
    rows = (
        Finding.objects.city_wide("comparison of the offices in the reader's scope")
        .filter(inspection__office__in=offices, inspection__inspected_on__lte=day)
        .unclosed()
        .values("inspection__office_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=day)))
        .order_by()
    )
    found = (
        Finding.objects.city_wide("comparison of the offices in the reader's scope")
        .filter(
            inspection__office__in=offices,
            inspection__inspected_on__range=(fiscal_year.start, fiscal_year.end),
        )
        .values("inspection__office_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    values = {}
    for row in found:
        values.setdefault(row["inspection__office_id"], {})["found"] = row["n"]
    for row in rows:
        office = values.setdefault(row["inspection__office_id"], {})
        office["open"], office["overdue"] = row["open"], row["overdue"]
    for office in values.values():
        office.setdefault("found", 0)
        office.setdefault("open", 0)
        office.setdefault("overdue", 0)
    return values


register(
    Metric(
        key="findings",
        title="バリアフリー点検の指摘事項",
        columns=(
            Column("found", "年度の指摘", "件"),
            Column("open", "未完了の指摘", "件"),
            Column("overdue", "うち対応期限超過", "件"),
        ),
        values=finding_values,
        chart="open",
        note="未完了は、再確認で是正が確かめられていない指摘です（過去の年度の点検の指摘も含みます）。"
        "点検を記録していない区役所は空欄です。",
        order=90,
    )
)
