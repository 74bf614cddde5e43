"""The repository over the API: each endpoint, with who may use it."""

from __future__ import annotations

import pytest

from specs_app.models import RepositoryConnection, SpecUpstream, SyncJob

from .conftest import PATH, spec_text

BASE = "/api/v1"


class TestConnection:
    def test_anyone_reads_it(self, api, connected, upstream):
        body = api.get(f"{BASE}/projects/cinder/repository/").json()
        assert (body["url"], body["push_ref"]) == (upstream.url, "refs/for/master")

    def test_an_unconnected_project_is_a_404(self, api, project):
        assert api.get(f"{BASE}/projects/cinder/repository/").status_code == 404

    @pytest.mark.parametrize(("who", "code"), [(None, 401), ("alice", 403), ("core", 200), ("staff", 200)])
    def test_staff_and_cores_connect_it(self, request, api, api_as, project, upstream, who, code):
        client = api if who is None else api_as(request.getfixturevalue(who))
        body = {"url": upstream.url, "branch": "master", "push_target": "branch"}
        response = client.put(f"{BASE}/projects/cinder/repository/", body, format="json")
        assert response.status_code == code
        assert RepositoryConnection.objects.filter(project=project).exists() == (code == 200)

    def test_a_url_git_cannot_fetch_is_a_400_with_gits_message(self, api_as, staff, project, tmp_path):
        body = {"url": str(tmp_path / "missing"), "branch": "master", "push_target": "review"}
        response = api_as(staff).put(f"{BASE}/projects/cinder/repository/", body, format="json")
        assert response.status_code == 400
        assert "does not appear to be a git repository" in response.json()["message"]


class TestSync:
    @pytest.mark.parametrize(("who", "code"), [(None, 401), ("alice", 403), ("core", 202)])
    def test_staff_and_cores_start_one(self, request, api, api_as, connected, settings, who, code):
        settings.JOBS_REDIS_URL = ""
        client = api if who is None else api_as(request.getfixturevalue(who))
        assert client.post(f"{BASE}/projects/cinder/sync/").status_code == code
        assert SyncJob.objects.exists() == (code == 202)

    def test_the_job_is_followed_to_its_outcome(
        self, api_as, core, connected, upstream, settings, django_capture_on_commit_callbacks
    ):
        settings.JOBS_REDIS_URL = ""
        upstream.commit({PATH: spec_text("Thin provisioning")})
        with django_capture_on_commit_callbacks(execute=True):
            started = api_as(core).post(f"{BASE}/projects/cinder/sync/").json()
        body = api_as(core).get(f"{BASE}/projects/cinder/sync/{started['id']}/").json()
        assert body["state"] == "done" and "imported 1" in body["message"]

    def test_another_projects_job_is_a_404(self, api, connected):
        job = SyncJob.objects.create(project=connected)
        assert api.get(f"{BASE}/projects/other/sync/{job.pk}/").status_code == 404


class TestPublish:
    @pytest.mark.parametrize(("who", "code"), [(None, 401), ("bob", 403), ("alice", 200)])
    def test_the_authors_push_a_draft(self, request, api, api_as, connected, spec, who, code):
        client = api if who is None else api_as(request.getfixturevalue(who))
        response = client.post(f"{BASE}/specs/{spec.pk}/publish/")
        assert response.status_code == code
        if code == 200:
            assert response.json()["pushed_ref"] == "refs/for/master"
            assert response.json()["change_id"].startswith("I")

    def test_a_refused_push_is_a_409_with_the_remotes_words(self, api_as, alice, connected, spec, upstream):
        RepositoryConnection.objects.filter(project=connected).update(push_target="branch")
        hook = upstream.bare / "hooks" / "pre-receive"
        hook.write_text("#!/bin/sh\necho 'Specs are frozen.' >&2\nexit 1\n")
        hook.chmod(0o755)
        response = api_as(alice).post(f"{BASE}/specs/cinder/multi-attach/publish/")
        assert response.status_code == 409
        assert "Specs are frozen." in response.json()["message"]


class TestUpstreamAndConflicts:
    def test_anyone_reads_a_conflict_with_upstreams_text(self, api, conflicted):
        body = api.get(f"{BASE}/specs/{conflicted.pk}/upstream/").json()
        assert body["in_conflict"] and "Theirs: changed upstream." in body["conflict_text"]

    @pytest.mark.parametrize(("who", "code"), [(None, 401), ("bob", 403), ("staff", 200)])
    def test_the_authors_and_staff_resolve_it(self, request, api, api_as, conflicted, who, code):
        client = api if who is None else api_as(request.getfixturevalue(who))
        url = f"{BASE}/specs/{conflicted.pk}/upstream/resolve/"
        response = client.post(url, {"keep": "ours"}, format="json")
        assert response.status_code == code
        assert SpecUpstream.objects.get(spec=conflicted).in_conflict == (code != 200)

    def test_an_unknown_choice_is_a_400(self, api_as, staff, conflicted):
        response = api_as(staff).post(
            f"{BASE}/specs/{conflicted.pk}/upstream/resolve/", {"keep": "both"}, format="json"
        )
        assert response.status_code == 400
