"""The home page's items for the bulletin: required articles the user has not confirmed
(overdue first, then by confirm-by date) and the number of unread recent articles. One
query whatever the number of articles."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from takatsu_portal.core.attention import AttentionItem, register

from .models import Article, Confirmation, ReadMark

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
        .values("pk", "title", "required", "confirm_by")
    )
    pending = [row for row in rows if row["required"]]
    unread = len(rows) - len(pending)
    items = []
    for row in pending[:SHOWN]:
        confirm_by = row["confirm_by"]
        overdue = confirm_by < today
        due = f"{confirm_by.month}月{confirm_by.day}日"
        days = (confirm_by - today).days
        if overdue:
            detail = (
                f"確認期限（{due}）を過ぎています。記事を読んで「確認しました」を押してください。"
            )
        else:
            left = "今日まで" if days == 0 else f"あと{days}日"
            detail = f"確認期限 {due}（{left}）。記事を読んで「確認しました」を押してください。"
        items.append(
            AttentionItem(
                title=f"必読：{row['title']}",
                url=reverse("bulletins:article_detail", args=[row["pk"]]),
                detail=detail,
                level="danger" if overdue else "warning",
                area="情報紙",
            )
        )
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
                title=f"未読の情報紙の記事が{unread}件あります",
                url=reverse("bulletins:index"),
                detail=f"最近{UNREAD_DAYS}日間に公開された記事です。",
                level="info",
                area="情報紙",
            )
        )
    return items
