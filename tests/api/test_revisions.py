"""/api/v1/specs/<spec>/revisions/: list, read one, and the per-section diff of any two."""

from __future__ import annotations

import pytest

from specs_app.models import Revision
from tests.review_world import PROPOSAL, refresh, submit, write


@pytest.fixture
def two_revisions(in_review, alice):
    spec = write(in_review, alice, proposed_change=PROPOSAL + "\nBack ends opt in.\n")
    submit(spec, alice, "Say who opts in")
    return refresh(spec)


def test_a_draft_spec_has_no_revisions(api, spec, url):
    response = api.get(url(spec, "revisions/"))

    assert response.status_code == 200
    assert response.json() == []


def test_it_lists_revisions_newest_first_to_anyone(api, two_revisions, url):
    response = api.get(url(two_revisions, "revisions/"))

    assert response.status_code == 200
    assert [(item["number"], item["author"], item["message"]) for item in response.json()] == [
        (2, "alice", "Say who opts in"),
        (1, "alice", "First draft"),
    ]
    assert all(item["created_at"] for item in response.json())
    assert "text" not in response.json()[0]


def test_it_reads_one_revision_with_its_text_and_sections(api, two_revisions, url):
    revision = two_revisions.revisions.get(number=1)

    response = api.get(url(two_revisions, "revisions/1/"))

    assert response.status_code == 200
    data = response.json()
    assert data["number"] == 1
    assert data["author"] == "alice"
    assert data["message"] == "First draft"
    assert data["text"] == revision.text
    proposed = next(section for section in data["sections"] if section["title"] == "Proposed change")
    assert PROPOSAL in proposed["body"]
    assert "Back ends opt in" not in proposed["body"]
    assert revision.text.splitlines()[proposed["first_line"] - 1] == "Proposed change"


def test_an_unknown_revision_is_a_404_in_the_error_shape(api, in_review, url):
    response = api.get(url(in_review, "revisions/7/"))

    assert response.status_code == 404
    assert response.json() == {"message": "This spec has no revision 7.", "errors": {}}


def test_it_diffs_two_revisions_section_by_section(api, two_revisions, url):
    response = api.get(url(two_revisions, "revisions/diff/?old=1&new=2"))

    assert response.status_code == 200
    data = response.json()
    assert (data["old"], data["new"]) == (1, 2)
    by_title = {section["title"]: section for section in data["sections"]}
    assert by_title["Problem description"]["change"] == "unchanged"
    assert by_title["Problem description"]["hunks"] == []
    proposed = by_title["Proposed change"]
    assert proposed["change"] == "changed"
    assert (proposed["added"], proposed["removed"]) == (2, 0)
    added = [line for hunk in proposed["hunks"] for line in hunk["lines"] if line["type"] == "added"]
    assert [line["text"] for line in added] == ["", "Back ends opt in."]
    new_text = two_revisions.revisions.get(number=2).text.splitlines()
    assert all(new_text[line["new_number"] - 1] == line["text"] for line in added)
    assert all(line["old_number"] is None for line in added)


def test_the_diff_of_a_revision_with_itself_is_all_unchanged(api, in_review, url):
    response = api.get(url(in_review, "revisions/diff/?old=1&new=1"))

    assert response.status_code == 200
    assert {section["change"] for section in response.json()["sections"]} == {"unchanged"}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("old=1&new=9", "new", "This spec has no revision 9."),
        ("old=0&new=1", "old", None),
        ("old=x&new=1", "old", None),
        ("new=1", "old", None),
        ("old=1&new=99999999999999999999999", "new", None),
    ],
)
def test_a_bad_diff_query_is_a_400_naming_the_parameter(api, in_review, url, query, field, message):
    response = api.get(url(in_review, f"revisions/diff/?{query}"))

    assert response.status_code == 400
    assert field in response.json()["errors"]
    if message:
        assert response.json()["errors"][field] == [message]


def test_revisions_of_an_unknown_spec_are_404(api, db):
    assert api.get("/api/v1/specs/999999/revisions/").status_code == 404
    assert api.get("/api/v1/specs/cinder/nope/revisions/1/").status_code == 404


def test_revisions_are_read_only(api_as, alice, in_review, url):
    response = api_as(alice).post(url(in_review, "revisions/"), {}, format="json")

    assert response.status_code == 405


@pytest.mark.parametrize("count", [5, 50])
def test_it_lists_revisions_with_constant_queries(
    api, in_review, alice, django_assert_max_num_queries, count
):
    Revision.objects.bulk_create(
        Revision(spec=in_review, number=number, text=f"text {number}\n", author=alice)
        for number in range(2, count + 1)
    )

    # the spec, the revisions with their authors
    with django_assert_max_num_queries(2):
        response = api.get(f"/api/v1/specs/{in_review.pk}/revisions/")

    assert len(response.json()) == count
