"""Helpers for the review tests: texts to write and steps of the workflow.

The fixtures ``core`` and ``second_core`` (core reviewers) and ``in_review`` (a spec at
revision 1) are in conftest.py.
"""

from __future__ import annotations

from specs_app.authoring import services
from specs_app.models import Spec
from specs_app.review import services as review_services

PROBLEM = (
    "Attaching a volume to two instances at once is refused today.\n"
    "Operators of clustered file systems need it, and work around it by hand.\n"
    "\n"
    "The scheduler does not know which back ends can share a volume.\n"
)
PROPOSAL = "Add a multiattach capability that back ends report.\n"


def write(spec: Spec, actor, **texts: str) -> Spec:
    """Set sections (by title, spaces as underscores) the way an author saves the form."""
    for section in spec.sections.all():
        key = section.title.replace(" ", "_").lower()
        if key in texts:
            services.update_section(
                actor=actor, section=section, base_version=section.version, text=texts[key]
            )
    return Spec.objects.get(pk=spec.pk)


def submit(spec: Spec, actor, message: str = ""):
    return review_services.submit_revision(actor=actor, spec=spec, message=message)


def plus_two(spec: Spec, *core_reviewers) -> None:
    """A +2 from each of ``core_reviewers`` on the latest revision: two make a spec approvable by default."""
    for reviewer in core_reviewers:
        review_services.publish_review(actor=reviewer, spec=spec, vote=2, message="Looks good.")


def refresh(spec: Spec) -> Spec:
    return Spec.objects.get(pk=spec.pk)


def line_of_text(spec_or_text, needle: str) -> int:
    text = (
        spec_or_text if isinstance(spec_or_text, str) else spec_or_text.revisions.order_by("-number")[0].text
    )
    return text[: text.index(needle)].count("\n") + 1


def comment_on(spec: Spec, actor, quote: str, body: str = "Why?", revision_number: int | None = None):
    """An inline draft comment on ``quote`` of the latest (or given) revision."""
    revision = (
        spec.revisions.get(number=revision_number)
        if revision_number
        else spec.revisions.order_by("-number")[0]
    )
    line = line_of_text(revision.text, quote)
    return review_services.add_comment(
        actor=actor,
        spec=spec,
        body=body,
        revision_number=revision.number,
        selection=review_services.Selection(line_start=line, line_end=line + quote.count("\n"), quote=quote),
    )


def suggest(spec: Spec, actor, quote: str, replacement: str, body: str = "Clearer?", *, publish: bool = True):
    """``actor``'s suggested edit of ``quote`` on the latest revision, published with a review unless not."""
    revision = spec.revisions.order_by("-number")[0]
    line = line_of_text(revision.text, quote)
    comment = review_services.add_comment(
        actor=actor,
        spec=spec,
        body=body,
        revision_number=revision.number,
        selection=review_services.Selection(line_start=line, line_end=line + quote.count("\n"), quote=quote),
        suggestion=replacement,
    )
    if publish:
        review_services.publish_review(actor=actor, spec=spec, message="")
        comment.refresh_from_db()
    return comment
