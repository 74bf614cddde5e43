"""A whole repository imported (nova-specs), against docutils parsing the same spec files, in one run.

    .venv/bin/python bench/bench_import_repository.py                 # nova-specs
    .venv/bin/python bench/bench_import_repository.py --repository glance-specs
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/specportal_bench_import \\
        .venv/bin/python bench/bench_import_repository.py

Imports the corpus repository with ``transfer.repository.import_repository``
(walk and classify every file under specs/, load the templates, import each
spec: decode, split, choose its template, match sections, validate, write)
into a new project of a scratch SQLite database (or $DATABASE_URL's, e.g. a
scratch PostgreSQL one), then imports it a second time (every file unchanged),
then parses the same spec files with bare docutils
(``docutils.core.publish_doctree``, report_level 5). Files per second of each.
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
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repository", default="nova-specs", help="a folder of ../shared/corpus")
    args = parser.parse_args()
    checkout = CORPUS / args.repository
    if not (checkout / "specs").is_dir():
        sys.exit(f"No {args.repository} in the corpus at {CORPUS}.")

    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "specportal.settings")
    import django

    django.setup()
    import docutils.core
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from specs_app.authoring import services
    from specs_app.transfer import layout
    from specs_app.transfer.repository import import_repository

    call_command("migrate", verbosity=0)
    stamp = time.time_ns() % 10**8
    actor = get_user_model().objects.create_user(f"importer-{stamp}", is_staff=True)
    preset = args.repository.removesuffix("-specs")
    project = services.create_project(name=preset.title(), slug=f"{preset}-{stamp}", gate_preset=preset)
    files = layout.scan(checkout).files
    specs = [file for file in files if file.kind is layout.Kind.SPEC]

    started = time.perf_counter()
    first = import_repository(actor=actor, project=project, root=checkout)
    first_seconds = time.perf_counter() - started

    started = time.perf_counter()
    second = import_repository(actor=actor, project=project, root=checkout)
    second_seconds = time.perf_counter() - started

    started = time.perf_counter()
    for spec in specs:
        docutils.core.publish_doctree(
            spec.content.decode("utf-8", errors="replace"),
            settings_overrides={"report_level": 5, "halt_level": 5, "_disable_config": True},
        )
    docutils_seconds = time.perf_counter() - started

    size = sum(len(spec.content) for spec in specs) / 1024
    print(f"{args.repository}: {len(files)} files under specs/, {len(specs)} specs ({size:.0f} KiB)", end="")
    print(f", on {connection.vendor}")
    print(f"  {first.summary()}")
    print(
        f"import_repository, first      {len(files) / first_seconds:6.1f} files/s  "
        f"{len(specs) / first_seconds:6.1f} specs/s  ({first_seconds:.1f} s)"
    )
    print(
        f"import_repository, unchanged  {len(files) / second_seconds:6.1f} files/s  "
        f"{len(specs) / second_seconds:6.1f} specs/s  ({second_seconds:.1f} s; {second.unchanged} unchanged)"
    )
    docutils_rate = len(specs) / docutils_seconds
    print(f"docutils publish_doctree {docutils_rate:25.1f} specs/s  ({docutils_seconds:.1f} s)")
    print(f"first import takes {first_seconds / docutils_seconds:.2f}x docutils' time over the same specs")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
