"""Bench of the bulletin (part of `make bench`, not of the tests).

1. Search over BENCH_BULLETIN_ARTICLES (default 100,000) generated Japanese articles in the
   bench office (built once with COPY, kept for the next run; BENCH_BULLETIN_REBUILD=1 builds
   them again): a two-character query (「転入」) and a six-character one (「マイナンバー」),
   each the whole search of the results page (count + first page, ranked, for a reader)
   BENCH_BULLETIN_ROUNDS times, median and 99th percentile, against the same page by a
   sequential `ILIKE` scan of the bodies; EXPLAIN's first line and whether the bigram index
   is used. Goal: median and p99 under 100 ms.
2. 閲覧状況 of an article whose audience is 2,000 staff: the page against the bench's bare
   view and its empty layout (base.html and its context processors) behind the same login,
   in-process (Django's test client, the three interleaved) and, with --base, through
   gunicorn; medians, their ratios and the page's query count (it is the same at 20 people:
   see tests/bulletins/test_status.py). Goal: within 2× the bare view.

BENCH_BULLETIN_PARTS=search,status (default both) chooses the parts; BENCH_BULLETIN_REQUESTS
(200) the requests per page through gunicorn.

    DJANGO_SETTINGS_MODULE=tests.bench.settings DATABASE_URL=…/takatsu_bench \\
        python -m tests.bench.bulletins [--base http://127.0.0.1:8765]
"""

import io
import os
import random
import statistics
import time

from tests.bench.common import fail, log, whole_number

OFFICE_CODE = "bench-bulletins"
READER = "bench-bulletin-reader"
EDITOR = "bench-bulletin-editor"
AUDIENCE = 2000
GOAL_MS = 100.0
QUERIES = ["転入", "マイナンバー"]

SUBJECTS = [
    "住民票の写し",
    "印鑑登録証明書",
    "国民健康保険",
    "児童手当",
    "介護保険",
    "転出届",
    "戸籍謄本",
    "課税証明書",
    "保育所の入所",
    "粗大ごみ",
    "避難所",
    "区民祭り",
]
RARE = ["転入届", "マイナンバーカード"]  # each in about 2–3% of the articles
VERBS = [
    "の受付時間が変わります。",
    "について問合せが増えています。",
    "の手続きでは本人確認書類を確認してください。",
    "の案内のしかたを見直しました。",
    "は予約なしで受け付けます。",
    "の記入例を新しくしました。",
]
TIPS = [
    "お待たせしている方には目安の時間をお伝えください。",
    "分からないときは総合案内に相談してください。",
    "書類をお返しするときは氏名を確認してください。",
    "電話では最初に課名と名前を名乗ってください。",
]


def percentile(values, share):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def timed(function, rounds):
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), percentile(times, 0.99)


# ---------------------------------------------------------------------------------------------
# Data


def setup_office():
    from takatsu_portal.accounts.models import Department, Office, Section, User
    from takatsu_portal.accounts.roles import Role, assign_role

    office, _ = Office.objects.get_or_create(
        code=OFFICE_CODE, defaults={"name": "ベンチ情報紙区役所", "sort_order": 98}
    )
    department, _ = Department.objects.get_or_create(office=office, name="区民サービス部")
    section, _ = Section.objects.get_or_create(department=department, name="区民課")

    def person(username, role):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=username, section=section)
            user.set_unusable_password()
            user.save()
            assign_role(user, role)
        return user

    return office, section, person(READER, Role.STAFF), person(EDITOR, Role.SUBCOMMITTEE)


def article_text(rng):
    sentences = []
    for _ in range(rng.randint(3, 5)):
        sentences.append(rng.choice(SUBJECTS) + rng.choice(VERBS))
    if rng.random() < 0.025:
        sentences.insert(rng.randrange(len(sentences)), RARE[0] + rng.choice(VERBS))
    if rng.random() < 0.03:
        sentences.insert(rng.randrange(len(sentences)), RARE[1] + rng.choice(VERBS))
    sentences.append(rng.choice(TIPS))
    return "".join(sentences)


def fill(office, editor, count):
    """Issues of 100 articles each, written with COPY (the bigram index dropped during the
    load and built once at the end)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from bulletins import text
    from bulletins.models import Issue

    rng = random.Random(11)  # noqa: S311  (bench data)
    started = time.perf_counter()
    with transaction.atomic():
        # Plain SQL: the ORM's delete would write a history row for each of 100,000 articles.
        with connection.cursor() as cursor:
            articles = (
                "SELECT a.id FROM bulletins_article a JOIN bulletins_issue i "
                "ON a.issue_id = i.id WHERE i.office_id = %s"
            )
            for table in ("readmark", "confirmation", "reminder", "attachment"):
                cursor.execute(
                    f"DELETE FROM bulletins_{table} WHERE article_id IN ({articles})", [office.pk]
                )
            cursor.execute(f"DELETE FROM bulletins_article WHERE id IN ({articles})", [office.pk])
            cursor.execute("DELETE FROM bulletins_issue WHERE office_id = %s", [office.pk])
        now = timezone.now()
        issues = Issue.objects.bulk_create(
            Issue(
                office=office,
                title=f"ベンチ号{n}",
                state=Issue.State.PUBLISHED,
                fiscal_year=2000 + n // 12,
                number=n % 12 + 1,
                published_at=now - timezone.timedelta(days=count // 100 - n),
                publish_at=now,
                created_by=editor,
            )
            for n in range((count + 99) // 100)
        )
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS bulletins_article_search_gin")
            columns = (
                'issue_id, "order", title, body, body_html, category, importance, '
                "audience_all, required, revision, confirm_revision, change_note, "
                "created_by_id, created_at, search_title, search_text, version"
            )
            buffer = io.StringIO()
            for n in range(count):
                title = rng.choice(SUBJECTS) + "のお知らせ"
                body = article_text(rng)
                whole = text.normalise(title + "\n" + body)
                row = [
                    str(issues[n // 100].pk),
                    str(n % 100 + 1),
                    title,
                    body,
                    f"<p>{body}</p>",
                    "notice",
                    "normal",
                    "t",
                    "f",
                    "1",
                    "1",
                    "",
                    str(editor.pk),
                    now.isoformat(),
                    text.normalise(title),
                    whole,
                    "1",
                ]
                buffer.write("\t".join(_copy_escape(v) for v in row) + "\n")
            with cursor.copy(f"COPY bulletins_article ({columns}) FROM STDIN") as copy:
                copy.write(buffer.getvalue())
            log(f"  {count:,} articles written in {time.perf_counter() - started:.1f} s")
            index_started = time.perf_counter()
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks the foreign keys now
            cursor.execute(
                "CREATE INDEX bulletins_article_search_gin ON bulletins_article "
                "USING gin (bulletins_bigrams(search_text))"
            )
            cursor.execute("ANALYZE bulletins_article")
            cursor.execute("ANALYZE bulletins_issue")
            log(f"  bigram index built in {time.perf_counter() - index_started:.1f} s")


def _copy_escape(value):
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


# ---------------------------------------------------------------------------------------------
# Search


def bench_search(office, reader, count, rounds):
    from django.core.paginator import Paginator
    from django.db import connection

    from bulletins import search
    from bulletins.models import Article

    reader.refresh_from_db()
    ok = True
    for query in QUERIES:

        def indexed(query=query):
            _, found = search.search(reader, query)
            page = Paginator(found, 20).get_page(1)
            return page.paginator.count, list(page.object_list)

        def scan(query=query):
            found = Article.objects.filter(issue__office=office, body__icontains=query).order_by(
                "-issue__published_at", "order"
            )
            page = Paginator(found, 20).get_page(1)
            return page.paginator.count, list(page.object_list)

        hits, _ = indexed()
        scan_hits, _ = scan()
        median, p99 = timed(indexed, rounds)
        scan_median, scan_p99 = timed(scan, max(3, rounds // 5))
        _, found = search.search(reader, query)
        sql, params = found[:20].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
        uses_index = any("bulletins_article_search_gin" in line for line in plan)
        passed = median < GOAL_MS and p99 < GOAL_MS and uses_index
        ok = ok and passed
        print(
            f"search 「{query}」 ({len(query)} characters) over {count:,} articles: "
            f"{hits:,} hits (ILIKE finds {scan_hits:,})\n"
            f"  bigram index: median {median:.1f} ms, p99 {p99:.1f} ms "
            f"({rounds} rounds of count + first page)\n"
            f"  sequential ILIKE: median {scan_median:.1f} ms, p99 {scan_p99:.1f} ms; "
            f"ratio {scan_median / median:.1f}× slower\n"
            f"  EXPLAIN: {plan[0].strip()}\n"
            f"  index used: {'yes' if uses_index else 'NO'} "
            f"(bulletins_article_search_gin)  goal median & p99 < {GOAL_MS:.0f} ms: "
            f"{'PASS' if passed else 'MISS'}",
            flush=True,
        )
    return ok


# ---------------------------------------------------------------------------------------------
# 閲覧状況 at 2,000 people


def status_article(office, section, editor):
    """An article of the bench office whose audience (all staff) is AUDIENCE people: half read
    it, a third confirmed it. Built once."""
    from django.utils import timezone

    from bulletins import services
    from bulletins.models import Article, Confirmation, ReadMark
    from takatsu_portal.accounts.models import User

    missing = AUDIENCE - User.objects.filter(section__department__office=office).count()
    if missing > 0:
        start = User.objects.filter(username__startswith="bench-status-").count()
        User.objects.bulk_create(
            User(
                username=f"bench-status-{start + n}",
                full_name=f"ベンチ 職員{start + n}",
                full_name_kana="べんち しょくいん",
                section=section,
                password="!",
            )
            for n in range(missing)
        )
    article = Article.objects.filter(issue__office=office, title="ベンチ用の必読記事").first()
    if article is None:
        issue = services.issue_create(office=office, title="ベンチ用の号（閲覧状況）", by=editor)
        article = Article(
            issue=issue,
            title="ベンチ用の必読記事",
            body="必読の記事です。",
            required=True,
            confirm_by=timezone.localdate(),
        )
        services.article_save(article=article, by=editor)
        services.issue_publish(issue=issue, by=editor)
        now = timezone.now()
        people = list(
            User.objects.filter(section__department__office=office).values_list("pk", flat=True)
        )
        ReadMark.objects.bulk_create(
            ReadMark(article=article, user_id=pk, revision=1, first_read_at=now, read_at=now)
            for pk in people[::2]
        )
        Confirmation.objects.bulk_create(
            Confirmation(article=article, user_id=pk, revision=1, confirmed_at=now)
            for pk in people[::3]
        )
        from django.db import connection

        with connection.cursor() as cursor:
            for table in ("accounts_user", "bulletins_readmark", "bulletins_confirmation"):
                cursor.execute(f"ANALYZE {table}")
    return article


def bench_status(office, section, editor, rounds, base=None, requests=200):
    """閲覧状況 at AUDIENCE people against the bare view (the goal: within 2×) and against the
    empty layout (base.html with its context processors, what every portal page costs before
    its own work), in-process with the three pages interleaved round by round (so a busy
    machine slows them alike), then through gunicorn when `base` is given."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    article = status_article(office, section, editor)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(editor)
    url = reverse("bulletins:article_status", args=[article.pk])
    pages = [("status", url), ("bare", "/__bench__/bare/"), ("layout", "/__bench__/layout/")]
    for label, path in pages:
        response = client.get(path)
        if response.status_code != 200:
            fail(f"{label} ({path}) answered {response.status_code}")
    from bulletins.status import section_summary, totals

    total = totals(section_summary(article))["total"]
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    times = {label: [] for label, _ in pages}
    for _ in range(rounds):
        for label, path in pages:
            started = time.perf_counter()
            client.get(path)
            times[label].append((time.perf_counter() - started) * 1000)
    med = {label: statistics.median(values) for label, values in times.items()}
    p99 = {label: percentile(values, 0.99) for label, values in times.items()}
    ratio = med["status"] / med["bare"]
    print(
        f"閲覧状況 of an article for {total:,} people (first page of 100, summary by section): "
        f"{len(queries)} SQL queries\n"
        f"  in-process, {rounds} interleaved rounds: page median {med['status']:.1f} ms "
        f"(p99 {p99['status']:.1f}); bare view {med['bare']:.1f} ms (p99 {p99['bare']:.1f}); "
        f"empty layout {med['layout']:.1f} ms (p99 {p99['layout']:.1f})\n"
        f"  page/bare {ratio:.1f}× (goal ≤ 2×: {'PASS' if ratio <= 2 else 'MISS'}); "
        f"layout/bare {med['layout'] / med['bare']:.1f}× (any page of the portal); "
        f"page/layout {med['status'] / med['layout']:.1f}× (the page's own work)",
        flush=True,
    )
    if base is None:
        return
    from tests.bench.load import run, summary

    host, port = base
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    http = {}
    for label, path in pages:
        run(host, port, path, cookie, max(1, requests // 10), 4)
        latencies, seconds, _ = run(host, port, path, cookie, requests, 4)
        http[label] = summary(latencies, seconds)
    ratio = http["status"]["median"] / http["bare"]["median"]
    print(
        f"  through gunicorn ({requests} requests per page, 4 clients): page median "
        f"{http['status']['median']:.1f} ms (p99 {http['status']['p99']:.1f}); bare "
        f"{http['bare']['median']:.1f} ms; empty layout {http['layout']['median']:.1f} ms\n"
        f"  page/bare {ratio:.1f}× (goal ≤ 2×: {'PASS' if ratio <= 2 else 'MISS'}); "
        f"layout/bare {http['layout']['median'] / http['bare']['median']:.1f}×; "
        f"page/layout {http['status']['median'] / http['layout']['median']:.1f}×",
        flush=True,
    )


def main():
    import django

    django.setup()
    from django.db import connection

    from bulletins.models import Article

    if connection.vendor != "postgresql":
        fail("the bulletin bench needs PostgreSQL (DATABASE_URL)")
    count = whole_number("BENCH_BULLETIN_ARTICLES", 100_000)
    rounds = whole_number("BENCH_BULLETIN_ROUNDS", 50)
    parts = parts_to_run()
    office, section, reader, editor = setup_office()
    if "search" in parts:
        existing = Article.objects.filter(issue__office=office, issue__title__startswith="ベンチ号")
        if os.environ.get("BENCH_BULLETIN_REBUILD") == "1" or existing.count() != count:
            log(f"building {count:,} bench articles (kept for the next run)")
            fill(office, editor, count)
        else:
            log(f"reusing {count:,} bench articles (BENCH_BULLETIN_REBUILD=1 builds them again)")
        bench_search(office, reader, count, rounds)
    if "status" in parts:
        bench_status(
            office,
            section,
            editor,
            max(10, rounds // 2),
            base=base_address(),
            requests=whole_number("BENCH_BULLETIN_REQUESTS", 200),
        )


PARTS = ("search", "status")


def base_address():
    """--base http://127.0.0.1:PORT (scripts/bench.sh passes its gunicorn): (host, port)."""
    import argparse
    from urllib.parse import urlsplit

    parser = argparse.ArgumentParser(description="bulletin bench")
    parser.add_argument("--base", default="")
    args = parser.parse_args()
    if not args.base:
        return None
    base = urlsplit(args.base)
    if base.scheme != "http" or base.hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--base must be http:// on the loopback interface")
    return base.hostname, base.port or 80


def parts_to_run():
    """BENCH_BULLETIN_PARTS: a comma-separated subset of "search,status" (default both)."""
    chosen = [p.strip() for p in os.environ.get("BENCH_BULLETIN_PARTS", ",".join(PARTS)).split(",")]
    unknown = [p for p in chosen if p not in PARTS]
    if unknown or not any(chosen):
        fail(f"BENCH_BULLETIN_PARTS takes a comma-separated subset of {','.join(PARTS)}")
    return set(chosen)


if __name__ == "__main__":
    main()
