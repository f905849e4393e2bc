"""The breadcrumb every staff page of the feedback app starts with."""

from django.urls import reverse


def feedback_crumb():
    return ("区民の声・アンケート", reverse("feedback:index"))
