"""A comment on revision 1 lands on revision 2 the same way whether it was made before or after revision 2.

Submitting revision 2 carries the comments already made; a comment made on
revision 1 later is carried at once. Both go through ``rst.anchors.carry``.
"""

from __future__ import annotations

import pytest

from specs_app.authoring import services
from specs_app.models import Spec
from specs_app.review import selectors as review_selectors
from specs_app.review import services as review_services
from specs_app.rst import anchors
from tests.review_world import PROBLEM, PROPOSAL, comment_on, refresh, submit, write

# Revision 2 rewrites most of the problem description but keeps its title and the
# sentence the inline comment quotes, so a section comment cannot be found by its text.
PROBLEM_2 = (
    "Two instances cannot share one volume today; the API refuses the second attachment.\n"
    "\n"
    "The scheduler does not know which back ends can share a volume.\n"
    "\n"
    "Operators of clustered file systems want shared volumes for their quorum disks.\n"
)
QUOTE = "The scheduler does not know"

KINDS = ["section", "inline", "general"]


def _revision_1(project, owner) -> Spec:
    spec = services.create_spec(
        actor=owner,
        project=project,
        title="Volume multi-attach",
        release="2026.1",
        blueprint_url="https://blueprints.launchpad.net/cinder/+spec/multi-attach",
    )
    spec = write(spec, owner, problem_description=PROBLEM, proposed_change=PROPOSAL)
    submit(spec, owner)
    return refresh(spec)


def _revision_2(spec: Spec, owner) -> None:
    submit(write(spec, owner, problem_description=PROBLEM_2), owner)


def _comment(spec: Spec, actor, kind: str):
    """A comment of ``kind`` on revision 1 of ``spec``."""
    if kind == "inline":
        return comment_on(spec, actor, QUOTE, revision_number=1)
    section_index = None
    if kind == "section":
        text = spec.revisions.get(number=1).text
        (span,) = [span for span in anchors.section_spans(text) if span.title == "Problem description"]
        section_index = span.index
    return review_services.add_comment(
        actor=actor, spec=spec, body="Why?", revision_number=1, section_index=section_index
    )


def _on_revision_2(spec: Spec, viewer, comment) -> tuple | None:
    """Where the comment's thread sits on revision 2, as the spec page shows it."""
    revision = spec.revisions.get(number=2)
    shown = review_selectors.threads(spec, viewer=viewer, revision=revision)
    (thread,) = [thread for thread in shown if thread.comment.pk == comment.pk]
    if thread.anchor is None:
        return None
    anchor = thread.anchor
    return (
        anchor.state,
        anchor.line_start,
        anchor.line_end,
        anchor.section_index,
        revision.text[anchor.start : anchor.end] if anchor.start is not None else None,
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_comment_on_revision_1_lands_the_same_on_revision_2_in_either_order(project, alice, bob, kind):
    before = _revision_1(project, alice)
    early = _comment(before, bob, kind)
    _revision_2(before, alice)

    other_project = services.create_project(name="Cinder", slug="cinder-twin")
    after = _revision_1(other_project, alice)
    _revision_2(after, alice)
    late = _comment(after, bob, kind)

    # The same texts, so the same offsets and lines mean the same place.
    assert [r.text for r in before.revisions.order_by("number")] == [
        r.text for r in after.revisions.order_by("number")
    ]
    made_before = _on_revision_2(before, bob, early)
    made_after = _on_revision_2(after, bob, late)
    assert made_before == made_after
    if kind == "general":
        assert made_before is None  # shown on revision 2, on no passage
    elif kind == "section":
        # The section was rewritten but kept its title: the comment stays on all of it.
        state, _, _, section_index, text = made_before
        assert (state, section_index) == (anchors.State.EXACT, early.section_index)
        assert text.startswith("Problem description\n") and PROBLEM_2 in text
    else:
        state, *_, text = made_before
        assert state != anchors.State.OUTDATED and text == QUOTE
