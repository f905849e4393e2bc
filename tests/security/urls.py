"""The portal's URLs plus one view that fails, for the error page tests."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from takatsu_portal.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


@login_not_required
def fail(request):
    raise RuntimeError("a bug, on purpose")


urlpatterns = [*urlpatterns, path("test-failure/", fail)]
