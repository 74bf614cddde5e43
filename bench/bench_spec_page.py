"""The spec page with 20 and 200 comments, side by side: SQL queries and server time, cold and warm cache.

    .venv/bin/python bench/bench_spec_page.py                   # 20 and 200 comments; 15 GETs each
    .venv/bin/python bench/bench_spec_page.py --sizes 20 100 200 --repeat 9
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sp_specpage .venv/bin/python bench/bench_spec_page.py

For each size it builds one spec (a real corpus spec, imported) through the
review services: 20 revisions (submit_revision after an edit), the comments
spread over them by four reviewers and the author: threads on the whole spec,
on a section and on source lines, a third of the comments replies to earlier
threads, each batch published (publish_review), every fourth thread resolved.
It counts the SQL queries of GET of the spec page and of its latest revision
page (they must be the same at every size), then times the GETs (Django's test
client, signed in as a reviewer, DEBUG=False) with the cache cleared before
each GET (cold) and with the cache filled by the GET before (warm). The sizes
are measured in turns, GET by GET, so a change of load hits them alike; the
figure that counts is the ratio of the largest size to the smallest.

SQLite in a scratch file by default; with DATABASE_URL set to PostgreSQL, the
test database of that name (test_<name>), created and dropped by the run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT))

REVISIONS = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--profile", type=int, help="cProfile one warm GET of the spec page at this size")
    args = parser.parse_args()

    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    if not postgres:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "specportal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from specs_app.authoring import services
    from specs_app.models import Comment
    from specs_app.review import services as review_services
    from specs_app.transfer import importing

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    if postgres:
        database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        print(f"PostgreSQL, database {database}")
    else:
        call_command("migrate", verbosity=0)
        print("SQLite, scratch file")
    project = services.create_project(name="Cinder", slug="cinder")
    users = get_user_model().objects
    author = users.create_user("author", password="x")
    reviewers = [users.create_user(f"reviewer{n}", password="x") for n in range(4)]
    project.core_reviewers.add(reviewers[0])
    # The corpus spec of median length (~200 lines).
    by_lines = sorted(CORPUS.glob("cinder-specs/specs/*/*.rst"), key=lambda p: p.read_text().count("\n"))
    source = [p for p in by_lines if p.name != "template.rst"][len(by_lines) // 2]

    def build(comments: int):
        spec = importing.import_spec(
            actor=author,
            project=project,
            source=source.read_text(),
            release="2023.1",
            filename=f"page-{comments}.rst",
        ).spec
        per_revision = comments // REVISIONS
        made = 0
        threads: list[Comment] = []
        published: list[Comment] = []
        for number in range(1, REVISIONS + 1):
            section = spec.sections.order_by("-position").first()
            services.update_section(
                actor=author,
                section=section,
                base_version=section.version,
                text=f"{section.text}\n\nRevision {number} adds this paragraph.\n",
            )
            review_services.submit_revision(actor=author, spec=spec, message=f"Revision {number}")
            spec.refresh_from_db()
            writers = set()
            for n in range(per_revision):
                body = f"Comment {made}: please clarify this.\n\nIt reads two ways; say which one is meant."
                if published and n % 3 == 2:
                    writer = author if n % 2 else reviewers[n % len(reviewers)]
                    review_services.reply_to_comment(
                        actor=writer, comment=published[-1 - n % len(published)], body=body
                    )
                else:
                    writer = reviewers[n % len(reviewers)]
                    kind = n % 3
                    threads.append(
                        review_services.add_comment(
                            actor=writer,
                            spec=spec,
                            body=body,
                            section_index=(n % 5) + 1 if kind == 1 else None,
                            selection=review_services.Selection(line_start=3 + n, line_end=4 + n)
                            if kind == 2
                            else None,
                        )
                    )
                writers.add(writer)
                made += 1
            for writer in writers:
                review_services.publish_review(actor=writer, spec=spec, vote=0, message="Comments inline.")
            published = list(threads)
        for thread in threads[::4]:
            review_services.resolve_thread(actor=thread.author, comment=thread)
        spec.refresh_from_db()
        return spec, made

    client = Client()
    client.force_login(reviewers[1])
    pages = {}
    for comments in args.sizes:
        spec, made = build(comments)
        pages[made] = {
            "spec page": spec.get_absolute_url(),
            "latest revision": spec.revisions.order_by("-number").first().get_absolute_url(),
        }

    def get(url: str) -> float:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return elapsed

    if args.profile:
        import cProfile
        import pstats

        url = pages[args.profile][os.environ.get("BENCH_PAGE", "spec page")]
        client.get(url)
        if os.environ.get("BENCH_QUERIES"):  # each query of the GET, slowest first
            log: list[tuple[float, str]] = []

            def timed(execute, sql, params, many, context):
                start = time.perf_counter()
                result = execute(sql, params, many, context)
                log.append(((time.perf_counter() - start) * 1000, sql))
                if os.environ.get("BENCH_STACK") and os.environ["BENCH_STACK"] in sql:
                    import traceback

                    traceback.print_stack(limit=40)
                return result

            with connection.execute_wrapper(timed):
                client.get(url)
            for ms, sql in sorted(log, reverse=True):
                print(f"{ms:6.2f} ms  {sql}")
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(url)
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative"))
        stats.print_stats(int(os.environ.get("BENCH_LINES", "45")))
        if os.environ.get("BENCH_CALLERS"):
            stats.print_callers(os.environ["BENCH_CALLERS"])
        return

    rows = []
    for name in ("spec page", "latest revision"):
        facts = {}
        for made, urls in pages.items():
            queries: list[str] = []
            counter = lambda execute, sql, *a, q=queries: q.append(sql) or execute(sql, *a)  # noqa: E731
            cache.clear()
            with connection.execute_wrapper(counter):
                size = len(client.get(urls[name]).content)
            facts[made] = (len(queries), size)
        timings: dict[tuple[int, str], list[float]] = {
            (made, mode): [] for made in pages for mode in ("cold", "warm")
        }
        for urls in pages.values():  # one untimed GET of each: code paths and connections warmed up
            get(urls[name])
        for _ in range(args.repeat):
            for made, urls in pages.items():
                cache.clear()
                timings[made, "cold"].append(get(urls[name]))
                timings[made, "warm"].append(get(urls[name]))
        for made in pages:
            rows.append(
                (name, made, *facts[made], *(statistics.median(timings[made, m]) for m in ("cold", "warm")))
            )
    smallest, largest = min(pages), max(pages)
    print("| page | comments | queries | size | cold ms | warm ms |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, made, queries, size, cold, warm in rows:
        print(f"| {name} | {made} | {queries} | {size // 1024} KiB | {cold:.1f} | {warm:.1f} |")
    print()
    for name in ("spec page", "latest revision"):
        by_size = {row[1]: row for row in rows if row[0] == name}
        counts = {row[2] for row in by_size.values()}
        cold = by_size[largest][4] / by_size[smallest][4]
        warm = by_size[largest][5] / by_size[smallest][5]
        print(
            f"{name}: {largest}/{smallest} comments, cold {cold:.2f}, warm {warm:.2f};"
            f" queries {'constant' if len(counts) == 1 else 'NOT constant'} {sorted(counts)}"
        )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if postgres:
        connection.creation.destroy_test_db(database, verbosity=0)


if __name__ == "__main__":
    main()
