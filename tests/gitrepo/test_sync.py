"""Pulling what upstream merged: new specs arrive, changed ones update, edits on both sides conflict."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from specs_app.authoring import services as authoring
from specs_app.gitrepo import services
from specs_app.models import RepositoryConnection, Spec, SpecStatus, SpecUpstream

from .conftest import PATH, edit_problem, spec_text


class TestPull:
    def test_a_spec_merged_upstream_appears_with_the_commit_it_matches(self, connected, upstream):
        head = upstream.commit({PATH: spec_text("Thin provisioning")})
        report = services.sync_project(project=connected)

        spec = Spec.objects.get(project=connected, path=PATH)
        assert spec.text() == spec_text("Thin provisioning")
        assert spec.status == SpecStatus.MERGED and spec.owner.username == "upstream"
        assert (spec.upstream.commit, spec.upstream.matched_version) == (head, spec.version)
        assert report.commit == head and "imported 1" in report.summary()
        assert RepositoryConnection.objects.get(project=connected).synced_commit == head

    def test_a_second_sync_changes_nothing(self, connected, upstream):
        upstream.commit({PATH: spec_text("Thin provisioning")})
        services.sync_project(project=connected)
        version = Spec.objects.get(path=PATH).version
        report = services.sync_project(project=connected)
        assert [result.outcome for result in report.results] == []
        assert Spec.objects.get(path=PATH).version == version

    def test_a_spec_changed_only_upstream_is_updated(self, connected, upstream):
        upstream.commit({PATH: spec_text("Thin provisioning")})
        services.sync_project(project=connected)
        head = upstream.commit({PATH: spec_text("Thin provisioning", "Now with numbers.")})
        services.sync_project(project=connected)

        spec = Spec.objects.get(path=PATH)
        assert "Now with numbers." in spec.text()
        assert spec.upstream.commit == head and not spec.upstream.in_conflict

    def test_an_edit_made_here_survives_a_sync_when_upstream_did_not_move(self, connected, upstream, staff):
        upstream.commit({PATH: spec_text("Thin provisioning")})
        services.sync_project(project=connected)
        spec = edit_problem(Spec.objects.get(path=PATH), staff, "Edited in SpecPortal.\n")
        upstream.commit({"specs/2026.1/other.rst": spec_text("Other")})
        services.sync_project(project=connected)

        assert "Edited in SpecPortal." in Spec.objects.get(pk=spec.pk).text()
        assert not SpecUpstream.objects.get(spec=spec).in_conflict


class TestConflict:
    def test_both_texts_are_kept_and_ours_is_not_overwritten(self, conflicted):
        assert "Ours: edited in SpecPortal." in conflicted.text()
        assert "Theirs: changed upstream." in conflicted.upstream.conflict_text
        assert conflicted.upstream.in_conflict

    def test_taking_upstreams_text_ends_the_conflict(self, conflicted, staff, connected):
        spec = services.resolve_conflict(actor=staff, spec=conflicted, keep="upstream")
        assert "Theirs: changed upstream." in spec.text()
        assert not SpecUpstream.objects.get(spec=spec).in_conflict
        assert services.sync_project(project=connected).results == []

    def test_keeping_ours_ends_it_and_the_next_sync_does_not_bring_it_back(
        self, conflicted, staff, connected
    ):
        spec = services.resolve_conflict(actor=staff, spec=conflicted, keep="ours")
        assert "Ours: edited in SpecPortal." in spec.text()
        assert services.sync_project(project=connected).results == []
        assert "Ours: edited in SpecPortal." in Spec.objects.get(pk=spec.pk).text()

    def test_only_the_authors_and_staff_choose(self, conflicted, bob):
        with pytest.raises(PermissionDenied):
            services.resolve_conflict(actor=bob, spec=conflicted, keep="upstream")


def test_a_spec_written_here_and_merged_through_the_branch_matches_upstream(connected, alice, upstream):
    RepositoryConnection.objects.filter(project=connected).update(push_target="branch")
    spec = authoring.create_spec(
        actor=alice,
        project=connected,
        title="Volume multi-attach",
        release="2026.1",
        blueprint_url="https://blueprints.launchpad.net/cinder/+spec/multi-attach",
    )
    services.publish_spec(actor=alice, spec=spec)
    report = services.sync_project(project=connected)
    assert [result for result in report.results if result.path == spec.path] == []
    assert Spec.objects.filter(project=connected).count() == 1
    assert SpecUpstream.objects.get(spec=spec).matched_version == spec.version
