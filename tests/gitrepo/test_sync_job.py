"""A sync runs outside the request: queued on Redis, run by an RQ worker, its progress on the job."""

from __future__ import annotations

import uuid

import django_rq
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rq import SimpleWorker

from specs_app.gitrepo import jobs
from specs_app.models import Spec, SyncJob

from .conftest import PATH, spec_text

JOBS_REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def queue(settings):
    """A queue of the test's own on the machine's Redis, emptied afterwards (tests run in parallel)."""
    name = f"test-{uuid.uuid4().hex}"
    settings.JOBS_REDIS_URL = JOBS_REDIS_URL
    settings.SPECPORTAL_JOBS_QUEUE = name
    settings.RQ_QUEUES = {name: {"URL": JOBS_REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    queue = django_rq.get_queue(name)
    yield queue
    queue.delete(delete_jobs=True)


class TestQueued:
    def test_the_request_only_queues_the_job_and_the_worker_runs_it(
        self, connected, upstream, staff, queue, django_capture_on_commit_callbacks
    ):
        upstream.commit({PATH: spec_text("Thin provisioning")})
        with django_capture_on_commit_callbacks(execute=True):
            job = jobs.start_sync(actor=staff, project=connected)
        job.refresh_from_db()
        assert job.state == SyncJob.State.QUEUED and queue.count == 1
        assert not Spec.objects.filter(path=PATH).exists()

        SimpleWorker([queue], connection=queue.connection).work(burst=True)

        job.refresh_from_db()
        assert job.state == SyncJob.State.DONE
        assert job.done == job.total > 0
        assert "imported 1" in job.message
        assert {"path": PATH, "outcome": "imported"}.items() <= job.report["results"][-1].items()
        assert Spec.objects.filter(path=PATH).exists()

    def test_a_sync_already_queued_is_not_queued_twice(
        self, connected, staff, queue, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            first = jobs.start_sync(actor=staff, project=connected)
            second = jobs.start_sync(actor=staff, project=connected)
        assert first.pk == second.pk and queue.count == 1

    def test_an_unreachable_queue_fails_the_job_with_a_message(
        self, connected, staff, settings, django_capture_on_commit_callbacks
    ):
        settings.JOBS_REDIS_URL = "redis://127.0.0.1:1/0"
        settings.RQ_QUEUES = {settings.SPECPORTAL_JOBS_QUEUE: {"URL": "redis://127.0.0.1:1/0"}}
        with django_capture_on_commit_callbacks(execute=True):
            job = jobs.start_sync(actor=staff, project=connected)
        job.refresh_from_db()
        assert job.state == SyncJob.State.FAILED and "job queue cannot be reached" in job.message


class TestInline:
    def test_without_a_job_queue_the_sync_runs_in_the_request(
        self, connected, upstream, staff, settings, django_capture_on_commit_callbacks
    ):
        settings.JOBS_REDIS_URL = ""
        upstream.commit({PATH: spec_text("Thin provisioning")})
        with django_capture_on_commit_callbacks(execute=True):
            job = jobs.start_sync(actor=staff, project=connected)
        job.refresh_from_db()
        assert job.state == SyncJob.State.DONE

    def test_a_failing_fetch_is_reported_on_the_job(
        self, connected, upstream, staff, settings, django_capture_on_commit_callbacks
    ):
        settings.JOBS_REDIS_URL = ""
        connected.repository.url = str(upstream.bare) + "-gone"
        connected.repository.save()
        with django_capture_on_commit_callbacks(execute=True):
            job = jobs.start_sync(actor=staff, project=connected)
        job.refresh_from_db()
        assert job.state == SyncJob.State.FAILED and "does not appear to be a git repository" in job.message


class TestWhoMaySync:
    def test_an_author_may_not(self, connected, alice):
        with pytest.raises(PermissionDenied):
            jobs.start_sync(actor=alice, project=connected)

    def test_a_project_without_repository_says_so(self, project, staff):
        with pytest.raises(ValidationError, match="not connected"):
            jobs.start_sync(actor=staff, project=project)
