"""The spec page's Releases panel: the lineage, where a spec came from, its earlier reviews, re-proposing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from specs_app.authoring.reproposal import repropose_spec
from specs_app.review import services as review_services
from tests.helpers import client_for, html_tree


def _panel(client, spec):
    response = client.get(spec.get_absolute_url())
    assert response.status_code == 200
    return html_tree(response.content).find("section", id="lineage")


@pytest.fixture
def reviewed(in_review, core):
    """Alice's 2026.1 spec at revision 1, with dave's -1."""
    review_services.publish_review(actor=core, spec=in_review, vote=-1, message="Not this release.")
    return in_review


@pytest.fixture
def reproposed(reviewed, alice):
    return repropose_spec(actor=alice, spec=reviewed, release="2026.2")


def test_it_lists_every_release_with_its_status_and_path(client, reproposed):
    items = _panel(client, reproposed).find_all("li", class_="lineage__item")

    assert [item.find("div", class_="lineage__head").text.split() for item in items] == [
        ["2026.1", "In", "review"],
        ["2026.2", "Draft"],
    ]
    assert [item.find("code").text for item in items] == [
        "specs/2026.1/multi-attach.rst",
        "specs/2026.2/multi-attach.rst",
    ]


def test_it_marks_the_spec_shown_and_links_the_others(client, reviewed, reproposed):
    first, second = _panel(client, reproposed).find_all("li", class_="lineage__item")

    assert first.find("a").attrs["href"] == reviewed.get_absolute_url()
    assert second.find("strong", **{"aria-current": "page"}).text == "2026.2"
    assert "lineage__item--current" in second.attrs["class"]


def test_it_says_where_a_re_proposal_came_from(client, reviewed, reproposed):
    origin = _panel(client, reproposed).find("p", class_="lineage__origin")

    assert origin.text.strip() == "Re-proposed from 2026.1."
    assert origin.find("a").attrs["href"] == reviewed.get_absolute_url()


def test_it_links_the_earlier_releases_review_with_its_votes(client, reviewed, reproposed):
    first, second = _panel(client, reproposed).find_all("li", class_="lineage__item")
    review = first.find("p", class_="lineage__review")

    assert " ".join(review.text.split()) == "1 revision: -1 dave"
    assert review.find("a").attrs["href"] == reverse(
        "specs:revision-detail", kwargs={"project_slug": "cinder", "spec_slug": reviewed.slug, "number": 1}
    )
    # The spec shown has its review in the review panel.
    assert second.find("p", class_="lineage__review") is None


def test_an_earlier_release_never_submitted_says_so(client, spec, alice):
    new = repropose_spec(actor=alice, spec=spec, release="2026.2")
    first = _panel(client, new).find("li", class_="lineage__item")

    assert first.find("p", class_="lineage__review").text.strip() == "Not submitted for review"


def test_the_panel_takes_a_fixed_number_of_queries_however_long_the_lineage(client, reviewed, alice, core):
    def page_queries(spec) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(spec.get_absolute_url()).status_code == 200
        return len(queries)

    latest = repropose_spec(actor=alice, spec=reviewed, release="2026.2")
    two = page_queries(latest)
    for release in ("2027.1", "2027.2", "2028.1"):
        latest = repropose_spec(actor=alice, spec=latest, release=release)
        review_services.submit_revision(actor=alice, spec=latest, message="")
        review_services.publish_review(actor=core, spec=latest, vote=1, message="")
    latest = repropose_spec(actor=alice, spec=latest, release="2028.2")

    assert page_queries(latest) == two


def test_it_links_the_changes_since_the_release_before(client, reviewed, reproposed):
    first, second = _panel(client, reproposed).find_all("li", class_="lineage__item")

    assert first.find("a", class_="lineage__diff") is None
    link = second.find("a", class_="lineage__diff")
    assert link.text == "Changes since 2026.1"
    assert link.attrs["href"] == (
        f"/p/cinder/{reproposed.slug}/releases/compare/?old={reviewed.slug}&new={reproposed.slug}"
    )


def test_a_spec_alone_in_its_lineage_lists_its_own_release(client, spec):
    panel = _panel(client, spec)

    assert [item.find("strong").text for item in panel.find_all("li", class_="lineage__item")] == ["2026.1"]
    assert panel.find("p", class_="lineage__origin") is None


class TestReproposeForm:
    def test_an_anonymous_visitor_gets_no_form(self, client, spec):
        assert _panel(client, spec).find("form") is None

    @pytest.mark.parametrize("who", ["alice", "bob"])
    def test_anyone_signed_in_gets_it_with_the_next_release(self, spec, who, request, password):
        browser = client_for(request.getfixturevalue(who), password)
        form = _panel(browser, spec).find("form", class_="repropose-form")

        assert form.attrs["action"] == f"/p/cinder/{spec.slug}/repropose/"
        assert form.find("input", name="release").attrs["value"] == "2026.2"
        assert [option.attrs["value"] for option in form.find_all("option")] == ["2026.2"]
