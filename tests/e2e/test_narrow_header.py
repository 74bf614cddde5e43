"""At a phone's width (390 px) the signed-in header wraps: no page is wider than the screen."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 800}


@pytest.mark.parametrize("where", ["spec list", "spec page"])
def test_the_signed_in_header_fits_a_phone(page, sign_in, alice, in_review, where):
    sign_in(alice)
    page.set_viewport_size(PHONE)
    page.goto("/p/cinder/" if where == "spec list" else f"/p/cinder/{in_review.slug}/")
    page.wait_for_load_state("load")
    # The header is what grew the page before: its account links must be on screen.
    sign_out = page.get_by_role("button", name="Sign out")
    assert sign_out.is_visible()
    widths = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth,"
        " header: document.querySelector('.site-header__inner').scrollWidth,"
        " signOut: document.querySelector('.account__signout').getBoundingClientRect().right})"
    )
    assert widths["page"] <= PHONE["width"], widths
    assert widths["header"] <= PHONE["width"], widths
    assert widths["signOut"] <= PHONE["width"], widths
