"""specs/<spec>/lineage/ and specs/<spec>/repropose/: a blueprint's specs across releases, and a new one."""

from __future__ import annotations

import pytest

from specs_app.authoring.reproposal import repropose_spec
from specs_app.models import Spec


@pytest.fixture
def lineage(spec, alice, bob):
    """Multi-attach in 2026.1, re-proposed for 2027.1 and then for 2026.2: in release order."""
    later = repropose_spec(actor=alice, spec=spec, release="2027.1")
    return [spec, repropose_spec(actor=bob, spec=spec, release="2026.2"), later]


class TestLineage:
    def test_anyone_reads_it_oldest_release_first(self, api, url, lineage):
        response = api.get(url(lineage[2], "lineage/"))

        assert response.status_code == 200
        assert [entry["release"] for entry in response.json()] == ["2026.1", "2026.2", "2027.1"]
        first, second, _ = response.json()
        assert first == {
            "id": lineage[0].pk,
            "release": "2026.1",
            "status": "draft",
            "path": "specs/2026.1/multi-attach.rst",
            "slug": "multi-attach",
            "title": "Volume multi-attach",
            "proposed_from": None,
            "url": f"/api/v1/specs/{lineage[0].pk}/",
            "html_url": "/p/cinder/multi-attach/",
        }
        assert second["proposed_from"] == lineage[0].pk
        assert second["slug"] == "multi-attach-2026.2"

    def test_the_spec_itself_lists_it(self, api, url, lineage):
        response = api.get(url(lineage[1]))

        assert [entry["release"] for entry in response.json()["lineage"]] == ["2026.1", "2026.2", "2027.1"]

    def test_an_unknown_spec_is_not_found(self, api, db):
        assert api.get("/api/v1/specs/999999/lineage/").status_code == 404


class TestRepropose:
    def test_an_anonymous_caller_is_refused(self, api, url, spec):
        response = api.post(url(spec, "repropose/"), {"release": "2026.2"}, format="json")

        assert response.status_code == 401
        assert Spec.objects.count() == 1

    def test_another_person_re_proposes_it(self, api_as, url, spec, bob):
        response = api_as(bob).post(url(spec, "repropose/"), {"release": "2026.2"}, format="json")

        assert response.status_code == 201
        body = response.json()
        assert (body["release"], body["status"], body["owner"]) == ("2026.2", "draft", "bob")
        assert body["co_authors"] == ["alice"]
        assert body["proposed_from"] == spec.pk
        assert body["path"] == "specs/2026.2/multi-attach.rst"
        assert [entry["release"] for entry in body["lineage"]] == ["2026.1", "2026.2"]
        assert [section["title"] for section in body["sections"]] == [
            section.title for section in spec.sections.order_by("position")
        ]

    def test_the_owner_re_proposes_it(self, api_as, url, spec, alice):
        response = api_as(alice).post(url(spec, "repropose/"), {"release": "2026.2"}, format="json")

        assert response.status_code == 201
        assert Spec.objects.get(pk=response.json()["id"]).proposed_from == spec

    @pytest.mark.parametrize(
        ("release", "message"),
        [
            ("2026.1", "This spec is already proposed for 2026.1; re-propose it for another release."),
            (
                "2026.2",
                "“multi-attach” already has a spec for 2026.2: “Volume multi-attach” "
                "(draft, specs/2026.2/multi-attach.rst). Edit that one instead.",
            ),
        ],
    )
    def test_a_release_it_has_is_refused_saying_why(self, api_as, url, lineage, alice, release, message):
        response = api_as(alice).post(url(lineage[0], "repropose/"), {"release": release}, format="json")

        assert response.status_code == 400
        assert response.json()["errors"] == {"release": [message]}
        assert Spec.objects.count() == 3

    def test_a_missing_release_is_refused(self, api_as, url, spec, alice):
        response = api_as(alice).post(url(spec, "repropose/"), {}, format="json")

        assert response.status_code == 400
        assert "release" in response.json()["errors"]

    def test_an_unknown_spec_is_not_found(self, api_as, alice, db):
        response = api_as(alice).post("/api/v1/specs/999999/repropose/", {"release": "x"}, format="json")

        assert response.status_code == 404
