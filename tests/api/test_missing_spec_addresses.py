"""A sub-resource of a spec that does not exist is a 404, whatever the method."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("suffix", ["publish/", "submit/", "repropose/", "upstream/resolve/"])
def test_a_missing_specs_sub_resource_is_a_404_not_a_405(api_as, alice, suffix):
    response = api_as(alice).post(f"/api/v1/specs/null/{suffix}")
    assert response.status_code == 404
    assert response.json()["message"]


def test_an_existing_spec_still_refuses_a_post_to_itself(api_as, alice, spec):
    assert api_as(alice).post("/api/v1/specs/cinder/multi-attach/").status_code == 405
