"""Eight people's previews while a slow render runs, in one web process, by render pool size.

    .venv/bin/python bench/bench_render_pool.py                  # pools of 1, the default and 9; 5 rounds
    .venv/bin/python bench/bench_render_pool.py --pools 1 2 --rounds 3

A web process serves requests in threads (gunicorn gthread), and every
preview renders in one of its render workers (``SPECPORTAL_RENDER_WORKERS``).
Each round: one thread posts the largest allowed spec (real cinder and manila
specs one after another, the time limit's benchmark text: over a second to
render); once it is rendering, 8 threads, each a different signed-in person,
post a large corpus spec at the same moment (the corpus's 8 largest cinder and
manila specs, 900-1,600 lines). ``POST /api/v1/render/`` through Django's test
client, one client per thread, every text new to the cache and rendered
whole (``SPECPORTAL_INCREMENTAL_PREVIEW=0``: an edit would otherwise cost
a fraction of a render, ``bench_preview.py`` times that). It prints the
median of the 8 previews' latencies over all rounds for each pool size,
against one of the same previews posted alone (no other render running) and
against a pool of 1, side by side.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PEOPLE = 8
SLOW = "the largest allowed spec (bench_render_limit.py)"


def largest_specs(count: int) -> list[str]:
    from bench_preview import CORPUS, REPOSITORIES

    specs = sorted(
        (path.read_text(encoding="utf-8").count("\n"), path)
        for name in REPOSITORIES
        for path in (CORPUS / name / "specs").glob("*/*.rst")
        if path.name != "template.rst"
    )
    if len(specs) < count:
        sys.exit(f"The corpus is not at {CORPUS}; the benchmark renders real specs.")
    return [path.read_text(encoding="utf-8") for _, path in specs[-count:]]


def main() -> None:
    from specs_app.rst.sandbox import DEFAULT_WORKERS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pools", type=int, nargs="+", default=sorted({1, DEFAULT_WORKERS, PEOPLE + 1}))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    os.environ["SPECPORTAL_INCREMENTAL_PREVIEW"] = "0"  # read by each worker as it starts
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "specportal.settings")
    import django

    django.setup()
    from bench_render_limit import largest_allowed_spec
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from specs_app.authoring import services
    from specs_app.rst import sandbox as sandbox_module

    call_command("migrate", verbosity=0)
    services.create_project(name="Cinder", slug="cinder")
    settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["render"] = "1000000/min"
    users = [get_user_model().objects.create_user(f"person{n}", password="bench") for n in range(PEOPLE + 1)]
    connection.close()  # each thread opens its own
    texts = largest_specs(PEOPLE)
    whole = largest_allowed_spec()  # room for post()'s comment line under the size limit
    slow_text = whole[: whole.rindex("\n", 0, len(whole) - 100) + 1]
    serial = iter(range(10**9))

    stopped = [0]

    def post(client: Client, text: str) -> float:
        # A comment line of its own: new to the cache (and the same render work).
        unique = f"{text}\n.. {next(serial)}\n"
        started = time.perf_counter()
        response = client.post(
            "/api/v1/render/", {"text": unique, "project": "cinder"}, content_type="application/json"
        )
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.content[:300]
        if not response.json()["complete"]:  # stopped by the time limit: the cores were shared too thin
            stopped[0] += 1
        return elapsed

    def clients() -> list[Client]:
        made = []
        for user in users:
            client = Client()
            client.force_login(user)
            made.append(client)
        connection.close()
        return made

    def warm_pool(size: int) -> None:
        sandbox_module.configure_default(workers=size)
        pool = sandbox_module.default_sandbox()
        pool.start()
        warm = [
            threading.Thread(target=pool.render, args=(f"Warm {n}.\n",), kwargs={"time_limit": 60.0})
            for n in range(size)
        ]
        for thread in warm:
            thread.start()
        for thread in warm:
            thread.join()

    def in_thread(function, *arguments) -> tuple[threading.Thread, list[float]]:
        result: list[float] = []

        def run() -> None:
            try:
                result.append(function(*arguments))
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        return thread, result

    people = clients()
    warm_pool(1)
    alone = [post(people[n % PEOPLE], texts[n % PEOPLE]) for n in range(2 * PEOPLE)]
    alone_ms = statistics.median(alone)

    figures: dict[int, tuple[float, float, float, int]] = {}
    for size in args.pools:
        warm_pool(size)
        stopped[0] = 0
        latencies: list[float] = []
        slow: list[float] = []
        for _ in range(args.rounds):
            slow_thread, slow_result = in_thread(post, people[PEOPLE], slow_text)
            time.sleep(0.2)  # the slow render has reached a worker
            threads = [in_thread(post, people[n], texts[n]) for n in range(PEOPLE)]
            for thread, result in threads:
                thread.join()
                latencies.extend(result)
            slow_thread.join()
            slow.extend(slow_result)
        ordered = sorted(latencies)
        p95 = ordered[int(len(ordered) * 0.95) - 1]
        figures[size] = (statistics.median(ordered), p95, statistics.median(slow), stopped[0])
    sandbox_module.default_sandbox().close()

    lines = [text.count("\n") for text in texts]
    print(
        f"{PEOPLE} previews at once (specs of {min(lines):,}-{max(lines):,} lines) while {SLOW} "
        f"({slow_text.count(chr(10)):,} lines) renders; {args.rounds} rounds; {os.cpu_count()} cores"
    )
    print(f"one preview alone: median {alone_ms:.0f} ms")
    print(
        "| render workers | median ms | p95 ms | median / alone | median / pool of 1 | slow render ms "
        "| stopped by the time limit |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for size, (median, p95, slow_ms, stopped_count) in figures.items():
        against_one = f"{median / figures[1][0]:.2f}" if 1 in figures else "-"
        print(
            f"| {size} | {median:.0f} | {p95:.0f} | {median / alone_ms:.2f} | {against_one} | {slow_ms:.0f} "
            f"| {stopped_count} of {args.rounds * (PEOPLE + 1)} |"
        )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
