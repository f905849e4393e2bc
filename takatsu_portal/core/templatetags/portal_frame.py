"""Tags of the page frame (templates/base.html): the kept header and the asset URLs."""

from django import template
from django.conf import settings
from django.templatetags.static import static

from takatsu_portal.core import frame

register = template.Library()

_assets = {}


@register.simple_tag
def asset(path):
    """{% asset 'css/portal.css' %}: `{% static %}`, looked up once per process (the hashed
    names of the manifest do not change while it runs)."""
    key = (path, settings.STATIC_URL)
    found = _assets.get(key)
    if found is None:
        found = _assets[key] = static(path)
    return found


@register.simple_tag(takes_context=True)
def portal_header(context):
    """The header of the page (core/frame.py), with the page's own CSRF token."""
    request = context.get("request")
    if request is None:
        return ""
    return frame.header(request, csrf_token=context.get("csrf_token"))
