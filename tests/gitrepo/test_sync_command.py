"""``manage.py sync_repo --project SLUG``: the sync in the foreground, with its report."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from specs_app.models import RepositoryConnection, Spec

from .conftest import PATH, spec_text


def _run(*args: str) -> str:
    out = StringIO()
    call_command("sync_repo", *args, stdout=out)
    return out.getvalue()


def test_it_connects_and_syncs_a_project(project, upstream):
    head = upstream.commit({PATH: spec_text("Thin provisioning")})
    output = _run("--project", "cinder", "--url", upstream.url)
    assert f"Synced with upstream commit {head[:12]}" in output
    assert f"{PATH}: imported" in output
    assert RepositoryConnection.objects.get(project=project).synced_commit == head
    assert Spec.objects.filter(path=PATH).exists()


def test_a_project_without_repository_is_an_error(project):
    with pytest.raises(CommandError, match="not connected to a git repository"):
        _run("--project", "cinder")


def test_an_unreachable_repository_is_an_error_in_gits_words(project, tmp_path):
    with pytest.raises(CommandError, match="does not appear to be a git repository"):
        _run("--project", "cinder", "--url", str(tmp_path / "gone"))


def test_an_unknown_project_is_an_error(db):
    with pytest.raises(CommandError, match="No project “nova”"):
        _run("--project", "nova")
