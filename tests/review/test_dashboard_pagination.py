"""The dashboard: "Your turn" first, longest-waiting first; each list paged on its own, by a link."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from specs_app.authoring import services
from specs_app.models import Attention, Review, Revision, SpecStatus
from specs_app.review import selectors as review_selectors
from tests.helpers import client_for, html_tree


@pytest.fixture
def two_a_page(monkeypatch):
    monkeypatch.setattr(review_selectors, "DASHBOARD_PAGE_SIZE", 2)


def make_specs(project, owner, count: int, *, waiting_for=None, start: int = 0) -> list:
    """``count`` specs in review, each with a revision; each waits for ``waiting_for``, oldest first."""
    specs = []
    now = timezone.now()
    for number in range(start, start + count):
        spec = services.create_spec(
            actor=owner,
            project=project,
            title=f"Spec {number:02d}",
            release="2026.1",
            blueprint_url=f"https://blueprints.launchpad.net/cinder/+spec/spec-{number:02d}",
        )
        spec.status = SpecStatus.IN_REVIEW
        spec.save(update_fields=["status"])
        Revision.objects.create(spec=spec, number=1, text="Spec\n====\n", author=owner)
        if waiting_for is not None:
            turn = Attention.objects.create(spec=spec, user=waiting_for, reason=f"reason {number:02d}")
            # Spec 00 has waited longest.
            Attention.objects.filter(pk=turn.pk).update(since=now - datetime.timedelta(hours=100 - number))
        specs.append(spec)
    return specs


def section_titles(page, section_id: str) -> list[str]:
    section = page.find("section", id=section_id)
    return [cell.find("a").text for cell in section.find_all("td", class_="spec-table__title")]


def test_your_turn_comes_first_the_longest_waiting_on_top(project, alice, core, password, two_a_page):
    make_specs(project, alice, 3, waiting_for=core)
    page = html_tree(client_for(core, password).get("/dashboard/").content)
    first = page.find("section", class_="dashboard-section")
    assert first.attrs["id"] == "your-turn"
    assert "Your turn" in first.find("h2").text
    assert section_titles(page, "your-turn") == ["Spec 00", "Spec 01"]


def test_each_row_of_your_turn_says_so_in_words_with_its_reason(project, alice, core, password):
    make_specs(project, alice, 1, waiting_for=core)
    page = html_tree(client_for(core, password).get("/dashboard/").content)
    badge = page.find("section", id="your-turn").find("p", class_="turn-badge")
    assert "Your turn" in badge.text
    assert "reason 00" in badge.text


def test_each_list_pages_on_its_own_and_its_links_keep_the_others(project, alice, core, password, two_a_page):
    make_specs(project, alice, 5, waiting_for=core)
    browser = client_for(core, password)
    page = html_tree(browser.get("/dashboard/?turn_page=2&review_page=3").content)
    assert section_titles(page, "your-turn") == ["Spec 02", "Spec 03"]
    nav = page.find("section", id="your-turn").find("nav", class_="pagination")
    assert "Page 2 of 3" in nav.text
    next_link = nav.find("a", rel="next").attrs["href"]
    assert "turn_page=3" in next_link
    assert "review_page=3" in next_link
    following = html_tree(browser.get("/dashboard/" + next_link).content)
    assert section_titles(following, "your-turn") == ["Spec 04"]


@pytest.mark.parametrize(
    ("asked", "shown"), [("abc", "Page 1 of 3"), ("0", "Page 3 of 3"), ("99", "Page 3 of 3")]
)
def test_a_page_number_that_is_not_one_gives_the_first_or_last_page(
    project, alice, core, password, two_a_page, asked, shown
):
    make_specs(project, alice, 5, waiting_for=core)
    response = client_for(core, password).get(f"/dashboard/?turn_page={asked}")
    assert response.status_code == 200
    nav = html_tree(response.content).find("section", id="your-turn").find("nav", class_="pagination")
    assert shown in nav.text


def test_the_other_lists_put_the_specs_waiting_for_you_on_top(project, alice, core, password):
    waits, *_ = make_specs(project, alice, 3)
    # The newest-changed spec would come first; the one waiting for dave comes before it.
    Attention.objects.create(spec=waits, user=core, reason="look")
    page = html_tree(client_for(core, password).get("/dashboard/").content)
    titles = section_titles(page, "to-review")
    assert titles[0] == "Spec 00"
    assert set(titles[1:]) == {"Spec 01", "Spec 02"}
    first_row = page.find("section", id="to-review").find("tr", class_="spec-table__row--turn")
    assert "Your turn" in first_row.text


def test_the_author_sees_whom_each_of_their_specs_waits_for(project, alice, core, password):
    make_specs(project, alice, 1, waiting_for=core)
    page = html_tree(client_for(alice, password).get("/dashboard/").content)
    assert "dave" in page.find("section", id="mine").find("td", class_="waiting-for").text


def test_the_dashboard_needs_a_sign_in(client):
    response = client.get("/dashboard/?turn_page=2")
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_its_queries_do_not_grow_with_the_specs(
    project, alice, bob, core, password, django_assert_max_num_queries
):
    def world(start: int, count: int) -> None:
        for spec in make_specs(project, alice, count, waiting_for=core, start=start):
            Attention.objects.create(spec=spec, user=bob, reason="too")
            review = Review.objects.create(spec=spec, revision=spec.revisions.get(), reviewer=bob, vote=1)
            assert review.pk

    world(0, 1)
    browser = client_for(core, password)
    with CaptureQueriesContext(connection) as few:
        browser.get("/dashboard/")
    world(1, 30)
    with django_assert_max_num_queries(len(few)):
        response = browser.get("/dashboard/")
    assert response.status_code == 200
