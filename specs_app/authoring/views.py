"""Browser pages. Each view parses its input, calls one service or selector, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from specs_app.authoring import permissions, selectors, services
from specs_app.authoring import search as full_text
from specs_app.authoring.forms import SpecCreateForm, SpecEditForm, SpecFilterForm, add_service_errors
from specs_app.models import Project, Spec
from specs_app.preview import rendering
from specs_app.preview.preview import preview_for_project, spec_preview

SPECS_PER_PAGE = 50
# The live preview's endpoint (see static/specs_app/js/editor.js for the contract).
LIVE_PREVIEW_URL = "/api/v1/render/"


def optional_url(name: str, **kwargs) -> str | None:
    """The URL of a page that another part of SpecPortal may not provide yet."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _project(slug: str) -> Project:
    return get_object_or_404(Project, slug=slug)


def _spec(project_slug: str, spec_slug: str) -> Spec:
    try:
        return selectors.spec_detail(project_slug=project_slug, spec_slug=spec_slug)
    except Spec.DoesNotExist as error:
        raise Http404("No such spec.") from error


def forbidden(request: HttpRequest, message: str, spec: Spec | None = None) -> HttpResponse:
    context = {"message": message, "spec": spec, "project": spec.project if spec else None}
    return render(request, "specs_app/forbidden.html", context, status=403)


@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    return render(request, "specs_app/authoring/project_list.html", {"projects": selectors.project_list()})


@require_GET
def spec_list(request: HttpRequest, project_slug: str) -> HttpResponse:
    project = _project(project_slug)
    choices = selectors.spec_filter_choices(project)
    filter_form = SpecFilterForm(request.GET or None, releases=choices["releases"], owners=choices["owners"])
    filters = filter_form.filters()
    specs = selectors.spec_list(project=project, **filters)
    page = Paginator(specs, SPECS_PER_PAGE).get_page(request.GET.get("page"))
    if filters.get("search"):
        # Best match first (selectors.spec_list), each with the passage that matched.
        marked = full_text.snippets((spec.pk for spec in page.object_list), filters["search"])
        for spec in page.object_list:
            spec.snippet_html = marked.get(spec.pk, "")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "specs_app/authoring/spec_list.html",
        {
            "project": project,
            "filter_form": filter_form,
            "filtered": any(filters.values()),
            "page": page,
            "specs": page.object_list,
            "query": query.urlencode(),
            "can_create": permissions.can_create_spec(request.user, project),
            "import_url": optional_url("specs:spec-import", project_slug=project.slug),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def spec_create(request: HttpRequest, project_slug: str) -> HttpResponse:
    project = _project(project_slug)
    if request.method == "POST":
        form = SpecCreateForm(request.POST)
        if form.is_valid():
            try:
                spec = services.create_spec(actor=request.user, project=project, **form.cleaned_data)
            except PermissionDenied as error:
                return forbidden(request, str(error))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Created “{spec.title}”. Write its sections below.")
                return redirect("specs:spec-edit", project_slug=project.slug, spec_slug=spec.slug)
    else:
        # The release the project's most recently edited spec targets: usually the one being written for.
        latest = selectors.spec_list(project=project).first()
        form = SpecCreateForm(initial={"release": latest.release if latest else ""})
    return render(request, "specs_app/authoring/spec_create.html", {"project": project, "form": form})


@require_GET
def spec_detail(request: HttpRequest, project_slug: str, spec_slug: str) -> HttpResponse:
    spec = _spec(project_slug, spec_slug)
    checked = spec_preview(spec)
    return render(
        request,
        "specs_app/authoring/spec_detail.html",
        {
            "project": spec.project,
            "spec": spec,
            "sections": list(spec.sections.all()),
            "rendered": checked["html"]
            if checked["complete"]
            else rendering.failure_html(d["message"] for d in checked["diagnostics"]),
            "diagnostics": checked["diagnostics"],
            "can_edit": permissions.can_edit_spec(request.user, spec),
            "gate": checked["gate"],
            "export_rst_url": optional_url(
                "specs:spec-export-rst", project_slug=project_slug, spec_slug=spec_slug
            ),
            "export_patch_url": optional_url(
                "specs:spec-export-patch", project_slug=project_slug, spec_slug=spec_slug
            ),
        },
    )


def _render_editor(request, spec, form, *, status=200, preview=None, conflict=None) -> HttpResponse:
    return render(
        request,
        "specs_app/authoring/spec_edit.html",
        {
            "project": spec.project,
            "spec": spec,
            "form": form,
            "preview": preview,
            "conflict": conflict,
            "render_url": LIVE_PREVIEW_URL,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def spec_edit(request: HttpRequest, project_slug: str, spec_slug: str) -> HttpResponse:
    spec = _spec(project_slug, spec_slug)
    refusal = "Only the spec's owner, its co-authors and staff can edit it."
    if request.method == "GET":
        if not permissions.can_edit_spec(request.user, spec):
            return forbidden(request, refusal, spec)
        return _render_editor(request, spec, SpecEditForm(spec=spec))

    form = SpecEditForm(request.POST, spec=spec)
    if not form.is_valid():
        return _render_editor(request, spec, form)
    if request.POST.get("action") == "preview":
        if not permissions.can_edit_spec(request.user, spec):
            return forbidden(request, refusal, spec)
        checked = preview_for_project(text=form.assembled_text(), project=spec.project, release=spec.release)
        return _render_editor(request, spec, form, preview=checked)
    try:
        services.update_spec(actor=request.user, spec=spec, **form.update_arguments())
    except PermissionDenied as error:
        return forbidden(request, str(error), spec)
    except ValidationError as error:
        add_service_errors(form, error)
        return _render_editor(request, spec, form)
    except services.EditConflict as conflict:
        current_spec = _spec(project_slug, spec_slug)
        merge_form = SpecEditForm(form.conflict_data(SpecEditForm(spec=current_spec)), spec=current_spec)
        merge_form.conflicts = {item.field: item for item in conflict.conflicts}
        return _render_editor(request, current_spec, merge_form, status=409, conflict=conflict)
    messages.success(request, "Saved your changes.")
    return redirect(spec.get_absolute_url())
