"""LDAP / Active Directory sign-in (django-auth-ldap), switched on by LDAP_SERVER_URI.

Users who sign in through the directory get a portal account on first login, with name, kana
and mail copied from the directory; roles and section are still given in the portal.
"""

import os

from django.core.exceptions import ImproperlyConfigured


def ldap_settings(environ=None):
    import ldap
    from django_auth_ldap.config import LDAPSearch

    environ = os.environ if environ is None else environ
    base = environ.get("LDAP_USER_SEARCH_BASE", "")
    if not base:
        raise ImproperlyConfigured("LDAP_USER_SEARCH_BASE must be set with LDAP_SERVER_URI")
    user_filter = environ.get("LDAP_USER_FILTER", "(sAMAccountName=%(user)s)")
    return {
        "AUTH_LDAP_SERVER_URI": environ["LDAP_SERVER_URI"],
        "AUTH_LDAP_BIND_DN": environ.get("LDAP_BIND_DN", ""),
        "AUTH_LDAP_BIND_PASSWORD": environ.get("LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_START_TLS": environ.get("LDAP_START_TLS", "false").lower() == "true",
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(base, ldap.SCOPE_SUBTREE, user_filter),
        "AUTH_LDAP_USER_ATTR_MAP": {
            "full_name": environ.get("LDAP_ATTR_FULL_NAME", "displayName"),
            "full_name_kana": environ.get("LDAP_ATTR_KANA", "msDS-PhoneticDisplayName"),
            "email": environ.get("LDAP_ATTR_EMAIL", "mail"),
            "staff_number": environ.get("LDAP_ATTR_STAFF_NUMBER", "employeeID"),
        },
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        "AUTH_LDAP_CONNECTION_OPTIONS": {ldap.OPT_REFERRALS: 0, ldap.OPT_NETWORK_TIMEOUT: 5},
    }
