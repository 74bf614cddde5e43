"""The API tests' shared fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["id", "name"])
def url(request):
    """``url(spec, "submit/")``: a spec's API address, once by id and once by project and name.

    Every test that asks for it runs for both forms, which reach the same views.
    """

    def make(spec, suffix: str = "") -> str:
        if request.param == "id":
            return f"/api/v1/specs/{spec.pk}/{suffix}"
        return f"/api/v1/specs/{spec.project.slug}/{spec.slug}/{suffix}"

    return make
