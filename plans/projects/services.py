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

from ..models import AnnualPlan, Project, Proposal, Stage, default_starts_on

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
        project.starts_on = default_starts_on(project.plan)
    with transaction.atomic():
        save_versioned(project, by=by, expected_version=expected_version)
        project.policies.set(policies)
    return project


@transaction.atomic
def project_delete(*, project, by):
    attention.changed(office=project.plan.office_id)
    check_perm(
        by,
        "plans.delete_project",
        project,
        "承認済みの計画の事業や、進捗のある事業は削除できません。",
    )
    if hasattr(project, "proposal") and project.proposal is not None:
        Proposal._base_manager.filter(pk=project.proposal.pk).update(project=None)
    project.delete()


# ---------------------------------------------------------------------------------------------
# Project import (rows read and checked by plans.imports)


@transaction.atomic
def projects_import(*, plan, rows, by, source="", batch_size=500, progress=None):
    """Create or update the plan's projects from checked import rows, all or nothing: a row
    with errors refuses the whole import, and so does a project someone else saved after the
    rows were checked (ConflictError). Rows without changes are not saved again.

    New projects are written with bulk inserts in batches: the projects, their history
    records (who, when, the file as the reason) with the policies they were created with,
    and the policies. Each updated project is saved on its own, its version checked in its
    UPDATE. `progress(count)` is told the rows done so far."""
    attention.changed(office=plan.office_id)
    check_perm(by, "plans.import_projects", plan, "事業を取り込めるのは推進部会の委員です。")
    plan = AnnualPlan._base_manager.select_for_update().get(pk=plan.pk)
    if plan.stage == Stage.CLOSED:
        raise ValidationError("年度末評価を終えた計画には取り込めません。")
    if not rows or any(row.errors or row.data is None for row in rows):
        raise ValidationError("取り込めない行があります。すべての行を直してから取り込みます。")
    reason = f"ファイル「{source}」から取込み" if source else "ファイルから取込み"
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    new = [row for row in rows if row.existing is None]
    for start in range(0, len(new), batch_size):
        chunk = new[start : start + batch_size]
        _bulk_create_projects(plan, chunk, by=by, reason=reason)
        counts["created"] += len(chunk)
        if progress is not None:
            progress(counts["created"])
    for row in rows:
        if row.existing is None:
            continue
        if row.changes:
            project = row.existing
            expected = project.version
            row.data.apply_to(project)
            save_versioned(project, by=by, expected_version=expected, reason=reason)
            if {p.pk for p in row.data.policies} != {p.pk for p in project.policies.all()}:
                project.policies.set(row.data.policies)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
        if progress is not None:
            progress(sum(counts.values()))
    return counts


def _bulk_create_projects(plan, rows, *, by, reason):
    """Insert the projects of `rows` with three bulk inserts and their history with two: the
    same records a save and a policies.set() would leave (django-simple-history's historical
    project and its policies), in one step instead of two per project."""
    starts_on = default_starts_on(plan)
    projects = []
    for row in rows:
        project = Project(plan=plan, version=1)
        row.data.apply_to(project)
        if project.starts_on is None:
            project.starts_on = starts_on
        projects.append(project)
    Project.objects.bulk_create(projects)
    through = Project.policies.through
    links = through.objects.bulk_create(
        [
            through(project=project, policy=policy)
            for project, row in zip(projects, rows, strict=True)
            for policy in row.data.policies
        ]
    )
    records = Project.history.bulk_history_create(
        projects, default_user=by, default_change_reason=reason
    )
    m2m_history = records[0]._meta.get_field("historicalproject_policies").related_model
    record_of = {record.id: record for record in records}
    m2m_history.objects.bulk_create(
        [
            m2m_history(history=record_of[link.project_id], project_id=link.project_id,
                        policy_id=link.policy_id, id=link.pk)
            for link in links
        ]
    )  # fmt: skip
    return projects
