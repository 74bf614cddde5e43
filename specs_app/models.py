"""SpecPortal's data: projects and their templates, specs and their sections.

A spec's .rst text is never stored whole: it is assembled from the spec's
prologue, title heading and introduction and its sections' headings and bodies
(see ``specs_app.rst.document``), so every view of it agrees.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from .rst import document as rst_document

NAME_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._+-]*"
name_validator = RegexValidator(
    rf"\A{NAME_PATTERN}\Z",
    "Use letters, digits, dots, dashes, underscores or plus signs, starting with a letter or digit.",
)


# Spec names that would collide with a project's own pages.
RESERVED_SPEC_NAMES = frozenset({"new", "import"})


def validate_spec_name(value: str) -> None:
    if value in RESERVED_SPEC_NAMES:
        raise ValidationError(f"“{value}” names a page of SpecPortal; the spec needs another file name.")


class Project(models.Model):
    """An OpenStack-style project with its specs repository and review rules."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    # The gate's per-project choices (see specs_app.rst.gate_rules).
    allow_extra_sections = models.BooleanField(
        default=False,
        help_text="Top-level sections the template lacks are reported but do not fail the gate.",
    )
    exempt_literal_blocks = models.BooleanField(
        default=False, help_text="Lines in literal blocks may exceed the line limit."
    )
    max_line_length = models.PositiveSmallIntegerField(default=79)
    approval_requires_resolved_threads = models.BooleanField(
        default=True, help_text="A spec can be approved only when every comment thread on it is resolved."
    )
    core_reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="core_review_projects"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("specs:spec-list", kwargs={"project_slug": self.slug})


class SpecTemplate(models.Model):
    """A project's ``template.rst``, or ``<release>-template.rst`` for one release."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="templates")
    release = models.CharField(
        max_length=50, blank=True, validators=[name_validator], help_text="Empty for the project's default."
    )
    source = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "release"]
        constraints = [
            models.UniqueConstraint(fields=["project", "release"], name="one_template_per_project_release")
        ]

    def __str__(self) -> str:
        return f"{self.project.slug} {self.release or 'default'} template"

    @property
    def filename(self) -> str:
        return f"{self.release}-template.rst" if self.release else "template.rst"


class TemplateSection(models.Model):
    """One heading of a template, with the guidance the template gives under it."""

    template = models.ForeignKey(SpecTemplate, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    title = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField()
    adornment = models.CharField(max_length=1, default="=")
    overline = models.BooleanField(default=False)
    order = models.PositiveIntegerField()
    guidance = models.TextField(blank=True)
    required = models.BooleanField(default=True, help_text="The gate fails a spec without this section.")

    class Meta:
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "order"], name="template_section_order")]

    def __str__(self) -> str:
        return self.title

    @property
    def style(self) -> rst_document.HeadingStyle:
        return rst_document.HeadingStyle(self.adornment, self.overline)


class SpecStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    MERGED = "merged", "Merged"
    ABANDONED = "abandoned", "Abandoned"


class Spec(models.Model):
    """A design spec: metadata, plus the text parts its .rst is assembled from."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="specs")
    template = models.ForeignKey(SpecTemplate, on_delete=models.PROTECT, related_name="specs")
    title = models.CharField(max_length=200)
    slug = models.CharField(
        max_length=100,
        validators=[name_validator, validate_spec_name],
        help_text="The Launchpad blueprint's name; the file name.",
    )
    blueprint_url = models.URLField(blank=True)
    release = models.CharField(max_length=50, validators=[name_validator])
    status = models.CharField(max_length=20, choices=SpecStatus.choices, default=SpecStatus.DRAFT)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_specs")
    co_authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="co_authored_specs"
    )
    # Text parts; see specs_app.rst.document.Document.
    prologue = models.TextField(blank=True)
    title_heading = models.TextField(blank=True)
    intro = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every change to the spec or any of its sections.
    version = models.PositiveIntegerField(default=1)
    # Full-text search on PostgreSQL: kept up to date by database triggers and indexed
    # (GIN) by migration 0005, on PostgreSQL only; empty on SQLite. See specs_app.search.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["project", "slug"], name="one_spec_per_project_slug")]
        indexes = [
            models.Index(fields=["project", "status"]),
            models.Index(fields=["project", "release"]),
            # Lists show the most recently changed specs first.
            models.Index(fields=["-updated_at"], name="spec_recent_first"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "specs:spec-detail", kwargs={"project_slug": self.project.slug, "spec_slug": self.slug}
        )

    @property
    def path(self) -> str:
        """Where the spec lives in its specs repository."""
        return f"specs/{self.release}/{self.slug}.rst"

    def as_document(self, sections: list[SpecSection] | None = None) -> rst_document.Document:
        sections = list(self.sections.all()) if sections is None else sections
        return rst_document.Document(
            prologue=self.prologue,
            title=self.title,
            title_heading=self.title_heading,
            intro=self.intro,
            sections=tuple(section.as_document_section() for section in sections),
        )

    def text(self) -> str:
        """The spec's .rst text."""
        return rst_document.assemble(self.as_document())


class SpecSection(models.Model):
    """A heading of a spec and the RST body under it.

    ``template_section`` is set when the heading is one of the template's; a
    section the template lacks keeps only its own title.
    """

    spec = models.ForeignKey(Spec, on_delete=models.CASCADE, related_name="sections")
    template_section = models.ForeignKey(
        TemplateSection, on_delete=models.SET_NULL, null=True, blank=True, related_name="spec_sections"
    )
    title = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField(default=1)
    heading = models.TextField(help_text="The heading's lines exactly as written.")
    body = models.TextField(blank=True)
    position = models.PositiveIntegerField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["spec", "position"]
        constraints = [models.UniqueConstraint(fields=["spec", "position"], name="spec_section_position")]

    def __str__(self) -> str:
        return self.title

    def as_document_section(self) -> rst_document.Section:
        return rst_document.Section(
            title=self.title,
            level=self.level,
            style=rst_document.heading_style(self.heading),
            heading=self.heading,
            body=self.body,
        )

    @property
    def text(self) -> str:
        """The body as an author edits it, without the blank lines around it."""
        return rst_document.body_text(self.body)


# Review: revisions, reviews, comments and where they sit (see specs_app.review_services).


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
    created_at = models.DateTimeField(auto_now_add=True)

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
        REVISION_SUBMITTED = "revision_submitted", "Revision submitted"
        STATUS_CHANGED = "status_changed", "Status changed"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    spec = models.ForeignKey(Spec, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"to {self.recipient}: {self.message}"


class ApiToken(models.Model):
    """A named key for the API and the command-line client; only its hash is stored.

    A person may hold several (one per machine or script) and revoke each on
    its own. The key is shown once, when it is created.
    """

    KEY_PREFIX = "sp_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    # The key's first characters, so its owner can tell keys apart; not enough to use one.
    hint = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"
