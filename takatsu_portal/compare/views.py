"""「区役所比較」: every office side by side for a fiscal year, with its CSV and .xlsx export.
Only the city planning bureau and administrators reach it (rules.py)."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe

from takatsu_portal.accounts.permissions import require_perm, user_may
from takatsu_portal.core.audit import record_event
from takatsu_portal.core.downloads import csv_download, xlsx_download
from takatsu_portal.core.export_views import Link, csv_encoding, unencodable_response
from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.core.tabular import UnencodableError, csv_bytes, workbook_bytes, write_sheet

from .comparison import EXPORT_HEADER, comparison_cached, fiscal_year_choices, offices_for

REFUSAL = "区役所比較は、総合企画局の職員と管理者が利用できます。"


def _fiscal_year(request):
    """?fy=2026 among the offered years; this fiscal year when missing; 404 when unknown."""
    choices = fiscal_year_choices()
    raw = request.GET.get("fy")
    if not raw:
        return choices[0], choices
    try:
        year = int(raw)
    except ValueError:
        raise Http404("その年度はありません。") from None
    if year not in {fy.year for fy in choices}:
        raise Http404("その年度はありません。")
    return FiscalYear(year), choices


def _breadcrumbs():
    return [("区役所比較", None)]


@require_perm("compare.view", REFUSAL)
def index(request):
    fiscal_year, choices = _fiscal_year(request)
    # The figures and their tables and charts, from the cache while no compared office's data
    # has changed (comparison.comparison_cached): a fixed number of queries for any number of
    # offices, computed or not.
    shown = comparison_cached(offices_for(request.user), fiscal_year)
    return TemplateResponse(
        request,
        "compare/index.html",
        {
            "comparison": shown.comparison,
            "tables_html": mark_safe(shown.html),  # noqa: S308  (rendered and escaped there)
            "choices": choices,
            "fiscal_year": fiscal_year,
            "may_request_report": user_may(request.user, "compare.request_report"),
            "breadcrumbs": _breadcrumbs(),
        },
    )


def _export(request):
    fiscal_year, _ = _fiscal_year(request)
    comparison = comparison_cached(offices_for(request.user), fiscal_year).comparison
    rows = list(comparison.flat_rows())
    name_ja = f"{fiscal_year.era_label} 区役所比較"
    return comparison, rows, name_ja, f"comparison-{fiscal_year.year}"


@require_perm("compare.view", REFUSAL)
def export_csv(request):
    comparison, rows, name_ja, name = _export(request)
    encoding = csv_encoding(request)
    try:
        content = csv_bytes(
            EXPORT_HEADER,
            ((f"{row[0]}・{row[1]}", row) for row in rows),
            encoding=encoding,
        )
    except UnencodableError as error:
        return unencodable_response(
            request,
            error,
            subject="行",
            key_label="指標・区役所",
            links=[
                Link("CSV（UTF-8）で出力する", reverse("compare:export_csv")),
                Link("Excel（.xlsx）で出力する", reverse("compare:export_xlsx")),
            ],
            breadcrumbs=_breadcrumbs(),
        )
    record_event("export", request=request, what="comparison", rows=len(rows), format=encoding)
    return csv_download(
        content, encoding=encoding, filename=f"{name}.csv", filename_ja=f"{name_ja}.csv"
    )


@require_perm("compare.view", REFUSAL)
def export_xlsx(request):
    from openpyxl import Workbook

    comparison, rows, name_ja, name = _export(request)
    book = Workbook()
    sheet = book.active
    sheet.title = "一覧"
    write_sheet(sheet, EXPORT_HEADER, rows, widths={0: 30, 1: 14, 2: 24, 3: 12, 4: 8})
    # One sheet per metric too, as the page shows it: offices down, figures across.
    for table in comparison.tables:
        metric_sheet = book.create_sheet(table.metric.title[:31].translate(_SHEET_SAFE))
        write_sheet(
            metric_sheet,
            ["区役所", *table.headers],
            [[office.name, *values] for office, values in table.rows],
            widths={0: 14},
        )
    record_event("export", request=request, what="comparison", rows=len(rows), format="xlsx")
    return xlsx_download(
        workbook_bytes(book), filename=f"{name}.xlsx", filename_ja=f"{name_ja}.xlsx"
    )


# Characters an Excel sheet name may not hold.
_SHEET_SAFE = str.maketrans(dict.fromkeys("[]:*?/\\", "・"))
