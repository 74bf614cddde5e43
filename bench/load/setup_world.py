"""Create (or reuse) the load test's world and print it as JSON.

One project, and per client: a user with a fresh API token and a spec of their own
whose "Proposed change" section only that client writes (so every acknowledged write
can be checked afterwards). Run with the app's Python from the repository root:

    .venv/bin/python bench/load/setup_world.py CLIENTS
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "specportal.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from specs_app.authoring import services  # noqa: E402
from specs_app.models import ApiToken, Project, Spec  # noqa: E402
from specs_app.tokens import services as services_tokens  # noqa: E402

PROJECT = "loadtest"


def main(clients: int) -> dict:
    project = Project.objects.filter(slug=PROJECT).first() or services.create_project(
        name="Load test", slug=PROJECT
    )
    world = {"project": PROJECT, "clients": []}
    for index in range(clients):
        user, _ = get_user_model().objects.get_or_create(username=f"load-{index}")
        ApiToken.objects.filter(user=user).delete()
        _, key = services_tokens.create_api_token(actor=user, name="load test")
        slug = f"load-{index}"
        spec = Spec.objects.filter(project=project, slug=slug).first() or services.create_spec(
            actor=user, project=project, title=f"Load test spec {index}", release="2026.1", slug=slug
        )
        section = spec.sections.get(title="Proposed change")
        world["clients"].append(
            {"token": key, "spec_id": spec.pk, "spec_slug": slug, "section_id": section.pk}
        )
    return world


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
