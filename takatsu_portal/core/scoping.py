"""The office-scope guard: a query of an office's records in a request must say whose records
it reads, or it fails loudly (issue 15, "isolation that cannot be forgotten").

Every office-owned model's QuerySet derives from `OfficeScopedQuerySet`. While a request is
being answered (`OfficeScopeGuardMiddleware`), evaluating such a QuerySet raises
`UnscopedQueryError` unless it is one of:

- scoped by an office: `Model.objects.for_office(office)`, `qs.in_office(office, path=...)`
  for a model without `for_office`, or the one scope rule `within_office(user, qs)` /
  `OfficeScope.apply` (accounts/scope.py); a filter by `__in` a scoped queryset
  (`filter(project__in=projects_for(user))`) stays scoped, `a | b` only when both are;
- reached from an instance through a related manager (`plan.projects.all()`,
  `prefetch_related("projects")`): the parent was itself loaded through a scoped query;
- an explicit, visible opt-out of city-wide code: `Model.objects.city_wide("why")`, e.g.
  the city's comparison of every ward, or the public survey found by its secret token;
- empty (`.none()`: no query is sent).

A filter on a primary key or on a plan is *not* a scope: a hand-typed id from another ward is
exactly the leak the guard exists for. Rows reached from an instance the code already holds
(the versioning's re-read, the names in a history entry, a forward foreign key) go through
the model's `_base_manager`, as Django itself does for `obj.plan`; that manager is never
guarded.

Django's uniqueness validation and simple_history's re-read of a history row's instance are
let through (`_LIBRARY_QUERIES`). Outside requests (Celery tasks, even when a test runs one
eagerly inside a request; management commands, the shell, tests that call services directly)
the guard is inactive: that code is written for every office on purpose.
The setting `OFFICE_SCOPE_GUARD` is "raise" (default), "warn" (log the query and go on) or
"off". The admin site (superusers, city-wide by design) opts out in the middleware.
"""

import contextvars
import functools
import logging
import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

logger = logging.getLogger(__name__)

MODES = ("raise", "warn", "off")

# The guard's mode for the code running now; None outside a request.
_active = contextvars.ContextVar("office_scope_guard", default=None)

# URL namespaces whose views read every office by design (the admin: superusers only).
CITY_WIDE_NAMESPACES = frozenset({"admin"})


# Library code that queries a model's default manager where no office applies: Django's
# uniqueness validation (Model.validate_unique, a UniqueConstraint's validate) asks the whole
# table, as the database's constraint does, and says only "already exists";
# simple_history's HistoricalRecord.get_instance re-reads the fields it does not keep of the
# row the history entry belongs to.
_LIBRARY_QUERIES = {
    ("django/db/models/base.py", "_perform_unique_checks"),
    ("django/db/models/base.py", "_perform_date_checks"),
    ("django/db/models/constraints.py", "validate"),
    ("simple_history/models.py", "get_instance"),
}


def _in_library_query():
    """Whether the query being checked was made by one of `_LIBRARY_QUERIES` (a few frames
    up: the evaluation, the guard's check and its caller come first)."""
    frame = sys._getframe(2)
    for _ in range(5):
        if frame is None:
            return False
        filename = frame.f_code.co_filename.replace("\\", "/")
        name = frame.f_code.co_name
        if any(filename.endswith(p) and name == n for p, n in _LIBRARY_QUERIES):
            return True
        frame = frame.f_back
    return False


class UnscopedQueryError(RuntimeError):
    """A query of an office's records, made in a request, that no office scopes."""


def guard_mode():
    mode = getattr(settings, "OFFICE_SCOPE_GUARD", "raise")
    if mode not in MODES:
        raise ImproperlyConfigured(f"OFFICE_SCOPE_GUARD must be one of {MODES}, not {mode!r}")
    return mode


class guarded:
    """Context manager (and decorator) that activates the guard for the code inside, as the
    middleware does for a request; `mode` defaults to the setting."""

    def __init__(self, mode=None):
        self.mode = mode

    def __enter__(self):
        self._token = _active.set(self.mode or guard_mode())
        return self

    def __exit__(self, *exc):
        _active.reset(self._token)
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with guarded(self.mode):
                return func(*args, **kwargs)

        return wrapper


def _mark_for_office(method):
    """Wrap a QuerySet's `for_office(office)` so that its result counts as scoped. With no
    office (None) the result is not marked: some `for_office` give every row for None."""

    @functools.wraps(method)
    def for_office(self, office, *args, **kwargs):
        queryset = method(self, office, *args, **kwargs)
        if office is not None:
            queryset._office_scope = "office"
        return queryset

    for_office._marks_scope = True
    return for_office


def _combined(combined, *parts):
    """A combination of querysets (`a | b`, `a.union(b)`) is scoped only when every part is;
    otherwise it forgets that its left part came from a related manager too."""
    if not isinstance(combined, OfficeScopedQuerySet):
        return combined
    if all(getattr(part, "is_office_scoped", False) for part in parts):
        combined._office_scope = "office"
    else:
        combined._office_scope = None
        combined._hints = {k: v for k, v in combined._hints.items() if k != "instance"}
    return combined


class OfficeScopedQuerySet(models.QuerySet):
    """The QuerySet of a model whose rows belong to one office. A subclass names the lookup
    from its model to the office (`office_path = "project__plan__office"`), or defines its own
    `for_office(office)`; the result counts as scoped (see the module docstring)."""

    # The lookup from the model to its office, which the default `for_office` filters along.
    office_path = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        method = cls.__dict__.get("for_office")
        if method is not None and not getattr(method, "_marks_scope", False):
            cls.for_office = _mark_for_office(method)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # None: not scoped; "office": scoped by an office; any other text: a city-wide
        # opt-out with its reason.
        self._office_scope = None

    def _clone(self):
        clone = super()._clone()
        clone._office_scope = self._office_scope
        return clone

    def _filter_or_exclude(self, negate, args, kwargs):
        clone = super()._filter_or_exclude(negate, args, kwargs)
        # `filter(project__in=<scoped projects>)` keeps to rows of scoped parents: scoped.
        if not negate and any(
            isinstance(value, OfficeScopedQuerySet) and value.is_office_scoped
            for value in kwargs.values()
        ):
            clone._office_scope = clone._office_scope or "office"
        return clone

    @_mark_for_office
    def for_office(self, office):
        """The rows of `office`, along the subclass's `office_path` (none for no office)."""
        if self.office_path is None:
            raise NotImplementedError(f"{type(self).__name__} names no office_path")
        return self.filter(**{self.office_path: office})

    def in_office(self, office, *, path="office"):
        """The rows of `office`, found through `path`, the lookup from the model to its office
        (`session__course__office`): what `for_office` does for a model that has none."""
        clone = self.filter(**{path: office})
        clone._office_scope = "office"
        return clone

    def __or__(self, other):
        # Either side's rows: scoped only when both sides are.
        return _combined(super().__or__(other), self, other)

    def __xor__(self, other):
        return _combined(super().__xor__(other), self, other)

    def union(self, *others, all=False):
        return _combined(super().union(*others, all=all), self, *others)

    def city_wide(self, reason):
        """Every office's rows, on purpose: `reason` says why (the city's comparison, the
        public survey found by its token, ...). Grep `city_wide(` to review every opt-out."""
        if not reason or not str(reason).strip():
            raise ValueError("city_wide() needs a reason")
        clone = self._chain()
        clone._office_scope = f"city-wide: {reason}"
        return clone

    @property
    def is_office_scoped(self):
        return bool(self._office_scope) or "instance" in self._hints or self.query.is_empty()

    def _check_office_scope(self):
        mode = _active.get()
        if mode is None or mode == "off" or self.is_office_scoped:
            return
        if _in_library_query():
            return
        model = self.model.__name__
        message = (
            f"{self.model._meta.label}: a query of an office's records in a request that no "
            f"office scopes. Scope it with {model}.objects.for_office(office) or "
            f"within_office(user, queryset), go through a related manager of a scoped parent, "
            f'or opt out visibly with {model}.objects.city_wide("reason").'
        )
        if mode == "warn":
            logger.warning(message, stack_info=True)
            return
        raise UnscopedQueryError(message)

    # Every way a QuerySet reaches the database for rows, numbers or writes.
    def _fetch_all(self):
        if self._result_cache is None:
            self._check_office_scope()
        super()._fetch_all()

    def iterator(self, *args, **kwargs):
        self._check_office_scope()
        return super().iterator(*args, **kwargs)

    def count(self):
        if self._result_cache is None:
            self._check_office_scope()
        return super().count()

    def exists(self):
        if self._result_cache is None:
            self._check_office_scope()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._check_office_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs):
        self._check_office_scope()
        return super().update(**kwargs)

    def delete(self):
        self._check_office_scope()
        return super().delete()


# Celery tasks run unguarded, also when a test runs them eagerly inside a request
# (takatsu_portal/celery.py connects these to task_prerun and task_postrun).
_task_tokens = {}


def task_started(task_id=None, **kwargs):
    _task_tokens[task_id] = _active.set(None)


def task_finished(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        _active.reset(token)


class OfficeScopeGuardMiddleware:
    """Activates the guard while a request is answered; the admin site opts out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _active.set(guard_mode())
        try:
            return self.get_response(request)
        finally:
            _active.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and CITY_WIDE_NAMESPACES.intersection(match.namespaces):
            _active.set(None)  # reset to the value before the request in __call__
        return None
