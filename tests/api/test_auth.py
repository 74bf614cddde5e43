"""Signing in to the API: by session (with CSRF), by authtoken's token, by SpecPortal's named tokens."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from specs_app.models import ApiToken
from specs_app.tokens import services as services_tokens


def _section_put(client, spec, **extra):
    section = spec.sections.get(title="Use Cases")
    return client.put(
        f"/api/v1/specs/{spec.pk}/sections/{section.pk}/",
        {"text": "Edited.", "version": 1},
        format="json",
        **extra,
    )


def test_it_accepts_a_session_with_csrf(spec, alice, password):
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="alice", password=password)
    client.get("/accounts/login/")  # a page with a form sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value

    refused = _section_put(client, spec)
    accepted = _section_put(client, spec, HTTP_X_CSRFTOKEN=csrf)

    assert refused.status_code == 403
    assert "CSRF" in refused.json()["message"]
    assert accepted.status_code == 200


def test_it_accepts_a_token_from_drf_create_token(api, spec, alice):
    call_command("drf_create_token", "alice", stdout=io.StringIO())
    key = Token.objects.get(user=alice).key

    response = _section_put(api, spec, HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200


def test_it_accepts_a_named_token_and_records_its_use(api, spec, alice):
    token, key = services_tokens.create_api_token(actor=alice, name="laptop")

    response = _section_put(api, spec, HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_stores_only_a_hash_of_the_key(alice):
    token, key = services_tokens.create_api_token(actor=alice, name="laptop")

    assert key.startswith("sp_") and len(key) > 40
    assert key not in {token.key_hash, token.hint}
    assert token.key_hash == services_tokens.hash_key(key)


def test_it_refuses_a_revoked_token(api, spec, alice):
    token, key = services_tokens.create_api_token(actor=alice, name="laptop")
    services_tokens.revoke_api_token(actor=alice, token=token)

    response = _section_put(api, spec, HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 401
    assert not ApiToken.objects.exists()


def test_it_refuses_the_token_of_an_inactive_user(api, spec, alice):
    _, key = services_tokens.create_api_token(actor=alice, name="laptop")
    alice.is_active = False
    alice.save()

    assert _section_put(api, spec, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_it_forbids_revoking_someone_elses_token(alice, bob):
    from django.core.exceptions import PermissionDenied

    token, _ = services_tokens.create_api_token(actor=alice, name="laptop")

    with pytest.raises(PermissionDenied):
        services_tokens.revoke_api_token(actor=bob, token=token)


def test_it_requires_a_token_name(alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services_tokens.create_api_token(actor=alice, name="  ")

    assert "name" in error.value.message_dict


def test_it_lets_anyone_read(api, spec):
    assert api.get(f"/api/v1/specs/{spec.pk}/").status_code == 200
