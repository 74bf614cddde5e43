from django.contrib import admin

from .models import Project, Spec, SpecSection, SpecTemplate, TemplateSection


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "allow_extra_sections", "exempt_literal_blocks", "max_line_length"]
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
    list_display = ["project", "release", "created_at"]
    list_filter = ["project"]
    inlines = [TemplateSectionInline]


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
    list_display = ["title", "project", "slug", "release", "status", "owner", "updated_at"]
    list_filter = ["project", "status", "release"]
    search_fields = ["title", "slug"]
    raw_id_fields = ["owner"]
    filter_horizontal = ["co_authors"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [SpecSectionInline]


@admin.register(SpecSection)
class SpecSectionAdmin(admin.ModelAdmin):
    list_display = ["title", "spec", "position", "version"]
    search_fields = ["title", "spec__title"]
    raw_id_fields = ["spec", "template_section"]
