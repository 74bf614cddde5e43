"""Downloads of a spec in review, approved, merged or implemented carry its latest revision.

They used to carry the author's unsubmitted working draft, so what was exported was
not what had been reviewed. The working draft is a download of its own, under its
own file name (``?draft=1``), on the page and in the API.
"""

from __future__ import annotations

import pytest

from specs_app.models import Spec, SpecStatus
from specs_app.transfer import exporting
from tests.review_world import PROPOSAL, refresh, write

UNSUBMITTED = "Rewritten after submitting: nobody has reviewed this sentence.\n"
STATUSES = [SpecStatus.IN_REVIEW, SpecStatus.APPROVED, SpecStatus.MERGED, SpecStatus.IMPLEMENTED]


@pytest.fixture
def edited(in_review, alice):
    """Revision 1, and the author's working draft changed since."""
    return write(in_review, alice, proposed_change=UNSUBMITTED)


def _status(spec, status) -> Spec:
    Spec.objects.filter(pk=spec.pk).update(status=status)
    return refresh(spec)


def _page(spec, suffix: str) -> str:
    return f"/p/{spec.project.slug}/{spec.slug}/{suffix}"


@pytest.mark.parametrize("status", STATUSES)
def test_the_file_and_the_patch_carry_the_latest_revision(edited, client, status):
    spec = _status(edited, status)
    revision = spec.revisions.get()

    rst = client.get(_page(spec, "export.rst"))
    patch = client.get(_page(spec, "export.patch")).content.decode()

    assert rst.status_code == 200
    assert rst.content.decode() == revision.text == exporting.exported_text(spec)
    assert PROPOSAL.strip() in patch
    assert UNSUBMITTED.strip() not in patch


@pytest.mark.parametrize("status", [SpecStatus.DRAFT, SpecStatus.ABANDONED])
def test_a_draft_or_abandoned_spec_leaves_as_its_working_draft(edited, client, status):
    spec = _status(edited, status)

    assert client.get(_page(spec, "export.rst")).content.decode() == spec.text()
    assert UNSUBMITTED in spec.text()


def test_the_working_draft_is_its_own_download_under_its_own_name(edited, client):
    response = client.get(_page(edited, "export.rst?draft=1"))

    assert response.status_code == 200
    assert response.content.decode() == edited.text()
    assert UNSUBMITTED in response.content.decode()
    assert 'filename="multi-attach.working-draft.rst"' in response["Content-Disposition"]
    plain = client.get(_page(edited, "export.rst"))
    assert 'filename="multi-attach.rst"' in plain["Content-Disposition"]


def test_the_page_labels_both_downloads(edited, client):
    page = client.get(edited.get_absolute_url()).content.decode()

    assert "Download .rst (revision 1)" in page
    assert "Download patch (revision 1)" in page
    assert f'href="{_page(edited, "export.rst")}?draft=1" download>Download working draft (.rst)' in page


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_bad_draft_parameter_is_a_400_saying_what_it_takes(edited, client, api, value):
    page = client.get(_page(edited, f"export.rst?draft={value}"))
    by_api = api.get(f"/api/v1/specs/{edited.pk}/export.rst?draft={value}")

    assert page.status_code == by_api.status_code == 400
    assert "Give draft=1 for the working draft" in page.content.decode()
    assert by_api.json()["errors"]["draft"][0].startswith("Give draft=1 for the working draft")


@pytest.mark.parametrize("form", ["id", "name"])
def test_the_api_exports_the_same(edited, api, form):
    base = f"/api/v1/specs/{edited.pk}/" if form == "id" else f"/api/v1/specs/cinder/{edited.slug}/"

    rst = api.get(f"{base}export.rst")
    draft = api.get(f"{base}export.rst?draft=1")
    patch = api.get(f"{base}export.patch")

    assert rst.content.decode() == edited.revisions.get().text
    assert draft.content.decode() == edited.text()
    assert UNSUBMITTED.strip() not in patch.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "bob", "core", "alice"])
def test_everyone_downloads_the_same_revision(edited, client, request, who):
    """Downloads are public, like the specs: nobody, not even the owner, gets the draft unasked."""
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    response = client.get(_page(edited, "export.rst"))

    assert response.status_code == 200
    assert response.content.decode() == edited.revisions.get().text


def test_a_spec_imported_as_merged_without_revisions_exports_its_text(spec, client):
    spec = _status(spec, SpecStatus.MERGED)

    assert client.get(_page(spec, "export.rst")).content.decode() == spec.text()


def test_the_patch_is_titled_and_summarised_from_the_revision(edited, alice, client):
    from specs_app.authoring import services

    services.update_spec(
        actor=alice,
        spec=edited,
        base_version=edited.version,
        title="A title nobody reviewed",
        release=edited.release,
        intro="A summary nobody reviewed.",
        sections={},
    )

    patch = client.get(_page(edited, "export.patch")).content.decode()

    assert "Subject: [PATCH] Volume multi-attach" in patch
    assert "nobody reviewed" not in patch
