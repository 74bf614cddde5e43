"""Comparing revisions: per section, unified or side by side, unchanged sections folded."""

import pytest

from specs_app.review import services as review_services
from specs_app.rst import diff
from tests.helpers import html_tree
from tests.review_world import submit, write


@pytest.fixture
def two_revisions(in_review, alice):
    spec = write(in_review, alice, proposed_change="Add a multiattach capability that drivers report.")
    submit(spec, alice, "Wording")
    return spec


def test_the_engine_diffs_per_section():
    old = "=====\nT\n=====\n\nA\n===\n\none\ntwo\n\nB\n===\n\nsame\n"
    new = "=====\nT\n=====\n\nA\n===\n\none\n2\n\nB\n===\n\nsame\n\nC\n===\n\nnew\n"
    sections = {section.title: section for section in diff.compare(old, new)}
    assert sections["B"].status == "unchanged" and sections["Introduction"].status == "unchanged"
    assert sections["A"].status == "changed" and (sections["A"].added, sections["A"].removed) == (1, 1)
    assert sections["C"].status == "added"
    [hunk] = sections["A"].hunks
    assert [(line.kind, line.text) for line in hunk.lines if line.kind != "context"] == [
        ("removed", "two"),
        ("added", "2"),
    ]
    assert [row.kind for row in hunk.rows if row.kind != "context"] == ["changed"]
    assert sections["A"].hunks[0].lines[0].new_number == 6  # "===" under "A", three lines of context


def test_a_removed_section_is_listed():
    old = "=====\nT\n=====\n\nA\n===\n\none\n\nB\n===\n\ntwo\n"
    new = "=====\nT\n=====\n\nA\n===\n\none\n"
    assert [(section.title, section.status) for section in diff.compare(old, new)] == [
        ("Introduction", "unchanged"),
        ("A", "unchanged"),
        ("B", "removed"),
    ]


@pytest.mark.parametrize("layout", ["unified", "split"])
def test_the_page_shows_changed_sections_and_folds_the_rest(two_revisions, client, layout):
    response = client.get(f"/p/cinder/{two_revisions.slug}/revisions/compare/?old=1&new=2&layout={layout}")
    assert response.status_code == 200
    page = html_tree(response.content)
    changed = page.find_all("section", class_="diff-section")
    assert [node.find("h2").text.split()[0] for node in changed] == ["Proposed"]
    assert page.find("table", class_=f"diff--{layout}") is not None
    assert len(page.find_all("details", class_="diff-section--unchanged")) > 5
    assert (
        "drivers report."
        in page.find(
            "tr", class_="diff__row--added" if layout == "unified" else "diff__row--changed"
        ).visible_text
    )


@pytest.mark.parametrize("query", ["old=9", "old=abc", "new=0"])
def test_bad_revision_numbers_are_4xx(two_revisions, client, query):
    response = client.get(f"/p/cinder/{two_revisions.slug}/revisions/compare/?{query}")
    assert response.status_code in (400, 404)


def test_a_spec_without_revisions_has_nothing_to_compare(spec, client):
    assert client.get(f"/p/cinder/{spec.slug}/revisions/compare/").status_code == 404


def test_a_reviewer_sees_what_changed_since_their_vote(in_review, alice, bob, bob_client):
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    for number, text in enumerate(("Second.", "Third."), start=2):
        spec = write(in_review, alice, use_cases=text)
        submit(spec, alice)
        assert spec.revisions.count() == number
    detail = bob_client.get(in_review.get_absolute_url()).content.decode()
    assert "What changed since your vote on revision 1" in detail
    response = bob_client.get(f"/p/cinder/{in_review.slug}/revisions/compare/")
    assert response.context["old"].number == 1 and response.context["new"].number == 3
