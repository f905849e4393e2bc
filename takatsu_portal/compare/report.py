"""区役所比較報告書: the comparison of every office for a fiscal year as a PDF, for the city's
own council (a report kind of the floor's reports mechanism). The job belongs to no office
(`ReportJob.office` empty): only those who see every office list and read it."""

from django import forms
from django.template.loader import render_to_string

from takatsu_portal.accounts.models import Office
from takatsu_portal.core.fiscal import FiscalYear, today, wareki
from takatsu_portal.reports.kinds import Built, Param, ReportForm, ReportKind, register

from .comparison import compare, fiscal_year_choices

KEY = "citywide"
REPORT_NAME = "区役所比較報告書"


def fiscal_year_of(params):
    return FiscalYear(int(params.get("fiscal_year") or FiscalYear.current().year))


def default_params(office=None):
    return {"fiscal_year": FiscalYear.current().year}


class CitywideReportForm(ReportForm):
    fiscal_year = forms.TypedChoiceField(label="年度", coerce=int, choices=())

    def limit(self, user):
        self.fields["fiscal_year"].choices = [(fy.year, fy.label) for fy in fiscal_year_choices()]


def build_citywide(params):
    fiscal_year = fiscal_year_of(params)
    offices = list(Office.objects.order_by("sort_order", "id"))
    comparison = compare(offices, fiscal_year)
    title = f"{fiscal_year.era_label} {REPORT_NAME}"
    context = {
        "title": title,
        "comparison": comparison,
        "fiscal_year": fiscal_year,
        "made_on": wareki(today()),
        "office": {"name": "川崎市 総合企画局"},
    }
    return Built(
        title=title,
        html=render_to_string("compare/report.html", context),
        facts={"fiscal_year": fiscal_year.year, "offices": len(offices)},
    )


register(
    ReportKind(
        key=KEY,
        label=f"{REPORT_NAME}（総合企画局）",
        description=(
            "各区役所の計画の段階と期限、事業の状況、進捗報告の提出、区民満足度（95%信頼区間つき）、"
            "区民の声の期限内回答、研修の受講義務、未完了のバリアフリー指摘を区役所ごとに並べたもの。"
        ),
        build=build_citywide,
        office_of=lambda params: None,
        form=CitywideReportForm,
        default_params=default_params,
        params=(Param("fiscal_year", "年度（西暦の開始年。省略時は今年度）"),),
        fact_labels={"offices": "区役所の数"},
        permission="compare.view",
        request_permission="compare.request_report",
        order=90,
    )
)
