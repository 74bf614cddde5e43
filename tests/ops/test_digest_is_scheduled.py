"""docker-compose.yml runs the daily digest command, as README.md's cron line does elsewhere."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_send_digests_daily_after_migrating():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]
    digest = services["digest"]

    assert digest["image"] == services["web"]["image"]
    assert "manage.py send_digests" in " ".join(digest["command"])
    assert "sleep 86400" in " ".join(digest["command"])
    assert digest["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert not digest.get("ports")


def test_the_readme_gives_the_cron_line():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "manage.py send_digests" in readme and "0 7 * * *" in readme
