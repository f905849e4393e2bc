"""Responses the portal dresses in its own pages."""

from django.shortcuts import render
from django.urls import Resolver404, resolve


def _way_back(path):
    """The page a POST-only address belongs to: its nearest parent address that is a page of
    the portal (…/proposals/5/decide/ → …/proposals/5/; …/council/items/5/decide/ →
    …/council/); else None (the page then links to the dashboard)."""
    parent = path
    while True:
        parent = parent.rstrip("/").rsplit("/", 1)[0] + "/"
        if parent == "/":
            return None
        try:
            resolve(parent)
        except Resolver404:
            continue
        return parent


class MethodNotAllowedMiddleware:
    """A 405 from `require_POST` and friends is an empty response that browsers show as their
    own blank English error page: typically a person who reloads, or reopens from the history,
    the address a form was sent to. Replace it with the portal's Japanese page that explains
    what happened and links back to the page the address belongs to. The Allow header stays."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content:
            return response
        page = render(
            request,
            "405.html",
            {"back": _way_back(request.path), "breadcrumbs": [("操作できません", None)]},
            status=405,
        )
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
