"""The small world every test starts from: alice owns a spec in cinder, bob reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CINDER_TEMPLATE = CORPUS / "cinder-specs" / "specs" / "template.rst"
MANILA_TEMPLATE = CORPUS / "manila-specs" / "specs" / "template.rst"


def corpus_path(*parts: str) -> Path:
    """A path in ../shared/corpus; the calling test skips when the corpus is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"the spec corpus is not at {CORPUS} (CI always has it beside the clone)")
    return CORPUS.joinpath(*parts)


def corpus_specs(project: str) -> list[Path]:
    """Every spec file of a corpus repository (not its template), sorted."""
    root = CORPUS / f"{project}-specs" / "specs"
    return sorted(path for path in root.glob("*/*.rst")) if root.is_dir() else []


@pytest.fixture
def password() -> str:
    return "correct horse battery staple"


@pytest.fixture
def alice(django_user_model, password):
    return django_user_model.objects.create_user("alice", "alice@example.org", password)


@pytest.fixture
def bob(django_user_model, password):
    return django_user_model.objects.create_user("bob", "bob@example.org", password)


@pytest.fixture
def staff(django_user_model, password):
    return django_user_model.objects.create_user("stella", "stella@example.org", password, is_staff=True)


@pytest.fixture
def project(db):
    from specs_app import services

    return services.create_project(name="Cinder", slug="cinder")


@pytest.fixture
def spec(project, alice):
    from specs_app import services

    return services.create_spec(
        actor=alice,
        project=project,
        title="Volume multi-attach",
        release="2026.1",
        blueprint_url="https://blueprints.launchpad.net/cinder/+spec/multi-attach",
    )


@pytest.fixture
def alice_client(client, alice, password):
    client.login(username="alice", password=password)
    return client


@pytest.fixture
def bob_client(client, bob, password):
    client.login(username="bob", password=password)
    return client
