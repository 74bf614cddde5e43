"""Search latency with 10,000 specs on PostgreSQL, with and without the GIN index, in one run.

    .venv/bin/python bench/bench_search.py            # 10,000 specs, 30 runs per query
    .venv/bin/python bench/bench_search.py --quick    # 1,000 specs, 5 runs per query

Builds (or reuses) specportal_bench with bench/pg_world.py, then for a few
realistic queries times, in this process: the ranked match alone (COUNT and the
top 20 ids, what the index serves), selectors.search_specs (top 20 with
snippets) and GET /api/v1/specs/?search= through Django's test client. Then it
drops the GIN index inside a transaction, times the same again, and rolls back
(the index is back). Median and p95 ms of each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

QUERIES = ("volume migration", "encryption", "multiattach", "backup quota", '"active active" replication')


def timings(function, repeat: int) -> tuple[float, float]:
    function()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 specs, 5 runs per query")
    args = parser.parse_args()
    count, repeat = (1000, 5) if args.quick else (10_000, 30)
    if args.quick:
        os.environ.setdefault("BENCH_DATABASE", "specportal_bench_quick")
    import pg_world

    pg_world.setup_django()
    pg_world.ensure_world(count)
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client

    from specs_app.authoring import search, selectors
    from specs_app.models import Spec

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()

    def matched(query: str):
        def run():
            found = search.ranked(Spec.objects.all(), query)
            found.count()
            list(found.values_list("pk", flat=True)[:20])

        return run

    def full(query: str):
        return lambda: selectors.search_specs(query=query, limit=20)

    def api(query: str):
        def run():
            response = client.get("/api/v1/specs/", {"search": query})
            assert response.status_code == 200

        return run

    def plan(query: str) -> str:
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN SELECT id FROM specs_app_spec "
                "WHERE search_vector @@ websearch_to_tsquery('english', %s)",
                [query],
            )
            text = " ".join(row[0] for row in cursor.fetchall())
        return "GIN index" if "search_vector_gin" in text else "seq scan"

    def measure(label: str) -> None:
        print(f"-- {label}")
        for query in QUERIES:
            hits = search.filter_specs(Spec.objects.all(), query).count()
            cells = [timings(kind(query), repeat) for kind in (matched, full, api)]
            print(
                f"{query:<28} {hits:>5} hits  {plan(query):<9}  "
                + "  ".join(
                    f"{name} {median:6.1f} / {p95:6.1f}"
                    for name, (median, p95) in zip(("match", "search_specs", "API"), cells, strict=True)
                ),
                flush=True,
            )

    print(f"{Spec.objects.count():,} specs; median / p95 ms over {repeat} runs")
    measure("with the GIN index")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX specs_app_spec_search_vector_gin")
        measure("without it (dropped in this transaction, rolled back after)")
        transaction.set_rollback(True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'specs_app_spec_search_vector_gin'")
        assert cursor.fetchone()[0] == 1, "the index should be back"
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
