"""The repository pages: connect, sync, follow the job, push a spec, resolve a conflict."""

from __future__ import annotations

from django.urls import reverse

from specs_app.gitrepo import services
from specs_app.models import RepositoryConnection, Spec, SpecUpstream, SyncJob
from tests.helpers import client_for, html_tree

from .conftest import PATH, spec_text

REPOSITORY = reverse("specs:repository", kwargs={"project_slug": "cinder"})
SYNC = reverse("specs:repository-sync", kwargs={"project_slug": "cinder"})


def _spec_url(name: str, spec: Spec) -> str:
    return reverse(name, kwargs={"project_slug": spec.project.slug, "spec_slug": spec.slug})


class TestRepositoryPage:
    def test_anyone_sees_the_connection_but_only_staff_and_cores_get_the_forms(
        self, client, connected, upstream, alice, core, password
    ):
        def repository_forms(browser) -> set[str]:
            page = html_tree(browser.get(REPOSITORY).content)
            return {form.attrs["action"] for form in page.find_all("form")} & {SYNC, REPOSITORY}

        assert upstream.url in html_tree(client.get(REPOSITORY).content).text
        assert repository_forms(client) == repository_forms(client_for(alice, password)) == set()
        assert repository_forms(client_for(core, password)) == {SYNC, REPOSITORY}

    def test_a_core_reviewer_connects_the_project(self, project, upstream, core, password):
        response = client_for(core, password).post(
            REPOSITORY, {"url": upstream.url, "branch": "master", "push_target": "branch"}
        )
        assert response.status_code == 302
        assert RepositoryConnection.objects.get(project=project).push_ref == "refs/heads/master"

    def test_a_url_git_cannot_fetch_comes_back_with_gits_message(self, project, tmp_path, core, password):
        response = client_for(core, password).post(
            REPOSITORY, {"url": str(tmp_path / "missing"), "branch": "master", "push_target": "review"}
        )
        assert response.status_code == 400
        assert "does not appear to be a git repository" in response.content.decode()
        assert not RepositoryConnection.objects.exists()

    def test_an_author_cannot_connect(self, project, upstream, alice, password):
        response = client_for(alice, password).post(
            REPOSITORY, {"url": upstream.url, "branch": "master", "push_target": "review"}
        )
        assert response.status_code == 403
        assert not RepositoryConnection.objects.exists()


class TestSyncButton:
    def test_sync_runs_and_the_job_page_shows_the_outcome(
        self, connected, upstream, core, password, settings, django_capture_on_commit_callbacks
    ):
        settings.JOBS_REDIS_URL = ""  # no queue: the job runs in the request, once it commits
        upstream.commit({PATH: spec_text("Thin provisioning")})
        browser = client_for(core, password)
        with django_capture_on_commit_callbacks(execute=True):
            response = browser.post(SYNC)
        job = SyncJob.objects.get()
        assert response["Location"] == reverse(
            "specs:sync-job", kwargs={"project_slug": "cinder", "job_id": job.pk}
        )
        page = html_tree(browser.get(response["Location"]).content)
        assert "imported 1" in page.find(class_="sync-job__message").text
        assert PATH in page.find("table").text
        assert Spec.objects.filter(path=PATH).exists()

    def test_a_queued_job_page_refreshes_itself(self, client, connected):
        job = SyncJob.objects.create(project=connected)
        url = reverse("specs:sync-job", kwargs={"project_slug": "cinder", "job_id": job.pk})
        assert 'http-equiv="refresh"' in client.get(url).content.decode()

    def test_signed_out_people_and_authors_cannot_sync(self, client, connected, alice, password):
        assert client.post(SYNC).status_code == 302
        assert client_for(alice, password).post(SYNC).status_code == 403
        assert not SyncJob.objects.exists()


class TestSpecPanel:
    def test_the_spec_page_says_which_upstream_commit_it_matches(self, client, connected, upstream, settings):
        head = upstream.commit({PATH: spec_text("Thin provisioning")})
        services.sync_project(project=connected)
        spec = Spec.objects.get(path=PATH)
        page = html_tree(client.get(spec.get_absolute_url()).content)
        assert page.find("code", class_="upstream-commit").text == head[:12]

    def test_the_owner_pushes_a_draft_for_review(self, connected, spec, alice, password, upstream):
        browser = client_for(alice, password)
        page = html_tree(browser.get(spec.get_absolute_url()).content)
        assert page.find("form", action=_spec_url("specs:spec-publish", spec)) is not None
        response = browser.post(_spec_url("specs:spec-publish", spec))
        assert response.status_code == 302
        state = SpecUpstream.objects.get(spec=spec)
        assert state.pushed_ref == "refs/for/master"
        assert upstream.show("refs/for/master", spec.path) == spec.text()

    def test_someone_else_cannot_push_it(self, connected, spec, bob, password):
        browser = client_for(bob, password)
        page = html_tree(browser.get(spec.get_absolute_url()).content)
        assert page.find("form", action=_spec_url("specs:spec-publish", spec)) is None
        assert browser.post(_spec_url("specs:spec-publish", spec)).status_code == 403


class TestConflictPage:
    def test_both_texts_are_shown_and_the_author_chooses(self, conflicted, staff, password):
        spec = conflicted
        url = _spec_url("specs:spec-upstream", spec)
        browser = client_for(staff, password)
        page = html_tree(browser.get(url).content)
        assert (
            "Theirs: changed upstream." in page.visible_text
            and "Ours: edited in SpecPortal." in page.visible_text
        )
        response = browser.post(url, {"keep": "upstream"})
        assert response.status_code == 302
        assert "Theirs: changed upstream." in Spec.objects.get(pk=spec.pk).text()

    def test_someone_else_cannot_choose(self, conflicted, bob, password):
        spec = conflicted
        response = client_for(bob, password).post(
            _spec_url("specs:spec-upstream", spec), {"keep": "upstream"}
        )
        assert response.status_code == 403
        assert SpecUpstream.objects.get(spec=spec).in_conflict
