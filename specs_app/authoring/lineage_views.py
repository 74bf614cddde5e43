"""A spec's lineage (its blueprint's spec in every release) on the pages: the panel, re-proposing, diffs.

Each view parses its input, calls one service or selector, and renders; the
panel on the spec page comes from ``templatetags/lineage_tags.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from specs_app.authoring import permissions, selectors
from specs_app.authoring.forms import ReproposeForm, add_service_errors
from specs_app.authoring.reproposal import repropose_spec
from specs_app.http import AuthenticatedHttpRequest
from specs_app.models import Spec
from specs_app.review import selectors as review_selectors
from specs_app.rst import diff as rst_diff


def _spec(project_slug: str, spec_slug: str) -> Spec:
    try:
        return selectors.spec_detail(project_slug=project_slug, spec_slug=spec_slug)
    except Spec.DoesNotExist as error:
        raise Http404("No such spec.") from error


@dataclass(frozen=True)
class LineageEntry:
    spec: Spec
    # How its review went; None for the spec shown, whose review panel is beside.
    review: review_selectors.ReviewSummary | None
    # The release before this one in the lineage, to diff against; None for the first.
    previous: Spec | None
    current: bool


def lineage_entries(spec: Spec) -> list[LineageEntry]:
    specs = selectors.lineage(spec)
    # The spec's own review is in the review panel beside; a spec alone in its lineage costs no query here.
    others = [item for item in specs if item.pk != spec.pk]
    summaries = review_selectors.review_summaries(others) if others else {}
    return [
        LineageEntry(item, summaries.get(item.pk), specs[index - 1] if index else None, item.pk == spec.pk)
        for index, item in enumerate(specs)
    ]


def panel_context(request: HttpRequest, spec: Spec) -> dict:
    """What the lineage panel on the spec page shows (see templatetags/lineage_tags.py)."""
    entries = lineage_entries(spec)
    may_repropose = permissions.can_create_spec(request.user, spec.project)
    releases = selectors.repropose_releases(spec, [entry.spec for entry in entries]) if may_repropose else []
    proposed_from = next((entry.spec for entry in entries if entry.spec.pk == spec.proposed_from_id), None)
    return {
        "request": request,
        "spec": spec,
        "project": spec.project,
        "entries": entries,
        "proposed_from": proposed_from,
        "may_repropose": may_repropose,
        "form": ReproposeForm(initial={"release": releases[0] if releases else ""}),
        "releases": releases,
    }


@login_required
@require_http_methods(["GET", "POST"])
def spec_repropose(request: AuthenticatedHttpRequest, project_slug: str, spec_slug: str) -> HttpResponse:
    """Re-propose the spec for another release; the form is on the spec page, and here when refused."""
    spec = _spec(project_slug, spec_slug)
    specs = selectors.lineage(spec)
    releases = selectors.repropose_releases(spec, specs)
    status = 200
    if request.method == "POST":
        form = ReproposeForm(request.POST)
        if form.is_valid():
            try:
                new_spec = repropose_spec(actor=request.user, spec=spec, release=form.cleaned_data["release"])
            except Spec.DoesNotExist as error:  # deleted since this request found it
                raise Http404("No such spec.") from error
            except PermissionDenied as error:
                return render(
                    request,
                    "specs_app/forbidden.html",
                    {"message": str(error), "project": spec.project},
                    status=403,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Re-proposed “{new_spec.title}” for {new_spec.release} from {spec.release}: "
                    f"its sections follow {new_spec.release}'s template; the ones it adds are empty.",
                )
                return redirect(new_spec.get_absolute_url())
        status = 400
    else:
        form = ReproposeForm(initial={"release": releases[0] if releases else ""})
    return render(
        request,
        "specs_app/authoring/spec_repropose.html",
        {"project": spec.project, "spec": spec, "form": form, "releases": releases, "lineage": specs},
        status=status,
    )


@require_GET
def lineage_compare(request: HttpRequest, project_slug: str, spec_slug: str) -> HttpResponse:
    """Two releases' specs of one lineage, section by section; by default this one against the one before."""
    spec = _spec(project_slug, spec_slug)
    specs = selectors.lineage(spec)
    if len(specs) < 2:
        return _refused(request, spec, f"“{spec.name}” has no other release to compare with.", 404)
    by_slug = {item.slug: item for item in specs}
    new = by_slug.get(request.GET.get("new") or spec.slug)
    if new is None:
        return _refused(request, spec, _not_in_lineage(spec, request.GET["new"]), 400)
    if request.GET.get("old"):
        old = by_slug.get(request.GET["old"])
        if old is None:
            return _refused(request, spec, _not_in_lineage(spec, request.GET["old"]), 400)
    else:
        at = specs.index(new)
        old = specs[at - 1] if at else specs[1]
    layout = "split" if request.GET.get("layout") == "split" else "unified"
    # Each release's text as its page shows it: the revision of record, else the working draft.
    sections = rst_diff.compare(review_selectors.shown_text(old).text, review_selectors.shown_text(new).text)
    return render(
        request,
        "specs_app/authoring/lineage_compare.html",
        {
            "project": spec.project,
            "spec": spec,
            "lineage": specs,
            "old": old,
            "new": new,
            "old_label": f"{old.release} ({old.get_status_display().lower()})",
            "new_label": f"{new.release} ({new.get_status_display().lower()})",
            "layout": layout,
            "sections": sections,
            "changed_count": sum(1 for section in sections if section.changed),
        },
    )


def _not_in_lineage(spec: Spec, slug: str) -> str:
    return f"“{slug[:100]}” is not a release's spec of “{spec.name}”; pick one from the lists."


def _refused(request: HttpRequest, spec: Spec, message: str, status: int) -> HttpResponse:
    context = {"message": message, "spec": spec, "project": spec.project}
    return render(request, "specs_app/review/refused.html", context, status=status)
