"""The commit message: OpenStack's subject and trailers, Gerrit's Change-Id, read back by git itself."""

from __future__ import annotations

import subprocess

import pytest

from specs_app.gitrepo import messages

CHANGE_ID = "I" + "0123456789" * 4


def _trailers(message: str) -> list[str]:
    parsed = subprocess.run(
        ["git", "interpret-trailers", "--parse"], input=message, capture_output=True, text=True, check=True
    )
    return parsed.stdout.splitlines()


class TestCommitMessage:
    def test_git_reads_the_blueprint_co_authors_and_change_id_as_trailers(self):
        message = messages.commit_message(
            title="Volume multi-attach",
            summary="Let a volume be attached to several instances at once.",
            blueprint="multi-attach",
            change_id=CHANGE_ID,
            co_authors=["Bob Builder <bob@example.org>"],
        )
        assert _trailers(message) == [
            "Implements: blueprint multi-attach",
            "Co-authored-by: Bob Builder <bob@example.org>",
            f"Change-Id: {CHANGE_ID}",
        ]

    def test_api_impact_is_flagged_in_its_own_paragraph(self):
        message = messages.commit_message(
            title="T", summary="S.", blueprint="b", change_id=CHANGE_ID, api_impact=True
        )
        assert "\n\nAPIImpact\n\n" in message
        assert _trailers(message)[-1] == f"Change-Id: {CHANGE_ID}"

    def test_the_body_is_wrapped_at_72_columns(self):
        summary = "word " * 60
        message = messages.commit_message(title="T", summary=summary, blueprint="b", change_id=CHANGE_ID)
        body = message.split("\n\n")[1]
        assert max(map(len, body.splitlines())) <= 72

    def test_it_refuses_a_malformed_change_id(self):
        with pytest.raises(ValueError, match="not a Gerrit Change-Id"):
            messages.commit_message(title="T", summary="", blueprint="b", change_id="I123")


class TestSubject:
    @pytest.mark.parametrize(
        "title",
        [
            "Volume multi-attach",
            "Allow specifying a custom availability zone per volume type in the scheduler",
            "Supercalifragilisticexpialidociousandevenlongerwordwithoutanyspacesatall",
        ],
    )
    def test_the_subject_is_under_50_characters(self, title):
        subject = messages.subject_line(title)
        assert 0 < len(subject) < 50
        assert title.startswith(subject)

    def test_it_cuts_at_a_word_boundary(self):
        subject = messages.subject_line("Allow specifying a custom availability zone per volume type")
        assert subject == "Allow specifying a custom availability zone per"


class TestApiImpact:
    @pytest.mark.parametrize("text", ["None", "None.", "  none\n", "N/A", "No impact.", "None at all."])
    def test_none_means_no_api_impact(self, text):
        assert not messages.has_api_impact(text)

    @pytest.mark.parametrize("text", ["Add ``GET /v3/volumes/{id}/attachments``.", "Nonexistent fields go."])
    def test_anything_else_is_api_impact(self, text):
        assert messages.has_api_impact(text)

    def test_a_spec_without_the_section_has_none(self):
        assert not messages.has_api_impact(None)
        assert not messages.has_api_impact("")


def test_change_ids_are_fresh_and_well_formed():
    first, second = messages.new_change_id("spec 1"), messages.new_change_id("spec 1")
    assert first != second
    assert messages.CHANGE_ID.match(first) and messages.CHANGE_ID.match(second)
