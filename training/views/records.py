"""Records (each person's completed training and hours), compliance by section with its
exports, and the required-training rules."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from takatsu_portal.accounts.permissions import require_perm, user_may
from takatsu_portal.accounts.roles import Role, roles_of
from takatsu_portal.accounts.scope import office_scope_of
from takatsu_portal.core import attention
from takatsu_portal.core.audit import record_event
from takatsu_portal.core.downloads import csv_download, xlsx_download
from takatsu_portal.core.export_views import Link, csv_encoding, unencodable_response
from takatsu_portal.core.forms import sections_for
from takatsu_portal.core.shared_cache import render_shared, scope_part
from takatsu_portal.core.tabular import UnencodableError, csv_bytes, workbook_bytes, write_sheet

from .. import compliance as compliance_calc
from ..access import (
    ORGANISE_REFUSAL,
    VIEW_REFUSAL,
    get_person_for_user,
    get_requirement_for_user,
    requirements_for,
)
from ..forms import ComplianceFilter, RequirementForm
from ..models import CalendarFeed
from ..records import HEADER, export_rows, hours_by_year, record_rows
from ..stamp import generation_keys as training_generation_keys
from .common import crumbs, paginate

COMPLIANCE_REFUSAL = "受講状況を閲覧できるのは、研修担当・推進部会の委員・管理者と課長です。"


def _export(request, *, header, rows, filename, filename_ja, back):
    fmt = request.GET.get("format")
    record_event("export", request=request, what=filename)
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        write_sheet(workbook.active, header, [values for _, values in rows])
        return xlsx_download(
            workbook_bytes(workbook), filename=f"{filename}.xlsx", filename_ja=f"{filename_ja}.xlsx"
        )
    encoding = csv_encoding(request)
    try:
        content = csv_bytes(header, rows, encoding=encoding)
    except UnencodableError as error:
        return unencodable_response(
            request,
            error,
            subject="行",
            key_label="番号",
            links=[
                Link("CSV出力（UTF-8）", back),
                Link("戻る", back, "btn btn-link"),
            ],
            breadcrumbs=crumbs(("出力できない文字", None)),
            advice="Shift-JISで書けない文字があります。UTF-8のCSVかExcel形式で出力してください。",
        )
    return csv_download(
        content, encoding=encoding, filename=f"{filename}.csv", filename_ja=f"{filename_ja}.csv"
    )


def _record_page(request, person):
    rows = record_rows(person)
    own = person.pk == request.user.pk
    base = (
        reverse("training:my_record")
        if own
        else reverse("training:person_record", args=[person.pk])
    )
    if request.GET.get("format"):
        return _export(
            request,
            header=HEADER,
            rows=list(export_rows(rows)),
            filename=f"training-record-{person.pk}",
            filename_ja=f"研修記録_{person}",
            back=base,
        )
    return render(
        request,
        "training/record.html",
        {
            "breadcrumbs": crumbs(("私の研修記録" if own else f"{person}の研修記録", None)),
            "person": person,
            "own": own,
            "rows": rows,
            "years": hours_by_year(rows),
            "gaps": compliance_calc.gaps_of(person) if person.section_id else [],
            "base": base,
            "feed_url": _feed_url(request) if own else None,
        },
    )


def _feed_url(request):
    """The person's subscription URL, absolute (a calendar program opens it), or "" when they
    have not issued one."""
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return request.build_absolute_uri(feed.get_absolute_url()) if feed else ""


@require_perm("training.view", VIEW_REFUSAL)
def my_record(request):
    return _record_page(request, request.user)


@require_perm("training.view", VIEW_REFUSAL)
def person_record(request, pk):
    return _record_page(request, get_person_for_user(request.user, pk))


def _compliance_scope(user):
    """The sections the user may see: all of the office for organisers, their own for a
    section manager; with what tells them apart in a cache key (no query: the queryset is
    read only when the page is computed)."""
    scope = office_scope_of(user)
    sections = sections_for(user)
    if scope.is_empty:
        sections = sections.none()
    if user_may(user, "training.view_all_compliance"):
        return sections, "all"
    if Role.SECTION_MANAGER in roles_of(user) and user.section_id:
        return sections.filter(pk=user.section_id), f"section-{user.section_id}"
    raise PermissionDenied(COMPLIANCE_REFUSAL)


COMPLIANCE_HEADER = ["課", "職員番号", "氏名", "受講義務", "期限", "状況"]


@require_perm("training.view_compliance", COMPLIANCE_REFUSAL)
def compliance(request):
    sections, sections_key = _compliance_scope(request.user)
    form = ComplianceFilter(request.GET or None, sections=sections)
    fiscal_year = form.fiscal_year()
    chosen = form.cleaned_data.get("section") if form.is_valid() else None
    office = request.user.office
    if request.GET.get("format"):
        section_list = [chosen] if chosen is not None else list(sections)
        result = compliance_calc.compute(
            office, fiscal_year, section_ids=[s.pk for s in section_list], sections=section_list
        )
        rows = [
            (
                status.person.pk,
                [
                    status.section.name if status.section else "",
                    status.person.staff_number,
                    status.person.full_name,
                    gap.requirement.title,
                    gap.deadline,
                    "期限超過" if gap.overdue else "未受講",
                ],
            )
            for status in result.missing_people
            for gap in status.gaps
        ]
        return _export(
            request,
            header=COMPLIANCE_HEADER,
            rows=rows,
            filename=f"training-compliance-{fiscal_year.year}",
            filename_ja=f"必修研修の未受講者_{fiscal_year.year}年度",
            back=reverse("training:compliance"),
        )
    # The page: the filter (with the sections), the summary by section in one aggregate
    # query, and one page of the people missing a rule in one more (the total comes from the
    # summary). All are the same for everyone who may see the same sections, so their HTML is
    # kept in the shared cache until training's services change an enrolment
    # (training/stamp.py), the data generation moves (courses, sessions and rules through
    # their services; people and sections through the admin site) or the day changes: a kept
    # page costs no query of its own.

    def content():
        all_sections = list(sections)
        section_list = [chosen] if chosen is not None else all_sections
        requirements = compliance_calc.requirements_of(office)
        people = compliance_calc.people_queryset(
            office, fiscal_year, requirements, section_ids=[s.pk for s in section_list]
        )
        summaries = compliance_calc.section_summaries(
            office, fiscal_year, sections=section_list, requirements=requirements, people=people
        )
        missing = compliance_calc.MissingPeople(
            people, fiscal_year, requirements, section_list, summaries
        )
        return {
            "form": form,
            "fiscal_year": fiscal_year,
            "section_choices": all_sections,
            "chosen_pk": chosen.pk if chosen is not None else None,
            "summaries": summaries,
            "page_obj": paginate(request, missing),
            "query": request.GET.urlencode(),
        }

    compliance_content = render_shared(
        "training-compliance-content",
        (
            scope_part(request.user),
            office.pk if office is not None else None,
            sections_key,
            chosen.pk if chosen is not None else None,
            fiscal_year.year,
            sorted(request.GET.lists()),
        ),
        "training/_compliance_content.html",
        content,
        query=request.GET,
        scope=office_scope_of(request.user),
        generation_keys=training_generation_keys(),
    )
    return render(
        request,
        "training/compliance.html",
        {
            "breadcrumbs": crumbs(("受講状況（必修研修）", None)),
            "fiscal_year": fiscal_year,
            "as_of": compliance_calc.reference_day(fiscal_year),
            "compliance_content": compliance_content,
        },
    )


# ---------------------------------------------------------------------------------------------
# Requirements


@require_perm("training.manage_requirements", ORGANISE_REFUSAL)
def requirement_list(request):
    rules = (
        requirements_for(request.user)
        .select_related("course", "section")
        .order_by("-is_active", "title", "id")
    )
    return render(
        request,
        "training/requirements/list.html",
        {"breadcrumbs": crumbs(("受講義務の設定", None)), "page_obj": paginate(request, rules)},
    )


def _requirement_form(request, requirement):
    office = request.user.office
    form = RequirementForm(request.POST or None, instance=requirement, office=office)
    if request.method == "POST" and form.is_valid():
        rule = form.save(commit=False)
        if rule.office_id is None:
            if office is None:
                raise PermissionDenied("所属する区役所がないため、受講義務を登録できません。")
            rule.office = office
        rule._history_user = request.user
        rule.save()
        # The home page's gaps and the cached compliance page count it.
        attention.changed(office=rule.office_id)
        messages.success(request, f"受講義務「{rule.title}」を保存しました。")
        return redirect("training:requirement_list")
    return render(
        request,
        "training/requirements/form.html",
        {
            "breadcrumbs": crumbs(
                ("受講義務の設定", reverse("training:requirement_list")),
                ("編集" if requirement else "登録", None),
            ),
            "form": form,
            "requirement": requirement,
        },
        status=400 if form.is_bound else 200,
    )


@require_perm("training.manage_requirements", ORGANISE_REFUSAL)
def requirement_create(request):
    return _requirement_form(request, None)


@require_perm("training.manage_requirements", ORGANISE_REFUSAL)
def requirement_edit(request, pk):
    return _requirement_form(request, get_requirement_for_user(request.user, pk))
