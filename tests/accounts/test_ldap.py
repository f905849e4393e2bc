import os
import subprocess
import sys
from pathlib import Path

import ldap
import pytest
from django.core.exceptions import ImproperlyConfigured

from takatsu_portal.accounts.ldap import ldap_settings

ROOT = Path(__file__).resolve().parents[2]


def test_ldap_settings_search_the_directory_and_map_japanese_names():
    config = ldap_settings(
        {
            "LDAP_SERVER_URI": "ldaps://dc1.city.example.jp",
            "LDAP_USER_SEARCH_BASE": "OU=Takatsu,DC=city,DC=example,DC=jp",
            "LDAP_BIND_DN": "CN=portal,OU=Service,DC=city,DC=example,DC=jp",
            "LDAP_BIND_PASSWORD": "secret",
        }
    )
    assert config["AUTH_LDAP_SERVER_URI"] == "ldaps://dc1.city.example.jp"
    search = config["AUTH_LDAP_USER_SEARCH"]
    assert search.base_dn == "OU=Takatsu,DC=city,DC=example,DC=jp"
    assert search.scope == ldap.SCOPE_SUBTREE
    assert search.filterstr == "(sAMAccountName=%(user)s)"
    assert config["AUTH_LDAP_USER_ATTR_MAP"]["full_name"] == "displayName"
    assert config["AUTH_LDAP_USER_ATTR_MAP"]["staff_number"] == "employeeID"


def test_ldap_without_a_search_base_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="LDAP_USER_SEARCH_BASE"):
        ldap_settings({"LDAP_SERVER_URI": "ldap://dc1"})


def test_setting_ldap_server_uri_switches_the_ldap_backend_on():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.AUTHENTICATION_BACKENDS)"
    )
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="takatsu_portal.settings",
        LDAP_SERVER_URI="ldap://127.0.0.1:1",
        LDAP_USER_SEARCH_BASE="DC=example,DC=jp",
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.index("AxesStandaloneBackend") < out.index("LDAPBackend") < out.index("ModelBackend")
