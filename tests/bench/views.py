"""The bench's baseline: the cheapest page behind the same login as the portal's pages."""

from django.http import HttpResponse
from django.template import engines

# A constant template, compiled once and rendered without a request, so no context processor
# runs: the page costs the middleware (session and user lookup) and one render, nothing else.
_TEMPLATE = engines["django"].from_string(
    "<!doctype html>\n"
    '<html lang="ja"><head><meta charset="utf-8"><title>bench</title></head>\n'
    "<body><p>{{ username }}</p></body></html>\n"
)


def bare_view(request):
    # Not login_not_required: LoginRequiredMiddleware guards it like every portal page.
    return HttpResponse(_TEMPLATE.render({"username": request.user.get_username()}))


# The portal's layout (base.html: header, menu, notification badge, footer) around an empty
# page, rendered with the request so every context processor runs: what any portal page costs
# before its own work. Pages are compared with it to tell their own cost from the layout's.
_LAYOUT = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<h1>bench</h1>{% endblock %}'
)


def layout_view(request):
    return HttpResponse(_LAYOUT.render({}, request))
