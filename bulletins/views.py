"""The bulletin's pages: issues, articles (read, confirm, write, preview, publish), search,
and the reading status (閲覧状況) with its exports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from takatsu_portal.accounts.permissions import check_perm, require_perm, user_may
from takatsu_portal.accounts.scope import office_scope_of
from takatsu_portal.core.audit import record_event
from takatsu_portal.core.downloads import attachment as download_response
from takatsu_portal.core.editing import run_step, save_or_explain
from takatsu_portal.core.history import history_entries, render_history
from takatsu_portal.core.shared_cache import render_shared

from . import search as search_module
from . import services, status
from .access import (
    EDIT_REFUSAL,
    READ_REFUSAL,
    STATUS_REFUSAL,
    attachments_for,
    get_article_for_editor,
    get_article_for_status,
    get_article_for_user,
    get_attachment_for_user,
    get_issue_for_editor,
    get_issue_for_user,
    is_editor,
    issues_for,
)
from .forms import ArticleForm, AttachmentForm, IssueForm, PublishForm, SearchForm
from .models import SEARCH_FIELDS, Article, Confirmation, Issue, ReadMark
from .text import render_markdown

ISSUES_PER_PAGE = 20
SEARCH_PER_PAGE = 20
STATUS_PER_PAGE = 100


def _crumb():
    return ("情報紙", reverse("bulletins:index"))


def _issue_crumbs(issue, *tail):
    return [_crumb(), (f"{issue.label} {issue.title}", issue.get_absolute_url()), *tail]


def _article_crumbs(article, *tail):
    return [*_issue_crumbs(article.issue), (article.title, article.get_absolute_url()), *tail]


def _with_reader_state(articles, user):
    """Articles with the user's read mark revision and whether they confirmed the current
    confirmation revision (two subqueries, no query per row)."""
    reads = ReadMark.objects.filter(article_id=OuterRef("pk"), user_id=user.pk)
    confirmations = Confirmation.objects.filter(
        article_id=OuterRef("pk"), user_id=user.pk, revision=OuterRef("confirm_revision")
    )
    return articles.annotate(
        read=Exists(reads),
        read_current=Exists(reads.filter(revision__gte=OuterRef("revision"))),
        confirmed=Exists(confirmations),
    )


# ---------------------------------------------------------------------------------------------
# Issues


@require_perm("bulletins.read", READ_REFUSAL)
def index(request):
    user = request.user
    issues = issues_for(user).order_by("-published_at", "-publish_at", "-id")
    editor = is_editor(user)
    if not editor:
        issues = issues.filter(state=Issue.State.PUBLISHED)
    page = Paginator(issues, ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    pending = []
    if user.section_id is not None:
        pending = list(
            _with_reader_state(Article.objects.for_reader(user).for_list().required(), user)
            .filter(confirmed=False)
            .order_by("confirm_by", "-issue__published_at")[:20]
        )
    drafts = []
    if editor:
        drafts = list(
            issues_for(user).exclude(state=Issue.State.PUBLISHED).order_by("publish_at", "-id")[:20]
        )
    return render(
        request,
        "bulletins/index.html",
        {
            "page_obj": page,
            "pending": pending,
            "drafts": drafts,
            "is_editor": editor,
            "search_form": SearchForm(issues=issues_for(user).published()),
            "breadcrumbs": [("情報紙", None)],
        },
    )


@require_perm("bulletins.edit", EDIT_REFUSAL)
def issue_create(request):
    office = request.user.office
    if office is None:
        messages.error(request, "所属課が設定されていないため、号を作成できません。")
        return redirect("bulletins:index")
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issue = services.issue_create(
            office=office,
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
            by=request.user,
        )
        messages.success(request, f"号「{issue.title}」を作成しました。記事を追加してください。")
        return redirect(issue)
    return render(
        request,
        "bulletins/issue_form.html",
        {"form": form, "breadcrumbs": [_crumb(), ("号を作成", None)]},
    )


@require_perm("bulletins.edit", EDIT_REFUSAL)
def issue_edit(request, pk):
    issue = get_issue_for_editor(request.user, pk)
    form = IssueForm(request.POST or None, instance=issue)
    if issue.is_published:
        form.fields["kind"].disabled = True
    context = {}
    if request.method == "POST" and form.is_valid():
        context = save_or_explain(
            request,
            form,
            lambda: services.save_versioned(
                form.instance, by=request.user, expected_version=form.cleaned_data["version"]
            ),
        )
        if context is None:
            messages.success(request, "号を保存しました。")
            return redirect(issue)
    return render(
        request,
        "bulletins/issue_form.html",
        {
            "form": form,
            "issue": issue,
            "breadcrumbs": _issue_crumbs(issue, ("編集", None)),
            **(context or {}),
        },
    )


def _issue_articles(issue, user, editor):
    articles = issue.articles.defer(*SEARCH_FIELDS)
    if not editor:
        articles = articles.filter(pk__in=Article.objects.for_reader(user).values("pk"))
    articles = articles.prefetch_related(
        "attachments", "audience_departments", "audience_sections", "audience_roles"
    )
    return list(_with_reader_state(articles, user).order_by("order", "id"))


@require_perm("bulletins.read", READ_REFUSAL)
def issue_detail(request, pk):
    """The issue with its articles as readers see them (for an editor of a draft: the
    preview, with a banner)."""
    user = request.user
    issue = get_issue_for_user(user, pk)
    editor = is_editor(user)
    articles = _issue_articles(issue, user, editor)
    publish_form = None
    if editor and not issue.is_published:
        publish_form = PublishForm(initial={"when": "now", "version": issue.version})
    return render(
        request,
        "bulletins/issue_detail.html",
        {
            "issue": issue,
            "articles": articles,
            "is_editor": editor,
            "publish_form": publish_form,
            "can_add": user_may(user, "bulletins.add_article_to", issue),
            "may_status": user_may(user, "bulletins.view_issue_status") and issue.is_published,
            "pdf_jobs": _pdf_jobs(issue) if editor or issue.is_published else [],
            "history": history_entries(issue, limit=10) if editor else [],
            "breadcrumbs": _issue_crumbs(issue)[:-1] + [(f"{issue.label} {issue.title}", None)],
        },
    )


@require_POST
@require_perm("bulletins.edit", EDIT_REFUSAL)
def issue_publish(request, pk):
    issue = get_issue_for_editor(request.user, pk, perm="bulletins.publish_issue")
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "公開の時期を確認してください。")
        articles = _issue_articles(issue, request.user, True)
        return render(
            request,
            "bulletins/issue_detail.html",
            {
                "issue": issue,
                "articles": articles,
                "is_editor": True,
                "publish_form": form,
                "can_add": True,
                "breadcrumbs": _issue_crumbs(issue)[:-1] + [(issue.title, None)],
            },
            status=400,
        )
    at = form.cleaned_data["publish_at"] if form.cleaned_data["when"] == "at" else None

    def published(_):
        if issue.is_published:
            return f"{issue.label}「{issue.title}」を公開しました。"
        when = issue.publish_at.astimezone().strftime("%Y年%m月%d日 %H:%M")
        return f"「{issue.title}」を{when}に公開するよう予約しました。"

    # The form was checked above (a bad date shows the page again); a refusal or a conflict is
    # told as a message on the issue's page.
    run_step(
        request,
        None,
        lambda: services.issue_publish(
            issue=issue, by=request.user, at=at, expected_version=form.cleaned_data["version"]
        ),
        success=published,
    )
    return redirect(issue)


@require_POST
@require_perm("bulletins.edit", EDIT_REFUSAL)
def issue_unschedule(request, pk):
    issue = get_issue_for_editor(request.user, pk, perm="bulletins.unschedule_issue")
    run_step(
        request,
        None,
        lambda: services.issue_unschedule(issue=issue, by=request.user),
        success="公開予約を取り消しました（下書きに戻りました）。",
    )
    return redirect(issue)


@require_perm("bulletins.edit", EDIT_REFUSAL)
def issue_history(request, pk):
    issue = get_issue_for_editor(request.user, pk)
    return render_history(request, issue, breadcrumbs=_issue_crumbs(issue, ("変更履歴", None)))


# ---------------------------------------------------------------------------------------------
# Articles


@require_perm("bulletins.read", READ_REFUSAL)
def article_detail(request, pk):
    """An article: opening it marks it read (for its audience); a required article has the
    「確認しました」 button until the reader confirmed its current revision."""
    user = request.user
    article = get_article_for_user(user, pk)
    in_audience = article.is_for(user)
    previous = None
    if in_audience and article.issue.is_published:
        previous = article.reads.filter(user=user).first()
        services.article_mark_read(article=article, user=user)
    confirmation = None
    if in_audience and article.required:
        confirmation = article.confirmations.filter(
            user=user, revision=article.confirm_revision
        ).first()
    updated_since_read = previous is not None and previous.revision < article.revision
    article = (
        Article._base_manager.filter(pk=article.pk)
        .select_related("issue", "issue__office", "created_by")
        .prefetch_related(
            "attachments", "audience_departments", "audience_sections", "audience_roles"
        )
        .get()
    )
    editor = is_editor(user)
    return render(
        request,
        "bulletins/article_detail.html",
        {
            "article": article,
            "in_audience": in_audience,
            "confirmation": confirmation,
            "updated_since_read": updated_since_read,
            "is_editor": editor,
            "may_status": user_may(user, "bulletins.view_status", article),
            "history": history_entries(article, limit=5)
            if (editor or article.revision > 1)
            else [],
            "breadcrumbs": _article_crumbs(article)[:-1] + [(article.title, None)],
        },
    )


@require_POST
@require_perm("bulletins.read", READ_REFUSAL)
def article_confirm(request, pk):
    article = get_article_for_user(request.user, pk)

    def confirmed(result):
        _, created = result
        if created:
            return f"「{article.title}」を確認しました。"
        messages.info(request, "この記事はすでに確認済みです。")
        return None

    run_step(
        request,
        None,
        lambda: services.article_confirm(article=article, user=request.user),
        success=confirmed,
    )
    return redirect(article)


def _article_form_page(request, form, *, issue, article=None, context=None, status_code=200):
    crumbs = (
        _article_crumbs(article, ("編集", None))
        if article is not None
        else _issue_crumbs(issue, ("記事を追加", None))
    )
    return render(
        request,
        "bulletins/article_form.html",
        {
            "form": form,
            "issue": issue,
            "article": article,
            "breadcrumbs": crumbs,
            **(context or {}),
        },
        status=status_code,
    )


@require_perm("bulletins.edit", EDIT_REFUSAL)
def article_create(request, pk):
    issue = get_issue_for_editor(request.user, pk, perm="bulletins.add_article_to")
    form = ArticleForm(
        request.POST or None, request.FILES or None, office=issue.office, published=False
    )

    def save(data):
        article = form.save(commit=False)
        article.issue = issue
        article.order = data.get("order") or 0
        return services.article_save(
            article=article,
            by=request.user,
            audience=form.audience(),
            upload=data.get("attachment"),
        )

    if request.method == "POST" and run_step(
        request, form, save, success=lambda article: f"記事「{article.title}」を保存しました。"
    ):
        return redirect(form.instance)
    return _article_form_page(request, form, issue=issue, status_code=400 if form.is_bound else 200)


@require_perm("bulletins.edit", EDIT_REFUSAL)
def article_edit(request, pk):
    article = get_article_for_editor(request.user, pk)
    published = article.issue.is_published
    form = ArticleForm(
        request.POST or None,
        request.FILES or None,
        instance=article,
        office=article.issue.office,
        published=published,
    )
    context = {}
    if request.method == "POST" and form.is_valid():
        form.instance.order = form.cleaned_data.get("order") or article.order
        context = save_or_explain(
            request,
            form,
            lambda: services.article_save(
                article=form.instance,
                by=request.user,
                audience=form.audience(),
                expected_version=form.cleaned_data["version"],
                reconfirm=form.cleaned_data.get("reconfirm", False),
                change_note=form.cleaned_data.get("change_note", ""),
                upload=form.cleaned_data.get("attachment"),
            ),
        )
        if context is None:
            messages.success(request, "記事を保存しました。")
            return redirect(article)
    return _article_form_page(
        request,
        form,
        issue=article.issue,
        article=article,
        context=context,
        status_code=400 if form.is_bound and context is not None else 200,
    )


@require_POST
@require_perm("bulletins.edit", EDIT_REFUSAL)
def article_preview(request):
    """The body as readers will see it (htmx, from the article form)."""
    return render(
        request,
        "bulletins/_preview.html",
        {
            "html": render_markdown(request.POST.get("body", "")),
            "title": request.POST.get("title", ""),
        },
    )


@require_perm("bulletins.edit", EDIT_REFUSAL)
def article_delete(request, pk):
    article = get_article_for_editor(request.user, pk, perm="bulletins.delete_draft_article")
    if request.method == "POST":
        issue = article.issue
        services.article_delete(article=article, by=request.user)
        messages.success(request, f"記事「{article.title}」を削除しました。")
        return redirect(issue)
    return render(
        request,
        "bulletins/article_confirm_delete.html",
        {"article": article, "breadcrumbs": _article_crumbs(article, ("削除", None))},
    )


@require_perm("bulletins.read", READ_REFUSAL)
def article_history(request, pk):
    article = get_article_for_user(request.user, pk)
    return render_history(
        request, article, breadcrumbs=_article_crumbs(article, ("変更履歴", None))
    )


# ---------------------------------------------------------------------------------------------
# Attachments


@require_perm("bulletins.read", READ_REFUSAL)
def attachment_download(request, pk):
    attachment = get_attachment_for_user(request.user, pk)
    with attachment.file.open("rb") as handle:
        content = handle.read()
    return download_response(
        content,
        content_type=attachment.content_type,
        filename=f"attachment-{attachment.pk}",
        filename_ja=attachment.original_name,
    )


@require_POST
@require_perm("bulletins.edit", EDIT_REFUSAL)
def attachment_delete(request, pk):
    attachment = attachments_for(request.user).filter(pk=pk).first()
    if attachment is None:
        raise Http404("添付ファイルが見つかりません。")
    article = get_article_for_editor(request.user, attachment.article_id)
    services.attachment_delete(attachment=attachment, by=request.user)
    messages.success(request, f"添付ファイル「{attachment.original_name}」を削除しました。")
    return redirect("bulletins:article_edit", pk=article.pk)


@require_POST
@require_perm("bulletins.edit", EDIT_REFUSAL)
def attachment_add(request, pk):
    article = get_article_for_editor(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        run_step(
            request,
            None,
            lambda: services.attachment_add(
                article=article, upload=form.cleaned_data["file"], by=request.user
            ),
            success="添付ファイルを追加しました。",
        )
    else:
        messages.error(request, "ファイルを選んでください。")
    return redirect("bulletins:article_edit", pk=article.pk)


# ---------------------------------------------------------------------------------------------
# Search


@require_perm("bulletins.read", READ_REFUSAL)
def search(request):
    user = request.user
    form = SearchForm(request.GET or None, issues=issues_for(user).published())
    terms, results, page = [], [], None
    if form.is_valid() and form.cleaned_data.get("q"):
        filters = {k: v for k, v in form.cleaned_data.items() if k != "q" and v}
        terms, articles = search_module.search(user, form.cleaned_data["q"], filters=filters)
        articles = articles.prefetch_related("attachments")
        page = Paginator(articles, SEARCH_PER_PAGE).get_page(request.GET.get("page"))
        results = search_module.hits(page.object_list, terms)
    context = {
        "form": form,
        "terms": terms,
        "results": results,
        "page_obj": page,
        "breadcrumbs": [_crumb(), ("検索", None)],
    }
    template = "bulletins/search.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


# ---------------------------------------------------------------------------------------------
# Reading status (閲覧状況)


def _status_scope(user):
    """None for everyone (editors, subcommittee), else the manager's own section's id."""
    if user_may(user, "bulletins.view_all_status"):
        return None
    if user.section_id is None:
        raise PermissionDenied(STATUS_REFUSAL)
    return user.section_id


def _when(value):
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def _status_row(person, article):
    """One person of the 閲覧状況 list with the times already written out: the page shows a
    hundred of them, so no template filter runs per row (and a dict, which the template
    engine looks up first, rather than an object)."""
    return {
        "username": person["username"],
        "name": person["full_name"] or person["username"],
        "section": person["section__name"],
        "read": _when(person["read_at"]),  # "" when unread
        "outdated": person["read_revision"] is not None
        and person["read_revision"] < article.revision,
        "confirmed": _when(person["confirmed_at"]) if article.required else "",
    }


class _Counted:
    """A queryset whose length is already known (from the section summary), so the paginator
    slices it without counting it again."""

    def __init__(self, queryset, count):
        self.queryset, self._count = queryset, count
        self.ordered = True

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def __getitem__(self, key):
        return self.queryset[key]


@require_perm("bulletins.view_issue_status", STATUS_REFUSAL)
def article_status(request, pk):
    """The audience of one article, unread first, a page of STATUS_PER_PAGE at a time, under
    the section summary. Three queries beside the page's own (article, summary, one page of
    people), whatever the audience's size; only the article's while the kept copy holds."""
    user = request.user
    article = get_article_for_status(user, pk)
    scope = _status_scope(user)
    section_filter = scope
    if scope is None and request.GET.get("section", "").isdigit():
        section_filter = int(request.GET["section"])

    def content():
        summary = status.section_summary(article, section_id=scope)
        if section_filter is None:
            count = sum(row["total"] for row in summary)
        else:
            count = next(
                (row["total"] for row in summary if row["section_id"] == section_filter), 0
            )
        people = _Counted(status.status_people(article, section_id=section_filter), count)
        page = Paginator(people, STATUS_PER_PAGE).get_page(request.GET.get("page"))
        return {
            "article": article,
            "summary": summary,
            "totals": status.totals(summary),
            "page_obj": page,
            "rows": [_status_row(person, article) for person in page.object_list],
            "section_filter": section_filter,
            "own_section_only": scope is not None,
            "link_sections": scope is None,
        }

    # The article's particulars (its audience in words, the export links), the summary and
    # the page of people are the same for everyone who sees the same sections: kept in the
    # shared cache, keyed on the article's version, its marks generation (moved by every read
    # and confirmation: read with the copy, no query) and the data generation (the audience).
    status_content = render_shared(
        "bulletin-status-page",
        (article.pk, article.version, scope, section_filter, sorted(request.GET.lists())),
        "bulletins/_status_content.html",
        content,
        query=request.GET,
        scope=office_scope_of(user),
        generation_keys=status.marks_generation_keys(article),
    )
    return render(
        request,
        "bulletins/article_status.html",
        {
            "article": article,
            "status_content": status_content,
            "breadcrumbs": _article_crumbs(article, ("閲覧状況", None)),
        },
    )


STATUS_HEADER = ["部", "課", "職員番号", "氏名", "ふりがな", "閲覧日時", "確認日時"]


def _status_rows(article, scope):
    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    for person in status.status_people(article, section_id=scope).iterator(chunk_size=500):
        yield (
            person["username"],
            [
                person["section__department__name"],
                person["section__name"],
                person["staff_number"],
                person["full_name"] or person["username"],
                person["full_name_kana"],
                when(person["read_at"]),
                when(person["confirmed_at"]) if article.required else "（必読ではありません）",
            ],
        )


@require_perm("bulletins.view_issue_status", STATUS_REFUSAL)
def article_status_export(request, pk, fmt):
    from takatsu_portal.core.downloads import csv_download, xlsx_download
    from takatsu_portal.core.export_views import csv_encoding
    from takatsu_portal.core.tabular import UnencodableError, csv_bytes, workbook_bytes, write_sheet

    user = request.user
    article = get_article_for_status(user, pk)
    scope = _status_scope(user)
    record_event("export", request=request, what="bulletin_status", article=article.pk)
    base = f"bulletin-status-{article.pk}"
    name_ja = f"閲覧状況_{article.title[:30]}"
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "閲覧状況"
        write_sheet(
            sheet,
            STATUS_HEADER,
            [values for _, values in _status_rows(article, scope)],
            widths={0: 24, 1: 18, 3: 16, 4: 18, 5: 18, 6: 18},
        )
        return xlsx_download(
            workbook_bytes(workbook), filename=f"{base}.xlsx", filename_ja=f"{name_ja}.xlsx"
        )
    encoding = csv_encoding(request)
    try:
        content = csv_bytes(STATUS_HEADER, _status_rows(article, scope), encoding=encoding)
    except UnencodableError as error:
        messages.error(
            request,
            "Shift-JISで書けない文字を含む職員がいます（"
            + "、".join(label for label, _ in error.problems[:10])
            + "）。UTF-8のCSVか.xlsxを使ってください。",
        )
        return redirect("bulletins:article_status", pk=article.pk)
    return csv_download(
        content, encoding=encoding, filename=f"{base}.csv", filename_ja=f"{name_ja}.csv"
    )


@require_perm("bulletins.view_issue_status", STATUS_REFUSAL)
def issue_status(request, pk):
    """Per issue: each article's read and confirmation rate by section (one summary query per
    article of the issue)."""
    user = request.user
    issue = get_issue_for_user(user, pk)
    if not issue.is_published:
        raise Http404("公開前の号です。")
    scope = _status_scope(user)
    rows = []
    for article in issue.articles.defer(*SEARCH_FIELDS).order_by("order", "id"):
        summary = status.section_summary(article, section_id=scope)
        rows.append(
            {
                "article": article,
                "summary": summary,
                "totals": status.totals(summary),
                "figure": _rate_figure(article, summary),
            }
        )
    return render(
        request,
        "bulletins/issue_status.html",
        {
            "issue": issue,
            "rows": rows,
            "own_section_only": scope is not None,
            "breadcrumbs": _issue_crumbs(issue, ("閲覧状況", None)),
        },
    )


def _rate_figure(article, summary):
    """The confirmation rate (read rate for an article that is not required) by section, as a
    bar chart with its table (core.charts)."""
    from takatsu_portal.core.charts import bar_figure

    if len(summary) < 2:
        return None
    key, header = ("confirm_rate", "確認率") if article.required else ("read_rate", "既読率")
    return bar_figure(
        title=f"「{article.title}」の課別の{header}",
        labels=[row["section"] for row in summary],
        values=[row[key] for row in summary],
        value_header=header,
        unit="%",
        row_header="課",
        chart_id=f"rate-{article.pk}",
    )


# ---------------------------------------------------------------------------------------------
# PDF of an issue (the reports mechanism: a job rendered by the worker)


def _pdf_jobs(issue):
    from takatsu_portal.reports.models import ReportJob

    from .report import KEY

    return list(
        ReportJob.objects.in_office(issue.office_id)
        .filter(kind=KEY, params__issue=issue.pk)
        .select_related("version")
        .order_by("-id")[:3]
    )


@require_POST
@require_perm("bulletins.edit", EDIT_REFUSAL)
def issue_pdf(request, pk):
    from takatsu_portal.reports.services import report_request

    from .report import KEY

    issue = get_issue_for_editor(request.user, pk)
    job = report_request(kind=KEY, params={"issue": issue.pk}, by=request.user)
    messages.success(
        request,
        f"{issue.label}のPDFの作成を受け付けました（受付番号 {job.pk}）。"
        "できあがるとこのページからダウンロードできます。",
    )
    return redirect(issue)


@require_perm("bulletins.read", READ_REFUSAL)
def issue_pdf_download(request, pk, job):
    from takatsu_portal.reports.models import ReportJob

    from .report import KEY

    issue = get_issue_for_user(request.user, pk)
    if not issue.is_published:
        check_perm(request.user, "bulletins.edit", message=EDIT_REFUSAL)
    report = (
        ReportJob.objects.in_office(issue.office_id)
        .filter(kind=KEY, params__issue=issue.pk, pk=job)
        .select_related("version")
        .first()
    )
    version = getattr(report, "version", None) if report else None
    if version is None:
        raise Http404("このPDFはまだできていません。")
    record_event("export", request=request, what="bulletin_pdf", issue=issue.pk, job=report.pk)
    with version.file.open("rb") as handle:
        content = handle.read()
    return download_response(
        content,
        content_type="application/pdf",
        filename=f"bulletin-{issue.pk}.pdf",
        filename_ja=f"情報紙_{issue.label}.pdf",
    )
