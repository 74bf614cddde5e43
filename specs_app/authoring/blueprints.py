"""Launchpad blueprint URLs: a spec's file name is its blueprint's name."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from specs_app.models import NAME_PATTERN

BLUEPRINT_URL = re.compile(
    rf"\Ahttps?://blueprints\.launchpad\.net/(?P<project>[A-Za-z0-9][A-Za-z0-9._+-]*)/\+spec/(?P<name>{NAME_PATTERN})/?\Z"
)
EXAMPLE = "https://blueprints.launchpad.net/cinder/+spec/awesome-thing"


def blueprint_name(url: str) -> str:
    """The blueprint name in ``url``; ValidationError when it is not a blueprint URL."""
    match = BLUEPRINT_URL.match(url.strip())
    if not match:
        raise ValidationError(
            f"Enter a Launchpad blueprint URL such as {EXAMPLE}; the last part becomes the spec's file name.",
            code="invalid_blueprint_url",
        )
    return match.group("name")
