"""Proposing and merging a spec makes one commit at its path, with OpenStack's message and one Change-Id."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from specs_app.gitrepo import services
from specs_app.models import RepositoryConnection, SpecUpstream
from tests.review_world import PROBLEM, refresh, write

from .conftest import git


def _trailer(message: str, key: str) -> list[str]:
    return [line.split(": ", 1)[1] for line in message.splitlines() if line.startswith(f"{key}: ")]


class TestConnect:
    def test_staff_and_core_reviewers_connect_a_project(self, project, upstream, staff, core):
        for person in (staff, core):
            connection = services.connect_repository(actor=person, project=project, url=upstream.url)
            assert (connection.url, connection.push_ref) == (upstream.url, "refs/for/master")

    def test_an_author_cannot_connect_it(self, project, upstream, alice):
        with pytest.raises(PermissionDenied, match="core reviewers and staff"):
            services.connect_repository(actor=alice, project=project, url=upstream.url)
        assert not RepositoryConnection.objects.exists()

    def test_a_repository_git_cannot_fetch_is_refused_with_gits_words(self, project, tmp_path, staff):
        with pytest.raises(ValidationError, match="does not appear to be a git repository"):
            services.connect_repository(actor=staff, project=project, url=str(tmp_path / "nowhere"))
        assert not RepositoryConnection.objects.exists()


class TestPropose:
    def test_a_draft_is_pushed_for_review_with_blueprint_and_change_id(
        self, connected, spec, alice, upstream
    ):
        spec = write(spec, alice, problem_description=PROBLEM)
        upstream_state = services.publish_spec(actor=alice, spec=spec)

        message = upstream.message("refs/for/master")
        subject = message.splitlines()[0]
        assert subject == "Volume multi-attach" and len(subject) < 50
        assert _trailer(message, "Implements") == ["blueprint multi-attach"]
        assert _trailer(message, "Change-Id") == [upstream_state.change_id]
        assert "APIImpact" not in message
        assert upstream.show("refs/for/master", spec.path) == spec.text()
        # For review: the branch does not move until Gerrit merges.
        assert git(upstream.bare, "ls-tree", "master", "--", spec.path) == ""

    def test_revision_2_keeps_the_change_id(self, connected, spec, alice, upstream):
        first = services.publish_spec(actor=alice, spec=write(spec, alice, problem_description=PROBLEM))
        first_commit = first.pushed_commit
        spec = write(refresh(spec), alice, problem_description=PROBLEM + "\nAnd more.\n")
        second = services.publish_spec(actor=alice, spec=spec)

        assert second.pushed_commit != first_commit
        assert _trailer(upstream.message("refs/for/master"), "Change-Id") == [first.change_id]

    def test_a_rest_api_change_is_flagged_api_impact(self, connected, spec, alice, upstream):
        spec = write(spec, alice, rest_api_impact="Add ``GET /v3/volumes/{id}/attachments``.\n")
        services.publish_spec(actor=alice, spec=spec)
        assert "\n\nAPIImpact\n\n" in upstream.message("refs/for/master")

    def test_co_authors_are_credited(self, connected, co_authored_spec, alice, upstream):
        services.publish_spec(actor=alice, spec=co_authored_spec)
        message = upstream.message("refs/for/master")
        assert _trailer(message, "Co-authored-by") == ["carol <carol@example.org>"]
        assert git(upstream.bare, "log", "-1", "--format=%an <%ae>", "refs/for/master").strip() == (
            "alice <alice@example.org>"
        )

    def test_only_the_authors_propose_a_draft(self, connected, spec, bob):
        with pytest.raises(PermissionDenied):
            services.publish_spec(actor=bob, spec=spec)
        assert not SpecUpstream.objects.filter(spec=spec).exclude(pushed_commit="").exists()

    def test_a_project_without_repository_says_so(self, spec, alice):
        with pytest.raises(ValidationError, match="not connected to a git repository"):
            services.publish_spec(actor=alice, spec=spec)


class TestPushToTheBranch:
    def test_the_branch_moves_and_the_spec_matches_upstream(self, connected, spec, alice, upstream):
        RepositoryConnection.objects.filter(project=connected).update(push_target="branch")
        state = services.publish_spec(actor=alice, spec=spec)
        assert git(upstream.bare, "rev-parse", "master").strip() == state.pushed_commit == state.commit
        assert state.matched_version == spec.version

    def test_a_refused_push_is_reported_and_nothing_is_lost(self, connected, spec, alice, upstream):
        RepositoryConnection.objects.filter(project=connected).update(push_target="branch")
        hook = upstream.bare / "hooks" / "pre-receive"
        hook.write_text("#!/bin/sh\necho 'Specs are frozen for 2026.1.' >&2\nexit 1\n")
        hook.chmod(0o755)
        spec = write(spec, alice, problem_description=PROBLEM)
        text, version = spec.text(), spec.version

        with pytest.raises(services.PushRefused) as error:
            services.publish_spec(actor=alice, spec=spec)
        assert "Specs are frozen for 2026.1." in " ".join(error.value.messages)
        spec = refresh(spec)
        assert (spec.text(), spec.version) == (text, version)
        state = SpecUpstream.objects.get(spec=spec)
        assert "Specs are frozen for 2026.1." in state.push_message and not state.commit
