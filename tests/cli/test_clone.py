"""``specportal clone PROJECT DIR``: every spec at its repository path, each ready to edit and push back."""

from __future__ import annotations

import json

import pytest

from specportal_cli.main import main, sidecar_path
from specs_app.authoring import services
from specs_app.models import Spec
from specs_app.tokens import services as services_tokens
from tests.review_world import write

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def nova(db):
    return services.create_project(name="Nova", slug="nova", gate_preset="nova")


@pytest.fixture
def specs(nova, alice):
    return [
        services.create_spec(
            actor=alice,
            project=nova,
            title=title,
            release=release,
            blueprint_url=f"https://blueprints.launchpad.net/nova/+spec/{name}",
        )
        for title, release, name in [("Live resize", "2026.1", "live-resize"), ("vTPM", "2026.2", "vtpm")]
    ]


@pytest.fixture
def run(site, alice, capsys):
    key = services_tokens.create_api_token(actor=alice, name="cli")[1]

    def invoke(*argv: str):
        code = main(["--url", site, "--token", key, *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


def test_it_writes_each_spec_at_its_repository_path_with_its_version(run, specs, tmp_path):
    code, _, err = run("clone", "nova", str(tmp_path / "nova-specs"))

    assert code == 0, err
    for spec in specs:
        path = tmp_path / "nova-specs" / spec.path
        assert path.read_bytes() == spec.text().encode("utf-8")
        record = json.loads(sidecar_path(path).read_text())
        assert record["spec"] == f"nova/{spec.slug}" and record["version"] == spec.version
    assert "Cloned 2 specs of nova" in err


def test_a_cloned_file_is_pushed_back_without_naming_its_spec(run, specs, tmp_path):
    run("clone", "nova", str(tmp_path))
    path = tmp_path / specs[0].path
    path.write_bytes(
        path.read_bytes().replace(
            b"Problem description\n===================\n",
            b"Problem description\n===================\n\nResizing needs a reboot today.\n",
            1,
        )
    )

    code, _, err = run("push", str(path))

    assert code == 0, err
    assert "Resizing needs a reboot today." in Spec.objects.get(pk=specs[0].pk).text()


def test_a_stale_clone_is_refused_on_push(run, specs, alice, tmp_path):
    run("clone", "nova", str(tmp_path))
    write(specs[0], alice, problem_description="Changed on the site meanwhile.\n")
    path = tmp_path / specs[0].path
    path.write_bytes(path.read_bytes() + b"\n")

    code, _, err = run("push", str(path))

    assert code == 1 and "Someone else changed nova/live-resize" in err


def test_it_refuses_a_folder_with_files_in_it(run, specs, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    code, _, err = run("clone", "nova", str(tmp_path))
    assert code == 1 and "is not empty" in err


def test_an_unknown_project_is_an_error(run, specs, tmp_path):
    code, _, err = run("clone", "glance", str(tmp_path / "glance"))
    assert code == 1 and "No specs in project “glance”" in err
