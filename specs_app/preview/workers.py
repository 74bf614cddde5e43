"""The render pool of each web process, sized by ``settings.SPECPORTAL_RENDER_WORKERS``.

The renderer (:mod:`specs_app.rst`) is plain Python without Django, so the
web app hands it the setting: when the app starts, and again whenever the
setting changes (``override_settings`` in a test).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test.signals import setting_changed

from specs_app.rst import sandbox

SETTING = "SPECPORTAL_RENDER_WORKERS"


def apply_render_workers_setting() -> None:
    sandbox.configure_default(workers=getattr(settings, SETTING, None))


def _on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == SETTING:
        apply_render_workers_setting()


def follow_render_workers_setting() -> None:
    """Size the pool from the setting now and whenever the setting changes."""
    apply_render_workers_setting()
    setting_changed.connect(_on_setting_changed, dispatch_uid="specs_app.render_workers")
