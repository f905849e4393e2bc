"""Set-up step of `make bench` that needs the database server (scripts/bench.sh runs it).

    python -m tests.bench.prepare database URL        print URL's server with the bench database

The bench database is takatsu_bench, or BENCH_DATABASE when set (so that two people benching
on one server do not share it). The page table's data and users are built by
tests.bench.pages.
"""

import os
import re
import sys
from urllib.parse import urlsplit, urlunsplit

from tests.bench.common import fail

BENCH_DATABASE = os.environ.get("BENCH_DATABASE") or "takatsu_bench"


def database(url):
    """Create the bench database on URL's server (owned by URL's role) if it is missing, and
    print URL pointing at it: the bench never touches the development or test database."""
    import psycopg
    from psycopg import sql

    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", BENCH_DATABASE):
        fail(f"BENCH_DATABASE must be a plain lower-case name, not {BENCH_DATABASE!r}")
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


def main(argv):
    if len(argv) != 2 or argv[0] != "database":
        fail("usage: python -m tests.bench.prepare database URL")
    database(argv[1])


if __name__ == "__main__":
    main(sys.argv[1:])
