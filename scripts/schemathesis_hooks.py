"""Loaded by scripts/ci-schemathesis (SCHEMATHESIS_HOOKS) into the fuzzer, not the app.

CPython 3.11.7 (this machine's) keeps the ``ast`` module's recursion depth in state shared
by threads (CPython gh-106905, fixed in later patch releases), so with ``--workers 2`` an
``ast.parse`` may fail with "SystemError: AST constructor recursion depth mismatch".
Hypothesis parses source only to *describe* a lambda in a strategy's repr; when that fails
the run stopped with a runtime error though every generated case had passed. Describing
lambdas one thread at a time, and as "<unknown>" if CPython still refuses, changes no case
and no check.
"""

import threading
from collections.abc import Callable
from typing import Any

from hypothesis.internal import lambda_sources

_describe_lambda: Callable[..., str] = lambda_sources._lambda_description
_one_at_a_time = threading.Lock()


def _lambda_description_without_ast_race(f: Any, *args: Any, **kwargs: Any) -> str:
    with _one_at_a_time:
        try:
            return _describe_lambda(f, *args, **kwargs)
        except SystemError:
            return "lambda: <unknown>"


lambda_sources._lambda_description = _lambda_description_without_ast_race
