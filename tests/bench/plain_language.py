"""Bench of the plain-language checker (part of `make bench`, not of the tests).

Checks a 2,000-character article (a staff bulletin's kind of text, with jargon, long
sentences and runs of kanji) against the shipped glossary, in this one process:

- "load": the first use of the tokenizer (SudachiPy's core dictionary) and of the glossary's
  index, paid once per process;
- "tokenize": SudachiPy alone on the article (the floor under any checker);
- "check": the whole check as a request makes it (the glossary's state query, tokens, terms,
  sentences, patterns, readability);
- "live": the live-check endpoint in-process (view, rate limit, template) with the same text,

medians of BENCH_PLAIN_ROUNDS rounds (default 50) after one warm-up, and the ratio to
tokenizing. Goal: the check under 50 ms.

    DJANGO_SETTINGS_MODULE=tests.bench.settings DATABASE_URL=…/takatsu_bench \\
        python -m tests.bench.plain_language
"""

import statistics
import time

from tests.bench.common import fail, log, whole_number

GOAL_MS = 50.0
PARAGRAPHS = [
    "区民の皆様におかれましては、日頃より区政の推進にご理解とご協力を賜り、厚く御礼申し上げます。",
    "当該制度の改正に伴い、所管課において必要な措置を講じた上で、可及的速やかに新たな受付体制の"
    "構築を図るものとします。",
    "つきましては、住民基本台帳事務処理要領に基づき、申請書、本人確認書類、委任状、手数料を、"
    "窓口にて提出することができます。",
    "なお、やむを得ない事情がある場合はこの限りでない。",
    "区民サービスの向上に資するため、窓口案内の改善の検討を行い、職員への周知徹底を図ります。",
    "来庁者アンケートの結果を踏まえ、待ち時間の表示を始めました。手続きが分からないときは、"
    "近くの職員に声をかけてください。",
    "ステークホルダーとのコンセンサスを得た上で、エビデンスに基づくＰＤＣＡサイクルを回して"
    "いきます。",
    "対応できないわけではありませんが、事前にご相談いただきますようお願い申し上げます。",
]


def article(length=2000):
    text, n = "", 0
    while len(text) < length:
        text += PARAGRAPHS[n % len(PARAGRAPHS)] + ("\n" if n % 3 == 2 else "")
        n += 1
    return text[:length]


def median_ms(function, rounds):
    function()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main():
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from takatsu_portal.accounts.models import User
    from takatsu_portal.accounts.roles import Role, assign_role
    from takatsu_portal.plain_language import checker, glossary, tokenizer
    from takatsu_portal.plain_language.models import Term

    rounds = whole_number("BENCH_PLAIN_ROUNDS", 50)
    terms = Term.objects.active().count()
    if terms < 200:
        fail(f"the bench database has {terms} glossary terms; migrate it first")
    text = article()

    started = time.perf_counter()
    tokenizer.tokenize("読み込み")
    glossary.current_index()
    load_ms = (time.perf_counter() - started) * 1000

    user, created = User.objects.get_or_create(
        username="bench-plain", defaults={"full_name": "ベンチ 点検"}
    )
    if created:
        assign_role(user, Role.STAFF)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user, backend="takatsu_portal.accounts.backends.PortalModelBackend")
    url = reverse("plain_language:live")

    from django.conf import settings

    settings.PLAIN_LANGUAGE_RATE_LIMIT = 10**9  # the bench is not a person typing

    def live():
        response = client.post(url, {"text": text, "profile": "standard"})
        if response.status_code != 200:
            fail(f"{url} answered {response.status_code}")

    result = checker.check(text)
    results = {
        "tokenize": median_ms(lambda: tokenizer.tokenize(text), rounds),
        "check": median_ms(lambda: checker.check(text), rounds),
        "live": median_ms(live, rounds),
    }
    base = results["tokenize"]
    log("plain-language checker")
    print(
        f"A {len(text):,}-character article, {len(result.findings)} findings "
        f"({', '.join(f'{k} {v}' for k, v in result.counts.items())}), {terms} glossary terms; "
        f"median of {rounds} rounds after one warm-up:"
    )
    print(f"  {'what':<10} {'ms':>8} {'× tokenize':>11}")
    print(f"  {'load':<10} {load_ms:>8.1f} {'(once)':>11}")
    for name, ms in results.items():
        print(f"  {name:<10} {ms:>8.2f} {ms / base:>11.1f}")
    verdict = "PASS" if results["check"] < GOAL_MS else "MISS"
    print(f"  goal: check under {GOAL_MS:.0f} ms — {verdict}")


if __name__ == "__main__":
    main()
