"""The ``specportal`` command-line client, against a live test server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from specportal_cli.main import main, sidecar_path
from specs_app.authoring import services
from specs_app.models import Spec
from specs_app.tokens import services as services_tokens

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(site, spec):
    """The live server's URL, with alice's spec in it."""
    return site


@pytest.fixture
def alice_key(alice):
    return services_tokens.create_api_token(actor=alice, name="cli")[1]


@pytest.fixture
def run(site, alice_key, capsys):
    """``run("pull", ...)``: the CLI's exit code, stdout and stderr, as alice."""

    def invoke(*argv: str, token: str | None = None):
        code = main(["--url", site, "--token", alice_key if token is None else token, *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


def test_it_lists_specs(run, project, alice):
    services.create_spec(
        actor=alice,
        project=project,
        title="Second",
        release="2026.1",
        blueprint_url="https://blueprints.launchpad.net/cinder/+spec/second",
    )

    code, out, _ = run("list", "--project", "cinder")

    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == ["cinder/multi-attach", "cinder/second"]
    assert "Volume multi-attach" in lines[0] and "draft" in lines[0]


def test_it_lists_nothing_for_another_status(run):
    code, out, err = run("list", "--status", "merged")

    assert code == 0
    assert out == ""
    assert "No specs" in err


def test_it_pulls_the_exact_text_and_remembers_the_version(run, spec, tmp_path):
    target = tmp_path / "spec.rst"

    code, _, err = run("pull", "cinder/multi-attach", "-o", str(target))

    assert code == 0
    assert target.read_bytes() == spec.text().encode("utf-8")
    assert json.loads(sidecar_path(target).read_text())["version"] == 1
    assert "version 1" in err


def test_it_pushes_an_edited_file(run, spec, tmp_path):
    target = tmp_path / "spec.rst"
    run("pull", "cinder/multi-attach", "-o", str(target))
    target.write_text(
        target.read_text().replace("Use Cases\n=========\n", "Use Cases\n=========\n\nFrom the CLI.\n")
    )

    code, _, err = run("push", "cinder/multi-attach", str(target))

    assert code == 0, err
    spec = Spec.objects.get(pk=spec.pk)
    assert "From the CLI." in spec.text()
    assert spec.version == 2
    assert json.loads(sidecar_path(target).read_text())["version"] == 2


def test_it_refuses_a_push_after_someone_else_changed_the_spec(run, spec, alice, tmp_path):
    target = tmp_path / "spec.rst"
    run("pull", "cinder/multi-attach", "-o", str(target))
    services.update_section(
        actor=alice, section=spec.sections.get(title="Use Cases"), base_version=1, text="Theirs."
    )
    target.write_text(target.read_text() + "\nMine.\n")

    code, _, err = run("push", "cinder/multi-attach", str(target))

    assert code == 1
    assert err.strip() == (
        "specportal: Someone else changed cinder/multi-attach since you pulled version 1 (now 2). "
        "Pull again and merge."
    )
    assert "Mine." not in Spec.objects.get(pk=spec.pk).text()


def test_it_refuses_to_push_a_file_it_did_not_pull(run, tmp_path):
    target = tmp_path / "spec.rst"
    target.write_text("Title\n=====\n")

    code, _, err = run("push", "cinder/multi-attach", str(target))

    assert code == 1
    assert "pull the spec first" in err


def test_it_refuses_a_push_without_a_token(run, spec, tmp_path):
    target = tmp_path / "spec.rst"
    run("pull", "cinder/multi-attach", "-o", str(target))

    code, _, err = run("push", "cinder/multi-attach", str(target), token="")

    assert code == 1
    assert "SPECPORTAL_TOKEN" in err


def test_it_refuses_a_push_by_someone_not_an_author(run, spec, bob, tmp_path):
    target = tmp_path / "spec.rst"
    run("pull", "cinder/multi-attach", "-o", str(target))
    bob_key = services_tokens.create_api_token(actor=bob, name="cli")[1]

    code, _, err = run("push", "cinder/multi-attach", str(target), token=bob_key)

    assert code == 1
    assert "owner" in err


def test_it_writes_a_patch(run, tmp_path):
    target = tmp_path / "spec.patch"

    code, _, _ = run("patch", "cinder/multi-attach", "-o", str(target))

    assert code == 0
    assert target.read_text().startswith("From ")
    assert "specs/2026.1/multi-attach.rst" in target.read_text()


@pytest.mark.parametrize("argv", [["pull", "cinder/nothing"], ["patch", "nowhere/spec"]])
def test_it_exits_non_zero_for_unknown_specs(run, argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    code, _, err = run(*argv)

    assert code == 1
    assert err.startswith("specportal: ")


def test_it_reports_an_unreachable_server(capsys):
    code = main(["--url", "http://127.0.0.1:9/", "list"])

    assert code == 1
    assert "Cannot reach" in capsys.readouterr().err


def test_it_needs_a_url(capsys, monkeypatch):
    monkeypatch.delenv("SPECPORTAL_URL", raising=False)

    assert main(["list"]) == 2
    assert "SPECPORTAL_URL" in capsys.readouterr().err


def test_it_refuses_a_malformed_spec_name(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--url", "http://x/", "pull", "no-slash"])

    assert exit_.value.code == 2
    assert "PROJECT/SLUG" in capsys.readouterr().err


def test_it_runs_as_a_module_with_the_environment(site, alice_key, tmp_path):
    target = tmp_path / "spec.rst"
    env = {"SPECPORTAL_URL": site, "SPECPORTAL_TOKEN": alice_key, "PATH": "/usr/bin:/bin"}

    result = subprocess.run(
        [sys.executable, "-m", "specportal_cli", "pull", "cinder/multi-attach", "-o", str(target)],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert target.exists()
