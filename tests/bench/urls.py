"""The portal's URLs plus the bench's baselines, the bare view and the empty layout (active
only under the bench settings)."""

from django.urls import include, path

from takatsu_portal.urls import handler403, handler404, handler500  # noqa: F401

from .views import bare_view, layout_view

urlpatterns = [
    path("__bench__/bare/", bare_view),
    path("__bench__/layout/", layout_view),
    path("", include("takatsu_portal.urls")),
]
