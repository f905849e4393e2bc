"""The content fingerprint of a plan: what the council reads in the plan's PDF (the plan's
title and summary, and each project with its section, working group, budgets, policies and
indicators), hashed. A project's budget raised after the PDF was presented leaves the plan's
own version as it was, but changes this fingerprint, so the decision on the stale PDF is
refused (issue #10.2)."""

import hashlib
import json


def plan_fingerprint(plan):
    """SHA-256 (hex) of the plan's content as the council approves it. The stage and the
    version are left out: moving the plan through its stages changes neither what it says
    nor what it costs."""
    projects = plan.projects.order_by("code", "id").prefetch_related("policies", "indicators")
    content = {
        "plan": [plan.pk, plan.fiscal_year, plan.title, plan.summary],
        "projects": [
            [
                project.code,
                project.title,
                project.description,
                project.initiative_area_id,
                project.section_id,
                project.working_group_id,
                project.budget_requested,
                project.budget_approved,
                sorted(policy.pk for policy in project.policies.all()),
                sorted(
                    [i.name, i.unit, str(i.baseline), str(i.target), i.direction]
                    for i in project.indicators.all()
                ),
            ]
            for project in projects
        ],
    }
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def short(fingerprint):
    """The first 8 characters, as printed on the PDF's cover and shown on the meeting page."""
    return (fingerprint or "")[:8].upper()
