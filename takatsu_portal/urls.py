from django.contrib import admin
from django.urls import include, path

from takatsu_portal.core import views as core_views

handler403 = "takatsu_portal.core.views.permission_denied"
handler404 = "takatsu_portal.core.views.page_not_found"
handler500 = "takatsu_portal.core.views.server_error"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("guideline/", core_views.guideline, name="guideline"),
    path("accounts/", include("takatsu_portal.accounts.urls")),
    path("", include("takatsu_portal.core.notifications.urls")),
    path("plans/", include("plans.urls")),
    path("feedback/", include("feedback.urls")),
    path("s/", include("feedback.public_urls")),
    path("inspections/", include("inspections.urls")),
    path("bulletins/", include("bulletins.urls")),
    path("training/", include("training.urls")),
    path("reports/", include("takatsu_portal.reports.urls")),
    path("imports/", include("takatsu_portal.core.import_views")),
    path("plain-language/", include("takatsu_portal.plain_language.urls")),
    path("admin/", admin.site.urls),
]
