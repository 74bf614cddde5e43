"""Every write of the review workflow. Browser views and the API call these.

Conventions as in ``services.py``: keyword-only typed arguments, permission
checks here (``review.rules``), one transaction each, ``ValidationError``
for a refused request and ``PermissionDenied`` for a refused person.

Workflow (the table is ``workflow.TRANSITIONS``): draft -> in review ->
approved -> merged; draft, in review or approved -> abandoned -> restored (to
in review when it has revisions, else draft); merged -> draft again for a new
change (its revisions kept). Submitting makes an immutable :class:`Revision`;
authors go on editing the working draft (the spec's sections) and submit
again for the next one. A merged spec's text is locked until a new change.

Comments and reviews are taken while a spec is in review: a draft spec has no
revision to anchor a comment to, and an approved, merged or abandoned spec is
closed to new review until it is submitted or restored.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from specs_app.gitrepo import services as gitrepo
from specs_app.models import (
    AnchorState,
    Comment,
    CommentAnchor,
    CommentKind,
    Notification,
    Project,
    RepositoryConnection,
    Review,
    Revision,
    SectionOwner,
    Spec,
    SpecStatus,
    ThreadState,
    Vote,
)
from specs_app.review import attention, notifications, signoff, suggestions, workflow
from specs_app.review import rules as can
from specs_app.review import selectors as review_selectors
from specs_app.rst import anchors
from specs_app.rst import document as rst_document

MAX_COMMENT_CHARACTERS = 20_000


def _locked(spec: Spec) -> Spec:
    return Spec.objects.select_for_update().select_related("project", "owner").get(pk=spec.pk)


# Revisions and the spec's status: the transitions are in ``workflow.TRANSITIONS``


def take_action(*, actor: User, spec: Spec, action: str, message: str = "") -> Spec:
    """Take workflow ``action`` (a key of ``workflow.TRANSITIONS``); the pages and the API come here.

    ``message`` describes a new revision; actions that make none ignore it.
    """
    step = workflow.TRANSITIONS[action]
    if step.action == "merge" and RepositoryConnection.objects.filter(project_id=spec.project_id).exists():
        # Merging a connected project's spec is its commit reaching the repository: pushed
        # first, so a refused push (reported with git's words) leaves the spec approved.
        step.check(actor, spec)
        gitrepo.publish_spec(actor=actor, spec=spec)
    # By name: this module imports the table, so the table cannot import these functions.
    service = globals()[step.service]
    if step.takes_message:
        return service(actor=actor, spec=spec, message=message).spec
    return service(actor=actor, spec=spec)


def _begin(action: str, actor: User, spec: Spec) -> tuple[workflow.Transition, Spec]:
    """The locked spec, once the table allows ``actor`` to take ``action`` from its status."""
    step = workflow.TRANSITIONS[action]
    spec = _locked(spec)
    step.check(actor, spec)
    return step, spec


def _finish(step: workflow.Transition, spec: Spec) -> Spec:
    spec.status = step.leads_to(spec)
    spec.save(update_fields=["status", "updated_at"])
    return spec


def _finish_and_tell(step: workflow.Transition, spec: Spec, actor: User) -> Spec:
    """Finish the step and notify the people concerned (submitting notifies with its revision)."""
    spec = _finish(step, spec)
    attention.refresh(spec, actor=actor)
    notifications.status_changed(spec, actor=actor, action=step.action)
    return spec


def _section_snapshot(spec: Spec) -> tuple[str, list[dict]]:
    sections = list(spec.sections.order_by("position"))
    document = rst_document.with_line_numbers(spec.as_document(sections))
    snapshot = [
        {
            "title": section.title,
            "level": section.level,
            "heading": section.heading,
            "body": section.body,
            "first_line": section.first_line,
        }
        for section in document.sections
    ]
    return rst_document.assemble(document), snapshot


@transaction.atomic
def submit_revision(*, actor: User, spec: Spec, message: str = "") -> Revision:
    """Snapshot the working draft as the next revision and put the spec in review.

    Refused when nothing changed since the last revision. Open threads are
    carried to the new revision; votes other than -2 no longer count.
    """
    step, spec = _begin("submit", actor, spec)
    text, sections = _section_snapshot(spec)
    previous = spec.revisions.order_by("-number").first()
    if previous is not None and previous.text == text:
        raise ValidationError(
            f"Nothing changed since revision {previous.number}: edit the spec before submitting it again.",
            code="unchanged",
        )
    revision = Revision.objects.create(
        spec=spec,
        number=(previous.number + 1) if previous else 1,
        text=text,
        sections=sections,
        author=actor,
        message=message.strip(),
    )
    if previous is not None:
        _carry_anchors(previous, revision)
    _finish(step, spec)
    attention.refresh(spec, actor=actor)
    notifications.revision_submitted(revision)
    return revision


def _carry_anchors(previous: Revision, revision: Revision) -> None:
    """Place every anchored thread of ``previous`` in ``revision`` (see ``rst.anchors``)."""
    rows = list(
        CommentAnchor.objects.filter(revision=previous, comment__parent__isnull=True).select_related(
            "comment"
        )
    )
    if not rows:
        return
    # One diff and one section split for all the threads of the two revisions.
    diffs = anchors.diff(previous.text, revision.text)
    spans = anchors.section_spans(revision.text)
    CommentAnchor.objects.bulk_create(
        [_carried(row, previous, revision, diffs=diffs, spans=spans) for row in rows]
    )


def _carried(
    row: CommentAnchor,
    previous: Revision,
    revision: Revision,
    *,
    diffs: list[tuple[int, str]] | None = None,
    spans: list[anchors.SectionSpan] | None = None,
) -> CommentAnchor:
    """``row`` (a thread's anchor on ``previous``) carried to ``revision``, unsaved.

    Submitting a revision and commenting on an older one both come here, so a
    comment lands on a later revision the same way whichever came first.
    """
    comment = row.comment
    anchor = anchors.Anchor(
        state=row.state,
        start=row.start,
        end=row.end,
        section_title=comment.section_title if comment.kind == CommentKind.SECTION else None,
    )
    spans = spans if spans is not None else anchors.section_spans(revision.text)
    placement = anchors.carry(previous.text, revision.text, anchor, diffs=diffs, new_spans=spans)
    return _anchor_row(comment, revision, placement, spans)


def _anchor_row(
    comment: Comment, revision: Revision, placement: anchors.Placement, spans: list[anchors.SectionSpan]
) -> CommentAnchor:
    if not placement.found:
        return CommentAnchor(comment=comment, revision=revision, state=AnchorState.OUTDATED)
    assert placement.start is not None and placement.end is not None  # a found anchor has both
    line_start, line_end = anchors.line_range(revision.text, placement.start, placement.end)
    return CommentAnchor(
        comment=comment,
        revision=revision,
        state=placement.state,
        start=placement.start,
        end=placement.end,
        line_start=line_start,
        line_end=line_end,
        section_index=anchors.section_at(spans, placement.start).index,
    )


@transaction.atomic
def abandon_spec(*, actor: User, spec: Spec) -> Spec:
    step, spec = _begin("abandon", actor, spec)
    return _finish_and_tell(step, spec, actor)


@transaction.atomic
def restore_spec(*, actor: User, spec: Spec) -> Spec:
    """Bring an abandoned spec back: in review if it was ever submitted, else a draft."""
    step, spec = _begin("restore", actor, spec)
    return _finish_and_tell(step, spec, actor)


@transaction.atomic
def approve_spec(*, actor: User, spec: Spec) -> Spec:
    """Approve the latest revision; only a core reviewer, and only when nothing is missing."""
    step, spec = _begin("approve", actor, spec)
    status = review_selectors.approval_status(spec)
    if not status.ready:
        raise ValidationError(
            "This spec cannot be approved yet: " + "; ".join(status.missing) + ".", code="not_ready"
        )
    return _finish_and_tell(step, spec, actor)


@transaction.atomic
def merge_spec(*, actor: User, spec: Spec) -> Spec:
    step, spec = _begin("merge", actor, spec)
    return _finish_and_tell(step, spec, actor)


@transaction.atomic
def reopen_spec(*, actor: User, spec: Spec) -> Spec:
    """Start a new change on a merged spec: a draft again, editable, its revisions and threads kept."""
    step, spec = _begin("reopen", actor, spec)
    return _finish_and_tell(step, spec, actor)


# Comments


@dataclass(frozen=True)
class Selection:
    """What a reader selected: the text as shown (or source), its context and its lines.

    ``quote`` empty with a line range comments on whole source lines.
    """

    line_start: int
    line_end: int
    quote: str = ""
    prefix: str = ""
    suffix: str = ""


def _clean_body(body: str) -> str:
    body = rst_document.normalise_newlines(body).strip()
    if not body:
        raise ValidationError({"body": "Write the comment first."}, code="empty")
    if len(body) > MAX_COMMENT_CHARACTERS:
        raise ValidationError({"body": f"A comment is limited to {MAX_COMMENT_CHARACTERS:,} characters."})
    return body


def _open_for_review(spec: Spec) -> None:
    if spec.status != SpecStatus.IN_REVIEW:
        raise ValidationError(
            f"This spec is {spec.get_status_display().lower()}; comments are taken while it is in review.",
            code="not_in_review",
        )


def _revision(spec: Spec, number: int | None) -> Revision:
    revisions = spec.revisions.all()
    revision = (
        revisions.filter(number=number).first()
        if number is not None
        else revisions.order_by("-number").first()
    )
    if revision is None:
        raise ValidationError(
            f"This spec has no revision {number}."
            if number is not None
            else "This spec has no revision yet.",
            code="no_revision",
        )
    return revision


@transaction.atomic
def add_comment(
    *,
    actor: User,
    spec: Spec,
    body: str,
    revision_number: int | None = None,
    section_index: int | None = None,
    selection: Selection | None = None,
    suggestion: str | None = None,
    requires_verification: bool = False,
) -> Comment:
    """A draft comment on the whole spec, on a section, or on a passage (``selection``).

    A passage is located in the revision's text near the selection's lines; a
    quote that is not there is refused. The comment stays a draft, seen only
    by its author, until they publish a review. ``suggestion``, on a passage
    only, is text to put in its place (see ``review.suggestions``).
    ``requires_verification``: the author verifies any resolution by someone else.
    """
    if not can.can_comment(actor, spec):
        raise PermissionDenied("Sign in to comment.")
    _open_for_review(spec)
    body = _clean_body(body)
    revision = _revision(spec, revision_number)
    spans = anchors.section_spans(revision.text)
    comment = Comment(
        spec=spec,
        revision=revision,
        author=actor,
        body=body,
        kind=CommentKind.GENERAL,
        requires_verification=requires_verification,
    )
    placement = None
    span: anchors.SectionSpan | None
    if selection is not None:
        quote = _locate(revision, selection)
        span = anchors.section_at(spans, quote.start)
        comment.kind = CommentKind.INLINE
        comment.start, comment.end = quote.start, quote.end
        comment.quote, comment.prefix, comment.suffix = quote.exact, quote.prefix, quote.suffix
        comment.line_start, comment.line_end = anchors.line_range(revision.text, quote.start, quote.end)
        comment.section_index, comment.section_title = span.index, span.title
        placement = anchors.Placement(AnchorState.EXACT, quote.start, quote.end)
    elif section_index is not None:
        span = next((span for span in spans if span.index == section_index), None)
        if span is None:
            raise ValidationError(
                {"section_index": f"Revision {revision.number} has no section {section_index}."}
            )
        comment.kind = CommentKind.SECTION
        comment.section_index, comment.section_title = span.index, span.title
        comment.start, comment.end = span.start, span.end
        comment.line_start, comment.line_end = anchors.line_range(revision.text, span.start, span.end)
        placement = anchors.Placement(AnchorState.EXACT, span.start, span.end)
    comment.suggestion = suggestions.clean_suggestion(suggestion, kind=comment.kind)
    comment.save()
    if placement is not None:
        row = _anchor_row(comment, revision, placement, spans)
        row.save()
        # A comment made on an older revision is carried to the later ones at once,
        # revision by revision as if it had been made before they were submitted.
        previous = revision
        for later in spec.revisions.filter(number__gt=revision.number).order_by("number"):
            row = _carried(row, previous, later)
            row.save()
            previous = later
    return comment


def _locate(revision: Revision, selection: Selection) -> anchors.Quote:
    if selection.line_start < 1 or selection.line_end < selection.line_start:
        raise ValidationError(
            {"line_start": "Give a line range whose first line is 1 or more and not after its last."}
        )
    lines = f"{selection.line_start} to {selection.line_end}"
    if not selection.quote.strip():
        offsets = anchors.line_offsets(revision.text, selection.line_start, selection.line_end)
        if offsets is None or offsets[0] >= offsets[1]:
            raise ValidationError({"line_start": f"Revision {revision.number} has no text on lines {lines}."})
        return anchors.quote_at(revision.text, *offsets)
    quote = anchors.locate_selection(
        revision.text,
        selection.quote,
        prefix=selection.prefix,
        suffix=selection.suffix,
        line_start=selection.line_start,
        line_end=selection.line_end,
    )
    if quote is None:
        raise ValidationError(
            {
                "quote": f"The selected text is not on lines {lines} "
                f"of revision {revision.number}; select it again, or comment on the source lines instead."
            },
            code="quote_not_found",
        )
    return quote


@transaction.atomic
def reply_to_comment(*, actor: User, comment: Comment, body: str) -> Comment:
    """A draft reply in the comment's thread, published with the replier's next review."""
    # Read the thread afresh: the caller's copy may predate its publication.
    thread = Comment.objects.select_related("spec__project").get(pk=comment.parent_id or comment.pk)
    spec = thread.spec
    if not can.can_comment(actor, spec):
        raise PermissionDenied("Sign in to reply.")
    _open_for_review(spec)
    if thread.is_draft and thread.author_id != actor.pk:
        raise PermissionDenied("That comment is someone else's draft.")
    reply = Comment.objects.create(
        spec=spec,
        revision=review_selectors.latest_revision(spec) or thread.revision,
        author=actor,
        parent=thread,
        kind=thread.kind,
        body=_clean_body(body),
    )
    thread.save(update_fields=["changed_at"])  # a reply changes the thread (see Comment.changed_at)
    return reply


@transaction.atomic
def edit_draft_comment(*, actor: User, comment: Comment, body: str) -> Comment:
    """Change a draft comment's (or reply's) text: only its author, and only until it is published.

    A published comment stays as the others read it; its author replies instead.
    """
    # Locked and read afresh: the caller's copy may predate its publication.
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.author_id != actor.pk:
        raise PermissionDenied("Only the comment's author can edit it.")
    if not comment.is_draft:
        raise ValidationError(
            "This comment is published and stays as it was read; reply in its thread instead.",
            code="published",
        )
    comment.body = _clean_body(body)
    comment.save(update_fields=["body", "changed_at"])
    return comment


@transaction.atomic
def delete_draft_comment(*, actor: User, comment: Comment) -> None:
    if comment.author_id != actor.pk or not comment.is_draft:
        raise PermissionDenied("Only your own draft comments can be deleted; published ones stay.")
    comment.delete()


@transaction.atomic
def set_thread_state(*, actor: User, comment: Comment, state: str) -> Comment:
    """Resolve or reopen a published thread.

    A thread whose opener asked to verify its resolution (``requires_verification``)
    resolved by anyone else waits for them (``ThreadState.VERIFYING``, still
    unresolved for approval): they verify it (``verify_thread``) or reopen it.
    """
    thread = (
        Comment.objects.select_for_update()
        .select_related("spec__project", "author")
        .get(pk=comment.parent_id or comment.pk)
    )
    if state not in (ThreadState.OPEN, ThreadState.RESOLVED):
        raise ValidationError(
            {"state": "Open or resolve a thread; its opener verifies a resolution awaiting verification."}
        )
    if not can.can_resolve(actor, thread):
        raise PermissionDenied(can.RESOLVE_REFUSAL)
    if thread.is_draft:
        raise ValidationError("Publish the comment before resolving it.")
    if thread.spec.status in (SpecStatus.MERGED, SpecStatus.ABANDONED):
        raise ValidationError(
            f"This spec is {thread.spec.get_status_display().lower()}; its threads are closed."
        )
    if state == ThreadState.RESOLVED and can.needs_verification(actor, thread):
        state = ThreadState.VERIFYING
    if thread.state == state:
        return thread  # already so: nothing changed, nobody to tell
    verified = thread.state == ThreadState.VERIFYING and state == ThreadState.RESOLVED
    thread.state = state
    if state == ThreadState.OPEN:
        thread.resolved_by = None
    elif not verified:  # a verified thread stays resolved by whoever resolved it
        thread.resolved_by = actor
    thread.save(update_fields=["state", "resolved_by", "changed_at"])
    attention.refresh(thread.spec, actor=actor)
    if state == ThreadState.VERIFYING:
        notifications.resolution_to_verify(thread, actor=actor)
    else:
        notifications.thread_state_changed(
            thread, actor=actor, resolved=state == ThreadState.RESOLVED, verified=verified
        )
    return thread


def resolve_thread(*, actor: User, comment: Comment) -> Comment:
    return set_thread_state(actor=actor, comment=comment, state=ThreadState.RESOLVED)


def reopen_thread(*, actor: User, comment: Comment) -> Comment:
    return set_thread_state(actor=actor, comment=comment, state=ThreadState.OPEN)


@transaction.atomic
def verify_thread(*, actor: User, comment: Comment) -> Comment:
    """The thread's opener confirms a resolution someone else made: the thread is resolved."""
    thread = Comment.objects.select_related("author").get(pk=comment.parent_id or comment.pk)
    if not can.can_verify(actor, thread):
        raise PermissionDenied(
            f"Only {thread.author.get_username()}, who opened the thread, verifies its resolution; "
            "reopen it if it is not settled."
        )
    if thread.state != ThreadState.VERIFYING:
        raise ValidationError(
            f"This thread is {thread.get_state_display().lower()}, not waiting for verification.",
            code="not_verifying",
        )
    return set_thread_state(actor=actor, comment=thread, state=ThreadState.RESOLVED)


# Reviews


def _parse_vote(vote: int | str) -> int:
    value = None
    if isinstance(vote, int) and not isinstance(vote, bool):
        value = vote
    elif isinstance(vote, str) and vote.strip().lstrip("+-").isdigit():
        value = int(vote.strip())
    if value not in Vote.values:
        raise ValidationError({"vote": "A vote is one of -2, -1, 0, +1 or +2."}, code="bad_vote")
    return value


@transaction.atomic
def publish_review(*, actor: User, spec: Spec, vote: int | str | None = None, message: str = "") -> Review:
    """Publish the reviewer's vote and message on the latest revision, with all their draft comments.

    -1, 0 and +1 are open to anyone signed in; -2 and +2 to the project's core
    reviewers. ``vote`` None keeps the reviewer's current vote (see
    ``review_selectors.current_vote``): publishing replies must not reset it.
    The authors get one notification (and one email) for the review.
    """
    spec = _locked(spec)
    if not can.can_comment(actor, spec):
        raise PermissionDenied("Sign in to review.")
    if vote is None:
        # Kept, not given: it was allowed when it was given.
        value = review_selectors.current_vote(spec, actor)
    else:
        value = _parse_vote(vote)
        if value not in can.allowed_votes(actor, spec):
            raise PermissionDenied(can.vote_refusal(actor, spec, value))
    _open_for_review(spec)
    revision = _revision(spec, None)
    message = rst_document.normalise_newlines(message).strip()
    if len(message) > MAX_COMMENT_CHARACTERS:
        raise ValidationError(
            {"message": f"A review message is limited to {MAX_COMMENT_CHARACTERS:,} characters."}
        )
    drafts = Comment.objects.filter(spec=spec, author=actor, review__isnull=True)
    if (vote is None or value == Vote.ZERO) and not message and not drafts.exists():
        raise ValidationError(
            "Nothing to publish: vote, write a message or add comments first.", code="empty"
        )
    review = Review.objects.create(spec=spec, revision=revision, reviewer=actor, vote=value, message=message)
    published = list(drafts.values_list("pk", "parent_id"))
    drafts.update(review=review, changed_at=timezone.now())
    # The threads they reply in change too (Comment.changed_at).
    Comment.objects.filter(pk__in={parent for _, parent in published if parent is not None}).update(
        changed_at=timezone.now()
    )
    attention.refresh(spec, actor=actor)
    notifications.review_published(review)
    return review


# Notifications


@transaction.atomic
def mark_notifications_read(*, actor: User, notification_ids: list[int] | None = None) -> int:
    """Mark the actor's notifications read (all of them, or the given ones); returns how many."""
    if not actor.is_authenticated:
        raise PermissionDenied("Sign in to read your notifications.")
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


# Section owners: which groups sign off which sections (``review.signoff``)

SECTION_OWNERS_REFUSAL = "Only staff and the project's core reviewers say which groups sign off its sections."


def _owner_title(title: str, known: list[str]) -> str:
    """``title`` tidied, spelt as an owner or the project's template already spells it."""
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"section_title": "Name the section, as its heading reads."})
    limit = SectionOwner._meta.get_field("section_title").max_length
    assert limit is not None  # a CharField's
    if len(title) > limit:
        raise ValidationError({"section_title": f"A section title is limited to {limit} characters."})
    key = signoff.title_key(title)
    return next((spelt for spelt in known if signoff.title_key(spelt) == key), title)


def _known_titles(project: Project) -> list[str]:
    owned = [owner.section_title for owner in signoff.section_owners(project)]
    return [*owned, *(heading.title for heading in signoff.template_titles(project))]


@transaction.atomic
def add_section_owner(*, actor: User, project: Project, section_title: str, group: Group) -> SectionOwner:
    """Make ``group`` an owner of the section titled ``section_title`` (case and spacing aside)."""
    if not can.can_manage_section_owners(actor, project):
        raise PermissionDenied(SECTION_OWNERS_REFUSAL)
    title = _owner_title(section_title, _known_titles(project))
    if SectionOwner.objects.filter(project=project, section_title=title, group=group).exists():
        raise ValidationError({"group": f"{group.name} already signs off {title}."}, code="duplicate")
    return SectionOwner.objects.create(project=project, section_title=title, group=group)


@transaction.atomic
def remove_section_owner(*, actor: User, owner: SectionOwner) -> None:
    if not can.can_manage_section_owners(actor, owner.project):
        raise PermissionDenied(SECTION_OWNERS_REFUSAL)
    owner.delete()


@transaction.atomic
def set_section_owners(
    *, actor: User, project: Project, owners: list[tuple[str, Group]]
) -> list[SectionOwner]:
    """Replace the project's section owners with ``owners`` (section title, group) pairs."""
    if not can.can_manage_section_owners(actor, project):
        raise PermissionDenied(SECTION_OWNERS_REFUSAL)
    known = [heading.title for heading in signoff.template_titles(project)]
    wanted: dict[tuple[str, int], SectionOwner] = {}
    for title, group in owners:
        title = _owner_title(title, [*known, *(owner.section_title for owner in wanted.values())])
        wanted.setdefault((title, group.pk), SectionOwner(project=project, section_title=title, group=group))
    SectionOwner.objects.filter(project=project).delete()
    SectionOwner.objects.bulk_create(wanted.values())
    return signoff.section_owners(project)
