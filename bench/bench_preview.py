"""Preview endpoint against bare docutils, side by side in one run.

    .venv/bin/python bench/bench_preview.py [--repeat 15]

For real specs of about 200, 1,000 and 1,600 lines it times, on the same text:
bare ``docutils.core.publish_parts`` (html5 writer), POST /api/v1/render/
uncached (cache cleared before every request) and cached, through Django's
test client with a signed-in user: JSON parsing, authentication, the render
worker (parse, transforms, HTML, sanitising, the gate) and the response.
It prints medians and the ratios to bare docutils.
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
# The repositories whose layout is specs/<release>/<name>.rst, named so a new corpus folder changes no figure.
REPOSITORIES = ("cinder-specs", "manila-specs")
sys.path.insert(0, str(ROOT))


def corpus_texts() -> dict[str, str]:
    """Real specs of about 200, 1,000 and 1,600 lines.

    The corpus has specs of ~200 lines (the median) but none of ~1,000 or
    ~1,600 (the largest cinder spec in the full repository); those are made
    from the largest real spec below the target followed by the sections of
    other real specs (without their titles), so every line is real RST.
    """
    specs = sorted(
        [path for name in ("cinder-specs", "manila-specs") for path in CORPUS.glob(f"{name}/specs/*/*.rst")]
    )
    if not specs:
        sys.exit(f"The corpus is not at {CORPUS}; the benchmark renders real specs.")
    by_lines = sorted((path.read_text().count("\n"), str(path)) for path in specs)

    def sections_of(path: str) -> str:
        text = Path(path).read_text()
        marker = "\nProblem description\n"
        return text[text.index(marker) :] if marker in text else ""

    def of_about(target: int) -> str:
        below = [item for item in by_lines if item[0] <= target]
        text = Path(below[-1][1]).read_text()
        for _, path in reversed(below[:-1]):
            missing = target - text.count("\n")
            addition = sections_of(path)
            if missing < target * 0.02:
                break
            if addition.count("\n") <= missing + target * 0.02:
                text += addition
        return text

    return {"~200 lines": of_about(200), "~1,000 lines": of_about(1000), "~1,600 lines": of_about(1600)}


WIDTHS = (7, 13, 13, 8, 11, 8)


def median_ms(function, repeat: int) -> float:
    function()  # warm up: imports, worker start, caches of docutils itself
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    database = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "specportal.settings")
    import django

    django.setup()
    import docutils.core
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from specs_app.authoring import services

    call_command("migrate", verbosity=0)
    services.create_project(name="Cinder", slug="cinder")
    user = get_user_model().objects.create_user("bench", password="bench")
    client = Client()
    client.force_login(user)

    from django.conf import settings

    settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["render"] = "1000000/min"

    def bare(text: str):
        return lambda: docutils.core.publish_parts(
            text, writer_name="html5", settings_overrides={"report_level": 5, "_disable_config": True}
        )

    def endpoint(text: str, *, cached: bool):
        def call():
            if not cached:
                cache.clear()
            response = client.post(
                "/api/v1/render/", {"text": text, "project": "cinder"}, content_type="application/json"
            )
            assert response.status_code == 200, response.content[:200]

        return call

    header = ("spec", "lines", "docutils ms", "uncached ms", "ratio", "cached ms", "ratio")
    print(
        f"{header[0]:<14}"
        + "".join(f"{name:>{width}}" for name, width in zip(header[1:], WIDTHS, strict=True))
    )
    for name, text in corpus_texts().items():
        bare_ms = median_ms(bare(text), args.repeat)
        uncached_ms = median_ms(endpoint(text, cached=False), args.repeat)
        cached_ms = median_ms(endpoint(text, cached=True), args.repeat)
        print(
            f"{name:<14}{text.count(chr(10)):>7}{bare_ms:>13.1f}{uncached_ms:>13.1f}"
            f"{uncached_ms / bare_ms:>8.2f}{cached_ms:>11.1f}{cached_ms / bare_ms:>8.3f}"
        )


if __name__ == "__main__":
    main()
