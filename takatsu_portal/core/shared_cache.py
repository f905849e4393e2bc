"""Content that many users see alike (a page's board, a list's rows), rendered once and kept in
the cache (Redis in production) until the office's data changes.

`shared_value(name, parts, compute)` returns `compute()` (numbers a page shows) and
`render_shared(name, parts, template, context_factory, query=, scope=)` the HTML of
`template`, rendered (without the request: nothing of the first viewer) with
`context_factory()` only when the cache holds no copy for the same
`parts` (what the content depends on besides the data: the office scope, the page's query
string, ...), today's date and the data generation. The data generation is the one the
home page's attention list is keyed on (core/attention.py): it moves at every change the
services report (`save_versioned`, `attention.changed()`, the admin site), written at the
change and again at the commit, so a user never reads content rendered before their own
change. SHARED_CACHE_SECONDS (default 300) bounds its life; 0 switches it off.

Content that also changes with rows whose services do not move the data generation (a read
mark, an enrolment: they move only the people's own lists) names the generations of those rows
in `generation_keys`; its services bump them (`generations.bump`). They are read in the same cache
round trip as the content, so such a key part costs no query, unlike a stamp read from the
database.
"""

import hashlib
import re

from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from . import generations
from .attention import scope_generation_keys


def scope_part(user):
    """The office scope of `user` as a key part: content scoped to an office is shared by the
    people of that office only."""
    from takatsu_portal.accounts.scope import office_scope_of

    scope = office_scope_of(user)
    if scope.every_office:
        return "every"
    return f"office-{scope.office.pk}" if scope.office is not None else "none"


def _key(name, parts):
    digest = hashlib.sha256(repr(tuple(parts)).encode()).hexdigest()[:32]
    return f"shared:{name}:{digest}"


def shared_values(items, *, scope=None, generation_keys=()):
    """[`shared_value(name, parts, compute, scope=scope, generation_keys=generation_keys)` for
    each (name, parts, compute) of `items`], read in one round trip to the cache (a page with
    several kept parts)."""
    from .fiscal import today

    items = list(items)
    if not settings.SHARED_CACHE_SECONDS:
        return [compute() for _name, _parts, compute in items]
    keys = [*scope_generation_keys(scope), *generation_keys]
    extra = (today().isoformat(),)
    entries = [(_key(name, parts), keys, extra) for name, parts, _compute in items]
    found = generations.lookup_many(entries)
    values = []
    for (key, _keys, _extra), (_name, _parts, compute) in zip(entries, items, strict=True):
        stamp, value = found[key]
        if value is generations.MISSING:
            value = compute()
            generations.store(key, stamp, value, settings.SHARED_CACHE_SECONDS)
        values.append(value)
    return values


def shared_value(name, parts, compute, *, scope=None, generation_keys=()):
    """`compute()`, kept for the same `parts` until the day or the data generation changes
    (`compute` must return something the cache can pickle). `scope`, the OfficeScope the
    content is limited to: a change of another office's rows leaves it; None (content of
    every office) is computed again after a change of any office. `generation_keys`:
    further generation keys the content depends on (moved by the services of its rows)."""
    from .fiscal import today

    return generations.cached(
        _key(name, parts),
        [*scope_generation_keys(scope), *generation_keys],
        compute,
        seconds=settings.SHARED_CACHE_SECONDS,
        extra=(today().isoformat(),),
    )


# Indentation after a line break, except inside <pre> and <textarea>, whose text is shown as
# it is written.
_INDENTATION = re.compile(r"(<(pre|textarea)\b.*?</\2\s*>)|\n\s+", re.S | re.I)


def compact(html):
    """`html` without the templates' indentation: a line break and the white space after it
    become one line break, which a browser shows alike (outside <pre> and <textarea>). Kept
    content is about half indentation (the progress board: 216 KB, 110 KB without), which
    every request would otherwise read from the cache and send."""
    return _INDENTATION.sub(lambda m: m.group(1) or "\n", html)


# What `{% csrf_token %}` writes into HTML rendered for keeping (`render_kept`): each request
# puts its own token in its place (`fill_csrf`). A NUL never comes from the data (Django's
# form fields refuse it), so the marker cannot be forged by a user's text.
CSRF_MARKER = "\x00csrf-token\x00"


def render_kept(template, context):
    """The HTML of `template` rendered without the request, for keeping in the cache, where
    each `{% csrf_token %}` writes a marker instead of a token (`fill_csrf` puts the
    request's own in its place): forms inside kept content keep working without
    JavaScript, and no token is ever shared."""
    return compact(render_to_string(template, {**context, "csrf_token": CSRF_MARKER}))


def fill_csrf(html, request):
    """Kept HTML (`render_kept`) with `request`'s CSRF token in place of the markers."""
    if CSRF_MARKER in html:
        html = html.replace(CSRF_MARKER, get_token(request))
    return mark_safe(html)  # noqa: S308  (HTML the template rendered, escaped there)


def render_shared(
    name,
    parts,
    template,
    context_factory,
    *,
    query=None,
    scope=None,
    generation_keys=(),
    request=None,
):
    """The HTML of `template` with `context_factory()`, kept as `shared_value` keeps a value.

    Rendered without the request, so that nothing of the first viewer reaches the others: no
    context processor runs (no `csrf_token`, `user`, `perms`, messages or CSP nonce), and
    `{% csrf_token %}` renders nothing. What the content shows of the viewer (a button their
    roles allow) comes through `context_factory()` and must be in `parts`. `query` (the page's
    query string, a QueryDict) reaches the template as `pagination_query`, which
    includes/_pagination.html builds its links from. With `request`, the content's forms get
    that request's CSRF token (`render_kept`, `fill_csrf`): kept with markers, filled per
    request."""

    def render():
        context = dict(context_factory())
        if query is not None:
            context["pagination_query"] = query
        if request is not None:
            return render_kept(template, context)
        return compact(render_to_string(template, context))

    html = shared_value(name, parts, render, scope=scope, generation_keys=generation_keys)
    if request is not None:
        return fill_csrf(html, request)
    return mark_safe(html)  # noqa: S308  (HTML the template rendered, escaped there)
