"""The seven-ward bench (part of `make bench`; issue 15): does a ward's page slow down when the
install holds the whole city, and does the comparison of wards (区役所比較) stay cheap?

Two databases on the bench's PostgreSQL server, built once and kept for the next run
(BENCH_CITY_REBUILD=1 drops both and builds them again):

- the one-ward database (BENCH_DATABASE + "_ward1"): 高津区役所 with a fiscal year of data,
  built by the page table's builders (tests/bench/pages.py, `Ward(years=1)`): 400 staff in 20
  sections, 100 projects with monthly progress reports, council meetings, 500 resident voices,
  20,000 survey responses, notifications and report jobs; and the city planning bureau's
  account (総合企画局, no section);
- the seven-ward database (BENCH_DATABASE + "_city7"): a copy of the one-ward database
  (CREATE DATABASE … TEMPLATE, so 高津区 is the same rows, ids included) plus the six other
  wards (川崎区, 幸区, 中原区, 宮前区, 多摩区, 麻生区) built the same way: about 2,800 staff
  in all. ANALYZE after each build.

scripts/bench-city.sh serves each database with its own gunicorn (its own cache prefix) and
runs `load`, which loads 高津区's pages (the page table's, as the same users) and the
comparison page (as the city planning bureau) on both servers in the same run, interleaved
(one ward, then seven wards, the order swapped each round), and prints for each page its SQL
queries and median latency at one and seven wards and the goals as PASS/MISS:

- a ward's page: the same number of queries, and its median at seven wards ≤ 1.2× its median at
  one ward;
- the comparison page: the same number of queries at one and seven wards (and the comparison
  computed afresh, `compare()`, at two and seven), and its median at seven wards < 3× the bare
  view's behind the same login.

    python -m tests.bench.citywide databases URL     create what is missing, print both URLs
    python -m tests.bench.citywide clone URL         the seven-ward database from the one-ward one
    python -m tests.bench.citywide build ward|city OUT.json   (DATABASE_URL: that database)
    python -m tests.bench.citywide load --ward BASE --city BASE --ward-pages F --city-pages F
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
from urllib.parse import urlsplit, urlunsplit

from tests.bench.common import fail, log

BENCH_DATABASE = os.environ.get("BENCH_DATABASE") or "takatsu_bench"
WARD_DATABASE = f"{BENCH_DATABASE}_ward1"
CITY_DATABASE = f"{BENCH_DATABASE}_city7"
PLANNER = "city-planner"
WARD_GOAL = 1.2  # a ward's page at seven wards ÷ at one ward (median latency)
COMPARE_GOAL = 3.0  # the comparison page at seven wards ÷ the bare view (median latency)


def _wards():
    from tests.bench.pages import Ward

    def ward(code, name, staff_prefix, order):
        return Ward(
            code=code,
            name=name,
            prefix=f"city-{code}",
            staff_prefix=staff_prefix,
            years=1,
            sort_order=order,
        )

    takatsu = ward("takatsu", "高津区役所", "tk", 40)
    others = [
        ward("kawasaki", "川崎区役所", "kw", 10),
        ward("saiwai", "幸区役所", "sw", 20),
        ward("nakahara", "中原区役所", "nh", 30),
        ward("miyamae", "宮前区役所", "mm", 50),
        ward("tama", "多摩区役所", "tm", 60),
        ward("asao", "麻生区役所", "as", 70),
    ]
    return takatsu, others


# ---------------------------------------------------------------------------------------------
# The databases


def _server(url):
    import psycopg

    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        fail(f"the bench needs PostgreSQL; DATABASE_URL is {parts.scheme}://…")
    for name in (WARD_DATABASE, CITY_DATABASE):
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
            fail(f"BENCH_DATABASE must be a short plain lower-case name, not {BENCH_DATABASE!r}")
    try:
        return parts, psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        fail(f"cannot connect to PostgreSQL ({exc})")


def _exists(conn, name):
    return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()


def _note(message):
    """A progress line on standard error: `databases` prints its URLs on standard output."""
    print(f"==> {message}", file=sys.stderr, flush=True)


def _drop(conn, name):
    from psycopg import sql

    if _exists(conn, name):
        _note(f"dropping database {name}")
        conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def databases(url):
    """Create the one-ward database if it is missing (dropping the seven-ward one, a copy of
    it that no longer matches), drop both first with BENCH_CITY_REBUILD=1; print the URL of
    each, one a line."""
    from psycopg import sql

    parts, conn = _server(url)
    with conn:
        if os.environ.get("BENCH_CITY_REBUILD") == "1":
            _drop(conn, CITY_DATABASE)
            _drop(conn, WARD_DATABASE)
        if not _exists(conn, WARD_DATABASE):
            _drop(conn, CITY_DATABASE)
            _note(f"creating database {WARD_DATABASE}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(WARD_DATABASE)))
    for name in (WARD_DATABASE, CITY_DATABASE):
        print(urlunsplit(parts._replace(path=f"/{name}")))


def clone(url):
    """The seven-ward database as a copy of the one-ward one, if it is missing (the six other
    wards are added by `build city`). PostgreSQL copies a database only while nobody is
    connected to it: the one-ward database's own build has just ended, so wait a little."""
    from psycopg import errors, sql

    _parts, conn = _server(url)
    with conn:
        if _exists(conn, CITY_DATABASE):
            return
        _note(f"creating database {CITY_DATABASE} as a copy of {WARD_DATABASE}")
        statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(CITY_DATABASE), sql.Identifier(WARD_DATABASE)
        )
        for attempt in range(20):
            try:
                conn.execute(statement)
                return
            except errors.ObjectInUse:
                if attempt == 19:
                    raise
                time.sleep(0.5)


# ---------------------------------------------------------------------------------------------
# The data (in the database DATABASE_URL names)


def _planner():
    from django.contrib.auth.hashers import make_password

    from takatsu_portal.accounts.models import User
    from takatsu_portal.accounts.roles import Role, assign_role
    from tests.bench.pages import PASSWORD

    user = User.objects.create(
        username=PLANNER,
        full_name="総合企画局 企画担当",
        email="city-planner@bench.example.jp",
        password=make_password(PASSWORD),
    )
    assign_role(user, Role.CITY)
    return user


def build_ward():
    """高津区 of a year and the city planning bureau's account, in one transaction (the
    account, made last, marks a finished build)."""
    from django.db import transaction

    from takatsu_portal.accounts.models import User
    from tests.bench.pages import analyse_tables, build

    takatsu, _others = _wards()
    if User.objects.filter(username=PLANNER).exists():
        log(f"reusing {WARD_DATABASE} (BENCH_CITY_REBUILD=1 builds it again)")
        return
    started = time.perf_counter()
    with transaction.atomic():
        build(takatsu, analyse=False)
        _planner()
    analyse_tables()
    log(f"one ward built in {time.perf_counter() - started:.0f} s")


def build_city():
    """The six other wards of a year each, in one transaction (the last one marks a finished
    build)."""
    from django.db import transaction

    from tests.bench.pages import analyse_tables, build, existing_office

    _takatsu, others = _wards()
    if existing_office(others[-1]) is not None:
        log(f"reusing {CITY_DATABASE} (BENCH_CITY_REBUILD=1 builds it again)")
        return
    started = time.perf_counter()
    with transaction.atomic():
        for ward in others:
            build(ward, analyse=False)
    analyse_tables()
    log(f"six wards built in {time.perf_counter() - started:.0f} s")


def compare_queries():
    """The queries of the comparison computed afresh (`compare()`, nothing from the cache) for
    the first two wards and for all seven."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from takatsu_portal.accounts.models import Office
    from takatsu_portal.compare.comparison import compare
    from takatsu_portal.core.fiscal import FiscalYear

    offices = list(Office.objects.order_by("sort_order", "id"))
    counted = {}
    for size in (2, len(offices)):
        with (
            override_settings(SHARED_CACHE_SECONDS=0),
            CaptureQueriesContext(connection) as captured,
        ):
            compare(offices[:size], FiscalYear.current())
        counted[size] = len(captured.captured_queries)
    return counted


def build_and_count(which, out):
    """Build `which` database's data (if missing), then write its pages with their queries:
    高津区's page table, and the bare view and the comparison page as the city planner."""
    import django

    django.setup()
    from takatsu_portal.accounts.models import Office
    from tests.bench.pages import count_queries, pages

    if which == "ward":
        build_ward()
    else:
        build_city()
    takatsu, _others = _wards()
    page_list = [
        *pages(takatsu),
        ("bare-city", "/__bench__/bare/", PLANNER),
        ("compare", "/compare/", PLANNER),
    ]
    counted = count_queries(page_list)
    offices = Office.objects.count()
    result = {"offices": offices, "pages": counted}
    if which == "city":
        result["compare_afresh"] = compare_queries()
    with open(out, "w", encoding="utf-8") as sink:
        json.dump(result, sink, ensure_ascii=False)
    log(f"  {which}: {offices} offices")
    for page in counted:
        log(
            f"  {page['label']:<9} {page['path']:<32} {page['queries']:>3} queries  "
            f"{page['bytes'] // 1024:>4} KB  ({page['username']})"
        )


# ---------------------------------------------------------------------------------------------
# The load


def _verdict(ok):
    return "PASS" if ok else "MISS"


def load(args):
    from tests.bench.load import BARE_PATH, BenchError, login, run, summary

    password = os.environ.get("BENCH_PASSWORD", "")
    with open(args.ward_pages, encoding="utf-8") as source:
        ward = json.load(source)
    with open(args.city_pages, encoding="utf-8") as source:
        city = json.load(source)
    servers = {"ward": urlsplit(args.ward), "city": urlsplit(args.city)}
    for base in servers.values():
        if base.scheme != "http" or base.hostname not in ("127.0.0.1", "localhost", "::1"):
            fail("--ward and --city must be http:// on the loopback interface")
    pages = ward["pages"]
    if [p["label"] for p in pages] != [p["label"] for p in city["pages"]]:
        fail("the two databases list different pages")
    queries = {
        "ward": {p["label"]: p["queries"] for p in pages},
        "city": {p["label"]: p["queries"] for p in city["pages"]},
    }
    warmup = max(1, args.requests // 10)
    collected = {(name, p["label"]): [] for name in servers for p in pages}
    try:
        cookies = {}
        for name, base in servers.items():
            for page in pages:
                key = (name, page["username"])
                if key not in cookies:
                    cookies[key] = login(base.hostname, base.port, page["username"], password)
        log(f"logged in on both servers ({len(cookies)} sessions)")
        for number in range(args.rounds):
            order = pages if number % 2 == 0 else pages[::-1]
            for index, page in enumerate(order):
                names = ["ward", "city"] if (number + index) % 2 == 0 else ["city", "ward"]
                for name in names:
                    base = servers[name]
                    cookie = cookies[(name, page["username"])]
                    host, port, path = base.hostname, base.port, page["path"]
                    run(host, port, path, cookie, warmup, args.concurrency)
                    latencies, seconds, _connects = run(
                        host, port, path, cookie, args.requests, args.concurrency
                    )
                    collected[(name, page["label"])] += latencies
                    figures = summary(latencies, seconds)
                    print(
                        f"  round {number + 1} {name:<4} {page['label']:<9} "
                        f"{figures['rps']:>6.0f} req/s  median {figures['median']:6.2f} ms",
                        flush=True,
                    )
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 1

    def median(name, label):
        return statistics.median(collected[(name, label)]) * 1000

    print()
    print(
        f"Seven wards against one, in one run: {ward['offices']} office(s) in the one-ward "
        f"database, {city['offices']} in the seven-ward database; {args.rounds} rounds, each "
        f"page {warmup} warm-up + {args.requests} measured requests per round and database, "
        f"{args.concurrency} client processes, the two servers loaded in turn."
    )
    print(
        "queries: SQL queries of one request counted in-process (second request); ratio: the "
        f"median at seven wards ÷ at one ward (goal ≤ {WARD_GOAL:.1f}× and the same queries); "
        f"the comparison page: its median ÷ the bare view's at seven wards (goal < "
        f"{COMPARE_GOAL:.0f}×) and the same queries at one and seven wards."
    )
    print()
    header = ("page", "q 1 ward", "q 7 wards", "ms 1 ward", "ms 7 wards", "ratio", "goal")
    print("  {:<10} {:>8} {:>9} {:>9} {:>10} {:>6} {:>5}".format(*header))
    misses = []
    for page in pages:
        label = page["label"]
        q1, q7 = queries["ward"][label], queries["city"][label]
        m1, m7 = median("ward", label), median("city", label)
        ratio = m7 / m1
        goal = ""
        if page["path"] != BARE_PATH and label != "compare":
            ok = ratio <= WARD_GOAL and q1 == q7
            goal = _verdict(ok)
            if not ok:
                misses.append(label)
        print(f"  {label:<10} {q1:>8} {q7:>9} {m1:>9.2f} {m7:>10.2f} {ratio:>6.2f} {goal:>5}")
    print()
    compared = [p for p in pages if p["path"] != BARE_PATH and p["label"] != "compare"]
    print(
        f"  goal: 高津区's pages at seven wards within {WARD_GOAL:.1f}× of one ward, same "
        f"queries: {_verdict(not misses)}"
        + (f" ({', '.join(misses)})" if misses else "")
        + f" ({len(compared) - len(misses)} of {len(compared)} pages)"
    )
    compare_ratio = median("city", "compare") / median("city", "bare-city")
    q1, q7 = queries["ward"]["compare"], queries["city"]["compare"]
    afresh = city.get("compare_afresh", {})
    sizes = sorted(afresh, key=int)
    afresh_equal = len({afresh[size] for size in sizes}) == 1
    print(
        f"  goal: the comparison page at seven wards < {COMPARE_GOAL:.0f}× the bare view: "
        f"{compare_ratio:.2f}× {_verdict(compare_ratio < COMPARE_GOAL)} "
        f"(median {median('city', 'compare'):.2f} ms, bare {median('city', 'bare-city'):.2f} ms)"
    )
    print(
        f"  goal: the comparison page's queries the same at {ward['offices']} and "
        f"{city['offices']} offices: {q1} and {q7} {_verdict(q1 == q7)}; computed afresh "
        f"(compare()) at "
        + " and ".join(f"{size} offices: {afresh[size]}" for size in sizes)
        + f" {_verdict(afresh_equal)}"
    )
    return 0


def main(argv):
    if len(argv) == 2 and argv[0] in ("databases", "clone"):
        (databases if argv[0] == "databases" else clone)(argv[1])
        return 0
    if len(argv) == 3 and argv[0] == "build" and argv[1] in ("ward", "city"):
        build_and_count(argv[1], argv[2])
        return 0
    if argv and argv[0] == "load":
        parser = argparse.ArgumentParser(prog="python -m tests.bench.citywide load")
        parser.add_argument("--ward", required=True, help="http://127.0.0.1:PORT (one ward)")
        parser.add_argument("--city", required=True, help="http://127.0.0.1:PORT (seven wards)")
        parser.add_argument("--ward-pages", required=True)
        parser.add_argument("--city-pages", required=True)
        parser.add_argument("--requests", type=int, default=100)
        parser.add_argument("--concurrency", type=int, default=4)
        parser.add_argument("--rounds", type=int, default=4)
        args = parser.parse_args(argv[1:])
        if not (1 <= args.requests <= 100_000 and 1 <= args.concurrency <= 64):
            parser.error("BENCH_CITY_REQUESTS must be 1..100000 and BENCH_CONCURRENCY 1..64")
        return load(args)
    fail(__doc__.split("\n\n")[-1].strip())
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
