"""What the API reads and returns. Serializers only parse and shape: writes go through services."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from specs_app.api.errors import PayloadTooLarge
from specs_app.api.fields import FastReadMixin, ObjectUrlField
from specs_app.authoring import selectors
from specs_app.limits import SpecTooLarge, check_spec_size
from specs_app.models import Project, Spec, SpecSection, SpecTemplate, TemplateSection

# Errors


class ErrorSerializer(serializers.Serializer):
    """Every error: a message for people, and messages per field for tools."""

    message = serializers.CharField()
    # A field named like Serializer.errors: DRF's metaclass moves declared fields out of the class.
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))  # type: ignore[assignment]


class ConflictSerializer(ErrorSerializer):
    """A write based on a stale version: nothing was written; here is what is there now."""

    current = serializers.DictField(
        child=serializers.CharField(), help_text="The text now stored, by the field that conflicts."
    )
    current_version = serializers.IntegerField(help_text="The spec's version now.")


def _check_text_size(text: str) -> str:
    # Raised as the 413 it is: DRF would turn a ValidationError raised here into a 400.
    try:
        return check_spec_size(text)
    except SpecTooLarge as error:
        raise PayloadTooLarge(" ".join(error.messages)) from error


def _text_field(**kwargs) -> serializers.CharField:
    # Bodies are kept as written: no trimming, blank allowed.
    return serializers.CharField(allow_blank=True, trim_whitespace=False, **kwargs)


# Projects and templates


class ProjectSerializer(serializers.ModelSerializer):
    spec_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Project
        fields = [
            "slug",
            "name",
            "description",
            "spec_count",
            "gate_preset",
            "allow_extra_sections",
            "exempt_literal_blocks",
            "max_line_length",
            "spec_path_pattern",
            "approval_requires_resolved_threads",
            "required_core_approvals",
        ]
        read_only_fields = fields


class TemplateSectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = TemplateSection
        fields = ["id", "parent", "title", "level", "order", "adornment", "overline", "required", "guidance"]
        read_only_fields = fields


class TemplateSerializer(serializers.ModelSerializer):
    project: serializers.SlugRelatedField[Project] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = SpecTemplate
        fields = ["id", "project", "release", "filename", "created_at"]
        read_only_fields = fields


class TemplateDetailSerializer(TemplateSerializer):
    sections = TemplateSectionSerializer(many=True, read_only=True)

    class Meta(TemplateSerializer.Meta):
        fields = [*TemplateSerializer.Meta.fields, "source", "sections"]
        read_only_fields = fields


# Specs


class AttentionSerializer(serializers.Serializer):
    """Someone the spec waits for (its attention set): who, why, and since when."""

    user = serializers.CharField(source="user.username", help_text="Whose turn it is.")
    reason = serializers.CharField(help_text='Why, in words: "-1 from bob", "new revision 3 to review", ...')
    since = serializers.DateTimeField(help_text="When it became their turn.")


class SpecSerializer(FastReadMixin, serializers.ModelSerializer):
    project: serializers.SlugRelatedField[Project] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    owner: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    co_authors: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", many=True, read_only=True
    )
    url = ObjectUrlField("api:spec-detail", arguments={"pk": "pk"}, help_text="This spec in the API.")
    html_url = ObjectUrlField(
        "specs:spec-detail",
        arguments={"project_slug": "project.slug", "spec_slug": "slug"},
        help_text="This spec's page.",
    )
    # Read through ``spec.attention.all()``: the spec views prefetch it (see ``api.specs``).
    attention = AttentionSerializer(
        many=True, read_only=True, help_text="Whose turn it is on the spec, longest-waiting first."
    )

    class Meta:
        model = Spec
        fields = [
            "id",
            "project",
            "slug",
            "name",
            "title",
            "release",
            "status",
            "blueprint_url",
            "owner",
            "co_authors",
            "template",
            "path",
            "proposed_from",
            "version",
            "created_at",
            "updated_at",
            "url",
            "html_url",
            "attention",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="SpecListItem")
class SpecListSerializer(SpecSerializer):
    """A spec in the list; with ``snippet`` only when the list is a search (``?search=``)."""

    # Not read-only, so the schema leaves it optional; the list never reads a request body.
    # Present only when the view has set ``spec.snippet`` (see SpecViewSet.paginate_queryset).
    snippet = serializers.CharField(
        required=False,
        help_text=(
            "Searches only: HTML of a passage of the spec's text around the words searched for, "
            "escaped, the matches in `<mark>`; empty when only the title or file name matched."
        ),
    )

    class Meta(SpecSerializer.Meta):
        fields = [*SpecSerializer.Meta.fields, "snippet"]
        read_only_fields = SpecSerializer.Meta.fields


class SectionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = SpecSection
        fields = ["id", "title", "level", "position", "version", "template_section"]
        read_only_fields = fields


class LineageEntrySerializer(serializers.ModelSerializer):
    """A release's spec of a blueprint (its lineage: the project's specs of the same name)."""

    url = serializers.SerializerMethodField(help_text="That spec in the API.")
    html_url = serializers.SerializerMethodField(help_text="That spec's page.")

    class Meta:
        model = Spec
        fields = ["id", "release", "status", "path", "slug", "title", "proposed_from", "url", "html_url"]
        read_only_fields = fields

    def get_url(self, spec: Spec) -> str:
        return reverse("api:spec-detail", kwargs={"pk": spec.pk})

    def get_html_url(self, spec: Spec) -> str:
        return spec.get_absolute_url()


class SpecDetailSerializer(SpecSerializer):
    intro = serializers.SerializerMethodField(
        help_text="The introduction under the title, as an author edits it."
    )
    sections = SectionSummarySerializer(many=True, read_only=True)
    lineage = serializers.SerializerMethodField(
        help_text="Every release's spec of this blueprint in the project (this one included), oldest first."
    )

    class Meta(SpecSerializer.Meta):
        fields = [*SpecSerializer.Meta.fields, "intro", "sections", "lineage"]
        read_only_fields = fields

    def get_intro(self, spec: Spec) -> str:
        from specs_app.rst.document import body_text

        return body_text(spec.intro)

    @extend_schema_field(LineageEntrySerializer(many=True))
    def get_lineage(self, spec: Spec) -> list:
        return list(LineageEntrySerializer(selectors.lineage(spec), many=True).data)


class SpecCreateSerializer(serializers.Serializer):
    project = serializers.SlugRelatedField(slug_field="slug", queryset=Project.objects.all())
    title = serializers.CharField(max_length=Spec._meta.get_field("title").max_length)
    release = serializers.CharField(max_length=Spec._meta.get_field("release").max_length)
    blueprint_url = serializers.URLField(
        max_length=Spec._meta.get_field("blueprint_url").max_length,
        help_text="The Launchpad blueprint; its name becomes the spec's file name.",
    )


class ReproposeSerializer(serializers.Serializer):
    release = serializers.CharField(
        max_length=Spec._meta.get_field("release").max_length,
        help_text="The release to re-propose the spec for; it gets a copy in that release's template.",
    )


class SpecUpdateSerializer(serializers.Serializer):
    """New metadata, and the spec version it was based on. PATCH may leave fields out."""

    version = serializers.IntegerField(min_value=1, help_text="The spec version this edit starts from.")
    title = serializers.CharField(max_length=Spec._meta.get_field("title").max_length)
    release = serializers.CharField(max_length=Spec._meta.get_field("release").max_length)
    intro = _text_field(required=False, help_text="The introduction under the title.")
    co_authors = serializers.ListField(
        child=serializers.CharField(max_length=150), required=False, help_text="The co-authors' usernames."
    )

    def validate_co_authors(self, usernames: list[str]) -> list:
        users = {
            user.get_username(): user for user in get_user_model().objects.filter(username__in=usernames)
        }
        unknown = [name for name in usernames if name not in users]
        if unknown:
            raise serializers.ValidationError(f"No such user: {', '.join(unknown)}.")
        return [users[name] for name in usernames]

    def validate_intro(self, value: str) -> str:
        return _check_text_size(value)

    def validate(self, attrs: dict) -> dict:
        # Even a partial change says which version it starts from.
        if "version" not in attrs:
            raise serializers.ValidationError({"version": ["This field is required."]})
        return attrs


# Sections and text


class SectionSerializer(serializers.ModelSerializer):
    text = serializers.CharField(read_only=True, help_text="The body as an author edits it.")
    # A field named like Field.required: DRF's metaclass moves declared fields out of the class.
    required = serializers.SerializerMethodField(help_text="The gate fails the spec without this section.")  # type: ignore[assignment]

    class Meta:
        model = SpecSection
        fields = [
            "id",
            "title",
            "level",
            "position",
            "heading",
            "text",
            "version",
            "template_section",
            "required",
        ]
        read_only_fields = fields

    def get_required(self, section: SpecSection) -> bool:
        return bool(section.template_section and section.template_section.required)


class SectionWriteSerializer(serializers.Serializer):
    text = _text_field(help_text="The section's new body.")
    version = serializers.IntegerField(min_value=1, help_text="The section version this edit starts from.")

    def validate_text(self, value: str) -> str:
        return _check_text_size(value)


class SpecTextSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The spec's whole .rst text.")
    version = serializers.IntegerField(help_text="The spec's version: send it back with the new text.")
    path = serializers.CharField(help_text="Where the file lives in its specs repository.")


class SpecTextWriteSerializer(serializers.Serializer):
    text = serializers.CharField(trim_whitespace=False, help_text="The spec's new whole .rst text.")
    version = serializers.IntegerField(min_value=1, help_text="The spec version the text was pulled at.")

    def validate_text(self, value: str) -> str:
        return _check_text_size(value)


# Import


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The spec's .rst file, UTF-8; its name becomes the spec's name.")
    release = serializers.CharField(max_length=Spec._meta.get_field("release").max_length)
    replace = serializers.BooleanField(default=False, help_text="Replace the spec of the same name.")


class ImportReportSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["imported", "replaced", "unchanged"])
    created = serializers.BooleanField()
    replaced = serializers.BooleanField()
    spec = SpecSerializer()
    missing_sections = serializers.ListField(child=serializers.CharField())
    extra_sections = serializers.ListField(child=serializers.CharField())
    notes = serializers.ListField(child=serializers.CharField())


# Import a whole repository


class RepositoryImportSerializer(serializers.Serializer):
    archive = serializers.FileField(
        help_text=(
            "The specs repository as a .tar.gz, .tgz, .tar or .zip (``git archive --format=tar.gz HEAD``), "
            "its specs/ folder at the top or inside one top-level folder."
        )
    )
    replace = serializers.BooleanField(
        default=False,
        help_text=(
            "Replace specs (and files) whose bytes changed; each needs the right to edit what it replaces."
        ),
    )


class ImportedSpecSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The spec in the API.")
    html_url = serializers.SerializerMethodField(help_text="The spec's page.")

    class Meta:
        model = Spec
        fields = ["id", "slug", "title", "url", "html_url"]
        read_only_fields = fields

    def get_url(self, spec: Spec) -> str:
        return reverse("api:spec-detail", kwargs={"pk": spec.pk})

    def get_html_url(self, spec: Spec) -> str:
        return spec.get_absolute_url()


REPOSITORY_OUTCOMES = ["imported", "replaced", "unchanged", "kept", "template", "failed"]


class RepositoryFileResultSerializer(serializers.Serializer):
    path = serializers.CharField(help_text="The file's path in the repository.")
    outcome = serializers.ChoiceField(choices=REPOSITORY_OUTCOMES)
    kind = serializers.CharField(help_text="What the file is: spec, template, link, index, redirects, ...")
    reason = serializers.CharField(help_text="Why it failed, or what a kept file is; may be empty.")
    missing_sections = serializers.ListField(child=serializers.CharField())
    extra_sections = serializers.ListField(child=serializers.CharField())
    spec = ImportedSpecSerializer(allow_null=True, help_text="The spec the file is, if it is one.")


class RepositoryImportCountsSerializer(serializers.Serializer):
    imported = serializers.IntegerField(help_text="New specs.")
    replaced = serializers.IntegerField(help_text="Specs, templates or files updated from the repository.")
    unchanged = serializers.IntegerField(help_text="Already here with the same bytes.")
    kept = serializers.IntegerField(help_text="Files kept as they are: links, index pages, redirects, ...")
    template = serializers.IntegerField(help_text="Templates loaded.")
    failed = serializers.IntegerField(help_text="Files that could not be imported (kept as files).")


class RepositoryImportReportSerializer(serializers.Serializer):
    repository = serializers.CharField(help_text="The archive's name for the repository (its top folder).")
    project = serializers.CharField(help_text="The project's slug.")
    summary = serializers.CharField()
    counts = RepositoryImportCountsSerializer()
    files = RepositoryFileResultSerializer(many=True, help_text="Every file under specs/, in import order.")
