"""The public survey form at the site root (/s/<token>/), outside the feedback: namespace so
that the address printed under a QR code stays short and never passes through the intranet's
/feedback/ paths. Included by takatsu_portal/urls.py."""

from django.urls import path

from .responses.public_views import public_survey

urlpatterns = [
    path("<str:token>/", public_survey, name="public_survey"),
]
