"""Submitting makes immutable revisions; edits go to the working draft."""

import pytest
from django.core.exceptions import ValidationError

from specs_app.models import Revision
from specs_app.rst import document
from tests.review_world import PROBLEM, refresh, submit, write


def test_submitting_snapshots_the_assembled_text_and_sections(in_review, alice):
    revision = in_review.revisions.get()
    assert revision.number == 1
    assert revision.text == in_review.text()
    assert revision.author == alice
    assert revision.message == "First draft"
    problem = next(section for section in revision.sections if section["title"] == "Problem description")
    assert problem["level"] == 1
    assert problem["heading"].startswith("Problem description\n")
    assert PROBLEM.strip() in problem["body"]
    assert document.assemble(document.split(revision.text)) == revision.text


def test_edits_after_submitting_leave_the_revision_alone(in_review, alice):
    write(in_review, alice, use_cases="A new use case.")
    revision = in_review.revisions.get()
    assert "A new use case." not in revision.text
    assert "A new use case." in refresh(in_review).text()


def test_submitting_again_makes_the_next_revision(in_review, alice):
    spec = write(in_review, alice, use_cases="A new use case.")
    second = submit(spec, alice, "Use cases")
    assert second.number == 2
    assert list(spec.revisions.values_list("number", flat=True)) == [1, 2]


def test_it_refuses_to_submit_without_a_change(in_review, alice):
    with pytest.raises(ValidationError, match="Nothing changed since revision 1"):
        submit(in_review, alice)
    assert Revision.objects.filter(spec=in_review).count() == 1


def test_the_page_reports_an_unchanged_submit(in_review, alice_client):
    response = alice_client.post(f"/p/cinder/{in_review.slug}/review/submit/")
    assert response.status_code == 400
    assert "Nothing changed since revision 1" in response.content.decode()


def test_a_revision_page_renders_its_own_text(in_review, alice, client):
    write(in_review, alice, use_cases="Only in the working draft.")
    response = client.get(f"/p/cinder/{in_review.slug}/revisions/1/")
    assert response.status_code == 200
    assert b"Attaching a volume to two instances" in response.content
    assert b"Only in the working draft." not in response.content


@pytest.mark.parametrize("number", ["9", "0"])
def test_an_unknown_revision_is_a_404(in_review, client, number):
    assert client.get(f"/p/cinder/{in_review.slug}/revisions/{number}/").status_code == 404
