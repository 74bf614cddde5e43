"""Pages for a project's git repository: connect it, sync it (a background job), push a spec.

Thin views over specs_app.gitrepo.services and .jobs.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from specs_app.authoring import permissions
from specs_app.authoring import selectors as authoring_selectors
from specs_app.authoring.forms import add_service_errors
from specs_app.authoring.views import forbidden
from specs_app.gitrepo import jobs, selectors, services
from specs_app.gitrepo.forms import ConnectRepositoryForm
from specs_app.http import AuthenticatedHttpRequest
from specs_app.models import Project, RepositoryConnection, Spec, SpecUpstream, SyncJob
from specs_app.rst import diff as rst_diff


@require_http_methods(["GET", "POST"])
def repository(request: HttpRequest, project_slug: str) -> HttpResponse:
    project = get_object_or_404(Project, slug=project_slug)
    connection = RepositoryConnection.objects.filter(project=project).first()
    may_manage = services.can_manage_repository(request.user, project)  # type: ignore[arg-type]
    status = 200
    if request.method == "POST":
        if not may_manage:
            return forbidden(request, "Only core reviewers and staff connect a project to its repository.")
        form = ConnectRepositoryForm(request.POST)
        if form.is_valid():
            try:
                services.connect_repository(actor=request.user, project=project, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                messages.success(request, f"{project.name} is connected to {form.cleaned_data['url']}.")
                return redirect("specs:repository", project_slug=project.slug)
        else:
            status = 400
    else:
        initial = (
            {"url": connection.url, "branch": connection.branch, "push_target": connection.push_target}
            if connection
            else None
        )
        form = ConnectRepositoryForm(initial=initial)
    context = {
        "project": project,
        "connection": connection,
        "form": form,
        "may_manage": may_manage,
        "jobs": project.sync_jobs.all()[:10],
        "conflicts": selectors.conflicted_specs(project),
    }
    return render(request, "specs_app/gitrepo/repository.html", context, status=status)


@login_required
@require_POST
def sync(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponse:
    project = get_object_or_404(Project, slug=project_slug)
    try:
        job = jobs.start_sync(actor=request.user, project=project)
    except PermissionDenied as error:
        return forbidden(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("specs:repository", project_slug=project.slug)
    return redirect("specs:sync-job", project_slug=project.slug, job_id=job.pk)


@require_GET
def sync_job(request: HttpRequest, project_slug: str, job_id: int) -> HttpResponse:
    job = get_object_or_404(SyncJob.objects.select_related("project"), pk=job_id, project__slug=project_slug)
    return render(request, "specs_app/gitrepo/sync_job.html", {"project": job.project, "job": job})


@login_required
@require_POST
def publish(request: AuthenticatedHttpRequest, project_slug: str, spec_slug: str) -> HttpResponse:
    spec = _spec(project_slug, spec_slug)
    try:
        state = services.publish_spec(actor=request.user, spec=spec)
    except PermissionDenied as error:
        return forbidden(request, str(error), spec)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Pushed {spec.path} to {state.pushed_ref} as {state.pushed_commit[:12]}.")
    return redirect(spec)


@require_http_methods(["GET", "POST"])
def spec_upstream(request: HttpRequest, project_slug: str, spec_slug: str) -> HttpResponse:
    """A spec changed here and upstream: both texts, their differences, and the choice."""
    spec = _spec(project_slug, spec_slug)
    state = SpecUpstream.objects.filter(spec=spec).first()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services.resolve_conflict(actor=request.user, spec=spec, keep=request.POST.get("keep", ""))
        except PermissionDenied as error:
            return forbidden(request, str(error), spec)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            kept = "upstream's text" if request.POST.get("keep") == "upstream" else "this text"
            messages.success(request, f"The conflict is resolved: the spec keeps {kept}.")
            return redirect(spec)
    conflict = state is not None and state.in_conflict
    context = {
        "project": spec.project,
        "spec": spec,
        "state": state,
        "sections": rst_diff.compare(spec.text(), state.conflict_text) if conflict and state else [],
        "layout": "split",
        "old_label": "Here",
        "new_label": f"Upstream {state.conflict_commit[:12]}" if conflict and state else "",
        "may_resolve": permissions.can_edit_spec(request.user, spec),
    }
    return render(request, "specs_app/gitrepo/spec_upstream.html", context)


def _spec(project_slug: str, spec_slug: str) -> Spec:
    try:
        return authoring_selectors.spec_detail(project_slug=project_slug, spec_slug=spec_slug)
    except Spec.DoesNotExist as error:
        raise Http404("No such spec.") from error
