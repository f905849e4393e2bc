"""情報紙 as an A4 PDF (report kind `bulletin_issue`): a cover with 第N号 and the 令和 date,
the contents with page numbers, and every article with its category, importance, audience,
confirm-by date and attachments' names, for the wall and for staff without a screen. Rendered
by the reports worker like every report; requested from the issue's page by its editors."""

from django import forms
from django.template.loader import render_to_string
from django.utils import timezone

from takatsu_portal.accounts.scope import office_scope_of
from takatsu_portal.core.fiscal import FiscalYear, wareki
from takatsu_portal.reports.kinds import Built, Param, ReportForm, ReportKind, register

from .models import SEARCH_FIELDS, Issue

KEY = "bulletin_issue"
FACT_LABELS = {"issue": "号", "articles": "記事数", "required": "必読記事の数"}


def issue_of(params):
    # The kind's form took the issue from the requester's scope; the worker renders any.
    return (
        Issue.objects.city_wide("report conditions")
        .select_related("office")
        .get(pk=params["issue"])
    )


def latest_issue(office=None):
    issues = Issue.objects.published()
    if office is not None:
        issues = issues.filter(office=office)
    issue = issues.order_by("-published_at", "-id").first()
    if issue is None:
        raise ValueError("公開済みの情報紙がありません。--issue で号を指定してください。")
    return issue


def issue_context(issue):
    articles = list(
        issue.articles.defer(*SEARCH_FIELDS)
        .prefetch_related(
            "attachments", "audience_departments", "audience_sections", "audience_roles"
        )
        .order_by("order", "id")
    )
    published = timezone.localdate(issue.published_at) if issue.published_at else None
    title = f"{issue.office.name} 職員向け情報紙 {issue.label}"
    return {
        "issue": issue,
        "office": issue.office,
        "articles": articles,
        "published_on": wareki(published) if published else "（未公開）",
        "fiscal_year": FiscalYear(issue.fiscal_year) if issue.fiscal_year else None,
        "title": title,
    }


def build_issue(params):
    issue = issue_of(params)
    context = issue_context(issue)
    return Built(
        title=context["title"],
        html=render_to_string("bulletins/report/issue.html", context),
        facts={
            "fiscal_year": issue.fiscal_year,
            "issue": f"{issue.label} {issue.title}",
            "articles": len(context["articles"]),
            "required": sum(1 for a in context["articles"] if a.required),
        },
    )


class IssueReportForm(ReportForm):
    issue = forms.ModelChoiceField(queryset=Issue.objects.none(), label="号", empty_label=None)

    def limit(self, user):
        issues = office_scope_of(user).apply(Issue.objects.published())
        self.fields["issue"].queryset = issues.order_by("-published_at")


register(
    ReportKind(
        key=KEY,
        label="職員向け情報紙（掲示・配布用）",
        description="表紙（号数・発行日）、目次、各記事（分類・重要度・対象・確認期限・添付ファイル名）。",
        build=build_issue,
        office_of=lambda params: issue_of(params).office_id,
        form=IssueReportForm,
        default_params=lambda office=None: {"issue": latest_issue(office).pk},
        params=(Param("issue", "号のID（省略時は最新の公開済みの号）"),),
        fact_labels=FACT_LABELS,
        permission="bulletins.read",
        request_permission="bulletins.edit",
        order=60,
    )
)
