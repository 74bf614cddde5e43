from django.contrib import admin

from specs_app.models import (
    AccountSettings,
    Project,
    RepositoryConnection,
    RepositoryFile,
    SectionOwner,
    Spec,
    SpecSection,
    SpecTemplate,
    SpecUpstream,
    SyncJob,
    TemplateSection,
)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "gate_preset",
        "allow_extra_sections",
        "exempt_literal_blocks",
        "max_line_length",
        "spec_path_pattern",
        "required_core_approvals",
    ]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["core_reviewers"]
    search_fields = ["name", "slug"]


class TemplateSectionInline(admin.TabularInline):
    model = TemplateSection
    fields = ["order", "title", "level", "parent", "required"]
    readonly_fields = ["order", "title", "level", "parent"]
    extra = 0
    can_delete = False


@admin.register(SpecTemplate)
class SpecTemplateAdmin(admin.ModelAdmin):
    list_display = ["project", "release", "variant", "path", "created_at"]
    list_filter = ["project"]
    inlines = [TemplateSectionInline]


@admin.register(SectionOwner)
class SectionOwnerAdmin(admin.ModelAdmin):
    """Which groups sign off which sections (also on each project's "Section owners" page)."""

    list_display = ["section_title", "group", "project"]
    list_filter = ["project", "group"]
    search_fields = ["section_title", "group__name"]


@admin.register(TemplateSection)
class TemplateSectionAdmin(admin.ModelAdmin):
    list_display = ["title", "template", "level", "order", "required"]
    list_filter = ["template__project", "level", "required"]
    search_fields = ["title"]


class SpecSectionInline(admin.StackedInline):
    model = SpecSection
    fields = ["position", "title", "template_section", "body", "version"]
    readonly_fields = ["version"]
    extra = 0


@admin.register(Spec)
class SpecAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "path", "status", "owner", "updated_at"]
    list_filter = ["project", "status", "release"]
    search_fields = ["title", "slug", "name", "path"]
    raw_id_fields = ["owner", "proposed_from"]
    filter_horizontal = ["co_authors"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [SpecSectionInline]


@admin.register(SpecSection)
class SpecSectionAdmin(admin.ModelAdmin):
    list_display = ["title", "spec", "position", "version"]
    search_fields = ["title", "spec__title"]
    raw_id_fields = ["spec", "template_section"]


@admin.register(RepositoryFile)
class RepositoryFileAdmin(admin.ModelAdmin):
    list_display = ["path", "project", "kind", "executable", "updated_at"]
    list_filter = ["project", "kind"]
    search_fields = ["path", "note"]
    readonly_fields = ["updated_at"]


@admin.register(AccountSettings)
class AccountSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "email_notifications"]
    list_filter = ["email_notifications"]
    raw_id_fields = ["user"]


@admin.register(RepositoryConnection)
class RepositoryConnectionAdmin(admin.ModelAdmin):
    list_display = ["project", "url", "branch", "push_target", "synced_commit", "synced_at"]


@admin.register(SpecUpstream)
class SpecUpstreamAdmin(admin.ModelAdmin):
    list_display = ["spec", "change_id", "commit", "pushed_ref", "conflict_commit"]
    raw_id_fields = ["spec"]


@admin.register(SyncJob)
class SyncJobAdmin(admin.ModelAdmin):
    list_display = ["project", "state", "done", "total", "created_at", "finished_at"]
    list_filter = ["project", "state"]


# Review (see specs_app.review.services): readable here, written through the services.
from specs_app.models import Attention, Comment, CommentAnchor, Notification, Review, Revision  # noqa: E402


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["spec", "number", "author", "created_at"]
    list_filter = ["spec__project"]
    search_fields = ["spec__title", "message"]
    raw_id_fields = ["spec", "author"]
    readonly_fields = ["created_at"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["spec", "revision", "reviewer", "vote", "published_at"]
    list_filter = ["vote", "spec__project"]
    raw_id_fields = ["spec", "revision", "reviewer"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["spec", "revision", "author", "kind", "state", "review", "created_at"]
    list_filter = ["kind", "state"]
    search_fields = ["body", "quote"]
    raw_id_fields = ["spec", "revision", "author", "parent", "review", "resolved_by"]


@admin.register(CommentAnchor)
class CommentAnchorAdmin(admin.ModelAdmin):
    list_display = ["comment", "revision", "state", "line_start", "line_end"]
    list_filter = ["state"]
    raw_id_fields = ["comment", "revision"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "spec", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient", "actor", "spec"]


@admin.register(Attention)
class AttentionAdmin(admin.ModelAdmin):
    """Whose turn it is; kept by the review services, so a row changed here lasts until the next event."""

    list_display = ["spec", "user", "reason", "since"]
    list_filter = ["spec__project"]
    search_fields = ["spec__slug", "user__username", "reason"]
    raw_id_fields = ["spec", "user"]
