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
