"""The command-line client's tests run it in-process against a live server."""

from __future__ import annotations

import pytest


@pytest.fixture
def site(live_server):
    """The live server's URL, with no cached answer left from an earlier test."""
    from django.core.cache import cache

    cache.clear()
    return live_server.url
