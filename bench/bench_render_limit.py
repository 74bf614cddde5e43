"""How much of the render time limit the slowest legitimate text uses, and the gate's share.

    .venv/bin/python bench/bench_render_limit.py [--repeat 5]

The tests no longer time anything (a test must not depend on the machine's speed), so the
two speed claims they used to make are measured here, side by side in one run:

- the largest allowed spec (real cinder and manila specs one after another, up to the size
  limit) rendered through the sandbox, against ``DEFAULT_TIME_LIMIT``: the headroom ratio;
- the gate on that text (``check_gate`` on an already parsed doctree) against docutils'
  bare parse of the same text.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
REPOSITORIES = ("cinder-specs", "manila-specs")
sys.path.insert(0, str(ROOT))

import docutils.core  # noqa: E402

from specs_app.rst.checks import check_gate  # noqa: E402
from specs_app.rst.gate_rules import cinder_historical_rules  # noqa: E402
from specs_app.rst.parse import parse  # noqa: E402
from specs_app.rst.render import DEFAULT_TIME_LIMIT, render  # noqa: E402
from specs_app.rst.safety import MAX_SPEC_CHARACTERS  # noqa: E402
from specs_app.rst.template import parse_template  # noqa: E402


def largest_allowed_spec() -> str:
    paths = sorted(
        path for repository in REPOSITORIES for path in (CORPUS / repository / "specs").glob("*/*.rst")
    )
    parts: list[str] = []
    size = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if size + len(text) > MAX_SPEC_CHARACTERS - 1:
            break
        parts.append(text)
        size += len(text)
    return "".join(parts)


def median_seconds(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"The corpus is not at {CORPUS}.")
    text = largest_allowed_spec()
    rules = cinder_historical_rules(parse_template((CORPUS / "cinder-specs/specs/template.rst").read_text()))
    render(text, time_limit=120)  # warm the worker

    def full_render() -> None:
        result = render(text, time_limit=120, rules=rules)
        assert result.complete

    parsed = parse(text)
    rendered = median_seconds(full_render, args.repeat)
    gate = median_seconds(lambda: check_gate(text, rules, parsed=parsed), args.repeat)
    bare = median_seconds(
        lambda: docutils.core.publish_doctree(text, settings_overrides={"report_level": 5}), args.repeat
    )
    print(f"text: {len(text):,} characters, {text.count(chr(10)):,} lines (limit {MAX_SPEC_CHARACTERS:,})")
    print(
        f"render with gate, sandboxed: {rendered * 1000:8.0f} ms"
        f"  = {rendered / DEFAULT_TIME_LIMIT:.2f} of the {DEFAULT_TIME_LIMIT:.0f} s limit"
        f" (headroom {DEFAULT_TIME_LIMIT / rendered:.1f}x)"
    )
    print(f"bare docutils parse:         {bare * 1000:8.0f} ms")
    print(f"gate on the parsed doctree:  {gate * 1000:8.0f} ms  = {gate / bare:.2f} of a bare parse")


if __name__ == "__main__":
    main()
