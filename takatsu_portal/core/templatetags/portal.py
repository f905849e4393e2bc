from django import template

from takatsu_portal.core.fiscal import FiscalYear, wareki

register = template.Library()


@register.filter
def wareki_date(value, arg=""):
    """{{ day|wareki_date }} → 令和8年11月25日; {{ day|wareki_date:"weekday" }} adds （水）."""
    if not value:
        return ""
    return wareki(value, weekday=(arg == "weekday"))


@register.filter
def fiscal_year(value):
    """{{ day|fiscal_year }} → 令和8年度（2026年度）; an int is taken as the starting year."""
    if value in (None, ""):
        return ""
    if isinstance(value, int):
        return FiscalYear(value).label
    return FiscalYear.of(value).label


@register.filter
def yen(value):
    """{{ 1234567|yen }} → 1,234,567円"""
    if value in (None, ""):
        return ""
    return f"{int(value):,}円"


@register.simple_tag
def backlinks(obj):
    """The records of other apps that point at `obj` (core.backlinks):
    `{% backlinks obj as links %}`."""
    from takatsu_portal.core.backlinks import links_for

    return links_for(obj)


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*parts):
    """One error summary for a page of several forms and formsets (#10.6), the way the crispy
    forms open with theirs: `{% error_summary form milestones "スケジュール" indicators "指標" %}`
    (a string labels the formset before it: 「スケジュール 2行目 内容」). Put it above the forms;
    the forms it covers then show no summary of their own (bootstrap5/errors.html)."""
    rows = []
    items = list(parts)
    while items:
        part = items.pop(0)
        label = items.pop(0) if items and isinstance(items[0], str) else ""
        forms = getattr(part, "forms", None)
        if forms is None:
            rows += _form_rows(part, "")
            continue
        rows += [("", message) for message in part.non_form_errors()]
        for number, form in enumerate(forms, start=1):
            rows += _form_rows(form, f"{label} {number}行目 ")
    return {"rows": rows, "count": len(rows)}


def _form_rows(form, prefix):
    """(anchor, text) for each error of `form`; marks the form as summarised."""
    if form is None or not form.is_bound:
        return []
    form.error_summary_shown = True
    rows = [("", f"{prefix}{message}".strip()) for message in form.non_field_errors()]
    for field in form:
        for message in field.errors:
            if field.is_hidden:
                rows.append(("", message))
            else:
                rows.append((f"#{field.auto_id}", f"{prefix}{field.label}：{message}"))
    return rows
