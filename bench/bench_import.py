"""Bulk import of the spec corpus, against docutils parsing the same files, in one run.

    .venv/bin/python bench/bench_import.py            # every cinder and manila spec
    .venv/bin/python bench/bench_import.py --quick    # the first 30

Imports each file with importing.import_spec (decode, parse, match the
project template's sections, validate, write the spec and its sections) into a
scratch SQLite database (or $DATABASE_URL's, e.g. a scratch PostgreSQL one),
cinder files into a "cinder" project with cinder's template, manila files into
"manila"; then parses the same files with bare docutils
(docutils.core.publish_doctree, report_level 5). Files per second of each and
their ratio.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
# The repositories whose layout is specs/<release>/<name>.rst, named so a new corpus folder changes no figure.
REPOSITORIES = ("cinder-specs", "manila-specs")
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the first 30 files")
    args = parser.parse_args()
    files = sorted(
        [path for name in ("cinder-specs", "manila-specs") for path in CORPUS.glob(f"{name}/specs/*/*.rst")]
    )
    if not files:
        sys.exit(f"The corpus is not at {CORPUS}.")
    if args.quick:
        files = files[:30]

    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "specportal.settings")
    import django

    django.setup()
    import docutils.core
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError
    from django.core.management import call_command
    from django.db import connection

    from specs_app.authoring import services
    from specs_app.transfer import importing

    call_command("migrate", verbosity=0)
    actor = get_user_model().objects.create_user(f"importer-{time.time_ns()}", password="x", is_staff=True)
    projects = {}
    for name in sorted({path.parts[-4].removesuffix("-specs") for path in files}):
        template = CORPUS / f"{name}-specs" / "specs" / "template.rst"
        slug = f"{name}-{time.time_ns() % 10**8}"
        projects[name] = services.create_project(
            name=name.title(), slug=slug, template_source=template.read_text()
        )
    sources = [(path, path.read_bytes()) for path in files]

    refused = 0
    started = time.perf_counter()
    for path, source in sources:
        try:
            importing.import_spec(
                actor=actor,
                project=projects[path.parts[-4].removesuffix("-specs")],
                source=source,
                release=path.parent.name,
                filename=path.name,
            )
        except ValidationError:
            refused += 1
    import_seconds = time.perf_counter() - started

    started = time.perf_counter()
    for _, source in sources:
        docutils.core.publish_doctree(
            source.decode("utf-8", errors="replace"),
            settings_overrides={"report_level": 5, "halt_level": 5, "_disable_config": True},
        )
    docutils_seconds = time.perf_counter() - started

    count = len(sources)
    print(f"{count} files, {sum(len(s) for _, s in sources) / 1024:.0f} KiB, on {connection.vendor}")
    print(f"import_spec   {count / import_seconds:7.1f} files/s  ({import_seconds:.1f} s, {refused} refused)")
    print(f"docutils      {count / docutils_seconds:7.1f} files/s  ({docutils_seconds:.1f} s)")
    print(f"import takes {import_seconds / docutils_seconds:.2f}x docutils' time")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
