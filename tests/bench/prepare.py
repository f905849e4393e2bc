"""Set-up steps of `make bench` that need the database or Django (scripts/bench.sh runs them).

    python -m tests.bench.prepare database URL        print URL's server with the bench database
    python -m tests.bench.prepare user NAME           make NAME ready to log in (BENCH_PASSWORD)
    python -m tests.bench.prepare queries NAME        SQL queries of the benched pages

`user` and `queries` run under DJANGO_SETTINGS_MODULE=tests.bench.settings.
"""

import os
import sys
from urllib.parse import urlsplit, urlunsplit

from tests.bench.common import fail

# The bench's own database on the server of DATABASE_URL (BENCH_DATABASE names another).
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "takatsu_bench")
# The pages the bench loads, by label: the same list as in load.py.
PAGES = [("bare", "/__bench__/bare/"), ("home", "/")]


def database(url):
    """Create the bench database on URL's server (owned by URL's role) if it is missing, and
    print URL pointing at it: the bench never touches the development or test database."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        fail(f"the bench needs PostgreSQL; DATABASE_URL is {parts.scheme}://…")
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DATABASE]
            ).fetchone()
            if not exists:
                print(f"==> creating database {BENCH_DATABASE}", file=sys.stderr)
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DATABASE)))
    except psycopg.Error as exc:
        fail(
            f"cannot create database {BENCH_DATABASE} ({exc}); create it by hand, e.g. "
            f'su postgres -c "createdb -O takatsu {BENCH_DATABASE}"'
        )
    print(urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}")))


def user(username):
    """With BENCH_PASSWORD: create or update USERNAME with that password (a 推進部会 member in
    the first section). Without: USERNAME must exist already (seed_demo made it). In both cases
    clear any django-axes lock-out, so an earlier failed run cannot block this one."""
    from axes.utils import reset

    from takatsu_portal.accounts.models import Section, User
    from takatsu_portal.accounts.roles import Role, assign_role

    password = os.environ.get("BENCH_PASSWORD", "")
    if os.environ.get("BENCH_CREATE_USER") == "1":
        account = User.objects.filter(username=username).first() or User(username=username)
        account.full_name = "ベンチ 計測"
        account.section = account.section or Section.objects.first()
        account.is_active = True
        account.set_password(password)
        account.save()
        assign_role(account, Role.SUBCOMMITTEE)
    else:
        account = User.objects.filter(username=username).first()
        if account is None:
            fail(f"user {username!r} does not exist (seed_demo should have created it)")
        if not account.is_active or not account.check_password(password):
            fail(f"user {username!r} is inactive or its password is not the expected one")
    reset(username=username)


def queries(username):
    """The SQL queries each benched page runs for a logged-in user, counted in-process with the
    test client on the second request (the first one also stores the session's timestamps)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from takatsu_portal.accounts.models import User

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(
        User.objects.get(username=username),
        backend="takatsu_portal.accounts.backends.PortalModelBackend",
    )
    counts = []
    for label, path in PAGES:
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            fail(f"{path} answered {response.status_code} in-process, not 200")
        counts.append(f"{label} {len(captured.captured_queries)}")
    client.logout()
    print(", ".join(counts))


def main(argv):
    if len(argv) != 2 or argv[0] not in ("database", "user", "queries"):
        fail("usage: python -m tests.bench.prepare {database URL | user NAME | queries NAME}")
    command, argument = argv
    if command == "database":
        database(argument)
        return
    import django

    django.setup()
    {"user": user, "queries": queries}[command](argument)


if __name__ == "__main__":
    main(sys.argv[1:])
