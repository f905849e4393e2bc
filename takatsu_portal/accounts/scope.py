"""Which office's records a user may know of: the one rule every office-scoped query follows.

Records of a ward office (plans, projects, surveys, resident voices, report jobs, ...) are
shown to the members of that office. A user's office comes from their section; an account
without a section (the dashboard lists them for the administrators to fix) belongs to no
office and therefore sees no office's records, whatever its roles: default deny. The one
opt-out is the city-wide permission `accounts.see_every_office` (administrators and the
city planning bureau), which lets a user *without* an office see every office. A user with
an office always sees their own office only.

Access helpers call `office_scope_of(user)` and never read `user.office` to decide scope.
"""

from dataclasses import dataclass

from .models import Office

SEE_EVERY_OFFICE = "accounts.see_every_office"


@dataclass(frozen=True)
class OfficeScope:
    office: Office | None = None
    every_office: bool = False

    @property
    def is_empty(self):
        """The user may know of no office's records."""
        return self.office is None and not self.every_office

    def lookup(self, path="office"):
        """Filter keyword arguments that keep a query within the scope; `path` leads from the
        queried model to its office (`plan__office`, `section__department__office`)."""
        if self.every_office:
            return {}
        if self.office is None:
            return {f"{path}__in": []}  # matches nothing; Django sends no query at all
        return {path: self.office}

    def apply(self, queryset, path=None):
        """`queryset` kept within the scope. Where its office is: `path` when given (the
        lookup from the model to its office, `session__course__office`), else the QuerySet's
        own `for_office(office)` when it has one, else its `office` field."""
        if self.is_empty:
            return queryset.none()
        if self.every_office:
            # The city-wide permission (core/scoping.py: the guard's visible opt-out).
            if hasattr(queryset, "city_wide"):
                return queryset.city_wide("accounts.see_every_office")
            return queryset
        if path is None and hasattr(queryset, "for_office"):
            return queryset.for_office(self.office)
        if hasattr(queryset, "in_office"):  # core/scoping.py: marked as scoped
            return queryset.in_office(self.office, path=path or "office")
        return queryset.filter(**self.lookup(path or "office"))


def office_scope_of(user):
    """The scope of `user`: their own office; every office for a user without one who holds
    `accounts.see_every_office`; otherwise nothing."""
    if not user.is_authenticated:
        return OfficeScope()
    office = user.office
    if office is not None:
        return OfficeScope(office=office)
    if user.is_active and user.has_perm(SEE_EVERY_OFFICE):
        return OfficeScope(every_office=True)
    return OfficeScope()
