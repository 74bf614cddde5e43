"""The page that imports a whole specs repository, uploaded as a .tar.gz, .tgz, .tar or .zip.

Without JavaScript it is a plain form post answered by the report page. With it,
``repository_import.js`` shows the upload's progress and asks for the import's
progress as it happens (``progress.streamed``), then shows the same report page.
Either way a bad archive is refused before anything is imported: 400 (or 413 for
a size limit) with the reason on the form.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from specs_app.authoring.views import forbidden
from specs_app.http import AuthenticatedHttpRequest
from specs_app.models import Project
from specs_app.transfer import archives, progress, uploads
from specs_app.transfer.repository import FileResult

TEMPLATE = "specs_app/transfer/repository_import.html"


class RepositoryImportForm(forms.Form):
    archive = forms.FileField(
        label="Repository archive (.tar.gz, .tgz, .tar or .zip)",
        error_messages={
            "required": "Choose the repository's archive: a .tar.gz, .tgz, .tar or .zip file.",
            "empty": "The file is empty.",
            "invalid": "Choose the repository's archive: a .tar.gz, .tgz, .tar or .zip file.",
        },
        help_text=(
            "The whole repository, its specs/ folder inside: GitHub's “Download ZIP”, or "
            "git archive --format=tar.gz -o specs.tar.gz HEAD in a checkout."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": archives.ACCEPT}),
    )
    replace = forms.BooleanField(
        required=False,
        label="Replace changed specs",
        help_text=(
            "A spec, template or file whose bytes differ from what is here takes the repository's. "
            "A spec needs its owner, a co-author or staff; a template or another file, staff or a core "
            "reviewer. What you may not replace is listed as failed, and stays as it is."
        ),
    )


@csrf_exempt  # the upload's size is checked before CSRF would read the body; _receive checks CSRF
@login_required
@require_http_methods(["GET", "POST"])
def repository_import(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponseBase:
    project = get_object_or_404(Project, slug=project_slug)
    try:
        uploads.check_may_import(request.user, project)
    except PermissionDenied as error:
        return forbidden(request, str(error))
    if request.method != "POST":
        return _page(request, project, RepositoryImportForm())
    too_large = archives.request_size_error(request.META)
    if too_large:
        return _page(request, project, RepositoryImportForm(), refusal=too_large, status=413)
    return _receive(request, project)


@csrf_protect
def _receive(request: AuthenticatedHttpRequest, project: Project) -> HttpResponseBase:
    form = RepositoryImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, project, form, status=400)
    upload = form.cleaned_data["archive"]
    replace: bool = form.cleaned_data["replace"]
    # Unpacked here, so a bad archive gets its 4xx before any import starts; the folder
    # goes when the import is over (in the streaming thread, when there is one).
    folder = ExitStack()
    try:
        unpacked = folder.enter_context(
            uploads.unpacked_upload(
                actor=request.user, project=project, upload=upload, filename=upload.name, size=upload.size
            )
        )
    except PermissionDenied as error:
        return forbidden(request, str(error))
    except ValidationError as error:
        form.add_error("archive", error)
        status = 413 if isinstance(error, archives.ArchiveTooLarge) else 400
        return _page(request, project, form, status=status)

    def work(on_result: uploads.OnResult | None = None) -> uploads.RepositoryUpload:
        return uploads.import_unpacked(
            actor=request.user, project=project, unpacked=unpacked, replace=replace, on_result=on_result
        )

    if progress.wants_progress(request.headers.get("Accept", "")):

        def streamed_work(emit: progress.Emit) -> uploads.RepositoryUpload:
            def on_result(done: int, total: int, result: FileResult) -> None:
                emit({"done": done, "total": total, "path": result.path, "outcome": result.outcome.value})

            return work(on_result)

        def finish(result: uploads.RepositoryUpload) -> dict[str, Any]:
            context = _context(project, RepositoryImportForm(), result)
            return {"summary": result.report.summary(), "html": render_to_string(TEMPLATE, context, request)}

        return progress.streamed(streamed_work, finish=finish, cleanup=folder.close)
    try:
        with folder:
            result = work()
    except PermissionDenied as error:
        return forbidden(request, str(error))
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, project, form, status=400)
    return _page(request, project, RepositoryImportForm(), result)


def _context(
    project: Project,
    form: RepositoryImportForm,
    result: uploads.RepositoryUpload | None = None,
    refusal: str = "",
) -> dict[str, Any]:
    limits = archives.ArchiveLimits.from_settings()
    context: dict[str, Any] = {
        "project": project,
        "form": form,
        "refusal": refusal,  # a request refused unread, so without a bound form
        "max_bytes": limits.max_bytes,
        "max_size": archives.megabytes(limits.max_bytes),
        "upload": result,
    }
    if result is not None:
        context["groups"] = uploads.report_groups(result.report)
    return context


def _page(
    request: HttpRequest,
    project: Project,
    form: RepositoryImportForm,
    result: uploads.RepositoryUpload | None = None,
    *,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(request, TEMPLATE, _context(project, form, result, refusal), status=status)
