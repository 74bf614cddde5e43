"""Re-propose for <release> on the pages: who may, where it lands, what a refusal says."""

from __future__ import annotations

import pytest

from specs_app.models import Spec
from tests.helpers import client_for, html_tree


def _url(spec) -> str:
    return f"/p/{spec.project.slug}/{spec.slug}/repropose/"


class TestPermissions:
    @pytest.mark.parametrize("method", ["get", "post"])
    def test_an_anonymous_visitor_is_sent_to_sign_in_and_nothing_is_made(self, client, spec, method):
        response = getattr(client, method)(_url(spec), {"release": "2026.2"})

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert Spec.objects.count() == 1

    def test_another_person_re_proposes_it_as_their_own(self, spec, bob, alice, password):
        response = client_for(bob, password).post(_url(spec), {"release": "2026.2"})

        new = Spec.objects.get(release="2026.2")
        assert response.status_code == 302
        assert response["Location"] == new.get_absolute_url()
        assert new.owner == bob
        assert list(new.co_authors.all()) == [alice]

    def test_the_owner_re_proposes_it(self, spec, alice, password):
        response = client_for(alice, password).post(_url(spec), {"release": "2026.2"})

        assert response.status_code == 302
        assert Spec.objects.get(release="2026.2").proposed_from == spec


def test_it_lands_on_the_new_spec_saying_what_happened(spec, alice, password):
    response = client_for(alice, password).post(_url(spec), {"release": "2026.2"}, follow=True)

    assert response.request["PATH_INFO"] == "/p/cinder/multi-attach-2026.2/"
    messages = [message.text for message in html_tree(response.content).find_all("p", class_="message")]
    assert messages == [
        "Re-proposed “Volume multi-attach” for 2026.2 from 2026.1: its sections follow 2026.2's template; "
        "the ones it adds are empty."
    ]


def test_a_refusal_is_shown_beside_the_release_and_nothing_is_made(spec, alice, password):
    response = client_for(alice, password).post(_url(spec), {"release": "2026.1"})

    assert response.status_code == 400
    error = html_tree(response.content).find("p", class_="field__error")
    assert error.text == "This spec is already proposed for 2026.1; re-propose it for another release."
    assert Spec.objects.count() == 1


def test_an_empty_release_is_refused(spec, alice, password):
    response = client_for(alice, password).post(_url(spec), {"release": ""})

    assert response.status_code == 400
    error = html_tree(response.content).find("p", class_="field__error")
    assert error.text == "Name the release to re-propose the spec for, such as 2026.2."


def test_the_form_page_offers_the_next_release(spec, bob, password):
    response = client_for(bob, password).get(_url(spec))

    assert response.status_code == 200
    assert html_tree(response.content).find("input", name="release").attrs["value"] == "2026.2"


def test_an_unknown_spec_is_not_found(spec, alice, password):
    response = client_for(alice, password).post("/p/cinder/no-such-spec/repropose/", {"release": "2026.2"})

    assert response.status_code == 404
