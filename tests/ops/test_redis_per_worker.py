import os

import pytest

from tests.redis_per_worker import redis_url_for_worker


def test_each_worker_gets_a_database_of_its_own_below_the_named_one() -> None:
    assert redis_url_for_worker("redis://127.0.0.1:6379/15", "gw0") == "redis://127.0.0.1:6379/15"
    assert redis_url_for_worker("redis://127.0.0.1:6379/15", "gw1") == "redis://127.0.0.1:6379/14"
    assert (
        redis_url_for_worker("redis://:pw@cache:6380/9?db_timeout=1", "gw3")
        == "redis://:pw@cache:6380/6?db_timeout=1"
    )


def test_it_refuses_a_worker_with_no_database_left() -> None:
    with pytest.raises(RuntimeError, match="too few databases"):
        redis_url_for_worker("redis://127.0.0.1:6379/0", "gw1")


def test_this_worker_runs_on_its_own_database(settings) -> None:
    named = os.environ.get("SPECPORTAL_REDIS_URL_NAMED")
    if not named:
        pytest.skip("only under pytest-xdist with REDIS_URL set (CI's PostgreSQL run)")
    worker = os.environ["PYTEST_XDIST_WORKER"]
    assert settings.CACHES["default"]["LOCATION"] == redis_url_for_worker(named, worker)
