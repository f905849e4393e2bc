"""The one access helper per object type of the bulletin: every view loads through these.

Each keeps to the user's office (404 outside it). Editors see every issue and article of their
office, drafts included; everyone else sees published issues and the articles addressed to
them (403 with the reason for an article of their office addressed to others)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from takatsu_portal.accounts.permissions import check_perm, user_may, within_office

from .models import SEARCH_FIELDS, Article, Attachment, Issue

READ_REFUSAL = "情報紙は職員が閲覧できます。"
EDIT_REFUSAL = "情報紙を編集できるのは情報紙編集者・推進部会の委員・管理者です。"
AUDIENCE_REFUSAL = "この記事は、あなたの所属・役割に向けたものではないため表示できません。"
STATUS_REFUSAL = (
    "閲覧状況を見られるのは、情報紙編集者・推進部会の委員・管理者（全体）と課長（自分の課）です。"
)


def is_editor(user):
    return user_may(user, "bulletins.edit")


def issues_for(user):
    issues = within_office(user, Issue.objects.select_related("office"))
    return issues if is_editor(user) else issues.published()


def articles_for(user):
    """What the user may open: every article of the office for editors, otherwise the
    published articles addressed to them."""
    if is_editor(user):
        return within_office(user, Article.objects.all(), path="issue__office")
    return Article.objects.for_reader(user)


def get_issue_for_user(user, pk):
    check_perm(user, "bulletins.read", message=READ_REFUSAL)
    return get_object_or_404(issues_for(user), pk=pk)


def get_issue_for_editor(user, pk, perm="bulletins.edit"):
    check_perm(user, "bulletins.edit", message=EDIT_REFUSAL)
    issue = get_object_or_404(issues_for(user), pk=pk)
    check_perm(user, perm, issue, message=EDIT_REFUSAL)
    return issue


def _office_articles(user):
    """The office's articles, drafts included (the floor's office scope: nothing for an
    account without a section, unless it may see every office)."""
    articles = Article.objects.select_related("issue", "issue__office")
    return within_office(user, articles, path="issue__office")


def get_article_for_user(user, pk):
    """An article to read: 404 outside the office or before publication (for readers), 403
    for a published article addressed to others."""
    check_perm(user, "bulletins.read", message=READ_REFUSAL)
    article = get_object_or_404(_office_articles(user), pk=pk)
    if is_editor(user):
        return article
    if not article.issue.is_published:
        raise Http404("記事が見つかりません。")
    if not article.is_for(user):
        raise PermissionDenied(AUDIENCE_REFUSAL)
    return article


def get_article_for_editor(user, pk, perm="bulletins.edit"):
    check_perm(user, "bulletins.edit", message=EDIT_REFUSAL)
    article = get_object_or_404(_office_articles(user), pk=pk)
    check_perm(user, perm, article, message=EDIT_REFUSAL)
    return article


def get_article_for_status(user, pk):
    """An article's reading status: a published article of the office, for editors and the
    subcommittee (everyone) or a section manager (their own section).

    The article (with its issue, without its text: the status page and its exports show
    neither) is kept in the shared cache for the user's office scope, like the page it heads:
    until the data generation of that office moves, which every change of an article or an
    issue does (`save_versioned`: edits, publication; the services' `changed()`: deletion; the
    admin site). The office scope is checked by the query that fills it, the roles and the
    published state at every request. A refusal (404) is not kept."""
    from takatsu_portal.accounts.scope import office_scope_of
    from takatsu_portal.core.shared_cache import scope_part, shared_value

    check_perm(user, "bulletins.view_issue_status", message=STATUS_REFUSAL)

    def load():
        articles = Article.objects.select_related("issue").defer(
            "body", "body_html", *SEARCH_FIELDS
        )
        articles = within_office(user, articles, path="issue__office").published()
        return get_object_or_404(articles, pk=pk)

    article = shared_value(
        "bulletin-status-article", (pk, scope_part(user)), load, scope=office_scope_of(user)
    )
    check_perm(user, "bulletins.view_status", article, message=STATUS_REFUSAL)
    return article


def attachments_for(user):
    """The files of the office's articles (404 outside it); who may open or delete one is
    decided on its article."""
    attachments = Attachment.objects.select_related("article")
    return within_office(user, attachments, path="article__issue__office")


def get_attachment_for_user(user, pk):
    check_perm(user, "bulletins.read", message=READ_REFUSAL)
    attachment = get_object_or_404(attachments_for(user), pk=pk)
    get_article_for_user(user, attachment.article_id)
    return attachment
