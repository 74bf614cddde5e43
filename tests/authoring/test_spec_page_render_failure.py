"""A spec the renderer fails on still shows on its page: the reason first, then the source."""

from __future__ import annotations

import pytest

from specs_app.authoring import services
from specs_app.preview import preview
from specs_app.rst.gate_rules import GateRules
from specs_app.rst.results import RenderResult
from specs_app.rst.sandbox import RenderSandbox
from tests.helpers import html_tree


@pytest.fixture
def crashing_renderer(monkeypatch):
    """The real sandbox, with a directive (``.. explode::``) that raises inside the worker."""
    sandbox = RenderSandbox(preload=["tests.rst.render_hooks"])

    def render(text: str, *, rules: GateRules | None = None) -> RenderResult:
        return sandbox.render(text, time_limit=120, rules=rules)

    monkeypatch.setattr(preview, "render", render)
    yield
    sandbox.close()


def test_it_shows_why_the_render_failed_beside_the_source(client, spec, alice, crashing_renderer):
    problem = spec.sections.get(title="Problem description")
    services.update_section(
        actor=alice, section=problem, base_version=problem.version, text="Before.\n\n.. explode::\n"
    )

    response = client.get(spec.get_absolute_url())

    assert response.status_code == 200
    failed = html_tree(response.content).find("p", **{"class": "render-failed"})
    assert failed is not None, response.content.decode()
    assert "could not be rendered in full" in failed.text
    # The spec's own line number, not the line within its section.
    line = spec.text().splitlines().index(".. explode::") + 1
    assert f"line {line}: " in failed.text and "injected failure" in failed.text
    assert ".. explode::" in response.content.decode()


def test_a_complete_render_shows_no_failure(client, spec):
    response = client.get(spec.get_absolute_url())

    assert response.status_code == 200
    assert html_tree(response.content).find("p", **{"class": "render-failed"}) is None
