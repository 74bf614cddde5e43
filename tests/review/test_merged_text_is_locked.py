"""A merged or implemented spec's text is locked: no edit through the editor, a section, the whole text
or the spec's metadata, on the pages or in the API, until a new change re-opens it.

Authors used to go on editing after merge, so the export differed from the merged revision.
Every refusal is a 400 that says how to change the spec; people who may not edit it at all
are refused as before (403, or 401 / the sign-in page when anonymous).
"""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import ValidationError

from specs_app.authoring import services, text
from specs_app.models import Spec, SpecStatus
from specs_app.rst.document import body_text
from tests.review_world import refresh

LOCKED = [SpecStatus.MERGED, SpecStatus.IMPLEMENTED]
HOW = {
    SpecStatus.MERGED: "start a new change",
    SpecStatus.IMPLEMENTED: "re-propose it for a new release",
}


@pytest.fixture(params=LOCKED)
def locked(request, in_review):
    Spec.objects.filter(pk=in_review.pk).update(status=request.param)
    return refresh(in_review)


def _section(spec):
    return spec.sections.get(title="Proposed change")


def test_the_services_refuse_every_edit_saying_how_to_change_it(locked, alice):
    section = _section(locked)
    edits = [
        lambda: services.update_section(actor=alice, section=section, base_version=section.version, text="X"),
        lambda: services.update_spec(
            actor=alice,
            spec=locked,
            base_version=locked.version,
            title="Another title",
            release=locked.release,
            intro="",
            sections={},
        ),
        lambda: text.replace_spec_text(
            actor=alice, spec=locked, text=locked.text() + "\nMore.\n", base_version=locked.version
        ),
    ]
    for edit in edits:
        with pytest.raises(ValidationError, match=HOW[locked.status]) as refused:
            edit()
        assert refused.value.code == "locked"
    assert refresh(locked).text() == locked.text()
    assert refresh(locked).version == locked.version


def test_co_authors_still_change_on_a_merged_spec(locked, alice, carol):
    """Who wrote it is not its text: the API's co-author-only update passes."""
    services.update_spec(
        actor=alice,
        spec=locked,
        base_version=locked.version,
        title=locked.title,
        release=locked.release,
        intro=body_text(locked.intro),
        sections={},
    )
    services.set_co_authors(actor=alice, spec=locked, co_authors=[carol])
    assert list(locked.co_authors.all()) == [carol]


def test_the_editor_page_says_it_is_locked_with_a_400(locked, alice_client):
    url = f"/p/cinder/{locked.slug}/edit/"

    shown = alice_client.get(url)
    saved = alice_client.post(url, {"title": "X", "release": locked.release, "version": locked.version})

    assert shown.status_code == saved.status_code == 400
    page = html.unescape(shown.content.decode())
    assert "This spec\N{RIGHT SINGLE QUOTATION MARK}s text is locked" in page
    assert HOW[locked.status] in page
    # A merged spec offers its authors the way out; an implemented one has none here.
    offered = f"/p/cinder/{locked.slug}/review/reopen/" in page
    assert offered == (locked.status == SpecStatus.MERGED)
    assert refresh(locked).title == locked.title


def test_the_spec_page_offers_no_edit(locked, alice_client):
    page = alice_client.get(locked.get_absolute_url()).content.decode()

    assert f'href="/p/cinder/{locked.slug}/edit/"' not in page


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("bob", 403), ("core", 403), ("alice", 400), ("staff", 400)]
)
def test_the_editor_refuses_each_person_as_it_should(locked, client, request, who, status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    response = client.get(f"/p/cinder/{locked.slug}/edit/")

    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("bob", 403), ("core", 403), ("alice", 400), ("staff", 400)]
)
def test_the_api_refuses_each_edit_as_it_should(locked, api, api_as, request, who, status):
    client = api if who == "anonymous" else api_as(request.getfixturevalue(who))
    base = f"/api/v1/specs/{locked.pk}/"
    section = _section(locked)

    responses = [
        client.put(
            f"{base}text/", {"text": locked.text() + "\nMore.\n", "version": locked.version}, format="json"
        ),
        client.patch(
            f"{base}sections/{section.pk}/", {"text": "X", "version": section.version}, format="json"
        ),
        client.patch(base, {"title": "Another title", "version": locked.version}, format="json"),
    ]

    assert [response.status_code for response in responses] == [status] * 3
    if status == 400:
        for response in responses:
            assert HOW[locked.status] in response.json()["message"]
    assert refresh(locked).text() == locked.text()
