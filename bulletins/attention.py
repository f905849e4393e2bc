"""The home page's items for the bulletin, most urgent first: required articles the user has
not confirmed (overdue first, then 緊急 ones, then by confirm-by date), unread 緊急 articles
one by one, and the number of the other unread recent articles. One query whatever the number
of articles."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from takatsu_portal.core.attention import AttentionItem, register

from .models import Article, Confirmation, Importance, ReadMark

UNREAD_DAYS = 60
SHOWN = 5


@register
def bulletin_items(user):
    """One query: the required articles the user has not confirmed and the recent ones they
    have not read (both few: a required article stays until confirmed, the others 60 days)."""
    if not user.is_authenticated or user.section_id is None:
        return []
    now = timezone.now()
    today = timezone.localdate(now)
    confirmed = Confirmation.objects.filter(
        article_id=OuterRef("pk"), user_id=user.pk, revision=OuterRef("confirm_revision")
    )
    read = ReadMark.objects.filter(article_id=OuterRef("pk"), user_id=user.pk)
    rows = list(
        Article.objects.for_reader(user)
        .filter(
            Q(required=True, confirm_by__isnull=False) & ~Q(Exists(confirmed))
            | Q(
                required=False,
                issue__published_at__gte=now - timedelta(days=UNREAD_DAYS),
            )
            & ~Q(Exists(read))
        )
        .order_by("-required", "confirm_by", "-issue__published_at")
        .values("pk", "title", "required", "confirm_by", "importance")
    )
    pending = sorted(
        (row for row in rows if row["required"]),
        key=lambda row: (
            row["confirm_by"] >= today,  # overdue first
            row["importance"] != Importance.URGENT,
            row["confirm_by"],
        ),
    )
    urgent = [r for r in rows if not r["required"] and r["importance"] == Importance.URGENT]
    urgent = urgent[:SHOWN]
    unread = len(rows) - len(pending) - len(urgent)
    items = [_pending_item(row, today) for row in pending[:SHOWN]]
    # Unread 緊急 articles come right after the overdue required ones.
    overdue = sum(1 for row in pending[:SHOWN] if row["confirm_by"] < today)
    items[overdue:overdue] = [
        AttentionItem(
            title=f"緊急：{row['title']}",
            url=reverse("bulletins:article_detail", args=[row["pk"]]),
            detail="緊急の記事です。すぐに読んでください。",
            level="danger",
            area="情報紙",
        )
        for row in urgent
    ]
    if len(pending) > SHOWN:
        items.append(
            AttentionItem(
                title=f"ほかにも未確認の必読記事が{len(pending) - SHOWN}件あります",
                url=reverse("bulletins:index") + "#pending",
                level="warning",
                area="情報紙",
            )
        )
    if unread:
        items.append(
            AttentionItem(
                title=f"{'ほかに' if urgent else ''}未読の情報紙の記事が{unread}件あります",
                url=reverse("bulletins:index"),
                detail=f"最近{UNREAD_DAYS}日間に公開された記事です。",
                level="info",
                area="情報紙",
            )
        )
    return items


def _pending_item(row, today):
    """A required article not yet confirmed, with its confirm-by date and the days left."""
    confirm_by = row["confirm_by"]
    overdue = confirm_by < today
    due = f"{confirm_by.month}月{confirm_by.day}日"
    days = (confirm_by - today).days
    if overdue:
        detail = f"確認期限（{due}）を過ぎています。記事を読んで「確認しました」を押してください。"
    else:
        left = "今日まで" if days == 0 else f"あと{days}日"
        detail = f"確認期限 {due}（{left}）。記事を読んで「確認しました」を押してください。"
    return AttentionItem(
        title=f"必読：{row['title']}",
        url=reverse("bulletins:article_detail", args=[row["pk"]]),
        detail=detail,
        level="danger" if overdue else "warning",
        area="情報紙",
    )
