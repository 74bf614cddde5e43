"""The spec as a ``git format-patch`` mbox, checked with real ``git am``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from django.urls import reverse

from specs_app.authoring import services
from specs_app.rst import patch
from specs_app.transfer import exporting, importing
from tests.helpers import corpus_path
from tests.transfer.test_export import fill

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")
DATE = datetime(2026, 3, 3, 10, 30, tzinfo=UTC)


def git(repo: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    # No user or system configuration: the test sees git's defaults wherever it runs.
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "HOME": str(repo)}
    identity = [
        "-c",
        "user.name=Spec Tester",
        "-c",
        "user.email=tester@example.org",
        "-c",
        "commit.gpgsign=false",
    ]
    return subprocess.run(
        [GIT, *identity, *args], cwd=repo, env=env, input=stdin, capture_output=True, check=False
    )


def specs_repository(root: Path, *releases: str) -> Path:
    """A repository laid out like the corpus: specs/<release>/.placeholder, committed."""
    root.mkdir()
    assert git(root, "init", "-q").returncode == 0
    for release in releases:
        (root / "specs" / release).mkdir(parents=True)
        (root / "specs" / release / ".placeholder").write_bytes(b"")
    git(root, "add", ".")
    assert git(root, "commit", "-q", "-m", "Start the specs repository").returncode == 0
    return root


def apply(repo: Path, mbox: str) -> subprocess.CompletedProcess:
    patch_file = repo.parent / "0001.patch"
    patch_file.write_bytes(mbox.encode("utf-8"))
    result = git(repo, "am", str(patch_file))
    assert result.returncode == 0, result.stderr.decode() + result.stdout.decode()
    return result


def last_commit(repo: Path, format: str) -> str:
    return git(repo, "log", "-1", f"--format={format}").stdout.decode("utf-8")


def build(**overrides) -> str:
    arguments = {
        "author_name": "Alice Example",
        "author_email": "alice@example.org",
        "date": DATE,
        "title": "Volume multi-attach",
        "message": "Attach a volume to several servers.\n\nImplements: blueprint multi-attach",
        "path": "specs/2026.1/multi-attach.rst",
        "content": "=====\nTitle\n=====\n\nText.\n",
    }
    return patch.format_patch(**(arguments | overrides))


class TestFormatPatch:
    def test_it_is_laid_out_as_git_format_patch_writes_it(self):
        mbox = build()
        lines = mbox.split("\n")
        assert re.fullmatch(r"From [0-9a-f]{40} Mon Sep 17 00:00:00 2001", lines[0])
        assert lines[1] == "From: Alice Example <alice@example.org>"
        assert lines[2] == "Date: Tue, 03 Mar 2026 10:30:00 +0000"
        assert lines[3] == "Subject: [PATCH] Volume multi-attach"
        body = mbox.split("\n\n", 1)[1]
        message, diff = body.split("\n---\n", 1)
        assert message == "Attach a volume to several servers.\n\nImplements: blueprint multi-attach"
        blob = patch.blob_sha1(b"=====\nTitle\n=====\n\nText.\n")
        assert (
            "diff --git a/specs/2026.1/multi-attach.rst b/specs/2026.1/multi-attach.rst\n"
            "new file mode 100644\n"
            f"index 0000000..{blob}\n"
            "--- /dev/null\n"
            "+++ b/specs/2026.1/multi-attach.rst\n"
            "@@ -0,0 +1,5 @@\n"
            "+=====\n+Title\n+=====\n+\n+Text.\n"
            "-- \nSpecPortal\n\n"
        ) in diff
        assert " 1 file changed, 5 insertions(+)" in diff

    def test_the_same_input_gives_the_same_patch(self):
        assert build() == build()

    @needs_git
    def test_blob_sha1_is_gits_object_name(self, tmp_path):
        content = "Zürich\n\ttab\n".encode()
        expected = git(tmp_path, "hash-object", "--stdin", stdin=content).stdout.decode().strip()
        assert patch.blob_sha1(content) == expected

    def test_a_one_line_file_has_gits_short_hunk_header(self):
        assert "@@ -0,0 +1 @@\n+Title\n" in build(content="Title\n")

    def test_a_missing_final_newline_is_marked(self):
        assert "+Text.\n\\ No newline at end of file\n" in build(content="Title\n=====\n\nText.")

    def test_it_refuses_a_naive_date_and_an_unsafe_path(self):
        with pytest.raises(ValueError, match="timezone"):
            build(date=datetime(2026, 3, 3))
        for path in ("specs/../../etc/passwd", "/specs/x.rst", "specs/a b.rst", 'specs/"x".rst'):
            with pytest.raises(ValueError, match="plain relative path"):
                build(path=path)

    def test_a_non_ascii_author_and_title_are_encoded_headers(self):
        mbox = build(author_name="José Müller", title="Überprüfung der Volumen")
        headers = mbox.split("\n\n", 1)[0]
        assert headers.isascii()
        assert "Content-Type: text/plain; charset=UTF-8" in headers
        assert "Subject: [PATCH] =?utf-8?" in headers

    def test_summary_skips_the_blueprint_link_and_wraps_at_72(self):
        intro = (
            "\nhttps://blueprints.launchpad.net/cinder/+spec/nfs-backup [1]\n\n"
            + "Currently, cinder-backup doesn't support backup to an NFS-supplied data repository. " * 3
            + "\n\nSecond paragraph.\n"
        )
        summary = patch.summary_paragraph(intro)
        assert summary.startswith("Currently, cinder-backup")
        assert "Second" not in summary
        assert max(len(line) for line in summary.split("\n")) <= 72
        assert len(summary.split("\n")) > 1

    def test_summary_skips_labels_comments_and_indented_blocks(self):
        intro = "Blueprint link:\n\nhttps://example.org/x\n\n.. note:: no\n\n  indented\n\nThe point.\n"
        assert patch.summary_paragraph(intro) == "The point."
        assert patch.summary_paragraph("\n\n") == ""

    def test_commit_message_ends_with_the_blueprint(self):
        assert patch.commit_message(summary="Why.", blueprint="x") == "Why.\n\nImplements: blueprint x"
        assert patch.commit_message(summary="", blueprint="x") == "Implements: blueprint x"

    def test_whitespace_problems_are_described(self):
        assert patch.whitespace_problems("a\nb\n") == []
        assert patch.whitespace_problems("a \nb\t\n\n\n") == [
            "2 lines ending in spaces or tabs (first: line 1)",
            "2 blank lines at the end of the file",
        ]
        assert patch.whitespace_problems("a\r\nb") == [
            "1 carriage returns (Windows line ends)",
            "no newline at the end of the file",
        ]


@needs_git
class TestGitAm:
    def test_git_am_applies_the_patch(self, tmp_path, spec, alice):
        spec = fill(
            spec, alice, intro="Let several servers attach one volume at a time.", text="Text {index}."
        )
        spec.refresh_from_db()
        repo = specs_repository(tmp_path / "cinder-specs", "2026.1")
        apply(repo, exporting.spec_patch(spec=spec))
        assert (repo / "specs" / "2026.1" / "multi-attach.rst").read_bytes() == spec.text().encode("utf-8")
        message = last_commit(repo, "%B")
        assert message.startswith("Volume multi-attach\n\nLet several servers attach one volume at a time.\n")
        assert message.rstrip("\n").endswith("Implements: blueprint multi-attach")
        assert last_commit(repo, "%an <%ae>") == "alice <alice@example.org>\n"
        assert git(repo, "status", "--porcelain").stdout == b""

    def test_a_new_spec_without_an_introduction_summarises_its_first_section(self, tmp_path, spec, alice):
        spec = fill(spec, alice, intro="", text="Section {index} says why.")
        spec.refresh_from_db()
        repo = specs_repository(tmp_path / "cinder-specs", "2026.1")
        apply(repo, exporting.spec_patch(spec=spec))
        assert last_commit(repo, "%b").startswith("Section 0 says why.\n\nImplements: blueprint multi-attach")

    def test_a_non_ascii_title_and_author_apply(self, tmp_path, project, django_user_model):
        author = django_user_model.objects.create_user(
            "jose", "jose@example.org", first_name="José", last_name="Müller-Łęcki"
        )
        title = "Überprüfung der Volumen — ☃ ñ"
        spec = services.create_spec(
            actor=author,
            project=project,
            title=title,
            release="2026.1",
            blueprint_url="https://blueprints.launchpad.net/cinder/+spec/uberprufung",
        )
        spec = fill(spec, author, intro="Größere Volumen für alle.", text="Ω {index}")
        spec.refresh_from_db()
        repo = specs_repository(tmp_path / "cinder-specs", "2026.1")
        apply(repo, exporting.spec_patch(spec=spec))
        assert (repo / "specs" / "2026.1" / "uberprufung.rst").read_bytes() == spec.text().encode("utf-8")
        assert last_commit(repo, "%s") == title + "\n"
        assert last_commit(repo, "%an <%ae>") == "José Müller-Łęcki <jose@example.org>\n"
        assert "Größere Volumen für alle." in last_commit(repo, "%b")

    @pytest.mark.parametrize(
        "title",
        [
            "A long title " * 14 + "end",
            "Überlange Überschrift " * 8 + "Ende",
            'Quotes "and", commas; [brackets] inside',
        ],
        ids=["long-ascii", "long-non-ascii", "specials"],
    )
    def test_the_subject_comes_back_exactly(self, tmp_path, title):
        repo = specs_repository(tmp_path / "repo", "2026.1")
        apply(repo, build(title=title))
        assert last_commit(repo, "%s") == title + "\n"

    def test_an_author_name_needing_quotes_comes_back_exactly(self, tmp_path):
        repo = specs_repository(tmp_path / "repo", "2026.1")
        apply(repo, build(author_name="Smith, John (JJ)"))
        assert last_commit(repo, "%an") == "Smith, John (JJ)\n"

    def test_the_date_and_offset_come_back(self, tmp_path):
        repo = specs_repository(tmp_path / "repo", "2026.1")
        apply(repo, build(date=datetime(2026, 3, 3, 10, 30, tzinfo=timezone(timedelta(hours=5, minutes=30)))))
        assert last_commit(repo, "%aI") == "2026-03-03T10:30:00+05:30\n"

    def test_message_lines_git_would_misread_are_kept_in_the_message(self, tmp_path):
        message = (
            "From: someone else\n--- not the end\ndiff -u nothing\nIndex: none\n\nImplements: blueprint x"
        )
        repo = specs_repository(tmp_path / "repo", "2026.1")
        apply(repo, build(message=message))
        body = last_commit(repo, "%b")
        assert last_commit(repo, "%an") == "Alice Example\n"
        for line in ("From: someone else", "--- not the end", "diff -u nothing", "Index: none"):
            assert line in body
        assert (
            repo / "specs" / "2026.1" / "multi-attach.rst"
        ).read_bytes() == b"=====\nTitle\n=====\n\nText.\n"

    def test_a_file_without_a_final_newline_applies_exactly(self, tmp_path):
        repo = specs_repository(tmp_path / "repo", "2026.1")
        apply(repo, build(content="Title\n=====\n\nNo newline."))
        assert (repo / "specs" / "2026.1" / "multi-attach.rst").read_bytes() == b"Title\n=====\n\nNo newline."

    def test_an_imported_corpus_spec_applies_byte_for_byte(self, tmp_path, project, alice):
        # Ends in a blank line, which git am warns about and applies as it is.
        path = corpus_path("cinder-specs", "specs", "kilo", "nfs-backup.rst")
        report = importing.import_spec(
            actor=alice, project=project, source=path.read_bytes(), release="kilo", filename=path.name
        )
        repo = specs_repository(tmp_path / "cinder-specs", "kilo")
        apply(repo, exporting.spec_patch(spec=report.spec))
        assert (repo / "specs" / "kilo" / "nfs-backup.rst").read_bytes() == path.read_bytes()
        message = last_commit(repo, "%B")
        assert message.startswith("NFS backup driver for Cinder\n\nCurrently, cinder-backup doesn't support")
        assert "Implements: blueprint nfs-backup" in message


class TestPatchDownload:
    def test_anyone_downloads_the_patch_as_an_attachment(self, client, spec):
        url = reverse("specs:spec-export-patch", kwargs={"project_slug": "cinder", "spec_slug": spec.slug})
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/x-patch; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="multi-attach.patch"'
        assert response.content.decode("utf-8") == exporting.spec_patch(spec=spec)
        assert "Subject: [PATCH] Volume multi-attach" in response.content.decode()
