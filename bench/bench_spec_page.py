"""A spec page with many comments over 20 revisions: SQL queries and server time.

    .venv/bin/python bench/bench_spec_page.py            # 20, 100, 200 comments; 15 requests each
    .venv/bin/python bench/bench_spec_page.py --quick    # 20 and 200 comments; 5 requests each

For each size it builds one spec (a real corpus spec, imported) through the
review services: 20 revisions (submit_revision after an edit), the comments
spread over them (add_comment, on the whole spec or on a section, by four
reviewers), each batch published (publish_review). It then counts the SQL
queries of GET of the spec page and of its latest revision page (they must be
the same at every size), and times them with Django's test client against a
bare Django view returning a static template of the same size, in the same
run: medians and ratios. SQLite in a scratch file (the embedded setup).
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


def median_ms(function, repeat: int) -> float:
    function()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 and 200 comments, 5 requests each")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    sizes = (20, 200) if args.quick else (20, 100, 200)
    repeat = 5 if args.quick else args.repeat

    database = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "specportal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.http import HttpResponse
    from django.template import engines
    from django.test import Client
    from django.urls import path

    import specportal.urls
    from specs_app.authoring import services
    from specs_app.review import services as review_services
    from specs_app.transfer import importing

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    project = services.create_project(name="Cinder", slug="cinder")
    users = get_user_model().objects
    author = users.create_user("author", password="x")
    reviewers = [users.create_user(f"reviewer{n}", password="x") for n in range(4)]
    project.core_reviewers.add(reviewers[0])
    # The corpus spec of median length (~200 lines).
    by_lines = sorted(CORPUS.glob("cinder-specs/specs/*/*.rst"), key=lambda p: p.read_text().count("\n"))
    source = [p for p in by_lines if p.name != "template.rst"][len(by_lines) // 2]

    def build(comments: int):
        report = importing.import_spec(
            actor=author,
            project=project,
            source=source.read_text(),
            release="2023.1",
            filename=f"page-{comments}.rst",
        )
        spec = report.spec
        per_revision = comments // REVISIONS
        made = 0
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
            for n in range(per_revision):
                reviewer = reviewers[n % len(reviewers)]
                review_services.add_comment(
                    actor=reviewer,
                    spec=spec,
                    body=f"Comment {made}: please clarify this.",
                    section_index=(n % 5) + 1 if n % 2 else None,
                )
                made += 1
            for reviewer in reviewers[: min(per_revision, len(reviewers))]:
                review_services.publish_review(actor=reviewer, spec=spec, vote=0, message="Comments inline.")
        spec.refresh_from_db()
        return spec, made

    client = Client()
    client.force_login(reviewers[1])
    rows = []
    static_view_html = {}

    def static_view(request):
        return HttpResponse(static_view_html["template"].render({}, request))

    specportal.urls.urlpatterns.insert(0, path("bench/static-page/", static_view))

    for comments in sizes:
        spec, made = build(comments)
        pages = {
            "spec page": spec.get_absolute_url(),
            "latest revision": spec.revisions.order_by("-number").first().get_absolute_url(),
        }
        for name, url in pages.items():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            queries = []
            counter = lambda execute, sql, *a, q=queries: q.append(sql) or execute(sql, *a)  # noqa: E731
            with connection.execute_wrapper(counter):
                client.get(url)
            html = response.content.decode()
            static_view_html["template"] = engines["django"].from_string(
                "{% verbatim %}" + html + "{% endverbatim %}"
            )
            assert len(client.get("/bench/static-page/").content) == len(response.content)
            page_ms = median_ms(lambda url=url: client.get(url), repeat)
            bare_ms = median_ms(lambda: client.get("/bench/static-page/"), repeat)
            rows.append((made, name, len(queries), len(response.content), page_ms, bare_ms))
            size = len(response.content) // 1024
            print(
                f"{made:>4} comments  {name:<16} {len(queries):>3} queries  {size:>4} KiB"
                f"  page {page_ms:7.1f} ms  static {bare_ms:5.1f} ms  ratio {page_ms / bare_ms:6.1f}",
                flush=True,
            )
    for name in ("spec page", "latest revision"):
        counts = {row[2] for row in rows if row[1] == name}
        verdict = "constant" if len(counts) == 1 else "NOT constant"
        print(f"{name}: query counts over the sizes {sorted(counts)}: {verdict}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
