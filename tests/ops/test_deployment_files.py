"""docker-compose.yml, the Dockerfile and the nginx config, read as data.

There is no Docker engine where the tests run, so these check the files' structure:
what a `docker compose up --scale web=3` relies on.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (INSTRUCTION, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def _command(service: dict) -> list[str]:
    command = service.get("command") or []
    return shlex.split(command) if isinstance(command, str) else list(command)


def _environment(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


def test_it_runs_the_database_the_cache_the_app_and_a_proxy(services):
    assert {"db", "redis", "web", "proxy"} <= set(services)
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")


def test_the_database_keeps_its_data_in_a_named_volume(compose, services):
    named = set(compose.get("volumes") or {})
    mounts = [volume.split(":")[0] for volume in services["db"]["volumes"]]
    data_mounts = [
        volume for volume in services["db"]["volumes"] if volume.endswith("/var/lib/postgresql/data")
    ]

    assert data_mounts, "the database's data directory is not mounted"
    assert set(mounts) & named, f"no named volume among {mounts} (declared: {sorted(named)})"


def test_the_database_and_redis_have_health_checks(services):
    for name in ("db", "redis"):
        test = services[name]["healthcheck"]["test"]
        assert test and test[0] in {"CMD", "CMD-SHELL"}, name
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])


def test_the_app_starts_once_the_database_is_healthy(services):
    depends = services["web"]["depends_on"]

    assert depends["db"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"


def test_the_app_runs_the_production_command_line(services):
    command = _command(services["web"]) or _command(services["web"].get("entrypoint") or {})

    assert command[-1] == "scripts/serve-production"
    script = (ROOT / "scripts" / "serve-production").read_text(encoding="utf-8")
    migrate = script.index("manage.py migrate")
    collect = script.index("manage.py collectstatic")
    gunicorn = script.index("-m gunicorn specportal.wsgi:application")
    assert migrate < collect < gunicorn
    assert "exec " in script[collect : gunicorn + 50], "gunicorn must replace the shell to get signals"


def test_replicas_never_race_to_migrate(services):
    """With --scale web=3, a one-off migrate finishes before any replica starts."""
    migrate = services["migrate"]

    assert "migrate" in _command(migrate)
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_the_app_publishes_no_host_port_so_it_can_be_scaled(services):
    web = services["web"]

    assert "ports" not in web
    assert "container_name" not in web
    assert "8000" in [str(port) for port in web.get("expose", [])]


def test_the_proxy_publishes_the_one_port_and_uses_the_committed_config(services):
    proxy = services["proxy"]

    assert proxy["image"].startswith("nginx:")
    assert len(proxy["ports"]) == 1
    assert str(proxy["ports"][0]).endswith(":80")
    assert any(volume.startswith("./deploy/nginx.conf:") for volume in proxy["volumes"])
    assert [name for name, service in services.items() if service.get("ports")] == ["proxy"]


def test_the_proxy_balances_over_every_replica_and_sets_the_forwarded_scheme():
    config = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    upstream = re.search(r"upstream (\w+) \{(.*?)\}", config, re.S)

    assert upstream, "no upstream block"
    assert re.search(r"server web:8000 resolve;", upstream.group(2)), "replicas must be re-resolved"
    assert "zone " in upstream.group(2), "`resolve` needs a shared memory zone"
    assert re.search(r"^resolver 127\.0\.0\.11\b", config, re.M), "Docker's DNS"
    assert f"proxy_pass http://{upstream.group(1)};" in config
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in config
    assert "proxy_set_header Host $http_host;" in config


def test_the_app_is_wired_to_postgresql_and_redis(services):
    for name in ("web", "migrate"):
        environment = _environment(services[name])
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert "@db:5432/" in environment["DATABASE_URL"]
    environment = _environment(services["web"])
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    assert environment["DEBUG"] == "0"
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?"), "refuse to start without a secret key"


def test_the_image_is_python_311_and_installs_the_requirements(dockerfile):
    images = [arguments for keyword, arguments in dockerfile if keyword == "FROM"]
    runs = " ".join(arguments for keyword, arguments in dockerfile if keyword == "RUN")

    assert images and images[-1].startswith("python:3.11")
    assert "pip install" in runs and "-r requirements.txt" in runs


def test_the_image_runs_as_an_unprivileged_user(dockerfile):
    users = [arguments for keyword, arguments in dockerfile if keyword == "USER"]

    assert users, "no USER instruction: the app would run as root"
    assert users[-1] not in {"root", "0"}
    keywords = [keyword for keyword, _ in dockerfile]
    assert keywords.index("USER") > keywords.index("RUN"), "USER comes after the installs"


def test_the_image_serves_with_the_production_script(dockerfile):
    commands = [arguments for keyword, arguments in dockerfile if keyword == "CMD"]

    assert commands and "scripts/serve-production" in commands[-1]
    assert any(keyword == "HEALTHCHECK" for keyword, _ in dockerfile)
    assert (ROOT / "deploy" / "healthcheck.py").is_file()


def test_the_build_context_leaves_out_local_state():
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()

    assert {".venv", "db.sqlite3", ".git", "staticfiles"} <= set(ignored)


def test_a_worker_runs_the_background_jobs_from_a_queue_that_never_evicts(services):
    worker = services["worker"]
    assert _command(worker)[-2:] == ["rqworker", "default"]
    assert _environment(services["web"])["JOBS_REDIS_URL"] == "redis://queue:6379/0"
    queue = _command(services["queue"])
    assert queue[queue.index("--maxmemory-policy") + 1] == "noeviction"
    assert worker["depends_on"]["queue"]["condition"] == "service_healthy"


def test_the_web_app_and_the_worker_share_the_working_copies(services):
    for name in ("web", "worker"):
        assert "gitdata:/var/lib/specportal/git" in services[name]["volumes"], name


def test_the_image_has_git(dockerfile):
    installs = [
        arguments for keyword, arguments in dockerfile if keyword == "RUN" and "apt-get install" in arguments
    ]
    assert installs and "git" in installs[0].split()


def test_a_repository_import_streams_through_the_proxy_within_the_apps_upload_limit(settings):
    config = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    block = re.search(r"location ~ \^/\(p/.*?import/repository/.*?\{(.*?)\}", config, re.S)
    assert block, "no location for the repository import"
    size = re.search(r"client_max_body_size (\d+)m;", block.group(1))
    assert size and int(size.group(1)) * 1024 * 1024 >= settings.REPOSITORY_ARCHIVE_MAX_BYTES
    assert "proxy_buffering off;" in block.group(1)


def test_a_long_request_does_not_get_its_worker_killed():
    """gunicorn's --timeout kills a sync worker busy for longer; a threaded worker keeps beating."""
    script = (ROOT / "scripts" / "serve-production").read_text(encoding="utf-8")
    assert "--worker-class gthread" in script
