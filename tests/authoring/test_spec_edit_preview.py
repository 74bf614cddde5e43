"""The editor's live preview (<spec>/edit/preview/): the posted fields, assembled as saving would."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.throttling import ScopedRateThrottle

from specs_app.authoring import services
from specs_app.authoring.forms import SpecEditForm
from specs_app.limits import MAX_REQUEST_BYTES
from specs_app.models import Spec
from specs_app.rst.safety import MAX_SPEC_CHARACTERS

# Line 4 of the field: a bullet list that ends without the blank line RST needs.
BROKEN = "Report the ratio from every driver.\n\n* in ``cinder get-pools``\nand in the API.\n"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # throttle counts start from zero


def _url(spec: Spec, project_slug: str | None = None, spec_slug: str | None = None) -> str:
    return reverse(
        "specs:spec-edit-preview",
        kwargs={"project_slug": project_slug or spec.project.slug, "spec_slug": spec_slug or spec.slug},
    )


def _fields(spec: Spec, **changes: str) -> dict[str, str]:
    """The editor form's fields as the page serves them (what the script posts), with ``changes``."""
    form = SpecEditForm(spec=spec)
    data = {name: "" if form[name].value() is None else str(form[name].value()) for name in form.fields}
    data.update(changes)
    return data


def _name(spec: Spec, title: str) -> str:
    return f"section-{spec.sections.get(title=title).pk}"


# What it answers


def test_it_renders_the_posted_fields(alice_client, spec):
    data = _fields(spec, **{_name(spec, "Use Cases"): "Attach *one* volume twice."})

    response = alice_client.post(_url(spec), data)

    assert response.status_code == 200
    payload = response.json()
    assert "<em>one</em>" in payload["html"]
    assert payload["complete"] is True
    assert isinstance(payload["gate"]["passed"], bool)
    assert [field["name"] for field in payload["fields"]][:2] == ["title", "intro"]
    assert Spec.objects.get(pk=spec.pk).version == spec.version  # nothing saved


def test_it_puts_each_diagnostic_at_its_fields_own_line(alice_client, spec):
    name = _name(spec, "Proposed change")
    # Two blank lines above the text: the assembly drops them, the author still sees them.
    data = _fields(spec, **{name: "\n\n" + BROKEN})

    payload = alice_client.post(_url(spec), data).json()

    field = next(field for field in payload["fields"] if field["name"] == name)
    (diagnostic,) = [d for d in payload["diagnostics"] if "Bullet list ends" in d["message"]]
    assert diagnostic["line"] - field["start"] + 1 + field["leading"] == 6
    assert field["heading"] < field["start"]


def test_its_field_lines_point_at_each_fields_text(alice, spec):
    data = _fields(
        spec,
        title="Volume multi-attach, revisited",
        intro="\n\nWhy we do this.\nAnd how.",
        **{_name(spec, "Use Cases"): "First use.\n\nSecond use.", _name(spec, "Testing"): "\nTempest."},
    )
    form = SpecEditForm(data, spec=spec)
    assert form.is_valid(), form.errors
    document = form.assembled_document()
    lines = form.assembled_text().split("\n")

    fields = {field["name"]: field for field in form.field_lines(document)}

    assert lines[fields["title"]["start"] - 1 : fields["title"]["start"] + 2] == [
        "=" * 30,
        "Volume multi-attach, revisited",
        "=" * 30,
    ]
    assert lines[fields["intro"]["start"] - 1] == "Why we do this."
    assert fields["intro"]["leading"] == 2
    for title, first_line in (("Use Cases", "First use."), ("Testing", "Tempest.")):
        field = fields[_name(spec, title)]
        assert lines[field["heading"] - 1] == title
        assert lines[field["start"] - 1] == first_line


def test_the_preview_assembles_exactly_what_saving_stores(alice, spec):
    services.update_section(
        actor=alice, section=spec.sections.get(title="Alternatives"), base_version=1, text="Do nothing."
    )
    spec = Spec.objects.get(pk=spec.pk)
    last = spec.sections.order_by("position").last()
    data = _fields(
        spec,
        title="  Volume multi-attach, revisited  ",
        intro="\r\n\r\nWhy we do this.  \r\nBecause.\t\r\n",
        **{
            _name(spec, "Use Cases"): "\n\nOne.\t\n\nTwo.  \n\n\n",
            _name(spec, "Alternatives"): "",
            f"section-{last.pk}": "Last words.",
        },
    )
    form = SpecEditForm(data, spec=spec)
    assert form.is_valid(), form.errors
    previewed = form.assembled_text()

    services.update_spec(actor=alice, spec=spec, **form.update_arguments())

    assert Spec.objects.get(pk=spec.pk).text() == previewed


# Who may preview, and what is refused


def test_it_refuses_anonymous_visitors(client, spec):
    response = client.post(_url(spec), _fields(spec))

    assert response.status_code == 403
    assert "credentials were not provided" in response.json()["message"]


def test_it_refuses_someone_who_may_not_edit_the_spec(bob_client, spec):
    response = bob_client.post(_url(spec), _fields(spec))

    assert response.status_code == 403
    assert "owner" in response.json()["message"]


def test_it_answers_404_for_an_unknown_spec(alice_client, spec):
    response = alice_client.post(_url(spec, spec_slug="no-such-spec"), _fields(spec))

    assert response.status_code == 404
    assert response.json()["message"] == "No such spec."


def test_it_only_takes_posts(alice_client, spec):
    assert alice_client.get(_url(spec)).status_code == 405


def _browser(password: str) -> Client:
    """Alice in a browser that checks CSRF, with the CSRF cookie the editor page sets."""
    browser = Client(enforce_csrf_checks=True)
    browser.login(username="alice", password=password)
    browser.get("/accounts/login/")
    return browser


def test_it_requires_the_csrf_token(alice, password, spec):
    browser = _browser(password)
    token = browser.cookies["csrftoken"].value

    response = browser.post(_url(spec), _fields(spec))
    accepted = browser.post(_url(spec), _fields(spec), HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
    assert accepted.status_code == 200


def test_it_refuses_a_body_over_the_limit_with_413_before_reading_it(alice, password, spec):
    # As in a browser: the CSRF check would read the body (and fail with 400); the size is checked first.
    browser = _browser(password)
    data = _fields(spec, **{_name(spec, "Use Cases"): "x" * (MAX_REQUEST_BYTES + 1)})

    response = browser.post(_url(spec), data, HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value)

    assert response.status_code == 413
    assert f"the limit is {MAX_REQUEST_BYTES:,}" in response.json()["message"]


def test_it_refuses_a_spec_over_the_limit_with_413(alice_client, spec):
    # Each field is within the limit; the assembled spec is not.
    data = _fields(
        spec,
        **{
            _name(spec, "Use Cases"): "x" * (MAX_SPEC_CHARACTERS // 2),
            _name(spec, "Alternatives"): "y" * (MAX_SPEC_CHARACTERS // 2),
        },
    )

    response = alice_client.post(_url(spec), data)

    assert response.status_code == 413
    assert f"the limit is {MAX_SPEC_CHARACTERS:,} characters" in response.json()["message"]


def test_it_answers_400_with_the_forms_errors(alice_client, spec):
    response = alice_client.post(_url(spec), _fields(spec, title=""))

    assert response.status_code == 400
    assert response.json()["message"] == "title: A spec needs a title."
    assert "title" in response.json()["errors"]


def test_it_counts_against_the_render_endpoints_budget(alice_client, spec, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "render", "2/min")
    for _ in range(2):
        rendered = alice_client.post(
            "/api/v1/render/",
            {"text": "Title\n=====\n", "project": "cinder"},
            content_type="application/json",
        )
        assert rendered.status_code == 200

    refused = alice_client.post(_url(spec), _fields(spec))

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
