"""Review pages and actions. Each view parses its input, calls one review service or selector, and renders.

Actions are plain form POSTs that redirect back, so every page works without
JavaScript; ``review.js`` posts the same forms with ``Accept: application/json``
and gets ``{"ok": true}`` or ``{"error": "..."}`` with a 4xx status.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from specs_app.authoring import permissions as edit_permissions
from specs_app.authoring import selectors
from specs_app.authoring.forms import add_service_errors
from specs_app.authoring.services import EditConflict
from specs_app.http import AuthenticatedHttpRequest
from specs_app.models import Comment, Notification, Project, Revision, SectionOwner, Spec, SpecStatus
from specs_app.preview import preview
from specs_app.review import attention, notifications, signoff, suggestions, workflow
from specs_app.review import rules as can
from specs_app.review import selectors as review_selectors
from specs_app.review import services as review_services
from specs_app.review.forms import SectionOwnerForm
from specs_app.rst import diff as rst_diff


def _spec(project_slug: str, spec_slug: str) -> Spec:
    try:
        return selectors.spec_detail(project_slug=project_slug, spec_slug=spec_slug)
    except Spec.DoesNotExist as error:
        raise Http404("No such spec.") from error


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def _refuse(request: HttpRequest, spec: Spec | None, message: str, status: int) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": message}, status=status)
    context = {"message": message, "spec": spec, "project": spec.project if spec else None}
    return render(request, "specs_app/review/refused.html", context, status=status)


def _back(request: HttpRequest, spec: Spec) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"ok": True})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = spec.get_absolute_url()
    return redirect(target or spec.get_absolute_url())


def _run(request: HttpRequest, spec: Spec, action, success: str) -> HttpResponse:
    """Call a service; a refusal becomes a 403 or 400 page (or JSON) saying why."""
    try:
        action()
    except PermissionDenied as error:
        return _refuse(request, spec, str(error) or "You may not do that.", 403)
    except ValidationError as error:
        return _refuse(request, spec, _messages_of(error), 400)
    if success and not _wants_json(request):
        messages.success(request, success)
    return _back(request, spec)


def _int_or_none(value: str | None, what: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError as error:
        raise ValidationError(f"{what} must be a whole number, not “{value[:20]}”.") from error


# The spec's status


@login_required
@require_POST
def spec_action(
    request: AuthenticatedHttpRequest, project_slug: str, spec_slug: str, action: str
) -> HttpResponse:
    """Any action of ``workflow.TRANSITIONS``: submit, abandon, restore, approve, merge, reopen."""
    spec = _spec(project_slug, spec_slug)
    step = workflow.TRANSITIONS.get(action)
    if step is None:
        raise Http404("No such action.")
    message = request.POST.get("message", "")
    return _run(
        request,
        spec,
        lambda: review_services.take_action(
            actor=request.user, spec=spec, action=step.action, message=message
        ),
        step.done,
    )


# Comments and reviews


@login_required
@require_POST
def comment_create(request: AuthenticatedHttpRequest, project_slug: str, spec_slug: str) -> HttpResponse:
    """A draft comment on the whole spec, a section (``section_index``) or a passage (lines, a quote)."""
    spec = _spec(project_slug, spec_slug)
    data = request.POST

    def create():
        selection = None
        line_start = _int_or_none(data.get("line_start"), "The first line")
        if line_start is not None:
            line_end = _int_or_none(data.get("line_end"), "The last line") or line_start
            selection = review_services.Selection(
                line_start=line_start,
                line_end=line_end,
                quote=data.get("quote", ""),
                prefix=data.get("prefix", ""),
                suffix=data.get("suffix", ""),
            )
        review_services.add_comment(
            actor=request.user,
            spec=spec,
            body=data.get("body", ""),
            revision_number=_int_or_none(data.get("revision"), "The revision"),
            section_index=_int_or_none(data.get("section_index"), "The section"),
            selection=selection,
            requires_verification=bool(data.get("requires_verification")),
            # A box to tick, so an emptied replacement (deleting the passage) is told from none.
            suggestion=data.get("suggestion", "") if data.get("suggest") else None,
        )

    return _run(request, spec, create, "Saved your draft comment; publish your review to post it.")


def _check_suggestions(request: HttpRequest, spec: Spec, threads: list[review_selectors.Thread]) -> int:
    """Say on each thread whether its suggested edit applies to the draft now.

    Returns how many the viewer may apply: none unless they may edit the spec.
    """
    checks = suggestions.check_suggestions(spec, [thread.comment for thread in threads])
    for thread in threads:
        thread.suggestion = checks.get(thread.comment.pk)
    applicable = sum(1 for check in checks.values() if check.applicable)
    return applicable if applicable and edit_permissions.can_edit_spec(request.user, spec) else 0


@login_required
@require_POST
def suggestions_apply(request: AuthenticatedHttpRequest, project_slug: str, spec_slug: str) -> HttpResponse:
    """Apply one suggested edit (its Apply button) or the ones ticked, as one edit of the draft."""
    spec = _spec(project_slug, spec_slug)
    applied: list[int] = []

    def apply():
        try:
            thread_ids = [int(value) for value in request.POST.getlist("threads")]
        except ValueError as error:
            raise ValidationError("Choose suggestions by their thread numbers.") from error
        version = _int_or_none(request.POST.get("version"), "The version")
        if version is None:
            raise ValidationError("Say which version of the draft you read: reload the page and try again.")
        suggestions.apply_suggestions(
            actor=request.user, spec=spec, thread_ids=thread_ids, expected_version=version
        )
        applied.extend(dict.fromkeys(thread_ids))

    try:
        response = _run(request, spec, apply, "")
    except suggestions.SuggestionChanged as error:
        return _refuse(request, spec, str(error), 409)
    except EditConflict:
        return _refuse(
            request,
            spec,
            "The working draft changed since this page was shown: nothing was applied. "
            "Reload the page to see whether the suggestions still apply.",
            409,
        )
    if applied and not _wants_json(request):
        count = f"{len(applied)} suggestion{'s' if len(applied) != 1 else ''}"
        messages.success(request, f"Applied {count} to the working draft.")
    return response


def _comment(spec: Spec, comment_id: int) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("spec__project", "parent"), pk=comment_id, spec=spec
    )


@login_required
@require_POST
def comment_reply(
    request: AuthenticatedHttpRequest, project_slug: str, spec_slug: str, comment_id: int
) -> HttpResponse:
    spec = _spec(project_slug, spec_slug)
    comment = _comment(spec, comment_id)
    return _run(
        request,
        spec,
        lambda: review_services.reply_to_comment(
            actor=request.user, comment=comment, body=request.POST.get("body", "")
        ),
        "Saved your draft reply; publish your review to post it.",
    )


@login_required
@require_POST
def comment_state(
    request: AuthenticatedHttpRequest, project_slug: str, spec_slug: str, comment_id: int, state: str
) -> HttpResponse:
    spec = _spec(project_slug, spec_slug)
    comment = _comment(spec, comment_id)
    services = {
        "resolve": review_services.resolve_thread,
        "reopen": review_services.reopen_thread,
        "verify": review_services.verify_thread,
    }
    if state not in services:
        raise Http404("No such action.")
    thread = comment.parent or comment
    done = {
        "resolve": (
            f"Resolved the thread; {thread.author.get_username()} verifies the resolution."
            if can.needs_verification(request.user, thread)
            else "Resolved the thread."
        ),
        "reopen": "Reopened the thread.",
        "verify": "Verified the resolution: the thread is resolved.",
    }[state]
    return _run(request, spec, lambda: services[state](actor=request.user, comment=comment), done)


@login_required
@require_POST
def comment_edit(
    request: AuthenticatedHttpRequest, project_slug: str, spec_slug: str, comment_id: int
) -> HttpResponse:
    spec = _spec(project_slug, spec_slug)
    comment = _comment(spec, comment_id)
    return _run(
        request,
        spec,
        lambda: review_services.edit_draft_comment(
            actor=request.user, comment=comment, body=request.POST.get("body", "")
        ),
        "Saved your draft comment.",
    )


@login_required
@require_POST
def comment_delete(
    request: AuthenticatedHttpRequest, project_slug: str, spec_slug: str, comment_id: int
) -> HttpResponse:
    spec = _spec(project_slug, spec_slug)
    comment = _comment(spec, comment_id)
    return _run(
        request,
        spec,
        lambda: review_services.delete_draft_comment(actor=request.user, comment=comment),
        "Deleted your draft comment.",
    )


@login_required
@require_POST
def review_publish(request: AuthenticatedHttpRequest, project_slug: str, spec_slug: str) -> HttpResponse:
    spec = _spec(project_slug, spec_slug)
    return _run(
        request,
        spec,
        lambda: review_services.publish_review(
            actor=request.user,
            spec=spec,
            # No vote chosen keeps the reviewer's current one.
            vote=request.POST.get("vote"),
            message=request.POST.get("message", ""),
        ),
        "Published your review.",
    )


# Whose turn (the attention set)


@login_required
@require_POST
def attention_hand(request: AuthenticatedHttpRequest, project_slug: str, spec_slug: str) -> HttpResponse:
    """Hand the turn on to ``to`` (from ``from``, when given), with an optional ``reason``."""
    spec = _spec(project_slug, spec_slug)
    data = request.POST
    to = data.get("to", "").strip()

    def hand() -> None:
        if not to:
            raise ValidationError("Choose the person to hand the turn to.")
        attention.hand_turn(
            actor=request.user,
            spec=spec,
            to_user=to,
            from_user=data.get("from", "").strip() or None,
            reason=data.get("reason", ""),
        )

    return _run(request, spec, hand, f"It is {to}'s turn now." if to else "")


@login_required
@require_POST
def attention_leave(request: AuthenticatedHttpRequest, project_slug: str, spec_slug: str) -> HttpResponse:
    spec = _spec(project_slug, spec_slug)
    return _run(
        request,
        spec,
        lambda: attention.leave_turn(actor=request.user, spec=spec),
        "You are out of the spec's attention set until its next event.",
    )


# Revisions


def _revision(spec: Spec, number: int) -> Revision:
    try:
        return review_selectors.revision_by_number(spec, number)
    except Revision.DoesNotExist as error:
        raise Http404(f"{spec.title} has no revision {number}.") from error


def _offers_comments(request: HttpRequest, spec: Spec) -> bool:
    """Whether a page offers the comment forms; ``add_comment`` decides, this only hides them."""
    return can.can_comment(request.user, spec) and spec.status == SpecStatus.IN_REVIEW


@require_GET
def revision_detail(request: HttpRequest, project_slug: str, spec_slug: str, number: int) -> HttpResponse:
    """A revision as reviewers read it: rendered, with its threads beside their text."""
    spec = _spec(project_slug, spec_slug)
    revision = _revision(spec, number)
    latest = review_selectors.latest_revision(spec)
    threads = review_selectors.threads(spec, viewer=request.user, revision=revision)
    return render(
        request,
        "specs_app/review/revision_detail.html",
        {
            "project": spec.project,
            "spec": spec,
            "revision": revision,
            "latest": latest,
            "rendered": preview.rendered_html(revision.text),
            "threads": threads,
            "placed": [thread for thread in threads if thread.anchor is not None and not thread.outdated],
            "general": [thread for thread in threads if thread.anchor is None],
            "outdated": [thread for thread in threads if thread.outdated],
            "sections": list(enumerate(revision.sections)),
            "can_comment": _offers_comments(request, spec),
            "settles_threads": can.settles_threads(request.user, spec),
            "applicable_suggestions": _check_suggestions(request, spec, threads),
            "line_count": revision.text.count("\n") + 1,
            "history": review_selectors.review_history(spec, first=revision.number, last=revision.number),
            "signoffs": signoff.section_signoffs(spec, revision),
        },
    )


@require_GET
def revision_compare(request: HttpRequest, project_slug: str, spec_slug: str) -> HttpResponse:
    """Two revisions side by side or unified; by default, what changed since the viewer's last vote."""
    spec = _spec(project_slug, spec_slug)
    revisions = review_selectors.revision_list(spec)
    if not revisions:
        return _refuse(request, spec, "This spec has no revisions to compare yet.", 404)
    try:
        old_number = _int_or_none(request.GET.get("old"), "The older revision")
        new_number = _int_or_none(request.GET.get("new"), "The newer revision")
    except ValidationError as error:
        return _refuse(request, spec, _messages_of(error), 400)
    latest = revisions[0]
    if new_number is None:
        new_number = latest.number
    if old_number is None:
        voted = review_selectors.last_reviewed_revision(spec, request.user)
        old_number = voted.number if voted and voted.number != new_number else max(new_number - 1, 1)
    old, new = _revision(spec, old_number), _revision(spec, new_number)
    layout = "split" if request.GET.get("layout") == "split" else "unified"
    sections = rst_diff.compare(old.text, new.text)
    return render(
        request,
        "specs_app/review/compare.html",
        {
            "project": spec.project,
            "spec": spec,
            "old": old,
            "new": new,
            "revisions": revisions,
            "layout": layout,
            "sections": sections,
            "old_label": f"Revision {old.number}",
            "new_label": f"Revision {new.number}",
            "changed_count": sum(1 for section in sections if section.changed),
            # Text selected on the "to" side is commented on as on that revision's page.
            "can_comment": _offers_comments(request, spec),
            # What reviewers said on the revisions compared, and between them.
            "history": review_selectors.review_history(
                spec, first=min(old.number, new.number), last=max(old.number, new.number)
            ),
        },
    )


# Dashboard and notifications


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Whose turn, what to review and your own specs; each list paginated by ``?<section>_page=``."""
    pages = {name: request.GET.get(f"{name}_page") for name in review_selectors.DASHBOARD_SECTIONS}
    board = review_selectors.dashboard(request.user, pages=pages)
    return render(request, "specs_app/review/dashboard.html", {"board": board})


@login_required
@require_GET
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    notifications = list(review_selectors.notification_list(request.user)[:200])
    return render(request, "specs_app/review/notifications.html", {"notifications": notifications})


@login_required
@require_POST
def notifications_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    review_services.mark_notifications_read(actor=request.user)
    if _wants_json(request):
        return JsonResponse({"ok": True})
    return redirect("specs:notification-list")


@login_required
@require_GET
def notification_open(request: AuthenticatedHttpRequest, notification_id: int) -> HttpResponse:
    """Follow a notification: mark it read, then go to its page (a plain link: no JavaScript needed)."""
    try:
        notification = review_selectors.notification_of(request.user, notification_id)
    except Notification.DoesNotExist as error:
        raise Http404("You have no such notification.") from error
    review_services.mark_notifications_read(actor=request.user, notification_ids=[notification.pk])
    target = notifications.notification_path(notification)
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = notification.spec.get_absolute_url()
    return redirect(target)


def panel_context(request: HttpRequest, spec: Spec) -> dict:
    """What the review panel on the spec page shows (see templatetags/review_tags.py)."""
    user = request.user
    latest = review_selectors.latest_revision(spec)
    votes = review_selectors.current_votes(spec, latest=latest)
    unresolved = review_selectors.unresolved_threads(spec).count() if latest else 0
    signoffs = signoff.section_signoffs(spec, latest, votes=votes)
    status = review_selectors.approval_status(spec, votes=votes, unresolved=unresolved, signoffs=signoffs)
    threads = review_selectors.threads(spec, viewer=user, revision=latest) if latest else []
    voted = review_selectors.last_reviewed_revision(spec, user)
    return {
        "request": request,
        "user": user,
        "spec": spec,
        "project": spec.project,
        "latest": latest,
        "revisions": review_selectors.revision_list(spec),
        "history": review_selectors.review_history(spec),
        "votes": votes,
        "approval": status,
        "signoffs": signoffs,
        "threads": threads,
        "open_threads": [thread for thread in threads if not thread.resolved and not thread.comment.is_draft],
        "drafts": review_selectors.draft_count(spec, user),
        "voted_on": voted,
        "allowed_votes": can.allowed_votes(user, spec),
        "approval_rule": can.approval_rule(spec.project),
        "settles_threads": can.settles_threads(user, spec),
        "applicable_suggestions": _check_suggestions(request, spec, threads),
        "approver_names": ", ".join(person.get_username() for person in status.approvers),
        # The vote form starts at the vote that counts now, so publishing replies keeps it.
        "current_vote": review_selectors.current_vote(spec, user, votes=votes),
        "may": {
            # The actions to offer: allowed to this person, from the spec's status.
            **{action: step.available(user, spec) for action, step in workflow.TRANSITIONS.items()},
            "review": user.is_authenticated and spec.status == "in_review",
        },
    }


# A project's section owners (review.signoff)


@require_http_methods(["GET", "POST"])
def section_owners(request: HttpRequest, project_slug: str) -> HttpResponse:
    """Which groups sign off which sections: anyone reads; staff and core reviewers add (POST)."""
    project = get_object_or_404(Project, slug=project_slug)
    may_manage = can.can_manage_section_owners(request.user, project)
    form = SectionOwnerForm()
    status = 200
    if request.method == "POST":
        if not may_manage:
            return _refuse(request, None, review_services.SECTION_OWNERS_REFUSAL, 403)
        form = SectionOwnerForm(request.POST)
        if form.is_valid():
            try:
                owner = review_services.add_section_owner(
                    actor=request.user,  # type: ignore[arg-type]  # may_manage: signed in
                    project=project,
                    section_title=form.cleaned_data["section_title"],
                    group=form.cleaned_data["group"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{owner.group.name} now signs off {owner.section_title}.")
                return redirect("specs:section-owners", project_slug=project.slug)
        status = 400
    context = {
        "project": project,
        "owners": signoff.section_owners(project),
        "titles": signoff.template_titles(project),
        "form": form,
        "may_manage": may_manage,
        "has_groups": form.fields["group"].queryset.exists(),  # type: ignore[attr-defined]
    }
    return render(request, "specs_app/review/section_owners.html", context, status=status)


@login_required
@require_POST
def section_owner_delete(request: AuthenticatedHttpRequest, project_slug: str, owner_id: int) -> HttpResponse:
    owner = get_object_or_404(
        SectionOwner.objects.select_related("project", "group"), pk=owner_id, project__slug=project_slug
    )
    try:
        review_services.remove_section_owner(actor=request.user, owner=owner)
    except PermissionDenied as error:
        return _refuse(request, None, str(error), 403)
    messages.success(request, f"{owner.group.name} no longer signs off {owner.section_title}.")
    return redirect("specs:section-owners", project_slug=project_slug)
