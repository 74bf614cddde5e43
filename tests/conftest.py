"""The small world every test starts from: alice owns a spec in cinder, bob reads it."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(request):
    """PBKDF2's deliberate slowness costs half a second a user; tests need none of it.

    The RST engine's tests also run without Django (``-p no:django``).
    """
    if request.config.pluginmanager.hasplugin("django"):
        request.getfixturevalue("settings").PASSWORD_HASHERS = [
            "django.contrib.auth.hashers.MD5PasswordHasher"
        ]


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
    from specs_app.authoring import services

    return services.create_project(name="Cinder", slug="cinder")


@pytest.fixture
def spec(project, alice):
    from specs_app.authoring import services

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


# Browser pages: more people, and a small HTML reader to check where things are.


@pytest.fixture
def carol(django_user_model, password):
    return django_user_model.objects.create_user("carol", "carol@example.org", password)


@pytest.fixture
def co_authored_spec(spec, alice, carol):
    """Alice's spec with carol as its co-author."""
    from specs_app.authoring import services

    return services.set_co_authors(actor=alice, spec=spec, co_authors=[carol])


# The REST API: clients signed in by API token; throttle counts start afresh each test.


@pytest.fixture
def api(db):
    """An anonymous API client (and an empty cache, so throttles start from zero)."""
    from django.core.cache import cache
    from rest_framework.test import APIClient

    cache.clear()
    return APIClient()


@pytest.fixture
def api_as(api):
    """``api_as(user)``: a separate API client sending a new token of ``user``'s."""
    from rest_framework.test import APIClient

    from specs_app.tokens import services as services_tokens

    def make(user):
        _, key = services_tokens.create_api_token(actor=user, name="tests")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@pytest.fixture
def core(django_user_model, password, project):
    """Dave, a core reviewer of the project."""
    dave = django_user_model.objects.create_user("dave", "dave@example.org", password)
    project.core_reviewers.add(dave)
    return dave


@pytest.fixture
def second_core(django_user_model, password, project):
    """Erin, a second core reviewer: by default approval takes a +2 from two core reviewers."""
    erin = django_user_model.objects.create_user("erin", "erin@example.org", password)
    project.core_reviewers.add(erin)
    return erin


@pytest.fixture
def in_review(spec, alice):
    """Alice's spec with a problem and a proposal, submitted as revision 1."""
    from tests.review_world import PROBLEM, PROPOSAL, refresh, submit, write

    spec = write(spec, alice, problem_description=PROBLEM, proposed_change=PROPOSAL)
    submit(spec, alice, "First draft")
    return refresh(spec)


# Section sign-off: the security group (sam in it) owns the cinder template's "Security impact".


@pytest.fixture
def sam(django_user_model, password):
    """Sam, of the security group: neither an author nor a core reviewer."""
    return django_user_model.objects.create_user("sam", "sam@example.org", password)


@pytest.fixture
def security(project, sam):
    """The security group, sam its member, owning "Security impact" in the project."""
    from django.contrib.auth.models import Group

    from specs_app.models import SectionOwner

    group = Group.objects.create(name="security")
    group.user_set.add(sam)
    SectionOwner.objects.create(project=project, section_title="Security impact", group=group)
    return group
