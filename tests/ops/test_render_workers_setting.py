"""The render pool of a web process has settings.SPECPORTAL_RENDER_WORKERS workers."""

from __future__ import annotations

from django.test import override_settings

from specs_app.rst.render import render
from specs_app.rst.sandbox import default_sandbox


def test_the_render_pool_size_comes_from_settings(settings) -> None:
    with override_settings(SPECPORTAL_RENDER_WORKERS=3):
        assert default_sandbox().size == 3
        assert render("Three workers.\n").complete
    assert default_sandbox().size == settings.SPECPORTAL_RENDER_WORKERS
