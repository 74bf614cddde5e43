"""A new spec's title must fit the gate's line length, counted in columns, or it is refused up front."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from specs_app.authoring import services
from specs_app.models import Spec
from specs_app.preview import preview

URL = reverse("specs:spec-create", kwargs={"project_slug": "cinder"})


def _create(project, alice, title: str) -> Spec:
    return services.create_spec(
        actor=alice,
        project=project,
        title=title,
        release="2026.1",
        blueprint_url="https://blueprints.launchpad.net/cinder/+spec/long-title",
    )


def test_a_title_over_79_columns_is_refused(project, alice):
    with pytest.raises(ValidationError) as raised:
        _create(project, alice, "x" * 80)
    assert raised.value.message_dict == {
        "title": ["The title is 80 columns wide; the project's gate allows 79 per line. Shorten it."]
    }
    assert not Spec.objects.exists()


def test_wide_characters_count_two_columns(project, alice):
    with pytest.raises(ValidationError, match="80 columns wide"):
        _create(project, alice, "卷" * 40)


def test_a_title_of_79_columns_is_taken_and_its_lines_fit(project, alice):
    spec = _create(project, alice, "x" * 79)
    assert spec.title_heading.splitlines()[0] == "=" * 79
    findings = preview.spec_gate(spec)["findings"]
    assert [finding for finding in findings if finding["rule"] == "line.too-long"] == []


def test_the_limit_is_the_projects(project, alice):
    project.max_line_length = 100
    project.save()
    assert _create(project, alice, "x" * 90).title == "x" * 90


def test_the_form_shows_the_refusal_under_the_title(alice_client, project):
    response = alice_client.post(
        URL,
        {
            "title": "A" * 85,
            "blueprint_url": "https://blueprints.launchpad.net/cinder/+spec/long-title",
            "release": "2026.1",
        },
    )
    assert response.status_code == 200
    assert "The title is 85 columns wide; the project&#x27;s gate allows 79 per line." in (
        response.content.decode()
    )
    assert not Spec.objects.exists()
