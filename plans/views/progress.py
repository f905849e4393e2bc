from django.shortcuts import render
from django.urls import path

from takatsu_portal.accounts.permissions import require_perm


@require_perm(
    "portal.view_progress",
    "進捗管理はワーキンググループリーダー・推進部会委員・区企画調整会議委員・課長・管理者が利用できます。",
)
def progress(request):
    return render(request, "plans/progress.html", {"breadcrumbs": [("進捗", None)]})


urlpatterns = [
    path("progress/", progress, name="progress"),
]
