"""Comments sit beside the passage they are about, its words highlighted; the compare view takes comments too.

Positions are measured in Chromium: a thread's top is level with its passage
(the first highlighted word), threads that would overlap are pushed down, and
both hold again after the window is resized. On a narrow screen the threads
are a list below the text and nothing widens the page; without JavaScript they
are a list all the same.
"""

import itertools

import pytest
from playwright.sync_api import expect

from specs_app.models import Spec
from tests.review_world import comment_on, refresh, submit, write

from .conftest import VIEWPORT
from .pages import screenshot, select_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROBLEM = (
    "Attaching a volume to two instances at once is refused today.\n"
    "Operators of clustered file systems need it, and work around it by hand.\n"
    "\n"
    "Back ends that can share a volume set the ``multiattach`` flag in their\n"
    "capabilities, but nothing reads it.\n"
)
PROPOSAL = "Add a multiattach capability that back ends report.\n"
ALTERNATIVES = "\n".join(
    f"Alternative {number}: keep refusing, and document the manual work around in guide {number}.\n"
    for number in range(1, 9)
)
DATA_MODEL = "A new boolean column records whether a volume is shared.\n"

# What bob comments on: the source quote, and the words the page shows for it.
PASSAGES = {
    "first": ("Attaching a volume to two instances", "Attaching a volume to two instances"),
    "next line": ("work around it by hand", "work around it by hand"),
    "literal": ("``multiattach`` flag", "multiattach flag"),
    "far below": ("A new boolean column records", "A new boolean column records"),
}
# Level with the passage: the rendered line's top and the thread's top agree within this.
LEVEL_PX = 4


@pytest.fixture
def commented(in_review, alice, bob):
    """Revision 2, long enough to place threads far apart, and bob's draft comment on each passage."""
    spec = write(
        in_review,
        alice,
        problem_description=PROBLEM,
        proposed_change=PROPOSAL,
        alternatives=ALTERNATIVES,
        data_model_impact=DATA_MODEL,
    )
    submit(spec, alice, "Fuller text")
    spec = refresh(spec)
    ids = {}
    for name, (quote, _shown) in PASSAGES.items():
        ids[name] = comment_on(spec, bob, quote, body=f"About the {name} passage.").pk
    return spec, ids


def revision_url(spec, number):
    return f"/p/cinder/{spec.slug}/revisions/{number}/"


def geometry(page):
    """Each placed thread's box, and the box of its passage's first highlighted word, by thread id."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("#placed-threads .thread")).map((thread) => {
            const marks = document.querySelectorAll(`mark.comment-mark[data-thread="${thread.id}"]`);
            const box = thread.getBoundingClientRect();
            return {
                id: thread.id,
                top: box.top,
                bottom: box.bottom,
                left: box.left,
                passageTop: marks.length ? marks[0].getBoundingClientRect().top : null,
                passageRight: marks.length ? marks[0].getBoundingClientRect().right : null,
                words: Array.from(marks).map((mark) => mark.textContent).join(""),
            };
        })"""
    )


def assert_beside_and_apart(page, ids, level: list[str]):
    boxes = {box["id"]: box for box in geometry(page)}
    for name, (_quote, shown) in PASSAGES.items():
        box = boxes[f"thread-{ids[name]}"]
        # The highlight is around exactly the words commented on.
        assert box["words"] == shown, (name, box)
        # In the margin, right of the text, and never above its passage.
        assert box["left"] > box["passageRight"], (name, box)
        assert box["top"] >= box["passageTop"] - LEVEL_PX, (name, box)
    for name in level:
        box = boxes[f"thread-{ids[name]}"]
        assert abs(box["top"] - box["passageTop"]) <= LEVEL_PX, (name, box)
    ordered = sorted(boxes.values(), key=lambda box: box["top"])
    for above, below in itertools.pairwise(ordered):
        assert below["top"] >= above["bottom"], ("overlap", above, below)


def test_each_thread_sits_level_with_its_passage_and_none_overlap(page, sign_in, bob, commented):
    spec, ids = commented
    sign_in(bob)
    page.goto(revision_url(spec, 2))
    expect(page.locator("#placed-threads.placed-threads--beside")).to_have_count(1)

    # The first thread and the far one are level with their passages; the two just below the
    # first would overlap it, so they are pushed down (and so not level).
    assert_beside_and_apart(page, ids, level=["first", "far below"])
    far = next(box for box in geometry(page) if box["id"] == f"thread-{ids['far below']}")
    first = next(box for box in geometry(page) if box["id"] == f"thread-{ids['first']}")
    assert far["top"] - first["top"] > 300, "the far passage's thread is not at the top of the margin"

    # Narrower window: the text reflows, the threads follow.
    page.set_viewport_size({"width": 1000, "height": 900})
    page.wait_for_function(
        """(id) => {
            const thread = document.getElementById(id);
            const mark = document.querySelector(`mark.comment-mark[data-thread="${id}"]`);
            return Math.abs(thread.getBoundingClientRect().top - mark.getBoundingClientRect().top) <= 4;
        }""",
        arg=f"thread-{ids['far below']}",
    )
    assert_beside_and_apart(page, ids, level=["first", "far below"])

    page.set_viewport_size(VIEWPORT)
    page.evaluate(
        "window.scrollTo(0, document.querySelector('#review-document h2, #review-document h1')"
        ".getBoundingClientRect().top + window.scrollY - 24)"
    )
    page.locator(f"#thread-{ids['literal']}").hover()
    screenshot(page, "comments-beside-passages")


def test_hovering_or_focusing_a_thread_or_its_passage_emphasises_the_other(page, sign_in, bob, commented):
    spec, ids = commented
    sign_in(bob)
    page.goto(revision_url(spec, 2))
    thread = page.locator(f"#thread-{ids['literal']}")
    # One <mark> inside the literal, one for the plain word after it.
    marks = page.locator(f"mark.comment-mark[data-thread='thread-{ids['literal']}']")
    expect(marks).to_have_text(["multiattach", " flag"])
    expect(page.locator("#review-document .literal mark.comment-mark")).to_have_text(["multiattach"])

    thread.hover()
    expect(marks).to_have_class(["comment-mark is-active", "comment-mark is-active"])
    page.mouse.move(0, 0)
    expect(marks).to_have_class(["comment-mark", "comment-mark"])

    marks.last.hover()
    expect(thread).to_have_class("thread thread--draft thread--active")
    page.mouse.move(0, 0)
    expect(thread).to_have_class("thread thread--draft")

    # Keyboard: the passage's marker link, then the thread itself.
    marker = page.locator(f".comment-marker[href='#thread-{ids['far below']}']")
    marker.focus()
    far = page.locator(f"#thread-{ids['far below']}")
    expect(far).to_have_class("thread thread--draft thread--active")
    marker.press("Enter")
    expect(far).to_be_focused()
    expect(page.locator(f"mark.comment-mark[data-thread='thread-{ids['far below']}']").first).to_have_class(
        "comment-mark is-active"
    )


@pytest.fixture
def revised(in_review, alice):
    spec = write(in_review, alice, proposed_change=PROPOSAL + "\nThe scheduler filters on it.\n")
    submit(spec, alice, "Say how the scheduler uses it.")
    return Spec.objects.get(pk=spec.pk)


@pytest.mark.parametrize("layout", ["unified", "split"])
def test_a_comment_made_on_the_compare_view_shows_on_the_revision_page(page, sign_in, bob, revised, layout):
    sign_in(bob)
    page.goto(f"/p/cinder/{revised.slug}/revisions/compare/?old=1&new=2&layout={layout}")
    expect(page.get_by_role("heading", name="Revision 1 → 2")).to_be_visible()

    if layout == "split":
        # The older side is not the revision commented on: selecting there offers nothing.
        older = page.locator("#compare-diff .diff__text--old").filter(has_text="back ends report.")
        older.evaluate("cell => { cell.id = 'older-cell'; }")
        select_text(page, "#older-cell", "back ends report.")
        expect(page.locator(".comment-box")).to_have_count(0)

    select_text(page, "#compare-diff", "filters on it")
    box = page.locator(".comment-box")
    expect(box).to_be_visible()
    expect(box).to_contain_text("filters on it")
    expect(box.get_by_label("Your comment")).to_be_focused()
    page.keyboard.type("Which filter? Name it.")
    box.get_by_role("button", name="Save draft comment").click()
    expect(box).to_contain_text("Saved as a draft comment on revision 2")

    box.get_by_role("link", name="See it beside its passage").click()
    expect(page).to_have_url(f"{page.url.split('/p/')[0]}/p/cinder/{revised.slug}/revisions/2/")
    thread = page.locator("#placed-threads .thread").filter(has_text="Which filter? Name it.")
    expect(thread).to_contain_text("Draft")
    thread_id = thread.get_attribute("id")
    marks = page.locator(f"mark.comment-mark[data-thread='{thread_id}']")
    expect(marks).to_have_text(["filters on it"])
    passage = marks.first.bounding_box()
    placed = thread.bounding_box()
    assert abs(placed["y"] - passage["y"]) <= LEVEL_PX


def test_compare_view_offers_no_comment_box_to_a_visitor(page, revised):
    page.goto(f"/p/cinder/{revised.slug}/revisions/compare/?old=1&new=2")
    expect(page.locator("#compare-diff")).to_be_visible()
    expect(page.locator("#compare-diff[data-can-comment]")).to_have_count(0)
    expect(page.locator(".compare-diff__hint")).to_have_count(0)


def test_on_a_narrow_screen_threads_are_a_list_and_nothing_widens_the_page(page, sign_in, bob, commented):
    spec, ids = commented
    sign_in(bob)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(revision_url(spec, 2))
    # Highlighted all the same; the threads follow the text as a list, in the text's order.
    highlighted = page.eval_on_selector_all(
        "mark.comment-mark", "marks => [...new Set(marks.map(m => m.dataset.thread))]"
    )
    assert sorted(highlighted) == sorted(f"thread-{ids[name]}" for name in PASSAGES)
    expect(page.locator("#placed-threads.placed-threads--beside")).to_have_count(0)
    order = page.eval_on_selector_all("#placed-threads .thread", "threads => threads.map(t => t.id)")
    assert order == [f"thread-{ids[name]}" for name in PASSAGES]
    tops = page.eval_on_selector_all(
        "#placed-threads .thread", "threads => threads.map(t => t.getBoundingClientRect().top)"
    )
    article_bottom = page.eval_on_selector("#review-document", "a => a.getBoundingClientRect().bottom")
    assert tops == sorted(tops) and tops[0] > article_bottom
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # The comment box opened by a selection stays inside the screen too.
    select_text(page, "#review-document", "capabilities, but nothing reads it")
    box = page.locator(".comment-box")
    expect(box).to_be_visible()
    placed = box.bounding_box()
    assert placed["x"] >= 0 and placed["x"] + placed["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_without_javascript_the_threads_are_a_list(browser, live_server, bob, commented):
    from django.conf import settings
    from django.test import Client

    spec, ids = commented
    client = Client()
    client.force_login(bob)
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, java_script_enabled=False)
    try:
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.goto(revision_url(spec, 2))
        threads = page.locator(".review-margin #placed-threads .thread")
        expect(threads).to_have_count(len(PASSAGES))
        for name, (quote, _shown) in PASSAGES.items():
            expect(page.locator(f"#thread-{ids[name]} .thread__quote")).to_have_text(quote)
        assert page.locator("mark.comment-mark").count() == 0
        tops = [threads.nth(index).bounding_box()["y"] for index in range(len(PASSAGES))]
        assert tops == sorted(tops)
        # The line-range form is the way to comment.
        expect(page.locator("#line-comment-form")).to_be_visible()
    finally:
        context.close()
