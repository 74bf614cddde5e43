"""Downloading a spec's .rst file: public, exact, and git-ready for a spec written here."""

from __future__ import annotations

import pytest
from django.urls import reverse

from specs_app.authoring import services
from specs_app.rst.patch import whitespace_problems
from specs_app.transfer import importing
from tests.helpers import corpus_path


def rst_url(spec) -> str:
    return reverse(
        "specs:spec-export-rst", kwargs={"project_slug": spec.project.slug, "spec_slug": spec.slug}
    )


def fill(spec, actor, *, intro: str, text: str, title: str | None = None):
    """Save ``text`` (with its {index}) in every section of ``spec``, as the editor would."""
    sections = {
        section.pk: services.SectionEdit(text=text.format(index=index), base_version=section.version)
        for index, section in enumerate(spec.sections.order_by("position"))
    }
    return services.update_spec(
        actor=actor,
        spec=spec,
        base_version=spec.version,
        title=title or spec.title,
        release=spec.release,
        intro=intro,
        sections=sections,
    )


class TestRstDownload:
    def test_it_is_the_spec_text_as_an_attachment(self, client, spec):
        response = client.get(rst_url(spec))
        assert response.status_code == 200
        assert response.content == spec.text().encode("utf-8")
        assert response["Content-Type"] == "text/x-rst; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="multi-attach.rst"'

    def test_anyone_may_download(self, client, bob_client, spec):
        assert client.get(rst_url(spec)).status_code == 200
        assert bob_client.get(rst_url(spec)).status_code == 200

    @pytest.mark.parametrize("slug", ["vmdk-oslo.vmware", "nvme_of+raid-1", "v2.0"])
    def test_spec_names_with_dots_plus_signs_and_underscores_resolve(self, client, project, alice, slug):
        spec = services.create_spec(actor=alice, project=project, title="Odd name", release="kilo", slug=slug)
        response = client.get(rst_url(spec))
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{slug}.rst"'

    def test_an_unknown_spec_is_404(self, client, project):
        assert client.get("/p/cinder/nope/export.rst").status_code == 404
        assert client.get("/p/nope/nope/export.patch").status_code == 404

    def test_only_get_is_allowed(self, alice_client, spec):
        assert alice_client.post(rst_url(spec)).status_code == 405

    def test_non_ascii_text_is_sent_as_utf8(self, client, spec, alice):
        spec = fill(spec, alice, intro="Zürich ☃ naïve", text="Ω {index}")
        spec.refresh_from_db()
        response = client.get(rst_url(spec))
        assert "Zürich ☃ naïve" in response.content.decode("utf-8")
        assert response.content == spec.text().encode("utf-8")

    def test_an_imported_spec_downloads_byte_for_byte(self, client, project, alice):
        # kilo/nfs-backup.rst ends in a blank line: not git-clean, and kept so.
        path = corpus_path("cinder-specs", "specs", "kilo", "nfs-backup.rst")
        report = importing.import_spec(
            actor=alice, project=project, source=path.read_bytes(), release="kilo", filename=path.name
        )
        assert client.get(rst_url(report.spec)).content == path.read_bytes()
        assert whitespace_problems(path.read_text(encoding="utf-8")) == [
            "1 blank line at the end of the file"
        ]


class TestWrittenHereIsGitReady:
    """A spec written through the services follows git's whitespace rules without any fixing."""

    def assert_git_ready(self, text: str):
        assert whitespace_problems(text) == []
        assert text.endswith("\n") and not text.endswith("\n\n")

    def test_a_new_spec_is_git_ready(self, spec):
        self.assert_git_ready(spec.text())

    def test_a_spec_saved_from_a_browser_is_git_ready(self, spec, alice):
        # Textareas send CRLF; authors leave trailing blanks and blank lines.
        spec = fill(
            spec,
            alice,
            title="Multi-attach, again  ",
            intro="Why we do this.  \r\n\r\n\r\n",
            text="Section {index} text.\t \r\n\r\n* a point   \r\n\r\n\r\n",
        )
        spec.refresh_from_db()
        self.assert_git_ready(spec.text())

    def test_a_spec_with_every_section_emptied_again_is_git_ready(self, spec, alice):
        spec = fill(spec, alice, intro="Intro.", text="Text {index}.")
        spec = fill(spec, alice, intro="", text="")
        spec.refresh_from_db()
        self.assert_git_ready(spec.text())
