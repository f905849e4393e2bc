"""閲覧状況: who in an article's audience read it and confirmed it, by section.

Every function runs a fixed number of queries whatever the audience's size: the audience is
one query with the read and confirmation times as subqueries, the section summary one
aggregate."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery

from .models import Article, Confirmation, ReadMark


def audience_of(article):
    """Active staff of the article's office in its audience (all staff, or its departments,
    sections or roles)."""
    User = get_user_model()
    people = User.objects.filter(
        is_active=True, section__department__office_id=article.issue.office_id
    )
    if article.audience_all:
        return people
    sections = Article.audience_sections.through.objects.filter(article_id=article.pk)
    departments = Article.audience_departments.through.objects.filter(article_id=article.pk)
    roles = User.groups.through.objects.filter(
        user_id=OuterRef("pk"),
        group_id__in=Article.audience_roles.through.objects.filter(article_id=article.pk).values(
            "group_id"
        ),
    )
    return people.filter(
        Q(section_id__in=sections.values("section_id"))
        | Q(section__department_id__in=departments.values("department_id"))
        | Q(Exists(roles))
    )


def with_times(people, article):
    """Each person with `read_at` and `confirmed_at` (of the current confirmation revision)."""
    reads = ReadMark.objects.filter(article_id=article.pk, user_id=OuterRef("pk"))
    confirmations = Confirmation.objects.filter(
        article_id=article.pk, user_id=OuterRef("pk"), revision=article.confirm_revision
    )
    return people.annotate(
        read_at=Subquery(reads.values("read_at")[:1]),
        read_revision=Subquery(reads.values("revision")[:1]),
        confirmed_at=Subquery(confirmations.values("confirmed_at")[:1]),
    )


def status_people(article, *, section_id=None):
    """The audience with their times, unread first, then unconfirmed, by section and name."""
    people = audience_of(article)
    if section_id is not None:
        people = people.filter(section_id=section_id)
    return (
        with_times(people, article)
        .select_related("section", "section__department")
        .order_by(
            F("read_at").asc(nulls_first=True),
            F("confirmed_at").asc(nulls_first=True),
            "section__department__sort_order",
            "section__sort_order",
            "section_id",
            "full_name_kana",
            "username",
        )
    )


def section_summary(article, *, section_id=None):
    """Per section: audience, read, confirmed, and the rates (one aggregate query)."""
    people = audience_of(article)
    if section_id is not None:
        people = people.filter(section_id=section_id)
    reads = ReadMark.objects.filter(article_id=article.pk, user_id=OuterRef("pk"))
    confirmations = Confirmation.objects.filter(
        article_id=article.pk, user_id=OuterRef("pk"), revision=article.confirm_revision
    )
    rows = (
        people.annotate(has_read=Exists(reads), has_confirmed=Exists(confirmations))
        .values(
            "section_id",
            "section__name",
            "section__department__name",
            "section__department__sort_order",
            "section__sort_order",
        )
        .annotate(
            total=Count("pk"),
            read=Count("pk", filter=Q(has_read=True)),
            confirmed=Count("pk", filter=Q(has_confirmed=True)),
        )
        .order_by("section__department__sort_order", "section__sort_order", "section_id")
    )
    summary = []
    for row in rows:
        summary.append(
            {
                "section_id": row["section_id"],
                "section": row["section__name"],
                "department": row["section__department__name"],
                "total": row["total"],
                "read": row["read"],
                "confirmed": row["confirmed"],
                "read_rate": _rate(row["read"], row["total"]),
                "confirm_rate": _rate(row["confirmed"], row["total"]),
            }
        )
    return summary


def totals(summary):
    total = sum(row["total"] for row in summary)
    read = sum(row["read"] for row in summary)
    confirmed = sum(row["confirmed"] for row in summary)
    return {
        "total": total,
        "read": read,
        "confirmed": confirmed,
        "read_rate": _rate(read, total),
        "confirm_rate": _rate(confirmed, total),
    }


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else 0.0
