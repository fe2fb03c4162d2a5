"""Load and faults: the site under gunicorn and PostgreSQL, many clients at once, while a
declaration is imported and while PostgreSQL restarts once.

    .venv/bin/python bench/load_faults.py [--scale 10] [--duration 60] [--clients 32]
        [--no-restart] [--keep-database]

Everything runs on 127.0.0.1 and stops by itself: a dedicated database (created, migrated and
filled with the sample data of --scale and the demo; kept for the next run with
--keep-database), its exports built, gunicorn with gunicorn.conf.py and production settings on
a free port, client threads with keep-alive connections over the public
pages and the API. At a quarter of the run `import_declaration` imports a made-up declaration;
at half of it PostgreSQL is restarted (pg_ctlcluster: this interrupts every other user of the
server for a few seconds). At the end it prints the requests served, the errors by status,
the p50 and p99 latencies, the errors outside the restart window and how long after the
restart full service came back. The goal: no error outside the restart window, full service
within 5 s after it.
"""

import argparse
import collections
import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HOST = "127.0.0.1"
PG = ["-h", HOST, "-p", "5432", "-U", "postgres"]
# Full service must be back this long after PostgreSQL is up again.
RECOVERY_GOAL = 5.0

URLS = [
    "/",
    "/declarations/",
    "/declarations/695/",
    "/declarations/?year=2019",
    "/signatories/",
    "/signatories/?country=it&group=soc",
    "/signatories/boriana-aberg/",
    "/groups/",
    "/groups/ec-da/",
    "/countries/",
    "/countries/gb/",
    "/detainees/",
    "/detainees/maks-bokayev/",
    "/search/?q=bokayev",
    "/api/declarations/",
    "/api/declarations/695/",
    "/api/signatories/?country=se",
    "/api/signatories/boriana-aberg/",
    "/api/groups/",
    "/api/detainees/",
    "/api/popolo.json",
    "/signatories.csv?group=uel",
    "/feeds/declarations/",
    "/sitemap.xml",
    "/healthz",
]

NUMBER = 9901
DECLARATION = f"""Written declaration No. {NUMBER} | Doc. 19901 | 14 March 2024

Load test: a made-up declaration imported while the site is busy

Signatories: Ms Alba LOADTEST, Italy, SOC ; Mr Bruno FAULTLINE, France, ALDE ; Ms Carla QUEUE, Spain, EPP/CD

This written declaration commits only those who have signed it.

We, the undersigned, note that this text exists only to be imported during a load test.
"""


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(arguments, *, env=None, timeout=600):
    return subprocess.run(  # noqa: S603
        arguments, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def cluster_version():
    return max(os.listdir("/etc/postgresql"))


def site_environment(database, port):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=f"postgres://postgres@{HOST}:5432/{database}",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_STATIC_MANIFEST="false",
        DJANGO_LOG_LEVEL="WARNING",
        GUNICORN_BIND=f"{HOST}:{port}",
        GUNICORN_ACCESS_LOG="/dev/null",
        PYTHONUNBUFFERED="1",
    )
    return env


def count_sample_declarations(env):
    """How many generated declarations the database holds; None if it cannot be read."""
    script = (
        "from signatories.models import Declaration; "
        "print(Declaration.objects.filter(document_reference__startswith='SAMPLE-').count())"
    )
    result = run([PYTHON, str(ROOT / "manage.py"), "shell", "-c", script], env=env)
    try:
        return int(result.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return None


def prepare_database(database, env, scale):
    """The database of the run: kept when it already holds the sample data of `scale` and
    the demo (the declaration a run imports is taken away again at its end), otherwise made
    anew. Then the exports are built, as a deployment does."""
    manage = [PYTHON, str(ROOT / "manage.py")]
    listed = run(["psql", *PG, "--list", "--tuples-only", "--no-align", "--field-separator=|"])
    if database in {line.split("|", 1)[0] for line in listed.stdout.splitlines()}:
        run([*manage, "migrate", "--noinput"], env=env, timeout=900)
        if count_sample_declarations(env) == 700 * scale:
            log(f"database {database}: scale {scale} already there")
            build_exports(env)
            return f"sample data at scale {scale} and demo"
    log(f"database {database}: creating, migrating, loading scale {scale}")
    run(["dropdb", *PG, "--if-exists", "--force", database])
    result = run(["createdb", *PG, database])
    if result.returncode:
        sys.exit(f"createdb failed: {result.stderr}")
    steps = [
        ["migrate", "--noinput"],
        ["generate_sample_data", "--scale", str(scale), "--seed", "1"],
        ["load_demo"],
    ]
    for step in steps:
        result = run([*manage, *step], env=env, timeout=900)
        if result.returncode:
            sys.exit(f"{' '.join(step)} failed:\n{result.stderr}")
    build_exports(env)
    return f"sample data at scale {scale} and demo"


def build_exports(env):
    started = time.monotonic()
    result = run([PYTHON, str(ROOT / "manage.py"), "build_exports"], env=env, timeout=900)
    if result.returncode:
        sys.exit(f"build_exports failed:\n{result.stderr}")
    log(f"exports built in {time.monotonic() - started:.1f} s")


def remove_imported(env):
    """Take the run's declaration away again, so that the next run imports it anew."""
    script = (
        "from signatories.models import Declaration, Signatory; "
        f"Declaration.objects.filter(number={NUMBER}).delete(); "
        "Signatory.objects.filter(signatures=None).delete()"
    )
    run([PYTHON, str(ROOT / "manage.py"), "shell", "-c", script], env=env)


def start_server(env, port):
    server = subprocess.Popen(  # noqa: S603
        [GUNICORN, "--config", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    sys.exit("gunicorn did not answer /healthz within 30 s")


def stop_server(server):
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def client(port, urls, offset, deadline, results):
    """One visitor: keep-alive requests round the URL list until the deadline."""
    connection = None
    index = offset
    while time.monotonic() < deadline:
        url = urls[index % len(urls)]
        index += 1
        started = time.monotonic()
        try:
            if connection is None:
                connection = http.client.HTTPConnection(HOST, port, timeout=10)
            connection.request("GET", url)
            response = connection.getresponse()
            response.read()
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
            if connection is not None:
                connection.close()
            connection = None
        results.append((started, time.monotonic(), status, url))
    if connection is not None:
        connection.close()


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def main():
    if not Path(PYTHON).exists():  # a fresh clone: set up the environment as `make test` would
        subprocess.run(["make", "install"], cwd=ROOT, check=True)  # noqa: S607 (make from PATH)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (60)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (32)")
    parser.add_argument("--no-restart", action="store_true", help="do not restart PostgreSQL")
    parser.add_argument("--scale", type=int, default=10, help="sample data scale (10)")
    parser.add_argument("--database", default="declarations_bench_faults")
    parser.add_argument("--keep-database", action="store_true")
    options = parser.parse_args()
    if not 5 <= options.duration <= 600:
        parser.error("--duration must be between 5 and 600 seconds")
    if not 1 <= options.clients <= 256:
        parser.error("--clients must be between 1 and 256")

    port = free_port()
    env = site_environment(options.database, port)
    data = prepare_database(options.database, env, options.scale)
    server = start_server(env, port)
    log(f"gunicorn (pid {server.pid}) on {HOST}:{port}, {data}")
    urls = list(URLS)
    declaration_file = Path(tempfile.mkdtemp()) / "wd-9901.txt"
    declaration_file.write_text(DECLARATION)
    events = {}
    results = collections.deque()
    try:
        start = time.monotonic()
        deadline = start + options.duration
        threads = [
            threading.Thread(target=client, args=(port, urls, i, deadline, results), daemon=True)
            for i in range(options.clients)
        ]
        for thread in threads:
            thread.start()
        log(f"{options.clients} clients for {options.duration} s")

        time.sleep(options.duration * 0.25)
        # The import runs beside the load and the restart, which comes at half time whether
        # or not the import is over.
        events["import_start"] = time.monotonic()
        importing = subprocess.Popen(  # noqa: S603
            [
                PYTHON,
                str(ROOT / "manage.py"),
                "import_declaration",
                str(declaration_file),
                "--publish",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        outcome = {}

        def wait_for_import():
            outcome["stdout"], outcome["stderr"] = importing.communicate(timeout=120)
            events["import_end"] = time.monotonic()

        watcher = threading.Thread(target=wait_for_import, daemon=True)
        watcher.start()

        if not options.no_restart:
            time.sleep(max(0.0, start + options.duration * 0.5 - time.monotonic()))
            events["restart_start"] = time.monotonic()
            restarted = run(
                [
                    "pg_ctlcluster",
                    "--skip-systemctl-redirect",
                    cluster_version(),
                    "main",
                    "restart",
                ],
                timeout=120,
            )
            events["restart_end"] = time.monotonic()
            log(
                f"PostgreSQL restarted in {events['restart_end'] - events['restart_start']:.1f} s"
                f" (exit status {restarted.returncode})"
            )
        watcher.join(timeout=150)
        log(
            f"import_declaration exit status {importing.returncode}, "
            f"{events.get('import_end', time.monotonic()) - events['import_start']:.1f} s"
        )
        if importing.returncode:
            log(outcome.get("stderr", "").strip()[-400:])
        for thread in threads:
            thread.join(timeout=options.duration + 30)
    finally:
        stop_server(server)
        log(f"gunicorn (pid {server.pid}) stopped")
        if options.keep_database:
            remove_imported(env)
        else:
            run(["dropdb", *PG, "--if-exists", "--force", options.database])

    report(list(results), events, start, options)


def report(results, events, start, options):
    def ok(status):
        return isinstance(status, int) and status < 500 and status != 429

    elapsed = max(end for _, end, _, _ in results) - start
    latencies = sorted((end - begin) * 1000 for begin, end, _, _ in results)
    ok_latencies = sorted((end - begin) * 1000 for begin, end, status, _ in results if ok(status))
    statuses = collections.Counter(status for _, _, status, _ in results)
    errors = [(begin, end, status, url) for begin, end, status, url in results if not ok(status)]

    print()
    print(
        f"requests served:   {len(results)} in {elapsed:.1f} s ({len(results) / elapsed:.0f}/s),"
        f" {options.clients} clients"
    )
    print(
        "responses:         " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=str))
    )
    print(
        f"errors:            {len(errors)}"
        + (
            " ("
            + ", ".join(
                f"{k}: {v}"
                for k, v in sorted(collections.Counter(s for _, _, s, _ in errors).items(), key=str)
            )
            + ")"
            if errors
            else ""
        )
    )
    print(
        f"latency, all:      p50 {percentile(latencies, 0.5):.1f} ms,"
        f" p99 {percentile(latencies, 0.99):.1f} ms"
    )
    print(
        f"latency, ok:       p50 {percentile(ok_latencies, 0.5):.1f} ms,"
        f" p99 {percentile(ok_latencies, 0.99):.1f} ms"
    )
    by_url = collections.defaultdict(list)
    for begin, end, status, url in results:
        if ok(status):
            by_url[url].append((end - begin) * 1000)
    slowest = sorted(by_url.items(), key=lambda item: -percentile(sorted(item[1]), 0.5))[:3]
    print(
        "slowest, p50:      "
        + ", ".join(f"{url} {percentile(sorted(v), 0.5):.0f} ms" for url, v in slowest)
    )
    if "import_start" in events:
        events.setdefault("import_end", time.monotonic())
        during = [r for r in results if events["import_start"] <= r[0] <= events["import_end"]]
        print(
            f"during the import: {len(during)} requests,"
            f" {sum(not ok(r[2]) for r in during)} errors"
            f" ({events['import_end'] - events['import_start']:.1f} s,"
            f" from {events['import_start'] - start:.1f} s)"
        )
    if "restart_start" in events:
        window_start, window_end = events["restart_start"], events["restart_end"]
        inside = [e for e in errors if e[1] >= window_start and e[0] <= window_end]
        after = [e for e in errors if e[0] > window_end]
        before = [e for e in errors if e[1] < window_start]
        recovered = max((e[1] for e in after), default=window_end) - window_end
        print(
            f"restart window:    {window_start - start:.1f}-{window_end - start:.1f} s"
            f" ({window_end - window_start:.1f} s): {len(inside)} errors"
        )
        print(
            f"errors outside:    {len(before) + len(after)}"
            f" ({len(before)} before, {len(after)} after the restart)"
        )
        print(
            f"full service:      {recovered:.1f} s after PostgreSQL was back"
            f" (goal {RECOVERY_GOAL:.0f} s)"
        )
        goal = not before and not after and recovered <= RECOVERY_GOAL
        if before or after:
            outside = collections.Counter(f"{e[3]} ({e[2]})" for e in before + after)
            print("outside, by URL:   " + ", ".join(f"{u} {n}" for u, n in outside.most_common(5)))
        by_url = collections.Counter(e[3] for e in inside + after)
        if by_url:
            print("errors by URL:     " + ", ".join(f"{u} {n}" for u, n in by_url.most_common(5)))
    else:
        goal = not errors
    print(f"goal met:          {'yes' if goal else 'no'}")
    return goal


if __name__ == "__main__":
    main()
