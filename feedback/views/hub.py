from django.shortcuts import render
from django.urls import path

from takatsu_portal.accounts.permissions import require_perm


@require_perm("portal.view_feedback", "区民の声・アンケートは職員が利用できます。")
def index(request):
    return render(request, "feedback/index.html", {"breadcrumbs": [("区民の声・アンケート", None)]})


urlpatterns = [
    path("", index, name="index"),
]
