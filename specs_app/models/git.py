"""A project's specs repository in git: where it is, what SpecPortal last saw of it, and sync jobs.

Credentials are not stored here: git reaches the remote with the deploy key or
token named in settings (see specs_app.gitrepo.services.credentials_for).
"""

from __future__ import annotations

from django.db import models

from specs_app.models.specs import Project, Spec


class RepositoryConnection(models.Model):
    """The git repository a project's specs live in, and how changes reach it."""

    class PushTarget(models.TextChoices):
        REVIEW = "review", "For review: refs/for/<branch> (Gerrit)"
        BRANCH = "branch", "The branch itself"

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="repository")
    url = models.CharField(
        max_length=500, help_text="What git clones: an https:// or ssh:// URL, or a path on the server."
    )
    branch = models.CharField(max_length=100, default="master")
    push_target = models.CharField(max_length=10, choices=PushTarget.choices, default=PushTarget.REVIEW)
    # The upstream commit the last sync brought in.
    synced_commit = models.CharField(max_length=40, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.project.slug}: {self.url} ({self.branch})"

    @property
    def push_ref(self) -> str:
        if self.push_target == self.PushTarget.REVIEW:
            return f"refs/for/{self.branch}"
        return f"refs/heads/{self.branch}"


class SpecUpstream(models.Model):
    """What the repository holds of one spec, and the Gerrit change that carries its edits."""

    spec = models.OneToOneField(Spec, on_delete=models.CASCADE, related_name="upstream")
    # Gerrit's Change-Id: the same for every commit of this spec, so `git review` updates one change.
    change_id = models.CharField(max_length=41, blank=True)
    # The upstream commit and blob the spec's text last matched, and the spec's version then:
    # a later version means the spec was edited here since.
    commit = models.CharField(max_length=40, blank=True)
    blob = models.CharField(max_length=40, blank=True)
    matched_version = models.PositiveIntegerField(null=True, blank=True)
    # Upstream changed a spec that was also edited here: upstream's text, kept beside ours.
    conflict_text = models.TextField(blank=True)
    conflict_commit = models.CharField(max_length=40, blank=True)
    # The last commit SpecPortal pushed for this spec, where, and what the remote said.
    pushed_commit = models.CharField(max_length=40, blank=True)
    pushed_ref = models.CharField(max_length=200, blank=True)
    push_message = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.spec}: {self.commit[:12] or 'not in the repository'}"

    @property
    def in_conflict(self) -> bool:
        return bool(self.conflict_commit)


class SyncJob(models.Model):
    """One fetch-and-import of a project's repository, run by the background worker."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sync_jobs")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    current_path = models.CharField(max_length=300, blank=True)
    # The outcome in words (the report's summary, or why it failed) and by file.
    message = models.TextField(blank=True)
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.project.slug} sync {self.pk}: {self.state}"
