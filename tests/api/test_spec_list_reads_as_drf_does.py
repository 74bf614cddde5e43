"""The spec serializers' own read path gives what DRF's field-by-field path gives, and reverse()'s URLs."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix
from rest_framework import serializers as drf
from rest_framework.test import APIRequestFactory

from specs_app.api import serializers as s
from specs_app.api.specs import SpecViewSet
from specs_app.authoring import services
from specs_app.models import Attention, Spec


@pytest.fixture
def specs(co_authored_spec, project, alice, bob):
    odd_name = services.create_spec(
        actor=alice,
        project=project,
        title="Dots, plus & underscores",
        release="2026.2",
        blueprint_url="https://blueprints.launchpad.net/cinder/+spec/v2.0+odd_name",
    )
    Spec.objects.filter(pk=odd_name.pk).update(proposed_from=co_authored_spec, blueprint_url="")
    Attention.objects.create(spec=co_authored_spec, user=bob, reason="new revision 1 to review")
    Attention.objects.create(spec=co_authored_spec, user=alice, reason="-1 from bob")
    view = SpecViewSet()
    specs = list(view.get_queryset().order_by("pk"))
    specs[0].snippet = "<mark>volume</mark>"  # as a search sets it
    return specs


def _context() -> dict:
    return {"request": APIRequestFactory().get("/api/v1/specs/")}


@pytest.mark.parametrize("serializer_class", [s.SpecListSerializer, s.SpecDetailSerializer])
def test_every_field_reads_as_drf_reads_it(specs, serializer_class):
    for spec in specs:
        serializer = serializer_class(spec, context=_context())
        generic = drf.Serializer.to_representation(serializer_class(spec, context=_context()), spec)

        assert serializer.data == generic
    assert "snippet" in s.SpecListSerializer(specs[0]).data
    assert "snippet" not in s.SpecListSerializer(specs[1]).data


def test_the_fields_read_directly_hold_the_spec_values(specs):
    original, reproposal = specs
    listed = s.SpecListSerializer(specs, many=True, context=_context()).data

    assert listed[0]["co_authors"] == ["carol"]
    assert [item["user"] for item in listed[0]["attention"]] == ["bob", "alice"]
    assert listed[1]["proposed_from"] == original.pk
    assert listed[0]["proposed_from"] is None
    assert listed[1]["blueprint_url"] == ""
    assert listed[1]["template"] == reproposal.template_id
    assert listed[1]["owner"] == "alice" and listed[1]["project"] == "cinder"


def test_urls_are_reverses_even_for_names_with_dots_and_plus_signs(specs):
    for spec in specs:
        data = s.SpecListSerializer(spec, context=_context()).data

        assert data["url"] == reverse("api:spec-detail", kwargs={"pk": spec.pk})
        assert data["html_url"] == spec.get_absolute_url()
    assert specs[1].slug == "v2.0+odd_name"


def test_urls_follow_the_script_prefix(specs):
    set_script_prefix("/portal/")
    try:
        data = s.SpecListSerializer(specs[1], context=_context()).data
        expected = (reverse("api:spec-detail", kwargs={"pk": specs[1].pk}), specs[1].get_absolute_url())
    finally:
        set_script_prefix("/")

    assert (data["url"], data["html_url"]) == expected
    assert data["url"].startswith("/portal/api/v1/specs/")
