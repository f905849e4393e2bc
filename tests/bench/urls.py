"""The portal's URLs plus the bench's bare baseline view (active only under the bench settings)."""

from django.urls import include, path

from takatsu_portal.urls import handler403, handler404, handler500  # noqa: F401

from .views import bare_view

urlpatterns = [
    path("__bench__/bare/", bare_view),
    path("", include("takatsu_portal.urls")),
]
