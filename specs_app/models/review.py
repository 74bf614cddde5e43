"""Review: revisions, reviews, comments and where they sit (see specs_app.review.services)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from specs_app.models.specs import Spec


class Revision(models.Model):
    """An immutable snapshot of a spec, made each time its authors submit it for review.

    ``sections`` keeps each section as it was: title, level, heading and body,
    so a revision reads the same after the working draft moves on.
    """

    spec = models.ForeignKey(Spec, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    sections = models.JSONField(default=list)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["spec", "number"]
        constraints = [
            models.UniqueConstraint(fields=["spec", "number"], name="one_revision_number_per_spec"),
        ]

    def __str__(self) -> str:
        return f"{self.spec} revision {self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "specs:revision-detail",
            kwargs={
                "project_slug": self.spec.project.slug,
                "spec_slug": self.spec.slug,
                "number": self.number,
            },
        )


class Vote(models.IntegerChoices):
    BLOCK = -2, "-2 Do not approve"
    MINUS_ONE = -1, "-1 Needs changes"
    ZERO = 0, "0 No score"
    PLUS_ONE = 1, "+1 Looks good to me"
    APPROVE = 2, "+2 Approve"


class Review(models.Model):
    """A reviewer's published verdict on a revision: a vote, a message and their comments."""

    spec = models.ForeignKey(Spec, on_delete=models.CASCADE, related_name="reviews")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="spec_reviews"
    )
    vote = models.SmallIntegerField(choices=Vote.choices, default=Vote.ZERO)
    message = models.TextField(blank=True)
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["published_at", "pk"]
        indexes = [models.Index(fields=["spec", "reviewer", "published_at"])]

    def __str__(self) -> str:
        return f"{self.reviewer} {self.get_vote_display()} on {self.revision}"


class CommentKind(models.TextChoices):
    GENERAL = "general", "On the whole spec"
    SECTION = "section", "On a section"
    INLINE = "inline", "On a passage"


class ThreadState(models.TextChoices):
    OPEN = "open", "Open"
    # Marked resolved by someone else; waits for the opener to confirm (Review Board's "verifying").
    VERIFYING = "verifying", "Resolved, awaiting verification"
    RESOLVED = "resolved", "Resolved"


class Comment(models.Model):
    """A comment, or a reply in its thread (Review Board's base_comment shape).

    The first comment of a thread (``parent`` empty) carries the anchor and the
    thread's state; replies only add text. A comment is a draft, seen only by
    its author, until the author publishes a review (``review`` set then).
    The anchor is where the comment was made: offsets and lines in that
    revision's text, the exact quote and 32 characters of context either side.
    Where it sits in later revisions is in :class:`CommentAnchor`.
    """

    spec = models.ForeignKey(Spec, on_delete=models.CASCADE, related_name="comments")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="spec_comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    kind = models.CharField(max_length=10, choices=CommentKind.choices, default=CommentKind.GENERAL)
    body = models.TextField()
    # Anchor on ``revision`` (section and inline comments).
    section_index = models.PositiveIntegerField(null=True, blank=True)
    section_title = models.CharField(max_length=200, blank=True)
    line_start = models.PositiveIntegerField(null=True, blank=True)
    line_end = models.PositiveIntegerField(null=True, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    quote = models.TextField(blank=True)
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    # The thread's state (first comment only).
    state = models.CharField(max_length=10, choices=ThreadState.choices, default=ThreadState.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The opener asked to confirm any resolution by someone else (state goes through VERIFYING).
    requires_verification = models.BooleanField(default=False)
    # A suggested edit (inline threads only): text to put in place of ``quote``. Null: a plain
    # comment; "" is a real suggestion (delete the passage), hence null on a text field.
    suggestion = models.TextField(null=True, blank=True)  # noqa: DJ001
    suggestion_applied_at = models.DateTimeField(null=True, blank=True)
    suggestion_applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Last change to the thread: its state, a reply, a suggestion applied (services touch it),
    # so anything cached per thread can be keyed by it.
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["spec", "review"]), models.Index(fields=["spec", "author", "review"])]

    def __str__(self) -> str:
        return f"{self.author} on {self.revision}: {self.body[:40]}"

    @property
    def is_draft(self) -> bool:
        return self.review_id is None

    @property
    def is_thread(self) -> bool:
        return self.parent_id is None

    @property
    def is_suggestion(self) -> bool:
        return self.suggestion is not None


class AnchorState(models.TextChoices):
    EXACT = "exact", "Exact"
    MOVED = "moved", "Moved"
    FUZZY = "fuzzy", "Approximate"
    OUTDATED = "outdated", "Outdated"


class CommentAnchor(models.Model):
    """Where a thread sits in one revision: found exactly, moved, approximately, or not at all."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="anchors")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="anchors")
    state = models.CharField(max_length=10, choices=AnchorState.choices)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    line_start = models.PositiveIntegerField(null=True, blank=True)
    line_end = models.PositiveIntegerField(null=True, blank=True)
    section_index = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["revision", "start"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "revision"], name="one_anchor_per_comment_revision")
        ]

    def __str__(self) -> str:
        return f"{self.comment_id} on {self.revision}: {self.state}"


class Notification(models.Model):
    """Something a user should know about a spec; shown in the app and sent by email."""

    class Kind(models.TextChoices):
        REVIEW_PUBLISHED = "review_published", "Review published"
        REPLIED = "replied", "Reply in a thread"
        THREAD_RESOLVED = "thread_resolved", "Thread resolved"
        THREAD_REOPENED = "thread_reopened", "Thread reopened"
        REVISION_SUBMITTED = "revision_submitted", "Revision submitted"
        STATUS_CHANGED = "status_changed", "Status changed"
        SUGGESTION_APPLIED = "suggestion_applied", "Suggestion applied"
        VERIFY_RESOLUTION = "verify_resolution", "Resolution to verify"
        YOUR_TURN = "your_turn", "Your turn"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    spec = models.ForeignKey(Spec, on_delete=models.CASCADE, related_name="notifications")
    # The review it is about, if any: its message is shown with the notification.
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # When it went out in a daily digest email (people who chose the digest get no email per event).
    digested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"to {self.recipient}: {self.message}"


class Attention(models.Model):
    """Whose turn it is on a spec (Gerrit's attention set): one row per person it waits for.

    The review services keep it up to date on every event; anyone taking part
    can hand their turn (or someone else's) on to another person.
    """

    spec = models.ForeignKey(Spec, on_delete=models.CASCADE, related_name="attention")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attention")
    reason = models.CharField(max_length=200)
    since = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["since", "pk"]
        constraints = [models.UniqueConstraint(fields=["spec", "user"], name="one_attention_per_spec_user")]
        indexes = [models.Index(fields=["user", "since"])]

    def __str__(self) -> str:
        return f"{self.spec} waits for {self.user}: {self.reason}"
