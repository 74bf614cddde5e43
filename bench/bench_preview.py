"""Preview endpoint against bare docutils, and incremental previews against whole ones, in one run.

    .venv/bin/python bench/bench_preview.py [--repeat 15] [--edits 9]
    .venv/bin/python bench/bench_preview.py --only incremental   # the second table alone

For real specs of about 200, 1,000 and 1,600 lines it times, on the same text:
bare ``docutils.core.publish_parts`` (html5 writer), POST /api/v1/render/
uncached (cache cleared before every request, the worker rendering every
text whole) and cached, through Django's test client with a signed-in user:
JSON parsing, authentication, the render worker (parse, transforms, HTML,
sanitising, the gate) and the response. It prints medians and the ratios to
bare docutils.

Then, for the three largest specs of the corpus and one of about 2,000 lines
(the largest real spec followed by sections of other real specs), it edits
each top-level section in turn (a word added to its first line of prose, as
``tests/rst/test_incremental_preview.py`` does) and times POST
/api/v1/render/ of the edited text, uncached, with two render workers side
by side: one rendering every text whole (``SPECPORTAL_INCREMENTAL_PREVIEW=0``),
one incremental that has just rendered the text before the edit (one edit
of the section untimed first: the first edit of a part is checked against
the whole render, as typing's first keystroke there would be). Each request
alternates between two words, so each is a one-word edit of the one before.
Medians over the requests, then over the sections; the slowest section too.
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
# The incremental table's: every corpus repository, named for the same reason.
ALL_REPOSITORIES = ("cinder-specs", "manila-specs", "nova-specs", "glance-specs")
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


def largest_texts() -> dict[str, str]:
    """The corpus's three largest specs, and one of about 2,000 lines made of real specs."""
    specs = sorted(
        (path.read_text(encoding="utf-8").count("\n"), path)
        for name in ALL_REPOSITORIES
        for path in (CORPUS / name / "specs").glob("**/*.rst")
        if "template" not in path.name and path.name != "index.rst"
    )
    texts = {f"{path.name} ({lines:,} lines)": path.read_text(encoding="utf-8") for lines, path in specs[-3:]}
    composed = specs[-1][1].read_text(encoding="utf-8")
    marker = "\nProblem description\n"
    for _, path in reversed(specs[:-1]):  # the sections of the next largest specs that still fit
        missing = 2000 - composed.count("\n")
        if missing < 40:
            break
        text = path.read_text(encoding="utf-8")
        if marker in text and text[text.index(marker) :].count("\n") <= missing:
            composed += text[text.index(marker) :]
    texts[f"composed ({composed.count(chr(10)):,} lines)"] = composed
    return texts


def start_sandbox(*, incremental: bool):
    """A warm render sandbox whose worker renders incrementally, or every text whole."""
    from specs_app.rst import sandbox as sandbox_module

    previous = os.environ.get("SPECPORTAL_INCREMENTAL_PREVIEW")
    os.environ["SPECPORTAL_INCREMENTAL_PREVIEW"] = "1" if incremental else "0"
    try:
        sandbox = sandbox_module.RenderSandbox()
        sandbox.start()
        sandbox.render("warm", time_limit=30.0)
        return sandbox
    finally:
        if previous is None:
            del os.environ["SPECPORTAL_INCREMENTAL_PREVIEW"]
        else:
            os.environ["SPECPORTAL_INCREMENTAL_PREVIEW"] = previous


def incremental_table(client, cache, repeat: int) -> None:
    """Whole against incremental renders of one-word edits, through the endpoint, per section."""
    from specs_app.rst import sandbox as sandbox_module
    from tests.rst.corpus_edits import add_word, section_edits

    whole, incremental = start_sandbox(incremental=False), start_sandbox(incremental=True)

    def post(text: str) -> float:
        cache.clear()
        begin = time.perf_counter()
        response = client.post(
            "/api/v1/render/", {"text": text, "project": "cinder"}, content_type="application/json"
        )
        elapsed = (time.perf_counter() - begin) * 1000
        assert response.status_code == 200, response.content[:200]
        return elapsed

    print()
    header = ("spec", "sections", "whole ms", "incremental ms", "ratio", "slowest section ms", "its ratio")
    print(" | ".join(header))
    try:
        for name, text in largest_texts().items():
            rows = []
            for line in section_edits(text):
                words = [add_word(text, line, "alpha"), add_word(text, line, "beta")]
                sandbox_module._default = whole
                whole_ms = statistics.median(post(words[index % 2]) for index in range(repeat))
                sandbox_module._default = incremental
                post(text)  # the text before the edit
                post(words[1])  # the part's first edit: checked against the whole render
                incremental_ms = statistics.median(post(words[index % 2]) for index in range(repeat))
                rows.append((whole_ms, incremental_ms))
            whole_median = statistics.median(row[0] for row in rows)
            incremental_median = statistics.median(row[1] for row in rows)
            slowest = max(rows, key=lambda row: row[1])
            print(
                f"{name} | {len(rows)} | {whole_median:.1f} | {incremental_median:.1f} | "
                f"{whole_median / incremental_median:.1f} | {slowest[1]:.1f} | {slowest[0] / slowest[1]:.1f}"
            )
    finally:
        sandbox_module._default = None
        whole.close()
        incremental.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--edits", type=int, default=9, help="requests per section in the incremental table")
    parser.add_argument("--only", choices=("bare", "incremental"), help="run one of the two tables")
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

    if args.only != "incremental":
        # Every request a whole render: the worker would otherwise answer a text it has just
        # rendered from its own state (the incremental table times that).
        from specs_app.rst import sandbox as sandbox_module

        sandbox_module._default = start_sandbox(incremental=False)
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
        sandbox_module._default.close()
        sandbox_module._default = None
    if args.only != "bare":
        incremental_table(client, cache, args.edits)


if __name__ == "__main__":
    main()
