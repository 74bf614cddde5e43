"""The diff between two releases' specs of one lineage, on the revision compare page's machinery."""

from __future__ import annotations

import pytest

from specs_app.authoring import services
from specs_app.authoring.reproposal import repropose_spec
from tests.helpers import client_for, html_tree
from tests.review_world import PROBLEM, PROPOSAL, write

PROPOSAL_2 = "Add a multiattach capability that back ends report.\n\nThe scheduler filters on it.\n"


@pytest.fixture
def releases(spec, alice):
    """Multi-attach in 2026.1, and re-proposed for 2026.2 with another proposal."""
    old = write(spec, alice, problem_description=PROBLEM, proposed_change=PROPOSAL)
    new = repropose_spec(actor=alice, spec=old, release="2026.2")
    return old, write(new, alice, proposed_change=PROPOSAL_2)


def _url(spec, query: str = "") -> str:
    return f"/p/cinder/{spec.slug}/releases/compare/{query}"


def _changed_lines(page, kind: str) -> list[str]:
    """The lines' own text, without their sign and the words a screen reader says for them."""
    cells = [row.find_all("td")[-1] for row in page.find_all("tr", class_=f"diff__row--{kind}")]
    return ["".join(_own_text(child) for child in cell.children) for cell in cells]


def _own_text(node) -> str:
    if isinstance(node, str):
        return node
    marks = {"diff__sign", "visually-hidden"}
    return "" if marks & set((node.attrs.get("class") or "").split()) else node.text


@pytest.mark.parametrize("who", ["anonymous", "alice", "bob"])
def test_anyone_sees_what_changed_since_the_release_before(client, releases, who, request, password):
    browser = client if who == "anonymous" else client_for(request.getfixturevalue(who), password)
    new = releases[1]

    response = browser.get(_url(new))

    assert response.status_code == 200
    page = html_tree(response.content)
    assert page.find("h1").text == "2026.1 → 2026.2"
    changed = [
        section.find("h2").text.split()[0] for section in page.find_all("section", class_="diff-section")
    ]
    assert changed == ["Proposed"]
    assert _changed_lines(page, "added") == ["", "The scheduler filters on it."]
    unchanged = [summary.text for summary in page.find_all("summary")]
    assert "Problem description unchanged" in unchanged


def test_it_compares_any_two_releases_chosen_either_way(client, releases):
    old, new = releases

    page = html_tree(client.get(_url(old, f"?old={new.slug}&new={old.slug}&layout=split")).content)

    assert page.find("h1").text == "2026.2 → 2026.1"
    headings = [cell.text for cell in page.find("table", class_="diff--split").find("thead").find_all("th")]
    assert headings == ["2026.2 (draft)", "2026.1 (draft)"]
    removed = [cell.visible_text for cell in page.find_all("td", class_="diff__text--old") if cell.text]
    assert "The scheduler filters on it." in removed


def test_the_first_release_compares_with_the_next_by_default(client, releases):
    old = releases[0]

    page = html_tree(client.get(_url(old)).content)

    assert page.find("h1").text == "2026.2 → 2026.1"


def test_a_spec_alone_in_its_lineage_has_nothing_to_compare(client, spec):
    response = client.get(_url(spec))

    assert response.status_code == 404
    assert html_tree(response.content).find("p", role="alert").text == (
        "“multi-attach” has no other release to compare with."
    )


@pytest.mark.parametrize("parameter", ["old", "new"])
def test_a_spec_outside_the_lineage_is_refused(client, releases, spec, alice, parameter):
    other = services.create_spec(
        actor=alice,
        project=spec.project,
        title="Other",
        release="2026.2",
        blueprint_url="https://blueprints.launchpad.net/cinder/+spec/other",
    )

    response = client.get(_url(releases[1], f"?{parameter}={other.slug}"))

    assert response.status_code == 400
    assert html_tree(response.content).find("p", role="alert").text == (
        "“other” is not a release's spec of “multi-attach”; pick one from the lists."
    )


def test_a_release_in_review_is_compared_as_its_revision_under_review(client, in_review, alice):
    new = repropose_spec(actor=alice, spec=in_review, release="2026.2")
    write(in_review, alice, proposed_change=PROPOSAL + "\nNot submitted yet.\n")

    page = html_tree(client.get(_url(new)).content)

    assert page.find("section", class_="diff-section") is None
    assert "Not submitted yet." not in page.text
