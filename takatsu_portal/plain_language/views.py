"""Pages of plain language: the paste-and-check page, the live check of the editors, the JSON
API, the glossary (list, term, edit, import and export) and the audit of resident texts."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from takatsu_portal.accounts.permissions import require_perm, user_may, writes_nothing_of_a_ward
from takatsu_portal.core.audit import record_event
from takatsu_portal.core.editing import save_or_explain
from takatsu_portal.core.export_views import Link, charset_of, csv_encoding, unencodable_response
from takatsu_portal.core.history import history_entries
from takatsu_portal.core.tabular import EXCEL_MIME, UnencodableError

from . import audit as audit_module
from . import io as glossary_io
from . import ratelimit
from .checker import PROFILES, WORDING, check
from .forms import CheckForm, ImportForm, TermFilterForm, TermForm
from .models import Category, Term
from .services import term_create, term_delete, term_update

CHECK_REFUSAL = "文の点検は職員のみ利用できます。"
EDIT_REFUSAL = (
    "言い換え辞書を編集できるのは、情報紙編集者・区役所サービス推進部会 委員・管理者です。"
)
GLOSSARY_REFUSAL = "言い換え辞書は職員のみ閲覧できます。"
AUDIT_REFUSAL = "区民向け文書の点検は職員のみ閲覧できます。"
RATE_MESSAGE = (
    "短い時間に点検の依頼が多かったため、少し待ってから点検します（保存はいつでもできます）。"
)
TERMS_PER_PAGE = 50
AUDIT_PER_PAGE = 25


def _breadcrumbs(*tail):
    return [("やさしい言葉", reverse("plain_language:index")), *tail]


def _glossary_crumbs(*tail):
    return _breadcrumbs(("言い換え辞書", reverse("plain_language:glossary")), *tail)


def segments(text, findings):
    """The text cut into (piece, finding number or None) for highlighting the wording findings
    (which never overlap one another)."""
    marks = sorted(
        ((n, f) for n, f in enumerate(findings, start=1) if f.kind in WORDING),
        key=lambda pair: pair[1].start,
    )
    pieces, at = [], 0
    for number, finding in marks:
        if finding.start < at:
            continue
        if finding.start > at:
            pieces.append((text[at : finding.start], None))
        pieces.append((text[finding.start : finding.end], number))
        at = finding.end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces


# ---------------------------------------------------------------------------------------------
# Checking


@writes_nothing_of_a_ward
@require_http_methods(["GET", "POST"])
@require_perm("plain_language.check", CHECK_REFUSAL)
def index(request):
    form = CheckForm(request.POST or None)
    result, status = None, 200
    if request.method == "POST" and form.is_valid():
        if ratelimit.allow(request.user):
            result = check(form.cleaned_data["text"], form.cleaned_data["profile"])
        else:
            messages.warning(request, RATE_MESSAGE)
            status = 429
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "result": result,
        "segments": segments(result.text, result.findings) if result else [],
        "breadcrumbs": _breadcrumbs(("文の点検", None)),
        "max_chars": settings.PLAIN_LANGUAGE_MAX_TEXT_CHARS,
    }
    return TemplateResponse(request, "plain_language/index.html", context, status=status)


def _text_and_profile(request):
    """`text` and `profile` of a GET, a form POST or a JSON POST; a ValueError says what is
    wrong."""
    if request.method == "POST" and request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            raise ValueError("JSONとして読めません。") from None
        if not isinstance(data, dict):
            raise ValueError('JSONのオブジェクト（{"text": ...}）を送ってください。')
    else:
        data = request.POST if request.method == "POST" else request.GET
    text, profile = data.get("text"), data.get("profile") or "standard"
    if not isinstance(text, str):
        raise ValueError("text（点検する文）を指定してください。")
    if not isinstance(profile, str) or profile not in PROFILES:
        raise ValueError(f"profile は {'、'.join(PROFILES)} のどれかにしてください。")
    limit = settings.PLAIN_LANGUAGE_MAX_TEXT_CHARS
    if len(text) > limit:
        raise ValueError(f"{limit}文字までの文を点検できます（{len(text)}文字）。")
    return text, profile


@writes_nothing_of_a_ward
@require_POST
@require_perm("plain_language.check", CHECK_REFUSAL)
def live(request):
    """The live check of an editor's field: the findings as an HTML fragment."""
    try:
        text, profile = _text_and_profile(request)
    except ValueError as error:
        return TemplateResponse(
            request, "plain_language/_findings.html", {"error": str(error)}, status=400
        )
    if not ratelimit.allow(request.user):
        return TemplateResponse(
            request, "plain_language/_findings.html", {"error": RATE_MESSAGE}, status=429
        )
    result = check(text, profile)
    return TemplateResponse(request, "plain_language/_findings.html", {"result": result})


@writes_nothing_of_a_ward
@require_http_methods(["GET", "POST"])
@require_perm("plain_language.check", CHECK_REFUSAL)
def api_check(request):
    """The checker as JSON for other intranet tools (GET ?text=&profile=, or POST form or
    JSON with the session and CSRF token)."""
    try:
        text, profile = _text_and_profile(request)
    except ValueError as error:
        return JsonResponse({"error": str(error)}, status=400)
    if not ratelimit.allow(request.user):
        return JsonResponse({"error": RATE_MESSAGE}, status=429)
    return JsonResponse(check(text, profile).as_dict(), json_dumps_params={"ensure_ascii": False})


# ---------------------------------------------------------------------------------------------
# Glossary


def get_term_for_user(user, pk, *, write=False):
    """The one loader of a term: 404 when there is none, 403 without the permission."""
    from takatsu_portal.accounts.permissions import check_perm

    check_perm(user, "plain_language.view_glossary", message=GLOSSARY_REFUSAL)
    term = get_object_or_404(Term.objects.select_related("updated_by"), pk=pk)
    if write:
        check_perm(user, "plain_language.edit_glossary", message=EDIT_REFUSAL)
    return term


@require_perm("plain_language.view_glossary", GLOSSARY_REFUSAL)
def glossary(request):
    filters = TermFilterForm(request.GET or None)
    terms = Term.objects.all()
    if filters.is_valid():
        terms = terms.search(filters.cleaned_data["q"])
        if filters.cleaned_data["category"]:
            terms = terms.filter(category=filters.cleaned_data["category"])
    page = Paginator(terms.order_by("reading", "term"), TERMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page_obj": page,
        "query": query.urlencode(),
        "total": Term.objects.count(),
        "categories": Category.choices,
        "may_edit": user_may(request.user, "plain_language.edit_glossary"),
        "breadcrumbs": _breadcrumbs(("言い換え辞書", None)),
    }
    return TemplateResponse(request, "plain_language/glossary.html", context)


def term_detail(request, pk):
    term = get_term_for_user(request.user, pk)
    context = {
        "term": term,
        "entries": history_entries(term, limit=20),
        "may_edit": user_may(request.user, "plain_language.edit_glossary"),
        "breadcrumbs": _glossary_crumbs((term.term, None)),
    }
    return TemplateResponse(request, "plain_language/term_detail.html", context)


@require_perm("plain_language.edit_glossary", EDIT_REFUSAL)
def term_new(request):
    form = TermForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            term = term_create(data=form.cleaned_data, by=request.user)
            messages.success(request, f"「{term.term}」を言い換え辞書に追加しました。")
            return redirect(term)
        status = 400
    context = {
        "form": form,
        "breadcrumbs": _glossary_crumbs(("追加", None)),
    }
    return TemplateResponse(request, "plain_language/term_form.html", context, status=status)


def term_edit(request, pk):
    term = get_term_for_user(request.user, pk, write=True)
    form = TermForm(request.POST or None, instance=term)
    status, extra = 200, {}
    if request.method == "POST":
        status = 400
        if form.is_valid():
            extra = save_or_explain(
                request,
                form,
                lambda: term_update(
                    term=term,
                    data=form.cleaned_data,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                ),
            )
            if extra is None:
                messages.success(request, f"「{term.term}」を更新しました。")
                return redirect(term)
            status = 409 if "conflict" in extra else 400
    context = {
        "form": form,
        "term": Term.objects.get(pk=term.pk) if status == 409 else term,
        **(extra or {}),
        "breadcrumbs": _glossary_crumbs((term.term, term.get_absolute_url()), ("編集", None)),
    }
    return TemplateResponse(request, "plain_language/term_form.html", context, status=status)


def term_remove(request, pk):
    term = get_term_for_user(request.user, pk, write=True)
    if request.method == "POST":
        name = term.term
        term_delete(term=term, by=request.user)
        messages.success(request, f"「{name}」を言い換え辞書から削除しました。")
        return redirect("plain_language:glossary")
    context = {
        "term": term,
        "breadcrumbs": _glossary_crumbs((term.term, term.get_absolute_url()), ("削除", None)),
    }
    return TemplateResponse(request, "plain_language/term_confirm_delete.html", context)


@require_perm("plain_language.view_glossary", GLOSSARY_REFUSAL)
def glossary_export(request, fmt):
    """The glossary as .xlsx, or CSV in UTF-8 with BOM (?encoding=cp932 for Shift-JIS)."""
    terms = Term.objects.order_by("reading", "term")
    if fmt == "xlsx":
        body = glossary_io.export_xlsx(terms)
        content_type = EXCEL_MIME
    else:
        encoding = csv_encoding(request)
        try:
            body = glossary_io.export_csv(terms, encoding=encoding)
        except UnencodableError as error:
            return unencodable_response(
                request,
                error,
                subject="用語",
                key_label="用語",
                links=[
                    Link("CSV（UTF-8）で出力する", reverse("plain_language:glossary_export_csv")),
                    Link(
                        "Excel形式で出力する",
                        reverse("plain_language:glossary_export_xlsx"),
                        "btn btn-outline-primary",
                    ),
                ],
                breadcrumbs=_glossary_crumbs(("出力", None)),
            )
        content_type = f"text/csv; charset={charset_of(encoding)}"
    record_event("export", request=request, what="glossary", format=fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"言い換え辞書.{fmt}")
    return response


@require_http_methods(["GET", "POST"])
@require_perm("plain_language.edit_glossary", EDIT_REFUSAL)
def glossary_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    problems, refusal, status = [], "", 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                outcome = glossary_io.import_file(upload.read(), upload.name, by=request.user)
            except glossary_io.ImportRefused as error:
                refusal = str(error)
            except glossary_io.ImportInvalid as error:
                problems = error.problems
            else:
                messages.success(
                    request,
                    f"取り込みました（追加{outcome.created}件、更新{outcome.updated}件、"
                    f"変更なし{outcome.unchanged}件）。",
                )
                return redirect("plain_language:glossary")
    context = {
        "form": form,
        "problems": problems,
        "refusal": refusal,
        "columns": glossary_io.HEADER,
        "breadcrumbs": _glossary_crumbs(("取り込み", None)),
    }
    return TemplateResponse(request, "plain_language/import.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# Audit


@require_perm("plain_language.view_audit", AUDIT_REFUSAL)
def audit(request):
    rows = audit_module.audit_rows(request.user)
    sections = audit_module.sections_in(rows)
    chosen = request.GET.get("section", "")
    listed = rows
    if chosen == "none":
        listed = [r for r in rows if r.item.section_id is None]
    elif chosen.isdigit():
        listed = [r for r in rows if r.item.section_id == int(chosen)]
    page = Paginator(listed, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    by_section = None
    if user_may(request.user, "plain_language.view_audit_by_section"):
        by_section = audit_module.section_counts(rows)
    context = {
        "page_obj": page,
        "total": len(rows),
        "listed": len(listed),
        "with_findings": sum(1 for r in rows if r.findings),
        "sections": sections,
        "chosen": chosen,
        "by_section": by_section,
        "query": f"section={chosen}" if chosen else "",
        "breadcrumbs": _breadcrumbs(("区民向け文書の点検", None)),
    }
    return TemplateResponse(request, "plain_language/audit.html", context)
