"""The gate's verdict against each corpus repository's own, as confusion matrices.

    .venv/bin/python bench/gate_confusion.py              # cinder, manila, nova, glance
    .venv/bin/python bench/gate_confusion.py nova glance  # some of them

For every spec file of each repository: the repository's verdict from its own
code (nova's and glance's tests/test_titles.py, real doc8 for glance's and
manila's gate, the README's historical test for cinder; see
tests/rst/repository_verdicts.py) and the gate's with the repository's preset
(specs_app.rst.gate_profiles). Prints one matrix per repository and every file
they disagree on; exits 1 if there is one. Needs requirements-dev.txt.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.rst.repository_verdicts import (  # noqa: E402 - needs the path above
    CORPUS,
    CORPUS_REPOSITORIES,
    VERDICTS,
    confusion_table,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repositories", nargs="*", metavar="REPOSITORY", help=", ".join(CORPUS_REPOSITORIES))
    args = parser.parse_args()
    unknown = set(args.repositories) - set(CORPUS_REPOSITORIES)
    if unknown:
        parser.error(f"not a corpus repository: {', '.join(sorted(unknown))}")
    if not CORPUS.is_dir():
        sys.exit(f"The corpus is not at {CORPUS}.")
    disagreeing = 0
    for repository in args.repositories or CORPUS_REPOSITORIES:
        started = time.perf_counter()
        verdicts = VERDICTS[repository]()
        print(confusion_table(repository, verdicts))
        print(f"  ({time.perf_counter() - started:.1f} s)")
        for verdict in verdicts:
            if not verdict.agrees:
                disagreeing += 1
                print(f"  DISAGREE {verdict.path}: {verdict.repository_says!r} / {verdict.gate_says!r}")
        print()
    sys.exit(1 if disagreeing else 0)


if __name__ == "__main__":
    main()
