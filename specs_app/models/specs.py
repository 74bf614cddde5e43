"""SpecPortal's data: projects and their templates, specs and their sections.

A spec's .rst text is never stored whole: it is assembled from the spec's
prologue, title heading and introduction and its sections' headings and bodies
(see ``specs_app.rst.document``), so every view of it agrees.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse

from specs_app import paths
from specs_app.rst import document as rst_document
from specs_app.rst.gate_profiles import GATE_PRESETS

NAME_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._+-]*"
name_validator = RegexValidator(
    rf"\A{NAME_PATTERN}\Z",
    "Use letters, digits, dots, dashes, underscores or plus signs, starting with a letter or digit.",
)


GATE_PRESET_CHOICES = [("", "Custom: the settings below")] + [
    (name, profile.repository) for name, profile in GATE_PRESETS.items()
]

# Spec names that would collide with a project's own pages.
RESERVED_SPEC_NAMES = frozenset({"new", "import", "repository", "section-owners"})


def validate_spec_name(value: str) -> None:
    if value in RESERVED_SPEC_NAMES:
        raise ValidationError(f"“{value}” names a page of SpecPortal; the spec needs another file name.")


def validate_path_pattern(value: str) -> None:
    problems = paths.path_pattern_problems(value)
    if problems:
        raise ValidationError(problems)


class Project(models.Model):
    """An OpenStack-style project with its specs repository and review rules."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    # A repository's own checks (specs_app.rst.gate_profiles.GATE_PRESETS), or, when empty,
    # the rules below applied to the project's template.
    gate_preset = models.CharField(
        max_length=30,
        blank=True,
        choices=GATE_PRESET_CHOICES,
        help_text="The specs repository whose own checks the gate reproduces; empty: the settings below.",
    )
    # The gate's per-project choices when it has no preset (see specs_app.rst.gate_rules).
    allow_extra_sections = models.BooleanField(
        default=False,
        help_text="Top-level sections the template lacks are reported but do not fail the gate.",
    )
    exempt_literal_blocks = models.BooleanField(
        default=False, help_text="Lines in literal blocks may exceed the line limit."
    )
    max_line_length = models.PositiveSmallIntegerField(default=79)
    spec_path_pattern = models.CharField(
        max_length=200,
        default=paths.DEFAULT_SPEC_PATH_PATTERN,
        validators=[validate_path_pattern],
        help_text="Where a new spec's file goes in the repository; {release} and {name} are filled in.",
    )
    approval_requires_resolved_threads = models.BooleanField(
        default=True, help_text="A spec can be approved only when every comment thread on it is resolved."
    )
    # How many core reviewers other than a spec's authors must +2 it before it can be approved.
    required_core_approvals = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1)],
        help_text="How many core reviewers, other than the spec's authors, must give it +2 before approval.",
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


class SectionOwner(models.Model):
    """A group whose sign-off (a +1 or better from one member) a top-level section needs.

    "Security impact" owned by the security group: a spec is not approved until
    someone of that group has voted +1 or better on the revision under review,
    unless the section is written as "None".
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="section_owners")
    section_title = models.CharField(max_length=200)
    group = models.ForeignKey("auth.Group", on_delete=models.CASCADE, related_name="owned_spec_sections")

    class Meta:
        ordering = ["project", "section_title", "group__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "section_title", "group"], name="one_owner_group_per_section"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.section_title} signed off by {self.group}"


class SpecTemplate(models.Model):
    """A project's ``template.rst``, or ``<release>-template.rst`` for one release.

    A release may have variants beside its standard template, such as glance's
    "spec lite" (``spec-lite-template.rst``, a field list without sections).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="templates")
    release = models.CharField(
        max_length=50, blank=True, validators=[name_validator], help_text="Empty for the project's default."
    )
    variant = models.CharField(
        max_length=50,
        blank=True,
        validators=[name_validator],
        help_text="Empty for the standard template; a name such as “spec-lite” for another kind of spec.",
    )
    # Where the template lives in the specs repository; empty for one loaded by hand.
    path = models.CharField(max_length=300, blank=True)
    source = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "release", "variant"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "release", "variant"], name="one_template_per_project_release_variant"
            )
        ]

    def __str__(self) -> str:
        kind = f" {self.variant}" if self.variant else ""
        return f"{self.project.slug} {self.release or 'default'}{kind} template"

    @property
    def filename(self) -> str:
        if self.path:
            return self.path.rsplit("/", 1)[-1]
        stem = f"{self.variant}-template" if self.variant else "template"
        return f"{self.release}-{stem}.rst" if self.release else f"{stem}.rst"


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
    # Merged, and the feature it describes has landed (the repository's implemented/ folder).
    IMPLEMENTED = "implemented", "Implemented"
    ABANDONED = "abandoned", "Abandoned"


class Spec(models.Model):
    """A design spec: metadata, plus the text parts its .rst is assembled from."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="specs")
    template = models.ForeignKey(SpecTemplate, on_delete=models.PROTECT, related_name="specs")
    title = models.CharField(max_length=200)
    # The spec's address in SpecPortal, unique in its project: its name, or for a
    # re-proposal or a namesake in another folder "<name>-<release>".
    slug = models.CharField(
        max_length=100,
        validators=[name_validator, validate_spec_name],
        help_text="The spec's address in SpecPortal, unique in its project.",
    )
    # The file's name without ".rst", usually the Launchpad blueprint's; every release's
    # proposal of one blueprint shares it (a lineage).
    name = models.CharField(
        max_length=100,
        validators=[name_validator, validate_spec_name],
        help_text="The spec's file name without .rst, usually its Launchpad blueprint's name.",
    )
    # Where the file lives in the specs repository, unique in the project.
    path = models.CharField(max_length=300)
    # The file's executable bit in the repository (a few specs have it, by accident; export keeps it).
    executable = models.BooleanField(default=False)
    # The earlier release's spec this one re-proposes.
    proposed_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reproposals"
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
    # (GIN) by migration 0005, on PostgreSQL only; empty on SQLite. See specs_app.authoring.search.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "slug"], name="one_spec_per_project_slug"),
            models.UniqueConstraint(fields=["project", "path"], name="one_spec_per_project_path"),
        ]
        indexes = [
            models.Index(fields=["project", "name"], name="spec_lineage"),
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


class RepositoryFile(models.Model):
    """A file of the specs repository that is not a spec or a template, kept byte for byte.

    ``index.rst`` files, nova's ``redirects``, placeholders, images and JSON
    examples, template stand-ins (a one-line file holding a relative path, as
    git checks a symlink out where links are off), real symlinks, and spec
    files that could not be imported: export writes them back unchanged.
    """

    class Kind(models.TextChoices):
        LINK = "link", "Symbolic link"
        STAND_IN = "stand_in", "Stand-in for another file"
        INDEX = "index", "Index page"
        REDIRECTS = "redirects", "Redirects"
        UNIMPORTED = "unimported", "Spec that could not be imported"
        OTHER = "other", "Other file"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="repository_files")
    path = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    # The file's bytes; for a symbolic link, its target.
    content = models.BinaryField()
    executable = models.BooleanField(default=False)
    # Why a file is kept rather than imported (shown in the import report).
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "path"]
        constraints = [
            models.UniqueConstraint(fields=["project", "path"], name="one_repository_file_per_project_path")
        ]

    def __str__(self) -> str:
        return f"{self.project.slug}: {self.path}"
