"""Template tags of the progress reports (進捗報告)."""

from django import template

from takatsu_portal.accounts.permissions import user_may

register = template.Library()


@register.simple_tag
def project_report_rows(project, user):
    """One row per reporting period of the project's plan, with this project's report of the
    period (or None) and whether `user` may open one: two queries, however many periods.

    {% project_report_rows project user as rows %}
    """
    if not user_may(user, "plans.view_progress", project):
        return []
    reports = {r.period_id: r for r in project.progress_reports.all()}
    can_file = user_may(user, "plans.file_report", project)
    return [
        {"period": period, "report": reports.get(period.pk), "can_file": can_file}
        for period in project.plan.periods.all()
    ]
