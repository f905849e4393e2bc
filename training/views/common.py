"""Pieces the training views share: breadcrumbs and pagination."""

from django.core.paginator import Paginator
from django.urls import reverse

PER_PAGE = 30


def crumbs(*tail):
    return [("研修", reverse("training:index") if tail else None), *tail]


def paginate(request, queryset, per_page=PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
