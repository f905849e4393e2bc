"""Workflows of the plan's projects (事業): save, delete, and the all-or-nothing import of
checked spreadsheet rows (plans/projects/spreadsheet.py reads and checks them).

Every function takes keyword arguments, checks the permission of `by` itself (so that no
caller can forget), runs in one transaction, and records who did it in the history.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from takatsu_portal.accounts.permissions import check_perm
from takatsu_portal.core import attention
from takatsu_portal.core.versioning import save_versioned

from ..models import AnnualPlan, Project, Proposal, Stage

# ---------------------------------------------------------------------------------------------
# Projects


def project_save(*, project, by, policies, expected_version=None):
    """Create or update a project with its policies (at least one)."""
    if project.pk is None:
        check_perm(
            by, "plans.add_project", project.plan, "この計画に事業を追加する権限がありません。"
        )
    else:
        check_perm(by, "plans.change_project", project, "この事業を編集する権限がありません。")
    if not policies:
        raise ValidationError({"policies": "基本方針を一つ以上選んでください。"})
    if project.pk is None and project.starts_on is None:
        project.starts_on = _mid_year_start(project.plan)
    with transaction.atomic():
        save_versioned(project, by=by, expected_version=expected_version)
        project.policies.set(policies)
    return project


def _mid_year_start(plan):
    """Today for a project added to a plan whose progress is already reported (it owes no
    report for the periods that ended before it existed, #10.7); None (the whole year)
    before that."""
    from takatsu_portal.core.fiscal import today

    # The reporting stages (progress.REPORTING_STAGES; progress imports this module).
    reporting = {Stage.PROJECTS_APPROVED, Stage.BUDGET_REQUESTED, Stage.IN_PROGRESS}
    return today() if Stage(plan.stage) in reporting else None


@transaction.atomic
def project_delete(*, project, by):
    attention.changed()
    check_perm(
        by,
        "plans.delete_project",
        project,
        "承認済みの計画の事業や、進捗のある事業は削除できません。",
    )
    if hasattr(project, "proposal") and project.proposal is not None:
        Proposal.objects.filter(pk=project.proposal.pk).update(project=None)
    project.delete()


# ---------------------------------------------------------------------------------------------
# Project import (rows read and checked by plans.imports)


@transaction.atomic
def projects_import(*, plan, rows, by, source=""):
    """Create or update the plan's projects from checked import rows, all or nothing: a row
    with errors refuses the whole import, and so does a project someone else saved after the
    rows were checked (ConflictError). Rows without changes are not saved again."""
    attention.changed()
    check_perm(by, "plans.import_projects", plan, "事業を取り込めるのは推進部会の委員です。")
    plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.stage == Stage.CLOSED:
        raise ValidationError("年度末評価を終えた計画には取り込めません。")
    if not rows or any(row.errors or row.data is None for row in rows):
        raise ValidationError("取り込めない行があります。すべての行を直してから取り込みます。")
    reason = f"ファイル「{source}」から取込み" if source else "ファイルから取込み"
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in rows:
        if row.existing is None:
            project = Project(plan=plan)
            row.data.apply_to(project)
            save_versioned(project, by=by, reason=reason)
            project.policies.set(row.data.policies)
            counts["created"] += 1
        elif row.changes:
            project = row.existing
            expected = project.version
            row.data.apply_to(project)
            save_versioned(project, by=by, expected_version=expected, reason=reason)
            if {p.pk for p in row.data.policies} != {p.pk for p in project.policies.all()}:
                project.policies.set(row.data.policies)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts
