"""The spec page shows what is under review (approved, merged): the latest revision, not the working draft.

Reviewers used to read the author's unsubmitted edits under "In review · revision 1".
The working draft is still there, one link away and labelled as such.
"""

from __future__ import annotations

import html

import pytest

from specs_app.models import Spec, SpecStatus
from tests.helpers import html_tree
from tests.review_world import refresh, submit, write

SUBMITTED = "Add a multiattach capability that back ends report."
UNSUBMITTED = "Rewritten after submitting: nobody has reviewed this sentence."


@pytest.fixture
def edited(in_review, alice):
    """Revision 1 in review, and the author's working draft changed since."""
    return write(in_review, alice, proposed_change=UNSUBMITTED + "\n")


def _document(response) -> str:
    page = html_tree(response.content)
    return html.unescape(page.find("article", class_="spec-document").text)


@pytest.mark.parametrize("status", [SpecStatus.IN_REVIEW, SpecStatus.APPROVED, SpecStatus.MERGED])
def test_readers_see_the_revision_not_the_working_draft(edited, client, bob, status):
    Spec.objects.filter(pk=edited.pk).update(status=status)
    client.force_login(bob)

    text = _document(client.get(edited.get_absolute_url()))

    assert SUBMITTED in text
    assert UNSUBMITTED not in text
    assert "Revision 1" in text
    assert "The authors have changed the working draft since revision 1" in text


def test_the_working_draft_is_one_link_away_and_labelled(edited, client):
    response = client.get(edited.get_absolute_url())
    [link] = [a for a in html_tree(response.content).find_all("a") if a.text == "Read the working draft"]
    assert link.attrs["href"] == "?draft=1#shown-text"

    text = _document(client.get(edited.get_absolute_url() + "?draft=1"))

    assert UNSUBMITTED in text
    assert SUBMITTED not in text
    assert "Working draft · not submitted" in " ".join(text.split())
    assert "Read revision 1 (in review)" in text


def test_without_changes_since_the_revision_nothing_more_is_offered(in_review, client):
    response = client.get(in_review.get_absolute_url())
    text = _document(response)

    assert SUBMITTED in text
    assert "Revision 1" in text
    assert "working draft" not in text.lower()
    assert b"?draft=1" not in response.content


def test_a_draft_shows_its_working_text_unlabelled(spec, alice, client):
    spec = write(spec, alice, proposed_change=UNSUBMITTED + "\n")

    response = client.get(spec.get_absolute_url())

    assert UNSUBMITTED in _document(response)
    assert b'id="shown-text"' not in response.content


def test_the_outline_lists_the_revisions_sections(edited, alice, client):
    from specs_app.authoring import services

    # A section emptied in the working draft is still filled in the revision under review.
    section = edited.sections.get(title="Problem description")
    services.update_section(actor=alice, section=section, base_version=section.version, text="")

    outline = html_tree(client.get(edited.get_absolute_url()).content).find("ol", class_="outline")
    problem = next(item for item in outline.find_all("li") if "Problem description" in item.text)

    assert "empty" not in problem.text


def test_a_new_revision_is_what_readers_see_next(edited, alice, client):
    submit(edited, alice, "Second go")

    text = _document(client.get(refresh(edited).get_absolute_url()))

    assert UNSUBMITTED in text
    assert "Revision 2" in text
    assert "changed the working draft" not in text
