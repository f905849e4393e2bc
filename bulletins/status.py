"""閲覧状況: who in an article's audience read it and confirmed it, by section.

Every function runs a fixed number of queries whatever the audience's size: a page of the
audience is one query (the count comes from the section summary), the section summary one
aggregate."""

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, OuterRef, Q, Subquery, Value, When

from takatsu_portal.core import generations

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
        group_id__in=Article.audience_roles.through.objects.filter(article_id=article.pk).values(
            "group_id"
        ),
    )
    # IN (subquery), not EXISTS per person: PostgreSQL hashes each set once.
    return people.filter(
        Q(section_id__in=sections.values("section_id"))
        | Q(section__department_id__in=departments.values("department_id"))
        | Q(pk__in=roles.values("user_id"))
    )


class State:
    """Where a person stands with the article, as the list sorts them: unread first."""

    UNREAD = 0
    READ = 1  # read, and (for a required article) not confirmed for the current revision
    CONFIRMED = 2


MARKS_GENERATION_KEY = "bulletins:marks:{}"


def marks_generation_keys(article):
    """The generation the 閲覧状況 page's kept copy is keyed on besides the data generation
    (bulletins/views.py): its content changes with the article's read marks and confirmations
    (a read, a re-read, a confirmation), whose services move only the reader's own home-page
    list. Read in the same cache round trip as the kept copy: no query."""
    return [MARKS_GENERATION_KEY.format(article.pk)]


def marks_changed(article):
    """A read mark or a confirmation of `article` was written: its 閲覧状況 is made again at
    the next request (now, and again when the transaction commits)."""
    generations.bump(marks_generation_keys(article))


def _reader_ids(article):
    return article.reads.values("user_id")


def _confirmer_ids(article):
    return article.confirmations.filter(revision=article.confirm_revision).values("user_id")


def status_people(article, *, section_id=None):
    """The audience as dicts, unread first, then read but unconfirmed, then confirmed; by
    department, section and name within each.

    The sort key uses `id IN (subquery)`, which PostgreSQL runs once as a hashed subplan
    whatever the audience's size; the times are correlated subqueries in the select list, which
    PostgreSQL evaluates after the sort and limit, so only for the rows of one page (measured
    at 2,000 people: about half the time of sorting by the times themselves)."""
    people = audience_of(article)
    if section_id is not None:
        people = people.filter(section_id=section_id)
    reads = ReadMark.objects.filter(article_id=article.pk, user_id=OuterRef("pk"))
    confirmations = Confirmation.objects.filter(
        article_id=article.pk, user_id=OuterRef("pk"), revision=article.confirm_revision
    )
    whens = [When(pk__in=_reader_ids(article), then=Value(State.READ))]
    if article.required:
        whens.insert(0, When(pk__in=_confirmer_ids(article), then=Value(State.CONFIRMED)))
    return (
        people.annotate(
            state=Case(*whens, default=Value(State.UNREAD)),
            read_at=Subquery(reads.values("read_at")[:1]),
            read_revision=Subquery(reads.values("revision")[:1]),
            confirmed_at=Subquery(confirmations.values("confirmed_at")[:1]),
        )
        .order_by(
            "state",
            "section__department__sort_order",
            "section__sort_order",
            "section_id",
            "full_name_kana",
            "username",
        )
        .values(
            "username",
            "full_name",
            "full_name_kana",
            "staff_number",
            "section__name",
            "section__department__name",
            "state",
            "read_at",
            "read_revision",
            "confirmed_at",
        )
    )


def section_summary(article, *, section_id=None):
    """Per section: audience, read, confirmed, and the rates (one aggregate query; the read
    and confirmed sets are hashed subplans, not a subquery per person)."""
    people = audience_of(article)
    if section_id is not None:
        people = people.filter(section_id=section_id)
    rows = (
        people.values(
            "section_id",
            "section__name",
            "section__department__name",
            "section__department__sort_order",
            "section__sort_order",
        )
        .annotate(
            total=Count("pk"),
            read=Count("pk", filter=Q(pk__in=_reader_ids(article))),
            confirmed=Count("pk", filter=Q(pk__in=_confirmer_ids(article))),
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
