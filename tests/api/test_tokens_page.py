"""/settings/tokens/: a signed-in person creates and revokes their own API tokens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from specs_app.models import ApiToken
from specs_app.tokens import services as services_tokens
from tests.helpers import client_for, html_tree

URL = "/settings/tokens/"


def test_it_is_named_api_tokens():
    assert reverse("specs:api-tokens") == URL


def test_it_requires_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


def test_it_is_linked_from_the_header(alice_client, project):
    page = html_tree(alice_client.get("/").content)

    assert page.find("div", class_="account").find("a", href=URL) is not None


def test_it_creates_a_token_and_shows_its_key_once(alice_client, alice, api):
    response = alice_client.post(URL, {"name": "laptop"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    key = html_tree(response.content).find("code", id="new-token-key").text
    token = ApiToken.objects.get(user=alice)
    assert token.name == "laptop"
    assert token.key_hash == services_tokens.hash_key(key)
    assert api.get("/api/v1/specs/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    again = alice_client.get(URL)
    assert key not in again.content.decode()
    assert "laptop" in again.content.decode()


def test_it_requires_a_name(alice_client, alice):
    response = alice_client.post(URL, {"name": ""})

    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_it_lists_only_your_own_tokens(alice_client, alice, bob):
    services_tokens.create_api_token(actor=alice, name="alice-laptop")
    services_tokens.create_api_token(actor=bob, name="bob-ci")

    page = alice_client.get(URL).content.decode()

    assert "alice-laptop" in page and "bob-ci" not in page


def test_it_revokes_a_token(alice_client, alice):
    token, _ = services_tokens.create_api_token(actor=alice, name="laptop")

    response = alice_client.post(reverse("specs:api-token-revoke", kwargs={"token_id": token.pk}))

    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_it_forbids_revoking_someone_elses_token(alice, bob, password):
    token, _ = services_tokens.create_api_token(actor=alice, name="laptop")

    response = client_for(bob, password).post(
        reverse("specs:api-token-revoke", kwargs={"token_id": token.pk})
    )

    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


@pytest.mark.parametrize("method", ["get", "put"])
def test_it_revokes_only_on_post(alice_client, alice, method):
    token, _ = services_tokens.create_api_token(actor=alice, name="laptop")

    response = getattr(alice_client, method)(reverse("specs:api-token-revoke", kwargs={"token_id": token.pk}))

    assert response.status_code == 405
    assert ApiToken.objects.exists()
