"""Importing an existing .rst spec: kept byte for byte, sections linked, departures reported."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse

from specs_app.authoring import services
from specs_app.models import Spec, SpecStatus
from specs_app.rst.safety import MAX_SPEC_CHARACTERS
from specs_app.transfer import importing

LICENCE = """..
 This work is licensed under a Creative Commons Attribution 3.0 Unported
 License.

 http://creativecommons.org/licenses/by/3.0/legalcode

"""

# A kilo-era cinder spec: no "Active/Active HA impact", most "Proposed change"
# subsections left out, an extra "Cinder-client impact" subsection, "use  cases"
# spelled loosely, subsections adorned with "~", odd spacing and trailing blanks.
SAMPLE = (
    LICENCE
    + """============================
NFS backup driver for Cinder
============================

https://blueprints.launchpad.net/cinder/+spec/nfs-backup [1]

Currently, cinder-backup doesn't support backup to an NFS-supplied
data repository.

Problem description
===================

* Backups need somewhere to go.\x20\x20\x20


use  cases
==========
Operators with NFS.

Proposed change
===============

Add a driver.

Alternatives
~~~~~~~~~~~~

None.

Cinder-client impact
~~~~~~~~~~~~~~~~~~~~

None.

Implementation
==============

Assignee(s)
~~~~~~~~~~~

Primary assignee:
  someone

Work Items
~~~~~~~~~~

* Write it.

Dependencies
============

None.

Testing
=======

Unit tests.

Documentation Impact
====================

Docs.

References
==========

.. [1] https://blueprints.launchpad.net/cinder/+spec/nfs-backup


"""
)


def _import(actor, project, text: str | bytes = SAMPLE, **kwargs):
    kwargs.setdefault("release", "kilo")
    kwargs.setdefault("filename", "nfs-backup.rst")
    source = text.encode("utf-8") if isinstance(text, str) else text
    return importing.import_spec(actor=actor, project=project, source=source, **kwargs)


class TestImportService:
    def test_it_keeps_the_imported_bytes_exactly(self, project, alice):
        report = _import(alice, project)
        assert report.created and not report.replaced
        assert Spec.objects.get(pk=report.spec.pk).text() == SAMPLE

    def test_it_keeps_carriage_returns_and_a_missing_final_newline(self, project, alice):
        text = SAMPLE.replace("\n", "\r\n").rstrip("\r\n")
        report = _import(alice, project, text)
        assert Spec.objects.get(pk=report.spec.pk).text() == text
        assert any("carriage returns" in note for note in report.notes)
        assert any("no newline at the end" in note for note in report.notes)

    def test_it_keeps_the_licence_title_blueprint_and_introduction(self, project, alice):
        spec = _import(alice, project).spec
        assert spec.prologue == LICENCE
        assert spec.title == "NFS backup driver for Cinder"
        assert spec.title_heading.startswith("====")
        assert spec.blueprint_url == "https://blueprints.launchpad.net/cinder/+spec/nfs-backup"
        assert "doesn't support backup" in spec.intro
        assert spec.slug == "nfs-backup"
        assert spec.release == "kilo"
        assert spec.path == "specs/kilo/nfs-backup.rst"
        assert spec.owner == alice

    def test_it_links_sections_to_the_template_by_title(self, project, alice):
        spec = _import(alice, project).spec
        linked = {section.title: section.template_section for section in spec.sections.all()}
        assert linked["Problem description"].title == "Problem description"
        # Case and whitespace aside, "use  cases" is the template's "Use Cases".
        assert linked["use  cases"].title == "Use Cases"
        assert linked["Alternatives"].parent.title == "Proposed change"
        assert linked["Work Items"].parent.title == "Implementation"

    def test_it_keeps_extra_sections_in_place_with_their_own_title(self, project, alice):
        report = _import(alice, project)
        sections = list(report.spec.sections.order_by("position"))
        extra = next(section for section in sections if section.title == "Cinder-client impact")
        assert extra.template_section is None
        assert sections[extra.position - 1].title == "Alternatives"
        assert report.extra_sections == ["Proposed change > Cinder-client impact"]

    def test_it_reports_missing_sections_without_adding_them(self, project, alice):
        report = _import(alice, project)
        assert "Proposed change > Active/Active HA impact" in report.missing_sections
        assert "Proposed change > Data model impact" in report.missing_sections
        assert "Use Cases" not in report.missing_sections
        titles = set(report.spec.sections.values_list("title", flat=True))
        assert "Active/Active HA impact" not in titles
        assert report.spec.sections.count() == 12

    def test_a_subsection_matches_only_under_its_parent(self, project, alice):
        text = SAMPLE.replace("Alternatives\n~~~~~~~~~~~~", "Alternatives\n============")
        report = _import(alice, project, text)
        alternatives = report.spec.sections.get(title="Alternatives")
        assert alternatives.template_section is None
        assert "Proposed change > Alternatives" in report.missing_sections
        assert any("“Alternatives” is where the template has" in note for note in report.notes)
        assert report.spec.text() == text

    def test_a_missing_section_hides_its_own_subsections_from_the_report(self, project, alice):
        start = SAMPLE.index("Implementation\n===")
        text = SAMPLE[:start] + SAMPLE[SAMPLE.index("Dependencies\n===") :]
        report = _import(alice, project, text)
        assert "Implementation" in report.missing_sections
        assert not any(title.startswith("Implementation >") for title in report.missing_sections)

    def test_it_prefers_the_projects_own_blueprint_link(self, project, alice):
        text = SAMPLE.replace(
            "https://blueprints.launchpad.net/cinder/+spec/nfs-backup [1]",
            "See https://blueprints.launchpad.net/nova/+spec/other and\n"
            "https://blueprints.launchpad.net/cinder/+spec/nfs-backup.",
        )
        spec = _import(alice, project, text).spec
        assert spec.blueprint_url == "https://blueprints.launchpad.net/cinder/+spec/nfs-backup"

    def test_it_names_the_spec_after_the_file_and_notes_a_different_blueprint(self, project, alice):
        report = _import(alice, project, filename="specs/kilo/backup-to-nfs.rst")
        assert report.spec.slug == "backup-to-nfs"
        assert any("its blueprint is “nfs-backup”" in note for note in report.notes)

    def test_it_falls_back_to_the_blueprint_name_for_an_unusable_file_name(self, project, alice):
        report = _import(alice, project, filename="nfs backup (1).rst")
        assert report.spec.slug == "nfs-backup"

    def test_it_refuses_a_file_it_cannot_name(self, project, alice):
        text = SAMPLE.replace("https://blueprints.launchpad.net/cinder/+spec/nfs-backup", "")
        with pytest.raises(ValidationError, match="Cannot name the spec"):
            _import(alice, project, text, filename="")

    def test_it_imports_a_spec_without_sections_and_reports_every_section_missing(self, project, alice):
        text = LICENCE + "=====\nLite\n=====\n\n:problem: Something.\n:solution: Fix it.\n"
        report = _import(alice, project, text, filename="spec-lite-thing.rst")
        assert report.spec.text() == text
        assert report.missing_sections[:2] == ["Problem description", "Use Cases"]
        assert any("no sections" in note for note in report.notes)

    def test_it_refuses_an_existing_name_without_replace(self, project, alice):
        _import(alice, project)
        with pytest.raises(ValidationError, match="already has a spec named “nfs-backup”"):
            _import(alice, project, SAMPLE.replace("Add a driver.", "Add two drivers."))

    def test_replace_replaces_the_sections_and_bumps_the_version(self, project, alice):
        first = _import(alice, project).spec
        changed = SAMPLE.replace("Add a driver.", "Add two drivers.").replace(
            "Testing\n=======", "Tests\n====="
        )
        report = _import(alice, project, changed, release="liberty", replace=True)
        assert report.replaced and not report.created
        spec = Spec.objects.get(pk=first.pk)
        assert spec.version == first.version + 1
        assert spec.release == "liberty"
        assert spec.text() == changed
        assert "Testing" in report.missing_sections
        assert Spec.objects.filter(project=project).count() == 1

    def test_replace_does_not_overwrite_merged_text(self, project, alice):
        spec = _import(alice, project).spec
        Spec.objects.filter(pk=spec.pk).update(status=SpecStatus.MERGED)
        with pytest.raises(ValidationError, match="merged, so its text is locked"):
            _import(alice, project, SAMPLE.replace("Add a driver.", "Add two drivers."), replace=True)
        assert Spec.objects.get(pk=spec.pk).text() == SAMPLE

    def test_importing_the_same_text_again_changes_nothing(self, project, alice, bob):
        first = _import(alice, project).spec
        report = _import(bob, project)
        assert report.unchanged and report.outcome == "unchanged"
        assert Spec.objects.get(pk=first.pk).version == first.version

    def test_another_user_may_not_replace_a_spec(self, project, alice, bob):
        _import(alice, project)
        with pytest.raises(PermissionDenied):
            _import(bob, project, SAMPLE.replace("Add a driver.", "Sabotage."), replace=True)
        assert "Add a driver." in Spec.objects.get(slug="nfs-backup").text()

    def test_co_authors_and_staff_may_replace_a_spec(self, project, alice, bob, staff):
        spec = _import(alice, project).spec
        services.set_co_authors(actor=alice, spec=spec, co_authors=[bob])
        assert _import(bob, project, SAMPLE + "\n", replace=True).replaced
        assert _import(staff, project, SAMPLE, replace=True).replaced

    def test_anonymous_users_may_not_import(self, project):
        with pytest.raises(PermissionDenied):
            _import(AnonymousUser(), project)

    def test_it_refuses_a_file_over_the_size_limit(self, project, alice):
        text = SAMPLE + ".. " + "x" * MAX_SPEC_CHARACTERS + "\n"
        with pytest.raises(ValidationError, match="the limit is 200,000 characters"):
            _import(alice, project, text)

    def test_it_refuses_non_utf8_bytes(self, project, alice):
        with pytest.raises(ValidationError, match="not UTF-8"):
            _import(alice, project, SAMPLE.encode("utf-8") + "é".encode("latin-1"))

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "empty"),
            ("  \n\n", "empty"),
            ("Just a paragraph.\n", "no title"),
            (LICENCE, "no title"),
            ("=====\nTitle\n=====\n\x00\n", "NUL"),
        ],
        ids=["empty", "blank", "no-headings", "licence-only", "nul"],
    )
    def test_it_refuses_a_file_that_is_not_a_spec(self, project, alice, text, message):
        with pytest.raises(ValidationError, match=message):
            _import(alice, project, text)

    def test_it_refuses_an_overlong_title_clearly(self, project, alice):
        title = "T" * 250
        text = SAMPLE.replace("NFS backup driver for Cinder", title).replace("=" * 28, "=" * 250)
        with pytest.raises(ValidationError, match="title is 250 characters"):
            _import(alice, project, text)

    def test_it_refuses_an_invalid_release(self, project, alice):
        with pytest.raises(ValidationError, match="release"):
            _import(alice, project, release="../etc")

    def test_it_uses_the_projects_template_for_the_release(self, project, alice):
        source = project.templates.get(release="").source
        kilo = services.load_template(project=project, source=source, release="kilo")
        assert _import(alice, project).spec.template == kilo
        assert _import(alice, project, filename="other.rst", release="juno").spec.template.release == ""


class TestImportPage:
    def url(self, project):
        return reverse("specs:spec-import", kwargs={"project_slug": project.slug})

    def upload(self, client, project, content: bytes = SAMPLE.encode(), name="nfs-backup.rst", **data):
        data = {"release": "kilo", "file": SimpleUploadedFile(name, content, "text/x-rst"), **data}
        return client.post(self.url(project), data)

    def test_the_import_url_is_not_taken_by_the_spec_page(self, project):
        assert resolve(self.url(project)).url_name == "spec-import"

    def test_anonymous_import_redirects_to_login(self, client, project):
        for response in (client.get(self.url(project)), self.upload(client, project)):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))
        assert not Spec.objects.exists()

    def test_it_shows_the_form(self, alice_client, project):
        response = alice_client.get(self.url(project))
        assert response.status_code == 200
        assert b'enctype="multipart/form-data"' in response.content
        assert b"csrfmiddlewaretoken" in response.content

    def test_an_upload_imports_and_shows_the_report(self, alice_client, project, alice):
        response = self.upload(alice_client, project)
        assert response.status_code == 200
        spec = Spec.objects.get(project=project, slug="nfs-backup")
        assert spec.text() == SAMPLE and spec.owner == alice
        page = response.content.decode()
        assert "Imported" in page
        assert "Proposed change &gt; Active/Active HA impact" in page
        assert "Proposed change &gt; Cinder-client impact" in page
        assert spec.get_absolute_url() in page
        assert (
            reverse("specs:spec-export-rst", kwargs={"project_slug": "cinder", "spec_slug": "nfs-backup"})
            in page
        )

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("junk.rst", bytes(range(256)) * 4, "not UTF-8"),
            ("empty.rst", b"", "The file is empty."),
            ("blank.rst", b"\n\n", "The file is empty."),
            ("notes.rst", b"Just a paragraph.\n", "no title"),
            ("spec.docx", SAMPLE.encode(), "Choose an .rst file"),
            ("huge.rst", b"x" * (MAX_SPEC_CHARACTERS * 4 + 1), "a spec file may have at most"),
            ("long.rst", SAMPLE.encode() + b"x" * MAX_SPEC_CHARACTERS, "the limit is 200,000 characters"),
        ],
        ids=["binary-junk", "empty", "blank", "no-title", "wrong-extension", "huge", "too-many-characters"],
    )
    def test_a_bad_upload_is_shown_on_the_form_not_a_500(self, alice_client, project, name, content, message):
        response = self.upload(alice_client, project, content, name=name)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Spec.objects.exists()

    def test_it_refuses_non_utf8_upload(self, alice_client, project):
        response = self.upload(alice_client, project, SAMPLE.encode("utf-16"))
        assert "not UTF-8" in response.content.decode()
        assert not Spec.objects.exists()

    def test_a_missing_file_or_release_is_a_form_error(self, alice_client, project):
        response = alice_client.post(self.url(project), {"release": ""})
        page = response.content.decode()
        assert response.status_code == 200
        assert "Choose the spec&#x27;s .rst file." in page or "Choose the spec's .rst file." in page
        assert "Name the release" in page

    def test_an_existing_name_is_refused_on_the_form(self, alice_client, project, alice):
        _import(alice, project)
        response = self.upload(alice_client, project, SAMPLE.replace("Add a driver.", "New.").encode())
        assert response.status_code == 200
        assert "already has a spec named" in response.content.decode()

    def test_another_users_replace_is_refused_with_403(self, bob_client, project, alice):
        _import(alice, project)
        response = self.upload(bob_client, project, b"=====\nMine\n=====\n\nX\n=\n", replace="on")
        assert response.status_code == 403
        assert "only its owner" in response.content.decode()
        assert Spec.objects.get(slug="nfs-backup").text() == SAMPLE

    def test_the_owner_may_replace_from_the_page(self, alice_client, project, alice):
        _import(alice, project)
        changed = SAMPLE.replace("Add a driver.", "Add two drivers.")
        response = self.upload(alice_client, project, changed.encode(), replace="on")
        assert response.status_code == 200
        assert "Replaced" in response.content.decode()
        assert Spec.objects.get(slug="nfs-backup").text() == changed

    def test_an_unknown_project_is_404(self, alice_client):
        assert alice_client.get("/p/nope/import/").status_code == 404

    def test_csrf_is_enforced(self, project, alice, password):
        client = Client(enforce_csrf_checks=True)
        client.login(username="alice", password=password)
        response = self.upload(client, project)
        assert response.status_code == 403
        assert not Spec.objects.exists()
