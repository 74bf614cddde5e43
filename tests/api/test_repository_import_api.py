"""/api/v1/projects/<slug>/import-repository/: upload a repository archive; the answer is the report."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from specs_app.models import Spec
from specs_app.transfer import archives
from tests.repository_archives import FOLDER, TOP, Link, archive, cinder_repository, spec_paths

URL = "/api/v1/projects/cinder/import-repository/"


def post(client, path: Path, **data):
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/gzip")
    return client.post(URL, {"archive": upload, **data}, format="multipart")


@pytest.fixture
def repository():
    return cinder_repository()


@pytest.fixture
def tarball(tmp_path, repository):
    return archive(tmp_path / "cinder-specs-master.tar.gz", repository)


def test_it_imports_the_repository_and_answers_with_the_report(api_as, alice, project, tarball, repository):
    response = post(api_as(alice), tarball)

    assert response.status_code == 201, response.json()
    report = response.json()
    assert report["repository"] == TOP
    assert report["project"] == "cinder"
    assert report["counts"]["imported"] == 3 and report["counts"]["failed"] == 0
    assert set(report["counts"]) == {"imported", "replaced", "unchanged", "kept", "template", "failed"}
    specs = {file["path"]: file for file in report["files"] if file["kind"] == "spec"}
    assert sorted(specs) == spec_paths(repository)
    for path, file in specs.items():
        spec = Spec.objects.get(project=project, path=path)
        assert file["outcome"] == "imported"
        assert file["spec"]["slug"] == spec.slug
        assert file["spec"]["url"] == f"/api/v1/specs/{spec.pk}/"
        assert spec.text().encode() == repository[f"{TOP}/{path}"]


def test_a_second_upload_changes_nothing_and_says_so(api_as, alice, project, tarball):
    client = api_as(alice)
    post(client, tarball)

    response = post(client, tarball)

    assert response.status_code == 200
    report = response.json()
    assert report["counts"]["imported"] == report["counts"]["failed"] == 0
    assert {file["outcome"] for file in report["files"]} == {"unchanged"}


def test_a_zip_works_as_well(api_as, alice, project, tmp_path):
    response = post(api_as(alice), archive(tmp_path / "cinder.zip", cinder_repository()))

    assert response.status_code == 201
    assert Spec.objects.filter(project=project).count() == 3


class TestPermissions:
    def test_anonymous_requests_are_refused(self, api, project, tarball):
        response = post(api, tarball)

        assert response.status_code == 401
        assert not Spec.objects.exists()

    def test_anyone_signed_in_may_import_as_they_may_create_specs(self, api_as, bob, project, tarball):
        assert post(api_as(bob), tarball).status_code == 201

    def test_replacing_someone_elses_spec_is_reported_not_done(self, api_as, alice, bob, project, tmp_path):
        entries = cinder_repository()
        post(api_as(alice), archive(tmp_path / "a.tar.gz", entries))
        path = spec_paths(entries)[0]
        changed = entries | {f"{TOP}/{path}": entries[f"{TOP}/{path}"] + b"\nMore.\n"}

        by_bob = post(api_as(bob), archive(tmp_path / "b.tar.gz", changed), replace="true")
        by_alice = post(api_as(alice), archive(tmp_path / "c.tar.gz", changed), replace="true")

        assert by_bob.status_code == 200
        failure = next(file for file in by_bob.json()["files"] if file["path"] == path)
        assert failure["outcome"] == "failed" and "owner" in failure["reason"]
        assert by_alice.json()["counts"]["replaced"] == 1
        assert Spec.objects.get(path=path).text().endswith("More.\n")

    def test_a_missing_project_is_404(self, api_as, alice, db, tarball):
        assert post(api_as(alice), tarball).status_code == 404


@pytest.mark.parametrize(
    ("entries", "status", "says"),
    [
        ({f"{TOP}/../escape.rst": b"x"}, 400, "climbs out of the repository"),
        ({"/etc/escape.rst": b"x"}, 400, "absolute"),
        ({f"{TOP}/specs/out": Link("/etc")}, 400, "outside the repository"),
        ({f"{TOP}/n/{n}": b"" for n in range(40)}, 413, "more than 30 files and folders"),
        ({f"{TOP}/zeros": bytes(3 * 2**20)}, 413, "zip bomb"),
    ],
    ids=["dotdot", "absolute", "link", "members", "bomb"],
)
def test_it_refuses_hostile_archives(api_as, alice, project, tmp_path, settings, entries, status, says):
    settings.REPOSITORY_ARCHIVE_MAX_FILES = 30
    settings.REPOSITORY_ARCHIVE_MAX_UNPACKED_BYTES = 2**20

    response = post(api_as(alice), archive(tmp_path / "evil.tar.gz", cinder_repository() | entries))

    assert response.status_code == status
    body = response.json()
    assert says in body["message"]
    if status == 400:
        assert says in " ".join(body["errors"]["archive"])
    assert not Spec.objects.exists()


def test_it_refuses_what_is_not_a_repository_archive(api_as, alice, project, tmp_path):
    notes = tmp_path / "notes.zip"
    notes.write_bytes(b"not a zip at all")
    no_specs = archive(tmp_path / "docs.tar.gz", {f"{TOP}/": FOLDER, f"{TOP}/doc/index.rst": b"x\n"})
    client = api_as(alice)

    assert "is not a .tar.gz, .tgz, .tar or .zip archive" in post(client, notes).json()["message"]
    assert "There is no specs/ folder in the archive" in post(client, no_specs).json()["message"]
    assert post(client, no_specs).status_code == 400


def test_it_asks_for_the_archive(api_as, alice, project):
    response = api_as(alice).post(URL, {"replace": "true"}, format="multipart")

    assert response.status_code == 400
    assert "archive" in response.json()["errors"]


def test_an_upload_over_the_limit_is_413(api_as, alice, project, tarball, settings):
    settings.REPOSITORY_ARCHIVE_MAX_BYTES = tarball.stat().st_size - 1

    response = post(api_as(alice), tarball)

    assert response.status_code == 413
    assert "an uploaded repository may have at most" in response.json()["message"]


def test_a_body_over_the_limit_is_refused_unread(api_as, alice, project, settings):
    settings.REPOSITORY_ARCHIVE_MAX_BYTES = 1000

    response = api_as(alice).generic(
        "POST",
        URL,
        b"x" * 10,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(1000 + archives.REQUEST_OVERHEAD_BYTES + 1),
    )

    assert response.status_code == 413
    assert "The upload is" in response.json()["message"]


def test_it_is_in_the_openapi_schema(db, tmp_path):
    schema = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(schema), stderr=io.StringIO())

    operation = json.loads(schema.read_text())["paths"]["/api/v1/projects/{slug}/import-repository/"]["post"]

    body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"]
    assert body.endswith("/RepositoryImportRequest")
    assert {"200", "201", "400", "401", "403", "413"} <= set(operation["responses"])
