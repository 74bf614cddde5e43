"""Repository syncs as background jobs: started by a person, run by the RQ worker, followed on a page.

A sync of a large repository (nova: over a thousand files) takes longer than a
request should, so the request only records a :class:`SyncJob` and queues it;
the worker (``manage.py rqworker default``, compose's ``worker`` service) runs
it and writes its progress to the job, which the page shows. Without
``JOBS_REDIS_URL`` the job runs at once, inside the request.
"""

from __future__ import annotations

import logging

import django_rq
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from redis.exceptions import RedisError

from specs_app.gitrepo import services
from specs_app.models import Project, RepositoryConnection, SyncJob

logger = logging.getLogger(__name__)
# Progress is written every this many files: often enough to watch, rarely enough not to slow the sync.
PROGRESS_EVERY = 25


@transaction.atomic
def start_sync(*, actor: User, project: Project) -> SyncJob:
    """Queue a sync of ``project``'s repository; the one already queued or running if there is one."""
    if not services.can_manage_repository(actor, project):
        raise PermissionDenied("Only core reviewers and staff sync the project with its repository.")
    if not RepositoryConnection.objects.filter(project=project).exists():
        raise ValidationError(f"{project.name} is not connected to a git repository yet.")
    running = project.sync_jobs.filter(state__in=[SyncJob.State.QUEUED, SyncJob.State.RUNNING]).first()
    if running is not None:
        return running
    job = SyncJob.objects.create(project=project)
    if settings.JOBS_REDIS_URL:
        transaction.on_commit(lambda: _enqueue(job.pk))
    else:
        transaction.on_commit(lambda: run_sync_job(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    try:
        # Already after the commit: enqueue now, not on a later one.
        django_rq.get_queue(settings.SPECPORTAL_JOBS_QUEUE, commit_mode="auto").enqueue(run_sync_job, job_id)
    except RedisError as error:
        logger.warning("Could not queue sync job %s: %s", job_id, error)
        SyncJob.objects.filter(pk=job_id).update(
            state=SyncJob.State.FAILED,
            message="The job queue cannot be reached; try again in a minute, or ask an administrator.",
            finished_at=timezone.now(),
        )


def run_sync_job(job_id: int) -> None:
    """The worker's side: fetch, import, record progress and the outcome on the job."""
    job = SyncJob.objects.select_related("project").get(pk=job_id)
    SyncJob.objects.filter(pk=job_id).update(state=SyncJob.State.RUNNING)

    def progress(done: int, total: int, path: str) -> None:
        if done == total or done % PROGRESS_EVERY == 0:
            SyncJob.objects.filter(pk=job_id).update(done=done, total=total, current_path=path[:300])

    try:
        report = services.sync_project(project=job.project, progress=progress)
    except (ValidationError, services.GitError) as error:
        message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        SyncJob.objects.filter(pk=job_id).update(
            state=SyncJob.State.FAILED, message=message, finished_at=timezone.now()
        )
        return
    except Exception:
        logger.exception("Sync job %s failed", job_id)
        SyncJob.objects.filter(pk=job_id).update(
            state=SyncJob.State.FAILED,
            message="The sync failed unexpectedly; the error is in the worker's log.",
            finished_at=timezone.now(),
        )
        raise
    SyncJob.objects.filter(pk=job_id).update(
        state=SyncJob.State.DONE,
        message=report.summary(),
        report=report.as_json(),
        finished_at=timezone.now(),
    )
