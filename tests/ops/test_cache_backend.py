"""The web tier keeps no state of its own: sessions in the database, the cache (previews,
throttle counts) through Django's cache framework, on Redis when REDIS_URL is set.

CI runs the suite once with REDIS_URL set; without it the round trip through Redis skips.
"""

from __future__ import annotations

import os
import runpy
import socket
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.cache import cache, caches

SETTINGS_FILE = Path(django_settings.BASE_DIR) / "specportal" / "settings.py"
REDIS_URL = os.environ.get("REDIS_URL")


def settings_with(monkeypatch, **environment: str | None) -> dict:
    """The settings module's values as it builds them from ``environment``."""
    for name, value in environment.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_settings_put_the_cache_on_redis_when_redis_url_is_set(monkeypatch):
    built = settings_with(monkeypatch, REDIS_URL="redis://cache.internal:6379/3")["CACHES"]["default"]

    assert built["BACKEND"] == "django_redis.cache.RedisCache"
    assert built["LOCATION"] == "redis://cache.internal:6379/3"
    assert built["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert built["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] <= 2
    assert built["OPTIONS"]["SOCKET_TIMEOUT"] <= 2


def test_settings_keep_the_cache_in_memory_without_redis_url(monkeypatch):
    built = settings_with(monkeypatch, REDIS_URL=None)["CACHES"]["default"]

    assert built["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is unset; CI runs the suite once with it set")
def test_the_cache_round_trips_through_the_real_redis():
    import redis

    assert django_settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    key, value = f"test-cache-{uuid.uuid4().hex}", {"html": "<p>preview</p>", "lines": [1, 2]}
    cache.set(key, value, 60)
    try:
        assert cache.get(key) == value
        # In Redis itself, not in some process-local cache: another client sees it.
        raw = redis.Redis.from_url(REDIS_URL)
        assert raw.exists(cache.make_key(key)) == 1
        assert 0 < raw.ttl(cache.make_key(key)) <= 60
    finally:
        cache.delete(key)
    assert cache.get(key) is None


def test_sessions_live_in_the_database(alice_client):
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    session_key = alice_client.cookies[django_settings.SESSION_COOKIE_NAME].value

    session = Session.objects.get(session_key=session_key)
    assert session.get_decoded()["_auth_user_id"] == str(alice_client.session["_auth_user_id"])


def test_throttle_counts_go_to_the_default_cache(api_as, alice, project):
    response = api_as(alice).post(
        "/api/v1/render/", {"text": "Title\n=====\n\nBody.\n", "project": "cinder"}, format="json"
    )

    assert response.status_code == 200, response.content
    history = caches["default"].get(f"throttle_render_{alice.pk}")
    assert history and len(history) == 1


@pytest.fixture
def redis_options(monkeypatch) -> dict:
    """The OPTIONS the settings give the Redis cache (whether or not REDIS_URL is set here)."""
    return settings_with(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0")["CACHES"]["default"]["OPTIONS"]


def _dead_redis(redis_options: dict) -> dict:
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        "OPTIONS": redis_options,
    }


def test_a_redis_outage_is_a_cache_miss(settings, redis_options):
    settings.CACHES = {**settings.CACHES, "down": _dead_redis(redis_options)}
    down = caches["down"]

    down.set("key", "value", 60)
    assert down.get("key") is None
    assert down.get("key", "fallback") == "fallback"


def test_a_redis_outage_does_not_break_a_request_that_uses_the_cache(settings, redis_options, api_as, alice):
    from specs_app.authoring import services

    services.create_project(name="Cinder", slug="cinder")
    settings.CACHES = {**settings.CACHES, "default": _dead_redis(redis_options)}

    response = api_as(alice).post(
        "/api/v1/render/", {"text": "Title\n=====\n\nBody.\n", "project": "cinder"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert "Body." in response.json()["html"]
    # Without IGNORE_EXCEPTIONS the same request fails: the option is what makes it degrade.
    settings.CACHES = {
        **settings.CACHES,
        "default": _dead_redis({**redis_options, "IGNORE_EXCEPTIONS": False}),
    }
    import redis
    from django_redis.exceptions import ConnectionInterrupted

    with pytest.raises((ConnectionInterrupted, redis.exceptions.ConnectionError)):
        caches["default"].get("key")
