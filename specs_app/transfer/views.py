"""Browser pages for moving specs in and out: upload an .rst file, download a file or a patch.

Thin views: the form parses the upload, ``importing`` imports and ``exporting``
builds the patch. Downloads are public, like the specs themselves.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from specs_app.authoring.forms import add_service_errors
from specs_app.http import AuthenticatedHttpRequest
from specs_app.limits import check_file_size
from specs_app.models import Project, Spec
from specs_app.transfer import downloads, exporting, importing


class SpecImportForm(forms.Form):
    file = forms.FileField(
        label="Spec file (.rst)",
        error_messages={
            "required": "Choose the spec's .rst file.",
            "empty": "The file is empty.",
            "invalid": "Choose the spec's .rst file.",
        },
        help_text="The file's name becomes the spec's name, as in its specs repository.",
        widget=forms.ClearableFileInput(attrs={"accept": ".rst,text/x-rst,text/plain"}),
    )
    release = forms.CharField(
        max_length=50,
        error_messages={"required": "Name the release the spec is for, such as kilo or 2026.1."},
        help_text="The folder the spec lives in: specs/<release>/.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "2026.1"}),
    )
    replace = forms.BooleanField(
        required=False,
        label="Replace the spec of the same name",
        help_text="Only its owner, its co-authors and staff may replace a spec.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".rst"):
            raise ValidationError("Choose an .rst file; “%(name)s” is not one.", params={"name": upload.name})
        # Refused before reading, so a huge upload costs no memory.
        check_file_size(upload.size)
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def spec_import(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponse:
    project = get_object_or_404(Project, slug=project_slug)
    report = None
    status = 200
    if request.method == "POST":
        form = SpecImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = importing.import_spec(
                    actor=request.user,
                    project=project,
                    source=upload.read(),
                    release=form.cleaned_data["release"],
                    filename=upload.name,
                    replace=form.cleaned_data["replace"],
                )
            except PermissionDenied as error:
                form.add_error(None, str(error))
                status = 403
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # Ready for the next file of the same release.
                form = SpecImportForm(initial={"release": form.cleaned_data["release"]})
    else:
        form = SpecImportForm()
    context = {"project": project, "form": form, "report": report}
    if report is not None:
        kwargs = {"project_slug": project.slug, "spec_slug": report.spec.slug}
        context |= {
            "spec_url": reverse("specs:spec-detail", kwargs=kwargs),
            "export_rst_url": reverse("specs:spec-export-rst", kwargs=kwargs),
            "export_patch_url": reverse("specs:spec-export-patch", kwargs=kwargs),
        }
    return render(request, "specs_app/transfer/spec_import.html", context, status=status)


def _spec(project_slug: str, spec_slug: str) -> Spec:
    try:
        return exporting.specs_with_sections().get(project__slug=project_slug, slug=spec_slug)
    except Spec.DoesNotExist as error:
        raise Http404("No such spec.") from error


@require_GET
def spec_export_rst(request: HttpRequest, project_slug: str, spec_slug: str) -> HttpResponse:
    """The spec's file, exactly as it goes in its repository (``?draft=1``: the working draft)."""
    spec = _spec(project_slug, spec_slug)
    try:
        draft = downloads.wants_draft(request.GET.get("draft"))
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain; charset=utf-8")
    return downloads.spec_rst_download(spec, draft=draft)


@require_GET
def spec_export_patch(request: HttpRequest, project_slug: str, spec_slug: str) -> HttpResponse:
    """A git format-patch mbox adding the spec's file; apply it with ``git am``."""
    return downloads.spec_patch_download(_spec(project_slug, spec_slug))
