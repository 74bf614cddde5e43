"""The API spec list with 10,000 specs under gunicorn, against bare Django views, in one run.

    .venv/bin/python bench/bench_api_list.py            # 10,000 specs, 15 s per endpoint, 4 threads
    .venv/bin/python bench/bench_api_list.py --quick    # 1,000 specs, 4 s per endpoint
    .venv/bin/python bench/bench_api_list.py --sqlite   # the same world in a SQLite file
    .venv/bin/python bench/bench_api_list.py --before /tmp/old   # and an older tree's list, beside

Builds (or reuses) the scratch database specportal_bench ($BENCH_DATABASE) with
bench/pg_world.py (bulk_create, not service calls), starts the production command
line (scripts/serve-production: gunicorn, 2 workers, DEBUG=0, SPECPORTAL_BENCH=1 so
the bare views exist) and drives each endpoint in turn with a bounded load loop
(threads + http.client, keep-alive), anonymous: requests per second and median /
p95 latency of /bench/bare/ (one COUNT query, a small JSON), /bench/bare-page/
(the API list's first page, the same JSON, built by hand from values_list rows;
checked equal to the API's first), GET /api/v1/specs/ (first page, 20 specs),
GET /api/v1/specs/?search=volume (a word in most cinder specs) and
?search=multiattach (in 1.6% of them), all in the same run, taking turns (--slices
turns each), so that the shared machine's changing load weighs on each alike.
Ratios: each endpoint against both bare views, and each search against the plain
list. ``--before DIR`` serves another tree too (``git archive <commit> | tar -x -C
DIR``, with ``ln -s $PWD/.venv DIR/.venv`` and this tree's bench views copied in)
and times its list and searches in the same turns; ``--uncached`` serves this tree beside
with the list's cache off (every request cold) and times its list and searches too;
``--writes N`` retitles N specs a second meanwhile, so the cache is emptied as it would be
by people at work.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

PORT = int(os.environ.get("BENCH_PORT", "8767"))
ENDPOINTS = {
    "bare Django view": "/bench/bare/",
    "bare page by hand": "/bench/bare-page/",
    "API spec list": "/api/v1/specs/",
    "API spec list ?search=volume": "/api/v1/specs/?search=volume",
    "API spec list ?search=multiattach": "/api/v1/specs/?search=multiattach",
}


def load(path: str, seconds: float, threads: int, port: int = PORT) -> tuple[int, float, list[float], int]:
    """(requests, elapsed s, latencies ms, errors) of ``threads`` clients looping on ``path``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if ok:
                mine.append((time.perf_counter() - start) * 1000)
            else:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return len(latencies), time.perf_counter() - started, latencies, errors[0]


class Writer(threading.Thread):
    """Retitles one spec after another, ``per_second`` times a second, until stopped."""

    def __init__(self, per_second: float) -> None:
        super().__init__(daemon=True)
        self.per_second = per_second
        self.done = 0
        self._stopping = threading.Event()

    def run(self) -> None:
        if not self.per_second:
            return
        from django.db import connection

        from specs_app.models import Spec

        titles = dict(Spec.objects.order_by("pk").values_list("pk", "title")[:1000])
        ids = list(titles)
        while not self._stopping.wait(1 / self.per_second):
            spec_id = ids[self.done % len(ids)]
            Spec.objects.filter(pk=spec_id).update(title=f"{titles[spec_id]} (retitled {self.done})")
            self.done += 1
        # The world is kept for the next run: its titles as they were.
        for spec_id in ids[: self.done]:
            Spec.objects.filter(pk=spec_id).update(title=titles[spec_id])
        connection.close()

    def stop(self) -> None:
        self._stopping.set()
        self.join()


def _get_json(path: str) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    connection.request("GET", path, headers={"Host": "127.0.0.1"})
    return json.loads(connection.getresponse().read())


def check_same_page() -> None:
    """The bare page is a baseline only if it is the API's page."""
    if _get_json("/bench/bare-page/") != _get_json("/api/v1/specs/"):
        sys.exit("/bench/bare-page/ differs from GET /api/v1/specs/: update specportal/bench_views.py")


def wait_for_server(process: subprocess.Popen, log: Path, port: int = PORT) -> None:
    for _ in range(120):
        if process.poll() is not None:
            sys.exit(f"serve-production exited:\n{log.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/bench/bare/", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit("the server did not answer in 60 s")


def start_server(
    root: Path, port: int, extra_env: dict[str, str] | None = None
) -> tuple[subprocess.Popen, Path, int]:
    """The production command line of the tree at ``root`` on ``port``, with the bare views."""
    import pg_world

    log = Path(tempfile.mkdtemp()) / "server.log"
    env = {
        **os.environ,
        "PYTHON": str(root / ".venv" / "bin" / "python"),
        "DATABASE_URL": pg_world.DATABASE_URL,
        "SPECPORTAL_BENCH": "1",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        **(extra_env or {}),
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(root / "scripts" / "serve-production")],
            cwd=root,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return process, log, port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 specs, 4 s per endpoint")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file instead of PostgreSQL")
    parser.add_argument("--slices", type=int, default=5, help="endpoints take turns, in this many slices")
    parser.add_argument(
        "--before",
        type=Path,
        help="another SpecPortal tree (git archive of an older commit) served beside: its list and searches",
    )
    parser.add_argument(
        "--writes",
        type=float,
        default=0,
        help="specs retitled per second while timing (each write replaces the list's change stamp)",
    )
    parser.add_argument(
        "--uncached",
        action="store_true",
        help="this tree beside with the list cache off (SPECPORTAL_API_LIST_CACHE=0): every request cold",
    )
    args = parser.parse_args()
    count, seconds = (1000, 4.0) if args.quick else (10_000, args.seconds)
    if args.quick:  # its own database, so the 10,000-spec one survives
        os.environ.setdefault("BENCH_DATABASE", "specportal_bench_quick")
    if args.sqlite:
        name = os.environ.get("BENCH_DATABASE", "specportal_bench")
        os.environ.setdefault("BENCH_SQLITE", str(Path(tempfile.gettempdir()) / f"{name}.sqlite3"))
    import pg_world

    pg_world.setup_django()
    started = time.perf_counter()
    pg_world.ensure_world(count)
    where = pg_world.SQLITE or pg_world.DATABASE
    print(f"{count:,} specs in {where} ready in {time.perf_counter() - started:.0f} s", flush=True)

    # (name, path, port) of every endpoint; each takes its turn for seconds / slices at a time,
    # so a change in the machine's load (it is shared) weighs on all of them alike.
    endpoints = [(name, path, PORT) for name, path in ENDPOINTS.items()]
    servers = [start_server(pg_world.ROOT, PORT)]
    try:
        beside = []
        if args.before:
            beside.append(("before", args.before.resolve(), {}))
        if args.uncached:
            beside.append(("uncached", pg_world.ROOT, {"SPECPORTAL_API_LIST_CACHE": "0"}))
        for offset, (label, root, extra_env) in enumerate(beside, start=1):
            servers.append(start_server(root, PORT + offset, extra_env))
            endpoints += [
                (f"{label}: {name}", path, PORT + offset) for name, path in ENDPOINTS.items() if "API" in name
            ]
        for process, log, port in servers:
            wait_for_server(process, log, port)
        check_same_page()
        for _, path, port in endpoints:
            load(path, 1.0, args.threads, port)  # warm up each worker's connection and caches
        results = {name: (0, 0.0, [], 0) for name, _, _ in endpoints}
        writing = Writer(args.writes)
        writing.start()
        for _ in range(args.slices):
            for name, path, port in endpoints:
                requests, elapsed, latencies, errors = load(path, seconds / args.slices, args.threads, port)
                total = results[name]
                results[name] = (
                    total[0] + requests,
                    total[1] + elapsed,
                    total[2] + latencies,
                    total[3] + errors,
                )
        writing.stop()
    finally:
        for process, _, _ in servers:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)

    def rate(name: str) -> float:
        return results[name][0] / results[name][1]

    database = "SQLite" if args.sqlite else "PostgreSQL"
    print(
        f"{database}, gunicorn 2 workers, {args.threads} client threads, {seconds:.0f} s each, "
        f"{count:,} specs"
    )
    print(
        "| endpoint | requests | req/s | of bare | of bare page | of plain list "
        "| median ms | p95 ms | errors |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, (requests, _, latencies, errors) in results.items():
        rps = rate(name)
        ordered = sorted(latencies)
        p95 = ordered[int(len(ordered) * 0.95) - 1]
        label = name.split(": ", 1)[0] if ": " in name else ""
        plain = f"{label}: API spec list" if label else "API spec list"
        of_list = f"{rps / rate(plain):.2f}" if "search" in name else ""
        print(
            f"| {name} | {requests:,} | {rps:.1f} | {rps / rate('bare Django view'):.2f} "
            f"| {rps / rate('bare page by hand'):.2f} | {of_list} | {statistics.median(ordered):.1f} "
            f"| {p95:.1f} | {errors} |"
        )
    if args.writes:
        print(f"meanwhile {writing.done:,} specs retitled ({args.writes:g} a second)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
