"""/api/v1/specs/: list, filter, search, order, page; create, read, change metadata, delete."""

from __future__ import annotations

import pytest

from specs_app.authoring import services
from specs_app.models import Spec, SpecStatus

BLUEPRINT = "https://blueprints.launchpad.net/cinder/+spec/{}"


def _make_specs(project, owner, count: int, *, release: str = "2026.1") -> list[Spec]:
    return [
        services.create_spec(
            actor=owner,
            project=project,
            title=f"Spec number {n}",
            release=release,
            blueprint_url=BLUEPRINT.format(f"bp-{n}"),
        )
        for n in range(count)
    ]


# Reading


def test_it_lists_specs_to_anyone(api, spec):
    response = api.get("/api/v1/specs/")

    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["slug"] == "multi-attach"
    assert item["project"] == "cinder"
    assert item["owner"] == "alice"
    assert item["version"] == spec.version
    assert item["url"] == f"/api/v1/specs/{spec.pk}/"


@pytest.mark.parametrize("count", [5, 50])
def test_it_lists_with_constant_queries(api, project, alice, bob, django_assert_max_num_queries, count):
    for made in _make_specs(project, alice, count):
        services.set_co_authors(actor=alice, spec=made, co_authors=[bob])

    # the list's change stamp (a miss here), the page with its count (project; SQLite reads the
    # owners apart), co-authors, attention sets
    with django_assert_max_num_queries(5):
        response = api.get("/api/v1/specs/?page_size=100")

    assert response.status_code == 200
    assert len(response.json()["results"]) == count
    assert response.json()["results"][0]["co_authors"] == ["bob"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("project=cinder", {"bp-0", "bp-1", "multi-attach"}),
        ("project=manila", set()),
        ("status=in_review", {"bp-1"}),
        ("release=2025.2", {"multi-attach"}),
        ("owner=bob", {"bp-0"}),
        ("search=Multi", {"multi-attach"}),
        ("search=bp-1", {"bp-1"}),
    ],
)
def test_it_filters_specs(api, project, alice, bob, query, expected):
    services.create_spec(
        actor=alice,
        project=project,
        title="Volume multi-attach",
        release="2025.2",
        blueprint_url=BLUEPRINT.format("multi-attach"),
    )
    services.create_spec(
        actor=bob, project=project, title="First", release="2026.1", blueprint_url=BLUEPRINT.format("bp-0")
    )
    second = services.create_spec(
        actor=alice, project=project, title="Second", release="2026.1", blueprint_url=BLUEPRINT.format("bp-1")
    )
    Spec.objects.filter(pk=second.pk).update(status=SpecStatus.IN_REVIEW)

    response = api.get(f"/api/v1/specs/?{query}")

    assert response.status_code == 200
    assert {item["slug"] for item in response.json()["results"]} == expected


def test_it_refuses_an_unknown_status_filter(api, spec):
    response = api.get("/api/v1/specs/?status=lost")

    assert response.status_code == 400
    assert "status" in response.json()["errors"]


def test_it_orders_specs(api, project, alice):
    _make_specs(project, alice, 3)

    by_title = api.get("/api/v1/specs/?ordering=-title").json()["results"]
    ignored = api.get("/api/v1/specs/?ordering=owner__password")

    assert [item["title"] for item in by_title] == ["Spec number 2", "Spec number 1", "Spec number 0"]
    assert ignored.status_code == 200


def test_it_pages_with_a_capped_page_size(api, project, alice):
    _make_specs(project, alice, 3)

    first = api.get("/api/v1/specs/?page_size=2").json()
    second = api.get("/api/v1/specs/?page_size=2&page=2").json()
    huge = api.get("/api/v1/specs/?page_size=100000000000000000000000")
    beyond = api.get("/api/v1/specs/?page=999999999999999999999999")

    assert first["count"] == 3 and len(first["results"]) == 2 and first["next"]
    assert len(second["results"]) == 1 and second["next"] is None
    assert huge.status_code == 200 and len(huge.json()["results"]) == 3
    assert beyond.status_code == 404
    assert set(beyond.json()) == {"message", "errors"}


def test_it_reads_a_spec_by_id_and_by_name(api, spec):
    by_id = api.get(f"/api/v1/specs/{spec.pk}/")
    by_name = api.get("/api/v1/specs/cinder/multi-attach/")

    assert by_id.status_code == by_name.status_code == 200
    assert by_id.json() == by_name.json()
    assert [section["title"] for section in by_id.json()["sections"]][:2] == [
        "Problem description",
        "Use Cases",
    ]


def test_it_reads_specs_named_with_dots(api, project, alice):
    services.create_spec(
        actor=alice,
        project=project,
        title="Oslo",
        release="2026.1",
        blueprint_url=BLUEPRINT.format("vmdk-oslo.vmware"),
    )

    assert api.get("/api/v1/specs/cinder/vmdk-oslo.vmware/").status_code == 200


@pytest.mark.parametrize(
    "url", ["/api/v1/specs/999999/", "/api/v1/specs/cinder/nothing/", "/api/v1/specs/x/y/z/"]
)
def test_it_answers_404_for_unknown_specs(api, spec, url):
    response = api.get(url)

    assert response.status_code == 404
    assert set(response.json()) == {"message", "errors"}


def test_it_answers_404_for_ids_too_large_for_the_database(api, spec):
    assert api.get("/api/v1/specs/99999999999999999999999/").status_code == 404


# Creating


def test_it_requires_auth_for_writes(api, spec, project):
    created = api.post(
        "/api/v1/specs/", {"project": "cinder", "title": "T", "release": "2026.1"}, format="json"
    )
    changed = api.patch(f"/api/v1/specs/{spec.pk}/", {"title": "T", "version": 1}, format="json")
    deleted = api.delete(f"/api/v1/specs/{spec.pk}/")

    assert created.status_code == changed.status_code == deleted.status_code == 401
    assert created["WWW-Authenticate"] == "Token"
    assert Spec.objects.filter(pk=spec.pk, title="Volume multi-attach").exists()


def test_it_creates_a_spec_through_the_service(api_as, alice, project):
    response = api_as(alice).post(
        "/api/v1/specs/",
        {
            "project": "cinder",
            "title": "Backup to S3",
            "release": "2026.1",
            "blueprint_url": BLUEPRINT.format("s3-backup"),
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    spec = Spec.objects.get(slug="s3-backup")
    assert spec.owner == alice
    assert response.json()["id"] == spec.pk
    assert len(response.json()["sections"]) == spec.sections.count() > 0


def test_it_refuses_a_duplicate_blueprint_by_field(api_as, alice, spec):
    response = api_as(alice).post(
        "/api/v1/specs/",
        {
            "project": "cinder",
            "title": "Again",
            "release": "2026.1",
            "blueprint_url": BLUEPRINT.format("multi-attach"),
        },
        format="json",
    )

    assert response.status_code == 400
    assert "blueprint_url" in response.json()["errors"]
    assert response.json()["message"].startswith("blueprint_url: ")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"project": "nowhere", "title": "T", "release": "r", "blueprint_url": BLUEPRINT.format("a")},
            "project",
        ),
        (
            {"project": "cinder", "title": ["T"], "release": "r", "blueprint_url": BLUEPRINT.format("a")},
            "title",
        ),
        ({"project": "cinder", "title": "T", "release": 5.5, "blueprint_url": "not a url"}, "blueprint_url"),
        (
            {"project": "cinder", "title": "T", "release": "r", "blueprint_url": "https://example.org/x"},
            "blueprint_url",
        ),
        (
            {"project": "cinder", "title": "T\x00", "release": "r", "blueprint_url": BLUEPRINT.format("a")},
            "title",
        ),
        (
            {"project": "cinder", "title": "x" * 500, "release": "r", "blueprint_url": BLUEPRINT.format("a")},
            "title",
        ),
        (
            {
                "project": "cinder",
                "title": "T",
                "release": "bad release",
                "blueprint_url": BLUEPRINT.format("a"),
            },
            "release",
        ),
    ],
)
def test_it_refuses_invalid_specs_by_field(api_as, alice, project, body, field):
    response = api_as(alice).post("/api/v1/specs/", body, format="json")

    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert not Spec.objects.exists()


# Changing metadata


def test_it_changes_metadata_with_the_version(api_as, alice, bob, spec):
    response = api_as(alice).patch(
        f"/api/v1/specs/{spec.pk}/",
        {"title": "Multi-attach, again", "version": spec.version, "co_authors": ["bob"]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    spec.refresh_from_db()
    assert spec.title == "Multi-attach, again"
    assert list(spec.co_authors.all()) == [bob]
    assert response.json()["version"] == spec.version == 2


def test_it_requires_the_version_for_a_metadata_change(api_as, alice, spec):
    response = api_as(alice).patch(f"/api/v1/specs/{spec.pk}/", {"title": "New"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"version": ["This field is required."]}


def test_it_requires_title_and_release_for_put(api_as, alice, spec):
    response = api_as(alice).put(f"/api/v1/specs/{spec.pk}/", {"version": spec.version}, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"title", "release"}


def test_it_refuses_a_stale_metadata_change_with_409(api_as, alice, spec):
    services.update_spec(
        actor=alice, spec=spec, base_version=1, title="Changed first", release="2026.1", intro="", sections={}
    )

    response = api_as(alice).patch(
        f"/api/v1/specs/{spec.pk}/", {"title": "Mine", "version": 1}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["current"] == {"title": "Changed first"}
    assert response.json()["current_version"] == 2
    assert Spec.objects.get(pk=spec.pk).title == "Changed first"


def test_it_forbids_non_authors_to_change_metadata(api_as, bob, spec):
    response = api_as(bob).patch(f"/api/v1/specs/{spec.pk}/", {"title": "Mine", "version": 1}, format="json")

    assert response.status_code == 403
    assert response.json()["message"] == "Only the spec's owner, its co-authors and staff can edit it."


def test_it_refuses_unknown_co_authors(api_as, alice, spec):
    response = api_as(alice).patch(
        f"/api/v1/specs/{spec.pk}/", {"co_authors": ["nobody"], "version": 1}, format="json"
    )

    assert response.status_code == 400
    assert "co_authors" in response.json()["errors"]


# Deleting


def test_it_lets_the_owner_delete(api_as, alice, spec):
    response = api_as(alice).delete("/api/v1/specs/cinder/multi-attach/")

    assert response.status_code == 204
    assert not Spec.objects.exists()


def test_it_lets_staff_delete(api_as, staff, spec):
    assert api_as(staff).delete(f"/api/v1/specs/{spec.pk}/").status_code == 204


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_it_forbids_others_and_co_authors_to_delete(api_as, co_authored_spec, bob, carol, who):
    response = api_as({"bob": bob, "carol": carol}[who]).delete(f"/api/v1/specs/{co_authored_spec.pk}/")

    assert response.status_code == 403
    assert Spec.objects.filter(pk=co_authored_spec.pk).exists()


@pytest.mark.parametrize("page_size", ["abc", "0", "-1", "null", "1.5", "٣"])
def test_it_refuses_a_page_size_that_is_not_a_positive_number(api, spec, page_size):
    response = api.get("/api/v1/specs/", {"page_size": page_size})

    assert response.status_code == 400
    assert "page_size" in response.json()["errors"]


@pytest.mark.parametrize("co_authors", [{}, "bob", {"bob": 1}, None])
def test_it_refuses_co_authors_that_are_not_a_list(api_as, alice, bob, spec, co_authors):
    response = api_as(alice).patch(
        f"/api/v1/specs/{spec.pk}/", {"co_authors": co_authors, "version": 1}, format="json"
    )

    assert response.status_code == 400
    assert "co_authors" in response.json()["errors"]


def test_it_treats_an_empty_page_number_as_invalid(api, spec):
    assert api.get("/api/v1/specs/?page=").status_code == 404


def test_it_refuses_an_empty_status_filter(client, spec):
    response = client.get("/api/v1/specs/?status=")
    assert response.status_code == 400
    assert "status" in response.json()["errors"]
