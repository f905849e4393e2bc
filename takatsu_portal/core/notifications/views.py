"""The user's notifications (お知らせ): the full list, and marking them read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from takatsu_portal.accounts.permissions import writes_nothing_of_a_ward

from .. import attention
from ..frame import unread_count
from ..shared_cache import fill_csrf, render_kept
from . import notifications_mark_read

PER_PAGE = 30


def notification_list(request):
    """The user's notifications, a page at a time. The rendered page of the list is kept in
    the cache per user (core/attention.py: `notify`, `notify_bulk` and marking read move the
    user's generation), with markers where its forms' CSRF tokens go, filled per request
    (core/shared_cache.py `render_kept`): a visit costs no query of its own."""
    user = request.user
    number = request.GET.get("page", "1")

    def page_html():
        page = Paginator(user.notifications.all(), PER_PAGE).get_page(number)
        return render_kept(
            "core/_notification_list.html",
            {"page_obj": page, "pagination_query": QueryDict()},
        )

    name = f"notifications:{number}" if number.isdigit() and len(number) < 8 else None
    html = attention.cached(user, name, page_html, everyone=False) if name else page_html()
    return render(
        request,
        "core/notifications.html",
        {
            "notification_list": fill_csrf(html, request),
            "unread_count": unread_count(user),
            "breadcrumbs": [("お知らせ", None)],
        },
    )


@writes_nothing_of_a_ward
@require_POST
def notification_read(request):
    """Mark one notification read (`notification`=id) or all of them. With `open`, go on to
    the page the notification points at: reading it and marking it read in one step."""
    pk = request.POST.get("notification", "")
    if pk:
        if not pk.isdigit():
            return redirect("notification_list")
        notification = request.user.notifications.filter(pk=pk).first()
        notifications_mark_read(user=request.user, pk=int(pk))
        target = notification.url if notification is not None else ""
        if "open" in request.POST and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(target)
        messages.success(request, "お知らせを既読にしました。")
    else:
        count = notifications_mark_read(user=request.user)
        messages.success(request, f"{count}件のお知らせを既読にしました。")
    return redirect("notification_list")
