"""Browser pages. Each view parses its input, calls one service or selector, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from drf_spectacular.utils import extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from specs_app.api.common import BodyLimitMixin
from specs_app.authoring import permissions, selectors, services
from specs_app.authoring import search as full_text
from specs_app.authoring.filters import ProjectSpecFilter
from specs_app.authoring.forms import SpecCreateForm, SpecEditForm, add_service_errors
from specs_app.authoring.pagination import CountingPaginator
from specs_app.http import AuthenticatedHttpRequest
from specs_app.limits import check_spec_size
from specs_app.models import Project, Spec
from specs_app.preview.preview import page_html, preview_for_spec
from specs_app.review import selectors as review_selectors
from specs_app.review import workflow
from specs_app.rst import document as rst_document

SPECS_PER_PAGE = 50


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
    if "q" in request.GET:
        return _renamed_search(request)
    # The filter form sends every field; an empty one means "any", as the API's absent parameter does.
    given = {name: value for name, value in request.GET.items() if value}
    choices = selectors.spec_filter_choices(project)
    filters = ProjectSpecFilter(
        given,
        queryset=selectors.spec_list(project=project),
        request=request,
        releases=choices["releases"],
        owners=choices["owners"],
    )
    # A refused filter is shown with the API's message beside its field and not applied.
    page = CountingPaginator(filters.qs, SPECS_PER_PAGE).get_page(request.GET.get("page"))
    if search := filters.search_terms():
        marked = full_text.snippets((spec.pk for spec in page.object_list), search)
        for spec in page.object_list:
            spec.snippet_html = marked.get(spec.pk, "")
    return render(
        request,
        "specs_app/authoring/spec_list.html",
        {
            "project": project,
            "filter_form": filters.form,
            "filtered": any(name in filters.filters for name in given),
            "page": page,
            "specs": page.object_list,
            "can_create": permissions.can_create_spec(request.user, project),
        },
    )


def _renamed_search(request: HttpRequest) -> HttpResponse:
    """The list's search was ``?q=`` before the page and the API shared ``?search=``: keep bookmarks."""
    query = request.GET.copy()
    old = query.pop("q")[-1]
    if not query.get("search"):
        query["search"] = old
    return redirect(f"{request.path}?{query.urlencode()}", permanent=True)


@login_required
@require_http_methods(["GET", "POST"])
def spec_create(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponse:
    project = _project(project_slug)
    if request.method == "POST":
        form = SpecCreateForm(request.POST, project=project)
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
        form = SpecCreateForm(initial={"release": latest.release if latest else ""}, project=project)
    return render(request, "specs_app/authoring/spec_create.html", {"project": project, "form": form})


@require_GET
def spec_detail(request: HttpRequest, project_slug: str, spec_slug: str) -> HttpResponse:
    """The spec as readers take it: the revision under review (approved, merged), else the working draft.

    ``?draft=1`` shows the authors' working draft instead, labelled as such.
    """
    spec = _spec(project_slug, spec_slug)
    shown = review_selectors.shown_text(spec, draft=request.GET.get("draft") == "1")
    checked = preview_for_spec(text=shown.text, spec=spec)
    sections = (
        [
            {"title": part["title"], "level": part["level"], "text": part["body"].strip()}
            for part in shown.revision.sections
        ]
        if shown.revision is not None
        else list(spec.sections.all())
    )
    return render(
        request,
        "specs_app/authoring/spec_detail.html",
        {
            "project": spec.project,
            "spec": spec,
            "shown": shown,
            "sections": sections,
            "rendered": page_html(checked),
            "diagnostics": checked["diagnostics"],
            "can_edit": permissions.can_edit_spec(request.user, spec) and not permissions.text_lock(spec),
            "gate": checked["gate"],
        },
    )


def _locked(request: HttpRequest, spec: Spec, message: str) -> HttpResponse:
    """The editor of a merged or implemented spec: why it is locked, and the way to a new change."""
    context = {
        "spec": spec,
        "project": spec.project,
        "message": message,
        "may_reopen": workflow.TRANSITIONS["reopen"].available(request.user, spec),
    }
    return render(request, "specs_app/review/locked.html", context, status=400)


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
            "live_preview_url": reverse(
                "specs:spec-edit-preview", kwargs={"project_slug": spec.project.slug, "spec_slug": spec.slug}
            ),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def spec_edit(request: AuthenticatedHttpRequest, project_slug: str, spec_slug: str) -> HttpResponse:
    spec = _spec(project_slug, spec_slug)
    refusal = "Only the spec's owner, its co-authors and staff can edit it."
    if permissions.can_edit_spec(request.user, spec) and (lock := permissions.text_lock(spec)):
        return _locked(request, spec, lock)
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
        return _render_editor(request, spec, form, preview=_edit_preview(form, form.assembled_text()))
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


def _edit_preview(form: SpecEditForm, text: str) -> dict:
    """The author's unsaved edit, rendered and checked: the Preview button and the live preview."""
    spec = form.spec
    return preview_for_spec(text=text, spec=spec)


@extend_schema(exclude=True)  # the editor's own endpoint, not part of the public API
class SpecEditPreviewView(BodyLimitMixin, APIView):
    """The editor's live preview: its fields, as the form posts them, assembled as saving would.

    Answers what ``POST /api/v1/render/`` does (``html``, ``complete``, ``diagnostics``, ``gate``),
    plus ``fields``: where each field's text is in the assembled text (``SpecEditForm.field_lines``),
    so the script puts each message beside its field, at the field's own line. A DRF view for
    the API's body limit (checked before anything is read), render budget and error shape.
    """

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "render"  # counted together with POST /api/v1/render/

    def post(self, request: Request, project_slug: str, spec_slug: str) -> Response:
        spec = _spec(project_slug, spec_slug)
        if not permissions.can_edit_spec(request.user, spec):
            raise PermissionDenied("Only the spec's owner, its co-authors and staff can edit it.")
        form = SpecEditForm(request.POST, spec=spec)
        if not form.is_valid():
            errors = form.errors.get_json_data()
            raise ValidationError(
                {name: [error["message"] for error in found] for name, found in errors.items()}
            )
        document = form.assembled_document()
        text = check_spec_size(rst_document.assemble(document), what="The spec")
        return Response({**_edit_preview(form, text), "fields": form.field_lines(document)})
