from django.shortcuts import render

from takatsu_portal.accounts.permissions import require_perm


@require_perm("portal.view_bulletins", "情報紙は職員が利用できます。")
def index(request):
    return render(request, "bulletins/index.html", {"breadcrumbs": [("情報紙", None)]})
