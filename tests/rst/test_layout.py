"""specs_app.rst is a plain library: no import cycle, no Django, one parser, one set of line breaks.

The import graph is read from the source with ``ast``, every ``import``
statement included (those inside functions too, which hide cycles at import
time but not in the design).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from specs_app.rst import parse

PACKAGE = "specs_app.rst"
ROOT = Path(parse.__file__).resolve().parent
MODULES = {f"{PACKAGE}.{path.stem}": path for path in sorted(ROOT.glob("*.py")) if path.stem != "__init__"}


def _imports(module: str) -> set[str]:
    """Every module ``module`` imports, as absolute names."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.rsplit(".", node.level)[0]
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.add(target)
            # "from . import document" imports a module, not a name.
            found.update(
                f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in MODULES
            )
    return found


def _graph() -> dict[str, set[str]]:
    return {module: {name for name in _imports(module) if name in MODULES} for module in MODULES}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        path.append(module)
        for imported in sorted(graph[module]):
            if state.get(imported) == "open":
                return [*path[path.index(imported) :], imported]
            if imported not in state:
                found = visit(imported)
                if found:
                    return found
        path.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def test_the_graph_reader_sees_the_modules_and_their_imports() -> None:
    graph = _graph()

    assert {
        f"{PACKAGE}.{name}" for name in ("parse", "render", "results", "sandbox", "worker", "checks")
    } <= set(graph)
    assert f"{PACKAGE}.parse" in graph[f"{PACKAGE}.render"]
    assert f"{PACKAGE}.document" in graph[f"{PACKAGE}.anchors"]  # "from . import document"
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_there_is_no_import_cycle_in_rst() -> None:
    assert _cycle(_graph()) is None


def test_results_imports_nothing_from_rst() -> None:
    assert _graph()[f"{PACKAGE}.results"] == set()


def test_the_parent_side_of_the_sandbox_does_not_import_the_renderer() -> None:
    """The worker is started by name; only the worker's side imports what it runs."""
    graph = _graph()
    assert f"{PACKAGE}.worker" not in graph[f"{PACKAGE}.sandbox"]
    assert f"{PACKAGE}.render" not in graph[f"{PACKAGE}.sandbox"]
    assert f"{PACKAGE}.render" in graph[f"{PACKAGE}.worker"]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_django(module: str) -> None:
    assert not [name for name in _imports(module) if name == "django" or name.startswith("django.")]


def test_importing_all_of_rst_loads_no_django() -> None:
    """Also what the modules import in turn: checked in a fresh interpreter."""
    code = (
        "import importlib, sys\n"
        f"for name in {sorted(MODULES)!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    root = ROOT.parents[1]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True, timeout=120
    )

    assert done.stdout.strip() == "[]"


def test_only_parse_parses() -> None:
    """docutils' parser and publishers appear in parse.py alone."""
    parsers = ("Parser", "publish_doctree", "publish_parts", "publish_string", "new_document")
    users = {
        module
        for module, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Name | ast.Attribute)
        and (node.id if isinstance(node, ast.Name) else node.attr) in parsers
    }

    assert users == {f"{PACKAGE}.parse"}


def test_the_line_breaks_are_those_of_str_splitlines() -> None:
    """docutils splits its input with str.splitlines; every break but LF is in the one list."""
    breaks = {
        character
        for character in map(chr, range(sys.maxunicode + 1))
        if character != "\n" and len(f"a{character}b".splitlines()) == 2
    }

    assert set(parse.DOCUTILS_ONLY_LINE_BREAKS) == breaks
