"""The breadcrumb every page of the plans app starts with."""

from django.urls import reverse


def plans_crumb():
    return ("計画", reverse("plans:index"))
