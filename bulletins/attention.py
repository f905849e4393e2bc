"""The home page's items for the bulletin: required articles the user has not confirmed
(overdue first, then by confirm-by date) and the number of unread recent articles. Two
queries whatever the number of articles."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from takatsu_portal.core.attention import AttentionItem, register

from .models import Article, Confirmation, ReadMark

UNREAD_DAYS = 60
SHOWN = 5


@register
def bulletin_items(user):
    if not user.is_authenticated or user.section_id is None:
        return []
    from django.db.models import Exists, OuterRef

    today = timezone.localdate()
    readable = Article.objects.for_reader(user).defer(
        "body", "body_html", "search_title", "search_text", "search_vector"
    )
    confirmed = Confirmation.objects.filter(
        article_id=OuterRef("pk"), user_id=user.pk, revision=OuterRef("confirm_revision")
    )
    pending = list(
        readable.required()
        .filter(~Exists(confirmed))
        .order_by("confirm_by", "-issue__published_at")[: SHOWN + 1]
    )
    items = []
    for article in pending[:SHOWN]:
        overdue = article.confirm_by < today
        due = f"{article.confirm_by.month}月{article.confirm_by.day}日"
        days = (article.confirm_by - today).days
        if overdue:
            detail = (
                f"確認期限（{due}）を過ぎています。記事を読んで「確認しました」を押してください。"
            )
        else:
            left = "今日まで" if days == 0 else f"あと{days}日"
            detail = f"確認期限 {due}（{left}）。記事を読んで「確認しました」を押してください。"
        items.append(
            AttentionItem(
                title=f"必読：{article.title}",
                url=reverse("bulletins:article_detail", args=[article.pk]),
                detail=detail,
                level="danger" if overdue else "warning",
                area="情報紙",
            )
        )
    if len(pending) > SHOWN:
        items.append(
            AttentionItem(
                title="ほかにも未確認の必読記事があります",
                url=reverse("bulletins:index") + "#pending",
                level="warning",
                area="情報紙",
            )
        )
    read = ReadMark.objects.filter(article_id=OuterRef("pk"), user_id=user.pk)
    unread = (
        readable.filter(issue__published_at__gte=timezone.now() - timedelta(days=UNREAD_DAYS))
        .filter(required=False)
        .filter(~Exists(read))
        .count()
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
