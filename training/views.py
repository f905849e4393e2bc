from django.shortcuts import render

from takatsu_portal.accounts.permissions import require_perm


@require_perm("portal.view_training", "研修は職員が利用できます。")
def index(request):
    return render(request, "training/index.html", {"breadcrumbs": [("研修", None)]})
