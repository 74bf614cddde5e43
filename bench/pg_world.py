"""The 10,000-spec world of bench_api_list.py and bench_search.py (not a benchmark).

``ensure_world(count)`` (re)creates the scratch database ``specportal_bench`` (or
$BENCH_DATABASE), migrates it and fills it fast with bulk_create: ``count`` specs,
each with four sections whose titles and bodies come from real corpus specs. The
search triggers fill each spec's vector as its sections are inserted. With
$BENCH_SQLITE (a file's path) the same world is made in that SQLite file instead.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
# The repositories whose layout is specs/<release>/<name>.rst, named so a new corpus folder changes no figure.
REPOSITORIES = ("cinder-specs", "manila-specs")
DATABASE = os.environ.get("BENCH_DATABASE", "specportal_bench")
SQLITE = os.environ.get("BENCH_SQLITE", "")
DATABASE_URL = f"sqlite:///{SQLITE}" if SQLITE else f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
SECTION_TITLES = ("Problem description", "Proposed change", "Alternatives", "Testing")


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "specportal.settings")
    import django

    django.setup()


def _corpus_parts() -> list[tuple[str, list[str]]]:
    """(title, bodies of the four sections) of each corpus spec."""
    parts = []
    for path in sorted(
        [path for name in ("cinder-specs", "manila-specs") for path in CORPUS.glob(f"{name}/specs/*/*.rst")]
    ):
        if path.name == "template.rst":
            continue
        text = path.read_text(errors="replace")
        lines = text.splitlines()
        title = next(
            (lines[i] for i in range(1, len(lines) - 1) if re.fullmatch(r"=+", lines[i - 1] or "x")),
            path.stem,
        )
        chunks = re.split(r"\n[^\n]+\n[=\-]{3,}\n", text)
        bodies = [chunk.strip()[:4000] for chunk in chunks[1:5]] or [text[:4000]]
        while len(bodies) < 4:
            bodies.append(bodies[-1])
        parts.append((title.strip()[:150], bodies))
    if not parts:
        sys.exit(f"The corpus is not at {CORPUS}.")
    return parts


def recreate_database() -> None:
    if SQLITE:
        Path(SQLITE).unlink(missing_ok=True)
        return
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {DATABASE}"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {DATABASE}"], check=True)


def ensure_world(count: int) -> None:
    """Make the database hold exactly ``count`` bulk-made specs (rebuilt if it does not)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from specs_app.authoring import services
    from specs_app.models import Project, Spec, SpecSection

    exists = (
        Path(SQLITE).exists()
        if SQLITE
        else subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-tAc",
                f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    if exists:
        call_command("migrate", verbosity=0)
        if Spec.objects.count() == count and Project.objects.filter(slug="cinder").exists():
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if SQLITE else "VACUUM ANALYZE specs_app_spec")
            return
    connection.close()
    recreate_database()
    call_command("migrate", verbosity=0)
    project = services.create_project(name="Cinder", slug="cinder")
    template = project.templates.get()
    owner = get_user_model().objects.create_user("bench", password="bench")
    corpus = _corpus_parts()
    batch = 1000
    for first in range(0, count, batch):
        specs = []
        for n in range(first, min(count, first + batch)):
            title, _ = corpus[n % len(corpus)]
            release = f"20{20 + n % 7}.{1 + n % 2}"
            specs.append(
                Spec(
                    project=project,
                    template=template,
                    title=f"{title} {n}"[:200],
                    slug=f"spec-{n}",
                    name=f"spec-{n}",
                    path=f"specs/{release}/spec-{n}.rst",
                    release=release,
                    owner=owner,
                    title_heading="=" * 20,
                    intro=f"\nhttps://blueprints.launchpad.net/cinder/+spec/spec-{n}\n\n",
                )
            )
        Spec.objects.bulk_create(specs)
        sections = []
        for spec in Spec.objects.filter(slug__in=[spec.slug for spec in specs]).only("pk", "slug"):
            n = int(spec.slug.rsplit("-", 1)[1])
            _, bodies = corpus[n % len(corpus)]
            for position, (heading, body) in enumerate(zip(SECTION_TITLES, bodies, strict=True)):
                sections.append(
                    SpecSection(
                        spec=spec,
                        title=heading,
                        level=1,
                        heading=f"{heading}\n{'=' * len(heading)}",
                        body=f"\n{body}\n\n",
                        position=position,
                    )
                )
        SpecSection.objects.bulk_create(sections, batch_size=2000)
    # VACUUM, not just ANALYZE: the bulk insert left the vectors in the GIN index's pending
    # list (fastupdate), which makes the planner cost the index far above a sequential
    # scan until (auto)vacuum merges it.
    with connection.cursor() as cursor:
        if not SQLITE:
            cursor.execute("VACUUM ANALYZE specs_app_spec")
        cursor.execute("ANALYZE")
