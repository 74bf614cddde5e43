"""Signing in to the API: by session (with CSRF), or by SpecPortal's named tokens and no other kind."""

from __future__ import annotations

import io
import secrets

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
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


def test_it_refuses_a_key_in_drf_authtokens_form(api, spec, alice):
    # What ``drf_create_token`` used to print: 40 hex digits. That kind of key is gone.
    key = secrets.token_hex(20)

    response = _section_put(api, spec, HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 401
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
    with pytest.raises(CommandError, match="Unknown command"):
        call_command("drf_create_token", "alice")


def test_create_api_token_prints_a_named_key_that_works(api, spec, alice):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "alice", "--name", "ci", stdout=out, stderr=err)
    key = out.getvalue().strip()

    response = _section_put(api, spec, HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200
    assert key.startswith("sp_")
    token = ApiToken.objects.get(user=alice)
    assert token.name == "ci"
    assert token.key_hash == services_tokens.hash_key(key)
    assert key not in err.getvalue()


def test_create_api_token_refuses_an_unknown_user(alice):
    out = io.StringIO()

    with pytest.raises(CommandError, match="No user “nobody”"):
        call_command("create_api_token", "nobody", "--name", "ci", stdout=out)

    assert out.getvalue() == ""
    assert not ApiToken.objects.exists()


def test_create_api_token_refuses_a_blank_name(alice):
    with pytest.raises(CommandError, match="--name: This field cannot be blank"):
        call_command("create_api_token", "alice", "--name", " ", stdout=io.StringIO())

    assert not ApiToken.objects.exists()


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
