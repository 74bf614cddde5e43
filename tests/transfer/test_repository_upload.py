"""Importing a whole specs repository in the browser: upload an archive, get the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from specs_app.models import RepositoryFile, Spec
from specs_app.transfer import archives
from tests.helpers import client_for, html_tree
from tests.repository_archives import FOLDER, TOP, Link, archive, cinder_repository, spec_paths

URL = "/p/cinder/import/repository/"


def upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/octet-stream")


def post(client: Client, path: Path, **data):
    return client.post(URL, {"archive": upload(path), **data})


@pytest.fixture
def repository():
    return cinder_repository()


@pytest.fixture
def tarball(tmp_path, repository):
    return archive(tmp_path / "cinder-specs-master.tar.gz", repository)


def message(response) -> str:
    """The page's text around the form: its errors."""
    return " ".join(html_tree(response.content).find("main").text.split())


class TestWhoMayImport:
    def test_anonymous_people_are_sent_to_sign_in(self, client, project, tarball):
        for response in (client.get(URL), post(client, tarball)):
            assert response.status_code == 302
            assert response["Location"].startswith(f"{reverse('login')}?next=")
        assert not Spec.objects.exists()

    def test_anyone_signed_in_may_import_as_they_may_create_specs(self, bob_client, project, tarball):
        assert bob_client.get(URL).status_code == 200

        response = post(bob_client, tarball)

        assert response.status_code == 200
        assert Spec.objects.filter(project=project).count() == 3
        assert set(Spec.objects.values_list("owner__username", flat=True)) == {"bob"}

    def test_replacing_needs_the_right_to_edit_the_spec(
        self, tmp_path, client, alice, bob, password, project, repository
    ):
        post(client_for(alice, password), archive(tmp_path / "first.tar.gz", repository))
        path = spec_paths(repository)[0]
        changed = repository | {f"{TOP}/{path}": repository[f"{TOP}/{path}"] + b"\nA late addition.\n"}
        second = archive(tmp_path / "second.tar.gz", changed)

        refused = post(client_for(bob, password), second, replace="on")
        replaced = post(client_for(alice, password), second, replace="on")

        assert refused.status_code == 200
        failed = html_tree(refused.content).find("ul", class_="repository-report__files--failed")
        assert path in failed.text and "owner" in failed.text
        assert replaced.status_code == 200
        assert Spec.objects.get(path=path).text().endswith("A late addition.\n")

    def test_the_project_page_and_the_file_import_page_link_to_it(self, alice_client, project):
        for page in ("/p/cinder/", "/p/cinder/import/"):
            links = html_tree(alice_client.get(page).content).find_all("a")
            assert URL in [link.attrs.get("href") for link in links]

    def test_a_post_without_the_csrf_token_is_refused(self, alice, project, tarball):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(alice)

        assert post(browser, tarball).status_code == 403
        assert not Spec.objects.exists()


class TestImport:
    @pytest.mark.parametrize("name", ["cinder-specs-master.tar.gz", "cinder.tgz", "cinder.zip", "cinder.tar"])
    def test_it_imports_every_spec_at_its_path_byte_for_byte(self, alice_client, project, tmp_path, name):
        entries = cinder_repository()

        response = post(alice_client, archive(tmp_path / name, entries))

        assert response.status_code == 200
        for path in spec_paths(entries):
            assert Spec.objects.get(project=project, path=path).text().encode() == entries[f"{TOP}/{path}"]

    def test_the_report_counts_outcomes_and_links_the_new_specs(
        self, alice_client, project, tarball, repository
    ):
        page = html_tree(post(alice_client, tarball).content)

        report = page.find("section", class_="repository-report")
        assert f"Imported {TOP} into Cinder" in report.find("h1").text
        imported = page.find("div", class_="outcome--imported")
        assert imported.find("span", class_="outcome__count").text == "3"
        links = page.find("ul", class_="repository-report__files--imported").find_all("a")
        assert sorted(link.attrs["href"] for link in links) == sorted(
            spec.get_absolute_url() for spec in Spec.objects.filter(project=project)
        )

    def test_a_second_upload_reports_everything_unchanged(self, alice_client, project, tarball):
        post(alice_client, tarball)
        before = {spec.pk: spec.version for spec in Spec.objects.all()}

        page = html_tree(post(alice_client, tarball).content)

        counts = {
            node.attrs["data-outcome"]: int(node.find("span", class_="outcome__count").text)
            for node in page.find_all("div", class_="outcome")
        }
        assert counts["imported"] == counts["failed"] == 0
        assert counts["unchanged"] >= 3
        assert {spec.pk: spec.version for spec in Spec.objects.all()} == before

    def test_it_keeps_links_and_reports_failures_with_their_reasons(self, alice_client, project, tmp_path):
        entries = cinder_repository() | {
            f"{TOP}/specs/juno/redirect.rst": Link("../template.rst"),
            f"{TOP}/specs/juno/not-utf8.rst": "Título\n======\n".encode("latin-1"),
        }

        page = html_tree(post(alice_client, archive(tmp_path / "r.tar.gz", entries)).content)

        assert RepositoryFile.objects.filter(project=project, path="specs/juno/redirect.rst").exists()
        failed = page.find("ul", class_="repository-report__files--failed")
        assert "specs/juno/not-utf8.rst" in failed.text
        assert "UTF-8" in failed.text


def hostile(tmp_path: Path) -> dict[str, tuple[Path, int, str]]:
    """Archives that must be refused: what each is, its status, and words of the message."""
    repository = cinder_repository()
    not_archive = tmp_path / "notes.tar.gz"
    not_archive.write_bytes(b"Just some notes, not an archive.\n")
    return {
        "escape": (archive(tmp_path / "escape.tar.gz", repository | {f"{TOP}/../../x.rst": b"x"}), 400, ".."),
        "absolute": (archive(tmp_path / "absolute.zip", repository | {"/tmp/x.rst": b"x"}), 400, "absolute"),
        "link": (
            archive(tmp_path / "link.tar.gz", repository | {f"{TOP}/specs/etc": Link("../../../etc")}),
            400,
            "outside the repository",
        ),
        "many": (
            archive(tmp_path / "many.zip", repository | {f"{TOP}/n/{n}": b"" for n in range(40)}),
            413,
            "more than 30 files and folders",
        ),
        "bomb": (
            archive(tmp_path / "bomb.zip", repository | {f"{TOP}/zeros": bytes(3 * 2**20)}),
            413,
            "zip bomb",
        ),
        "not an archive": (not_archive, 400, "is not a .tar.gz, .tgz, .tar or .zip archive"),
        "no specs": (
            archive(tmp_path / "nospecs.tar.gz", {f"{TOP}/": FOLDER, f"{TOP}/README.rst": b"x\n"}),
            400,
            "There is no specs/ folder in the archive",
        ),
    }


@pytest.mark.parametrize("case", ["escape", "absolute", "link", "many", "bomb", "not an archive", "no specs"])
def test_it_refuses_a_hostile_or_wrong_archive_with_the_reason(
    alice_client, project, tmp_path, settings, case
):
    settings.REPOSITORY_ARCHIVE_MAX_FILES = 30
    settings.REPOSITORY_ARCHIVE_MAX_UNPACKED_BYTES = 2**20
    path, status, says = hostile(tmp_path)[case]

    response = post(alice_client, path)

    assert response.status_code == status
    assert says in message(response)
    assert not Spec.objects.exists()
    assert not (tmp_path / "x.rst").exists()


def test_it_refuses_an_oversized_upload_with_413(alice_client, project, tmp_path, settings):
    path = archive(tmp_path / "big.tar", cinder_repository())
    settings.REPOSITORY_ARCHIVE_MAX_BYTES = path.stat().st_size - 1

    response = post(alice_client, path)

    assert response.status_code == 413
    assert "an uploaded repository may have at most" in message(response)


def test_it_refuses_a_body_over_the_limit_before_reading_it(alice_client, project, settings):
    settings.REPOSITORY_ARCHIVE_MAX_BYTES = 1000
    length = 1000 + archives.REQUEST_OVERHEAD_BYTES + 1

    response = alice_client.post(
        URL, data=b"x" * 10, content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(length)
    )

    assert response.status_code == 413
    assert "The upload is" in message(response)


def test_it_asks_for_the_archive(alice_client, project):
    response = alice_client.post(URL, {"replace": "on"})

    assert response.status_code == 400
    assert "Choose the repository's archive" in message(response)


@pytest.mark.django_db(transaction=True)
def test_the_script_gets_the_import_progress_line_by_line_then_the_report(
    alice, password, tmp_path, monkeypatch
):
    from specs_app.authoring import services

    services.create_project(name="Cinder", slug="cinder")
    made: list[str] = []
    mkdtemp = archives.tempfile.mkdtemp

    def recording_mkdtemp(**kwargs) -> str:
        made.append(mkdtemp(**kwargs))
        return made[-1]

    monkeypatch.setattr(archives.tempfile, "mkdtemp", recording_mkdtemp)
    entries = cinder_repository()
    browser = client_for(alice, password)

    response = browser.post(
        URL,
        {"archive": upload(archive(tmp_path / "r.tar.gz", entries))},
        HTTP_ACCEPT="application/x-ndjson, text/html;q=0.9",
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    events = [json.loads(line) for line in b"".join(response.streaming_content).splitlines() if line.strip()]
    progress, last = events[:-1], events[-1]
    assert [event["done"] for event in progress] == list(range(1, len(progress) + 1))
    assert {event["total"] for event in progress} == {len(progress)}
    assert set(spec_paths(entries)) <= {event["path"] for event in progress}
    assert last["event"] == "done"
    assert "imported 3" in last["summary"]
    assert "repository-report" in last["html"]
    assert Spec.objects.count() == 3
    # The unpacked folder goes once the import is over, in the thread that ran it.
    assert made and not Path(made[0]).exists()


def test_the_script_gets_a_refusal_as_the_page_would(alice_client, project, tmp_path):
    path = tmp_path / "notes.zip"
    path.write_bytes(b"not a zip")

    response = alice_client.post(URL, {"archive": upload(path)}, HTTP_ACCEPT="application/x-ndjson")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "is not a .tar.gz, .tgz, .tar or .zip archive" in message(response)
