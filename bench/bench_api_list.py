"""The API spec list on PostgreSQL with 10,000 specs under gunicorn, against a bare Django view.

    .venv/bin/python bench/bench_api_list.py            # 10,000 specs, 15 s per endpoint, 4 threads
    .venv/bin/python bench/bench_api_list.py --quick    # 1,000 specs, 4 s per endpoint

Builds (or reuses) the scratch database specportal_bench with bench/pg_world.py
(bulk_create, not service calls), starts the production command line
(scripts/serve-production: gunicorn, 2 workers, DEBUG=0, SPECPORTAL_BENCH=1 so
/bench/bare/ exists: one COUNT query, a small JSON) and drives each endpoint in
turn with a bounded load loop (threads + http.client, keep-alive): requests per
second and median / p95 latency of GET /api/v1/specs/ (first page, 20 specs),
GET /api/v1/specs/?search=volume (a word in most cinder specs), ?search=multiattach
(in 1.6% of them) and GET /bench/bare/, all in the same run.
"""

from __future__ import annotations

import argparse
import http.client
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
    "API spec list": "/api/v1/specs/",
    "API spec list ?search=volume": "/api/v1/specs/?search=volume",
    "API spec list ?search=multiattach": "/api/v1/specs/?search=multiattach",
}


def load(path: str, seconds: float, threads: int) -> tuple[int, float, list[float], int]:
    """(requests, elapsed s, latencies ms, errors) of ``threads`` clients looping on ``path``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
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
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
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


def wait_for_server(process: subprocess.Popen, log: Path) -> None:
    for _ in range(120):
        if process.poll() is not None:
            sys.exit(f"serve-production exited:\n{log.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/bench/bare/", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit("the server did not answer in 60 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 specs, 4 s per endpoint")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    count, seconds = (1000, 4.0) if args.quick else (10_000, args.seconds)
    if args.quick:  # its own database, so the 10,000-spec one survives
        os.environ.setdefault("BENCH_DATABASE", "specportal_bench_quick")
    import pg_world

    pg_world.setup_django()
    started = time.perf_counter()
    pg_world.ensure_world(count)
    print(
        f"{count:,} specs in {pg_world.DATABASE} ready in {time.perf_counter() - started:.0f} s", flush=True
    )

    root = pg_world.ROOT
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
        "BIND": f"127.0.0.1:{PORT}",
        "WEB_CONCURRENCY": "2",
    }
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(root / "scripts" / "serve-production")],
            cwd=root,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_server(server, log)
        results = {}
        for name, path in ENDPOINTS.items():
            load(path, 1.0, args.threads)  # warm up each worker's connection and caches
            results[name] = load(path, seconds, args.threads)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    bare_rps = results["bare Django view"][0] / results["bare Django view"][1]
    bare_median = statistics.median(results["bare Django view"][2])
    print(f"gunicorn 2 workers, {args.threads} client threads, {seconds:.0f} s each, {count:,} specs")
    for name, (requests, elapsed, latencies, errors) in results.items():
        rps = requests / elapsed
        ordered = sorted(latencies)
        median = statistics.median(ordered)
        p95 = ordered[int(len(ordered) * 0.95) - 1]
        print(
            f"{name:<35} {requests:>6} requests  {rps:7.1f} req/s ({rps / bare_rps:5.2f} of bare)"
            f"  median {median:6.1f} ms ({median / bare_median:5.1f}x bare)  p95 {p95:6.1f} ms"
            f"  errors {errors}"
        )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
