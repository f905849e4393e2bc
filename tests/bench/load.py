"""The load generator of `make bench` (standard library only; never imports Django).

Logs in through the real login form once, then loads each page with a fixed number of
requests from a fixed number of client processes, each on its own HTTP/1.1 connection
(kept alive when the server keeps it; re-opened when the server closes it, and counted).
Two rounds with the order of the pages swapped; the table shows both rounds combined.

    BENCH_PASSWORD=... python -m tests.bench.load --base http://127.0.0.1:8765 --username NAME
    BENCH_PASSWORD=... python -m tests.bench.load --base http://127.0.0.1:8765 --pages FILE

With --pages (written by tests.bench.pages) each page is loaded as its own user, and compared
with the bare view loaded by the same user: the ratio of medians and the goal (≤ 2×).
"""

import argparse
import http.client
import json
import math
import multiprocessing
import os
import queue
import re
import signal
import statistics
import sys
import threading
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

# Label and path of each page without --pages (tests.bench.pages lists the page table's).
PAGES = [("bare", "/__bench__/bare/"), ("home", "/")]
BARE_PATH = "/__bench__/bare/"
TIMEOUT = 30  # seconds, for one request and for the start of the client processes
PHASE_TIMEOUT = 600  # seconds, for one warm-up or measured run as a whole


class BenchError(Exception):
    pass


# --- logging in ---------------------------------------------------------------------------


def _cookies(response):
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def login(host, port, username, password):
    """The session cookie of a login through the form, as a browser does it."""
    conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    try:
        conn.request("GET", "/accounts/login/")
        response = conn.getresponse()
        page = response.read().decode("utf-8", "replace")
        if response.status != 200:
            raise BenchError(f"GET /accounts/login/ answered {response.status}, not 200")
        csrf_cookie = _cookies(response).get("csrftoken")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not csrf_cookie or not match:
            raise BenchError("the login page set no csrftoken cookie or has no CSRF field")
        body = urlencode(
            {
                "csrfmiddlewaretoken": match.group(1),
                "username": username,
                "password": password,
                "next": "",
            }
        )
        conn.request(
            "POST",
            "/accounts/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf_cookie}",
            },
        )
        response = conn.getresponse()
        response.read()
        after = _cookies(response)
        session = after.get("sessionid")
        if response.status != 302 or not session:
            raise BenchError(
                f"logging in as {username!r} failed (POST answered {response.status}, "
                f"session cookie {'set' if session else 'not set'}): wrong password or locked out?"
            )
        # Both cookies, as a browser sends them: the CSRF cookie (rotated at login) spares
        # every page with a form a new secret and a Set-Cookie of its own.
        cookie = f"sessionid={session}; csrftoken={after.get('csrftoken', csrf_cookie)}"
        conn.request("GET", "/", headers={"Cookie": cookie})
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            where = response.getheader("Location", "")
            raise BenchError(f"after logging in, GET / answered {response.status} {where}")
        return cookie
    except (OSError, http.client.HTTPException) as exc:
        raise BenchError(f"cannot reach the server at {host}:{port}: {exc}") from exc
    finally:
        conn.close()


# --- load ---------------------------------------------------------------------------------


def _client(host, port, path, cookie, total, counter, start, results):
    """One client process: take request numbers from the shared counter until `total` have
    been taken, each on this process's connection; send back the latencies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops the clients
    conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    headers = {"Cookie": cookie, "Accept": "text/html"}
    latencies, connects, error = [], 0, None
    start.wait(TIMEOUT)
    began = time.perf_counter()
    while True:
        with counter.get_lock():
            if counter.value >= total:
                break
            counter.value += 1
        if conn.sock is None:
            connects += 1
        sent = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
        else:
            if response.status != 200:
                error = f"HTTP {response.status} {response.getheader('Location', '')}".strip()
        if error:
            with counter.get_lock():
                counter.value = total  # stop the other clients too
            break
        latencies.append(time.perf_counter() - sent)
    ended = time.perf_counter()
    conn.close()
    results.put((latencies, began, ended, connects, error))


def _collect(clients, results):
    """Every client's outcome, within PHASE_TIMEOUT, noticing a client that died silently."""
    outcomes = []
    deadline = time.monotonic() + PHASE_TIMEOUT
    while len(outcomes) < len(clients):
        try:
            outcomes.append(results.get(timeout=1))
        except queue.Empty:
            if time.monotonic() > deadline:
                raise BenchError(f"the clients did not finish in {PHASE_TIMEOUT} s") from None
            if not any(client.is_alive() for client in clients):
                try:
                    outcomes.append(results.get(timeout=2))
                except queue.Empty:
                    raise BenchError("a client process died without a result") from None
    return outcomes


def run(host, port, path, cookie, total, concurrency):
    """`total` requests for `path` from `concurrency` processes: latencies, seconds, connections."""
    context = multiprocessing.get_context("fork")
    counter = context.Value("l", 0)
    start = context.Barrier(concurrency + 1)
    results = context.Queue()
    clients = [
        context.Process(
            target=_client, args=(host, port, path, cookie, total, counter, start, results)
        )
        for _ in range(concurrency)
    ]
    for client in clients:
        client.start()
    finished = False
    try:
        start.wait(TIMEOUT)
        outcomes = _collect(clients, results)
        finished = True
    except threading.BrokenBarrierError as exc:
        raise BenchError(f"the client processes for {path} did not start") from exc
    finally:
        for client in clients:
            if not finished:
                client.terminate()
            client.join(5)
            if client.is_alive():
                client.kill()
                client.join(5)
    errors = [outcome[4] for outcome in outcomes if outcome[4]]
    if errors:
        raise BenchError(f"GET {path} failed: {errors[0]} (every response must be 200)")
    latencies = [latency for outcome in outcomes for latency in outcome[0]]
    if len(latencies) != total:
        raise BenchError(f"GET {path}: {len(latencies)} responses instead of {total}")
    seconds = max(o[2] for o in outcomes) - min(o[1] for o in outcomes)
    return latencies, seconds, sum(o[3] for o in outcomes)


# --- report -------------------------------------------------------------------------------


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summary(latencies, seconds):
    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "median": statistics.median(latencies) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
    }


GOAL_RATIO = 2.0  # a page's median latency against the bare view's, behind the same login


def row(page, figures, ratio=None):
    queries = "" if page.get("queries") is None else str(page["queries"])
    goal = "" if ratio is None else ("PASS" if ratio <= GOAL_RATIO else "MISS")
    shown = "" if ratio is None else f"{ratio:.2f}"
    return (
        f"  {page['label']:<9} {page['path']:<32} {queries:>7} {figures['requests']:>8} "
        f"{figures['rps']:>7.0f} {figures['median']:>9.2f} {figures['p99']:>8.2f} "
        f"{shown:>6} {goal:>5}"
    )


def load_pages(args):
    """The pages to load: from --pages (a JSON list of label, path, username and queries, as
    tests.bench.pages writes it), else the bare view and the home page as --username."""
    if args.pages:
        with open(args.pages, encoding="utf-8") as source:
            pages = json.load(source)
    else:
        if not args.username:
            raise BenchError("--username or --pages is required")
        pages = [
            {"label": label, "path": path, "username": args.username, "queries": None}
            for label, path in PAGES
        ]
    if not pages or not all(page.get("username") for page in pages):
        raise BenchError("every page needs a label, a path and a username")
    return pages


def baseline_of(page, pages):
    """The bare view loaded by the same user (None for the bare view itself)."""
    if page["path"] == BARE_PATH:
        return None
    for other in pages:
        if other["path"] == BARE_PATH and other["username"] == page["username"]:
            return other["label"]
    raise BenchError(f"no bare view for {page['username']} to compare {page['label']} with")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--username", help="the user of the bare view and the home page")
    parser.add_argument("--pages", help="a JSON file of pages (tests.bench.pages writes it)")
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", 2000)))
    parser.add_argument(
        "--concurrency", type=int, default=int(os.environ.get("BENCH_CONCURRENCY", 4))
    )
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--note", action="append", default=[], help="a line for the header")
    args = parser.parse_args()
    password = os.environ.get("BENCH_PASSWORD", "")
    base = urlsplit(args.base)
    if base.scheme != "http" or base.hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--base must be http:// on the loopback interface")
    if not (1 <= args.requests <= 1_000_000 and 1 <= args.concurrency <= 64):
        parser.error("BENCH_REQUESTS must be 1..1000000 and BENCH_CONCURRENCY 1..64")
    if not 1 <= args.rounds <= 10:
        parser.error("--rounds must be 1..10")
    host, port = base.hostname, base.port or 80
    warmup = max(1, args.requests // 10)

    try:
        pages = load_pages(args)
        baselines = {page["label"]: baseline_of(page, pages) for page in pages}
        cookies = {}
        for page in pages:
            username = page["username"]
            if username not in cookies:
                cookies[username] = login(host, port, username, password)
                print(f"Logged in as {username} through the login form; GET / answers 200.")
        collected = {page["label"]: ([], 0.0, 0) for page in pages}
        for number in range(args.rounds):
            order = pages if number % 2 == 0 else pages[::-1]
            for page in order:
                label, path, cookie = page["label"], page["path"], cookies[page["username"]]
                run(host, port, path, cookie, warmup, args.concurrency)
                latencies, seconds, connects = run(
                    host, port, path, cookie, args.requests, args.concurrency
                )
                figures = summary(latencies, seconds)
                print(
                    f"  round {number + 1} {label:<9} {figures['rps']:>7.0f} req/s  "
                    f"median {figures['median']:6.2f} ms  p99 {figures['p99']:6.2f} ms  "
                    f"({connects} connections)"
                )
                before = collected[label]
                collected[label] = (
                    before[0] + latencies,
                    before[1] + seconds,
                    before[2] + connects,
                )
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130

    print()
    for note in args.note:
        print(note)
    print(
        f"{args.rounds} rounds (page order swapped each round), each page {warmup} warm-up + "
        f"{args.requests} measured requests per round, {args.concurrency} client processes."
    )
    print(
        "Figures below: all rounds combined (req/s = requests ÷ summed wall time); queries: SQL "
        "queries of one request, counted in-process on a page's second request (what the page "
        "keeps in the cache is then read from it, as in the measured requests); ratio: the "
        f"page's median latency ÷ the bare view's behind the same login (goal ≤ {GOAL_RATIO:.1f})."
    )
    print()
    header = (
        "page",
        "path",
        "queries",
        "requests",
        "req/s",
        "median ms",
        "p99 ms",
        "ratio",
        "goal",
    )
    print("  {:<9} {:<32} {:>7} {:>8} {:>7} {:>9} {:>8} {:>6} {:>5}".format(*header))
    results = {}
    for page in pages:
        latencies, seconds, connects = collected[page["label"]]
        results[page["label"]] = summary(latencies, seconds)
    misses = []
    for page in pages:
        label = page["label"]
        baseline = baselines[label]
        ratio = None
        if baseline is not None:
            ratio = results[label]["median"] / results[baseline]["median"]
            if ratio > GOAL_RATIO:
                misses.append(label)
        print(row(page, results[label], ratio))
    print()
    compared = [page for page in pages if baselines[page["label"]] is not None]
    print(
        f"  goal: every page's median within {GOAL_RATIO:.1f}× of the bare view: "
        + ("PASS" if not misses else f"MISS ({', '.join(misses)})")
        + f" ({len(compared) - len(misses)} of {len(compared)} pages)"
    )
    total_connects = sum(collected[label][2] for label in collected)
    total_requests = sum(results[label]["requests"] for label in results)
    kept = "kept alive" if total_connects < total_requests / 2 else "closed by the server"
    print(
        f"  connections: {total_connects} for {total_requests} measured requests "
        f"(HTTP/1.1 keep-alive offered; {kept})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
