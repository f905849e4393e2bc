"""Projects from a file, as an import job of the floor (takatsu_portal/core/imports.py): the
worker checks every row with spreadsheet.validate and, once confirmed, checks again against
the database as it is then (a project changed since the preview sends the job back to the
preview) and writes through services.projects_import in the floor's one transaction.
Registered by PlansConfig."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from takatsu_portal.core import imports, tabular

from ..access import get_plan_for_user
from ..models import AnnualPlan, Stage
from . import services, spreadsheet

KIND = "plans.projects"
PERMISSION = "plans.import_projects"
REFUSAL = "事業を取り込めるのは推進部会の委員です。"
CLOSED = "年度末評価を終えた計画には取り込めません。"
CHANGED = (
    "確認画面を表示した後に、他の人がこの計画の事業を変更しました。"
    "最新の内容で確認し直しましたので、もう一度確かめてから取り込んでください。"
)
SHOWN = [
    spreadsheet.TITLE,
    spreadsheet.POLICIES,
    spreadsheet.AREA,
    spreadsheet.SECTION,
    spreadsheet.GROUP,
    spreadsheet.REQUESTED,
    spreadsheet.APPROVED,
    spreadsheet.STATUS,
]


def import_plan(user, pk):
    """The plan a user may import into: their office's, not closed (403 with the reason)."""
    plan = get_plan_for_user(user, pk, perm=PERMISSION, message=REFUSAL)
    if plan.stage == Stage.CLOSED:
        raise PermissionDenied(CLOSED)
    return plan


def _plan(job):
    return (
        AnnualPlan.objects.for_office(job.office_id)
        .select_related("office")
        .get(pk=job.params["plan"])
    )


def _check(job, data, progress):
    plan = _plan(job)
    table = tabular.read_table(data, job.filename)
    progress.checked(
        0, total=sum(1 for cells in table[1:] if any(c.strip() for c in cells)), force=True
    )
    preview = spreadsheet.validate(table, plan=plan, progress=progress.checked)
    notes = []
    if preview.ignored_columns:
        notes.append(
            "次の列は取込みの対象ではないため、無視します：" + "、".join(preview.ignored_columns)
        )
    checked = imports.Checked(
        rows_total=len(preview.rows),
        headers=[spreadsheet.CODE, *SHOWN],
        rows=[
            {
                "number": row.number,
                "action": row.action,
                "cells": [row.code, *(row.values.get(header, "") for header in SHOWN)],
                "errors": row.errors,
                "changes": row.changes,
            }
            for row in preview.rows
        ],
        bad=[
            {"number": row.number, "label": row.code, "errors": row.errors}
            for row in preview.bad_rows
        ],
        summary=f"新規{preview.created}件・更新{preview.updated}件・変更なし{preview.unchanged}件",
        to_write=preview.created + preview.updated,
        notes=notes,
        extra={"seen": preview.seen_versions()},
    )
    return checked, preview, plan


def check(job, data, progress):
    checked, _, _ = _check(job, data, progress)
    return checked


def write(job, data, progress):
    checked, preview, plan = _check(job, data, imports.SILENT)
    if checked.bad:
        raise imports.Recheck(checked, CHANGED)
    if checked.extra["seen"] != job.result.get("extra", {}).get("seen"):
        raise imports.Recheck(checked, CHANGED)
    counts = services.projects_import(
        plan=plan,
        rows=preview.rows,
        by=job.confirmed_by,
        source=job.filename,
        progress=progress.written,
    )
    return imports.Written(
        rows_written=counts["created"] + counts["updated"],
        message=(
            f"「{job.filename}」を取り込みました：新規{counts['created']}件、"
            f"更新{counts['updated']}件、変更なし{counts['unchanged']}件。"
        ),
    )


def _target(job):
    plan = _plan(job)
    return f"{plan.fy.label} {plan.title}", reverse("plans:plan_detail", args=[plan.pk])


imports.register(
    imports.ImportKind(
        key=KIND,
        label="事業の取込み",
        permission=PERMISSION,
        refusal=REFUSAL,
        office_of=lambda params: (
            AnnualPlan.objects.city_wide("import conditions")
            .values_list("office_id", flat=True)
            .get(pk=params["plan"])
        ),
        check=check,
        write=write,
        target=_target,
        done_link=lambda job: (
            "事業一覧を見る",
            f"{reverse('plans:project_list')}?plan={job.params['plan']}",
        ),
        upload_url=lambda job: reverse("plans:project_import"),
        authorize=lambda job, user: import_plan(user, job.params["plan"]),
    )
)
