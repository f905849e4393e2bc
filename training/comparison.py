"""The training app's figure for the city's comparison of offices (区役所比較, registered in
TrainingConfig.ready): required-training compliance per office for a fiscal year, by the same
rules as the 受講状況 page (compliance.py), for every office at once in a fixed number of
queries: each person is held to the rules of the office of their section."""

from takatsu_portal.accounts.models import Section
from takatsu_portal.compare.registry import Column, Metric, register
from takatsu_portal.compare.stats import percent

from . import compliance
from .stamp import training_stamp


def compliance_values(offices, fiscal_year):
    """In scope, missing and overdue people and the rate per office, by the same rules as the
    受講状況 page for every office at once (each person held to their own office's rules),
    counted by the database: the rules, the sections and one aggregate query."""
    requirements = compliance.requirements_of(None)
    if not requirements:
        return {}
    section_office = dict(
        Section.objects.city_wide("comparison of the offices in the reader's scope")
        .filter(department__office__in=offices)
        .values_list("pk", "department__office_id")
    )
    values = compliance.office_summaries(fiscal_year, section_office, requirements=requirements)
    for office in values.values():
        office["rate"] = percent(office["in_scope"] - office["missing"], office["in_scope"])
    return values


def compliance_stamp(offices, fiscal_year):
    """Enrolments, attendance and completions change without moving a data generation (their
    services tell the people concerned only): training_stamp(), the token of training's own
    generation (training/stamp.py: one cache read), moves with every change."""
    return training_stamp()


register(
    Metric(
        key="training",
        title="研修の受講義務の充足",
        columns=(
            Column("in_scope", "受講義務のある職員", "人"),
            Column("missing", "未充足の職員", "人"),
            Column("overdue", "うち期限超過", "人"),
            Column("rate", "充足率", "%"),
        ),
        values=compliance_values,
        stamp=compliance_stamp,
        chart="rate",
        note="各区役所の受講義務の設定（受講状況の画面と同じ規則）による年度の充足状況です。"
        "受講義務を設定していない区役所は空欄です。",
        order=80,
    )
)
