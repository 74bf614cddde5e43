"""The compare page's word marks: seen, announced to screen readers, and no part of a comment's quote."""

import pytest
from playwright.sync_api import expect

from specs_app.models import Comment
from tests.review_world import line_of_text, refresh, submit, write

from .pages import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def edited(in_review, alice):
    spec = write(in_review, alice, proposed_change="Add a multiattach capability that drivers report.\n")
    submit(spec, alice, "Wording")
    return refresh(spec)


def _background(locator) -> str:
    return locator.evaluate("node => getComputedStyle(node).backgroundColor")


@pytest.mark.parametrize("layout", ["unified", "split"])
def test_changed_words_stand_out_and_are_announced(page, edited, layout):
    page.goto(f"/p/cinder/{edited.slug}/revisions/compare/?old=1&new=2&layout={layout}")

    inserted = page.get_by_role("insertion")
    deleted = page.get_by_role("deletion")
    expect(inserted).to_have_count(1)
    expect(deleted).to_have_count(1)
    expect(inserted).to_be_visible()
    expect(deleted).to_be_visible()
    # The accessible text says what changed and where the change ends; the page shows only the words.
    expect(inserted).to_have_text("added: drivers (end added)")
    expect(deleted).to_have_text("removed: back ends (end removed)")
    # The labels take no room on screen: only the words show.
    for label in page.locator("#compare-diff ins .visually-hidden, #compare-diff del .visually-hidden").all():
        box = label.bounding_box()
        assert box is not None and box["width"] <= 1 and box["height"] <= 1
    line = page.locator("#compare-diff .diff__line").filter(has=inserted)
    assert _background(inserted) != _background(line.locator("xpath=ancestor::td"))
    snapshot = page.locator("#compare-diff table", has=inserted).aria_snapshot()
    number = line_of_text(edited, "Add a multiattach capability that drivers report.")
    assert 'insertion: "added: drivers (end added)"' in snapshot
    assert 'deletion: "removed: back ends (end removed)"' in snapshot
    assert f'cell "line {number} in Revision 2"' in snapshot
    assert 'text: "changed to: Add a multiattach capability that"' in snapshot
    screenshot(page, f"compare-words-{layout}")


@pytest.mark.parametrize("layout", ["unified", "split"])
def test_a_comment_across_changed_words_quotes_the_revisions_text(page, sign_in, bob, edited, layout):
    sign_in(bob)
    page.goto(f"/p/cinder/{edited.slug}/revisions/compare/?old=1&new=2&layout={layout}")
    expect(page.get_by_role("insertion")).to_be_visible()

    # From "capability" (plain text) to the end of "drivers" (inside <ins>, after its hidden label).
    page.evaluate(
        """() => {
            const inserted = document.querySelector("#compare-diff ins");
            const line = inserted.closest(".diff__line");
            const before = line.firstChild;
            const word = [...inserted.childNodes].find(node => node.nodeType === 3);
            const range = document.createRange();
            range.setStart(before, before.data.indexOf("capability"));
            range.setEnd(word, word.data.length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            const box = range.getBoundingClientRect();
            word.parentElement.dispatchEvent(new MouseEvent("mouseup", {
                bubbles: true, clientX: box.right, clientY: box.bottom,
            }));
        }"""
    )
    box = page.locator(".comment-box")
    expect(box).to_contain_text("capability that drivers")
    expect(box).not_to_contain_text("added:")
    box.get_by_label("Your comment").fill("Which drivers?")
    box.get_by_role("button", name="Save draft comment").click()
    expect(box).to_contain_text("Saved as a draft comment on revision 2")

    comment = Comment.objects.get(body="Which drivers?")
    assert comment.quote == "capability that drivers"
