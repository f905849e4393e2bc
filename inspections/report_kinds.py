"""バリアフリー点検報告書 (the barrier-free inspection report) for the ward council.

One report per inspection: its places, team (residents by role; a name only with consent),
checklist version, the counts of its answers, and every finding with its before and after
photos, its state, the correction or the proposal's outcome, and the re-checks; then the
office's findings of the inspection's fiscal year by barrier and state, and the share closed
within the due date by year. Photos are embedded as `data:` URIs (the PDF's URL fetcher allows
only the project's static files and `data:`), shrunk to REPORT_PHOTO_SIDE so that the PDF
stays small.

Parameters: `inspection` (an Inspection id; on the reports page a choice among the user's
office's inspections); `render_report inspection` with no option takes the newest one.
"""

import base64
from io import BytesIO

from django import forms
from django.db.models import Count, Q
from django.template.loader import render_to_string

from takatsu_portal.accounts.scope import office_scope_of
from takatsu_portal.core.fiscal import FiscalYear, today, wareki
from takatsu_portal.reports.kinds import Built, Param, ReportForm, ReportKind, register

from . import summary
from .models import Finding, Inspection, Photo, Rating

KEY = "inspection"
REPORT_NAME = "バリアフリー点検報告書"
REPORT_PHOTO_SIDE = 480


def photo_data_uri(photo):
    """The photo as a small JPEG `data:` URI (the stored file is already free of metadata)."""
    from PIL import Image

    with photo.image.open("rb") as handle, Image.open(handle) as image:
        image.thumbnail((REPORT_PHOTO_SIDE, REPORT_PHOTO_SIDE))
        out = BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=75)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def inspection_of(params):
    # The kind's form took the inspection from the requester's scope; the worker renders any.
    inspections = Inspection.objects.city_wide("report conditions")
    pk = params.get("inspection")
    if pk:
        return inspections.select_related("office", "template_version__template").get(pk=pk)
    inspection = inspections.select_related("office").order_by("-inspected_on").first()
    if inspection is None:
        raise ValueError("点検が登録されていません。")
    return inspection


def default_params(office=None):
    """The newest finished inspection (the newest of all when none is finished)."""
    if office is not None:
        inspections = Inspection.objects.for_office(office)
    else:
        inspections = Inspection.objects.city_wide("every office's, for the city")
    inspections = inspections.order_by("-inspected_on", "-id")
    inspection = inspections.filter(state=Inspection.State.DONE).first() or inspections.first()
    return {"inspection": inspection.pk} if inspection else {}


class InspectionReportForm(ReportForm):
    inspection = forms.ModelChoiceField(label="点検", queryset=Inspection.objects.none())

    def limit(self, user):
        qs = office_scope_of(user).apply(Inspection.objects.order_by("-inspected_on", "-id"))
        field = self.fields["inspection"]
        field.queryset = qs
        field.label_from_instance = lambda i: f"{i.inspected_on:%Y/%m/%d} {i.title}"
        field.empty_label = None


def inspection_context(inspection):
    findings = list(
        inspection.findings.for_list().prefetch_related(
            "rechecks__checked_by", "rechecks__inspection"
        )
    )
    photos = {}
    answer_ids = [f.answer_id for f in findings]
    for photo in (
        Photo.objects.for_office(inspection.office_id)
        .filter(Q(finding__in=findings) | Q(answer_id__in=answer_ids))
        .order_by("uploaded_at", "id")
    ):
        key = photo.finding_id or next(f.pk for f in findings if f.answer_id == photo.answer_id)
        photos.setdefault(key, []).append(photo)
    entries = []
    for finding in findings:
        own = photos.get(finding.pk, [])
        entries.append(
            {
                "finding": finding,
                "before": [(p, photo_data_uri(p)) for p in own if p.stage == Photo.Stage.BEFORE][
                    :2
                ],
                "after": [(p, photo_data_uri(p)) for p in own if p.stage != Photo.Stage.BEFORE][:2],
            }
        )
    counts = dict(
        inspection.answers.values_list("rating").annotate(n=Count("id")).values_list("rating", "n")
    )
    fiscal_year = FiscalYear.of(inspection.inspected_on)
    office_findings = Finding.objects.for_office(inspection.office)
    return {
        "title": f"{inspection.office.name} {REPORT_NAME}（{inspection.title}）",
        "inspection": inspection,
        "office": inspection.office,
        "inspected_on": wareki(inspection.inspected_on),
        "made_on": wareki(today()),
        "fiscal_year": fiscal_year,
        "places": list(inspection.places.with_location()),
        "team": list(inspection.team.select_related("user", "user__section")),
        "answer_counts": [(label, counts.get(value, 0)) for value, label in Rating.choices],
        "entries": entries,
        "scope": fiscal_year.era_label,
        **summary.summary_context(office_findings, fiscal_year),
    }


def build_inspection(params):
    inspection = inspection_of(params)
    context = inspection_context(inspection)
    return Built(
        title=context["title"],
        html=render_to_string("inspections/report.html", context),
        facts={
            "fiscal_year": context["fiscal_year"].year,
            "inspection": inspection.pk,
            "findings": len(context["entries"]),
        },
    )


register(
    ReportKind(
        key=KEY,
        label=f"{REPORT_NAME}（区企画調整会議 報告用）",
        description=(
            "点検の場所・チーム・チェックリストの版、指摘事項ごとの点検時と是正後の写真、"
            "是正・事業企画案の結果と再確認、年度のバリア別・状況別の集計。"
        ),
        build=build_inspection,
        office_of=lambda params: inspection_of(params).office_id,
        form=InspectionReportForm,
        default_params=default_params,
        params=(Param("inspection", "点検のID（省略時は最新の点検）"),),
        fact_labels={"inspection": "点検", "findings": "指摘事項の数"},
        permission="portal.view_reports",
        request_permission="portal.request_reports",
        order=60,
    )
)
