"""Search over the articles a user may read: titles, bodies and attachments' names.

Japanese has no spaces, so words are not tokens. Every article keeps its text normalised (NFKC,
katakana folded to hiragana, lower case; `text.normalise`), and on PostgreSQL a GIN index holds
the character bigrams of that text (an index on the expression `bulletins_bigrams(search_text)`,
migration 0002: stock PostgreSQL, no extension, and no bigram column to widen the rows). A
query of one character is a prefix match on the bigrams (every occurrence starts one); a
longer query asks for all of its bigrams, so 「窓口」 and 「マイナンバー」 are found inside
longer words through the index; a LIKE on the normalised text of the rows the index found
then keeps those where the query stands whole, so results are exact. SQLite (the embedded
default) scans the normalised text.

Ranking: articles with the query in their title first, then the newest.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL

from . import text
from .access import articles_for


def matching(queryset, terms):
    """Articles of `queryset` whose text contains every term (normalised)."""
    for term in terms:
        if connection.vendor == "postgresql":
            queryset = queryset.filter(
                RawSQL(
                    'bulletins_bigrams("bulletins_article"."search_text") @@ %s::tsquery',
                    [text.tsquery_literal(term)],
                    output_field=BooleanField(),
                )
            )
        queryset = queryset.filter(search_text__contains=term)
    return queryset


def ranked(queryset, terms):
    title_hit = Q()
    for term in terms:
        title_hit &= Q(search_title__contains=term)
    return queryset.annotate(
        title_rank=Case(
            When(title_hit, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("title_rank", "-issue__published_at", "order", "-id")


def search(user, query, *, filters=None):
    """The user's readable articles matching `query`, ranked; filters: category, issue,
    fiscal_year, importance."""
    terms = text.query_terms(query)
    articles = articles_for(user).published()
    filters = filters or {}
    if filters.get("category"):
        articles = articles.filter(category=filters["category"])
    if filters.get("importance"):
        articles = articles.filter(importance=filters["importance"])
    if filters.get("issue"):
        articles = articles.filter(issue=filters["issue"])
    if filters.get("fiscal_year"):
        articles = articles.filter(issue__fiscal_year=filters["fiscal_year"])
    if not terms:
        return terms, articles.none()
    return terms, ranked(matching(articles, terms), terms).select_related("issue")


@dataclass
class Hit:
    article: object
    title_html: str
    snippet_html: str
    attachment_hit: str


def hits(page_articles, terms):
    """The page's results with the title and a snippet highlighted (the body's words, else an
    attachment's name that matched)."""
    results = []
    for article in page_articles:
        title_html, _ = text.snippet(article.title, terms, width=200)
        body = text.plain_text(article.body_html)
        snippet_html, found = text.snippet(body, terms)
        attachment_hit = ""
        if not found:
            for attachment in article.attachments.all():
                normalised = text.normalise(attachment.original_name)
                if any(term in normalised for term in terms):
                    attachment_hit = attachment.original_name
                    break
        results.append(Hit(article, title_html, snippet_html, attachment_hit))
    return results
