"""The demo project's security group owns "Security impact", so the demo shows the sign-off panel."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from specs_app.models import SectionOwner


def test_seed_demo_gives_security_impact_an_owner_once(db):
    for _ in range(2):
        call_command("seed_demo", stdout=StringIO())

    owner = SectionOwner.objects.select_related("project", "group").get()
    assert (owner.project.slug, owner.section_title, owner.group.name) == (
        "cinder",
        "Security impact",
        "security",
    )
    assert list(owner.group.user_set.values_list("username", flat=True)) == ["demo"]
