"""The user's notifications (お知らせ): the full list, and marking them read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from takatsu_portal.accounts.permissions import writes_nothing_of_a_ward

from .. import attention
from ..context_processors import unread_count
from . import notifications_mark_read

PER_PAGE = 30


def notification_list(request):
    """The user's notifications, a page at a time. The page's rows and the unread count are
    kept in the cache per user (core/attention.py: `notify`, `notify_bulk` and marking read
    move the user's generation), so a visit costs no query of its own; the rows are plain
    values because the forms around them carry this request's CSRF token."""
    user = request.user
    number = request.GET.get("page", "1")

    def page_values():
        page = Paginator(user.notifications.all(), PER_PAGE).get_page(number)
        rows = [
            {
                "pk": n.pk,
                "message": n.message,
                "url": n.url,
                "read_at": n.read_at,
                "created_at": n.created_at,
            }
            for n in page.object_list
        ]
        return {"rows": rows, "count": page.paginator.count, "number": page.number}

    name = f"notifications:{number}" if number.isdigit() and len(number) < 8 else None
    values = attention.cached(user, name, page_values, everyone=False) if name else page_values()
    page = Paginator(range(values["count"]), PER_PAGE).get_page(values["number"])
    page.object_list = values["rows"]
    return render(
        request,
        "core/notifications.html",
        {
            "page_obj": page,
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
