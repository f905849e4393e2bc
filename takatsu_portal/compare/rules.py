"""Who reaches the comparison: the city planning bureau and administrators. Which offices they
compare follows the one scope rule (accounts/scope.py): every office for the city and for an
administrator without a section, their own office for an administrator of a ward."""

import rules

from takatsu_portal.accounts.permissions import is_administrator, is_city
from takatsu_portal.accounts.scope import office_scope_of


@rules.predicate
def sees_every_office(user):
    return office_scope_of(user).every_office


rules.add_perm("compare.view", is_city | is_administrator)
# The city-wide report covers every office: only those who see every office ask for it.
rules.add_perm("compare.request_report", (is_city | is_administrator) & sees_every_office)
