"""A Redis database per pytest-xdist worker, so the PostgreSQL run can use both cores.

Tests clear the cache and count throttled requests; two workers sharing one database would
clear and count each other's keys. The settings read ``REDIS_URL`` once, when pytest-django
loads them, so this is a plugin (``-p`` in pyproject's ``addopts``): ``-p`` plugins are
imported before pytest-django configures Django. Worker ``gwN`` takes the database N below
the one ``REDIS_URL`` names (15, 14, ...).
"""

import os
from urllib.parse import urlsplit, urlunsplit


def redis_url_for_worker(url: str, worker: str) -> str:
    parts = urlsplit(url)
    named = int(parts.path.strip("/") or 0)
    database = named - int(worker.removeprefix("gw"))
    if database < 0:
        raise RuntimeError(
            f"REDIS_URL {url} names database {named}: too few databases below it for worker {worker}"
        )
    return urlunsplit(parts._replace(path=f"/{database}"))


if os.environ.get("REDIS_URL") and os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["SPECPORTAL_REDIS_URL_NAMED"] = os.environ["REDIS_URL"]
    os.environ["REDIS_URL"] = redis_url_for_worker(os.environ["REDIS_URL"], os.environ["PYTEST_XDIST_WORKER"])
