"""Starting a spec shows where its file will go in the repository, before it exists."""

import re

import pytest
from playwright.sync_api import expect

from specs_app.authoring import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_file_path_follows_what_the_author_types(page, sign_in, alice):
    services.create_project(name="Nova", slug="nova", gate_preset="nova")
    sign_in(alice)
    page.goto("/p/nova/new/")
    page.wait_for_load_state("load")
    shown = page.locator("#spec-file-path code")
    expect(shown).to_have_text("specs/<release>/approved/<name>.rst")

    page.get_by_label("Title").fill("Awesome thing")
    page.get_by_label("Blueprint URL").fill("https://blueprints.launchpad.net/nova/+spec/awesome-thing")
    expect(shown).to_have_text("specs/<release>/approved/awesome-thing.rst")
    page.get_by_label("Release").fill("2027.1")
    expect(shown).to_have_text("specs/2027.1/approved/awesome-thing.rst")

    page.get_by_role("button", name="Create spec").click()
    expect(page).to_have_url(re.compile(r"/p/nova/awesome-thing/edit/$"))
    page.goto("/p/nova/awesome-thing/")
    details = page.get_by_role("region", name="Details")
    expect(details.locator("code.path")).to_have_text("specs/2027.1/approved/awesome-thing.rst")
