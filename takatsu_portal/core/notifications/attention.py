"""Home-page attention item: the user's unread notifications (two queries at most)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from ..attention import AttentionItem, register

SHOWN = 5


@register
def unread_notifications(user):
    """The five most recent unread notifications, each linking to what it is about, and a link
    to the notifications page when there are more."""
    if not user.is_authenticated:
        return []
    unread = user.notifications.unread()
    latest = list(unread[:SHOWN])
    items = [
        AttentionItem(
            title=notification.message,
            url=notification.url or reverse("notification_list"),
            detail=format_date(timezone.localtime(notification.created_at), "Y年n月j日 H:i"),
            area="お知らせ",
        )
        for notification in latest
    ]
    # The header's badge needs the count too (context_processors.unread_count): one query.
    user._unread_notification_count = count = (
        unread.count() if len(latest) == SHOWN else len(latest)
    )
    if len(latest) == SHOWN:
        more = count - SHOWN
        if more:
            items.append(
                AttentionItem(
                    title=f"ほかに未読のお知らせが{more}件あります",
                    url=reverse("notification_list"),
                    area="お知らせ",
                )
            )
    return items
