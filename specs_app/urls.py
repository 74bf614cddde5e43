"""The browser pages, in the "specs" namespace."""

from django.urls import path, register_converter

from . import views
from .models import NAME_PATTERN

try:  # importing and exporting specs: its own module, which may not be there yet
    from .transfer_urls import urlpatterns as transfer_patterns
except ImportError:  # pragma: no cover
    transfer_patterns = []


class SpecNameConverter:
    """A spec's name as the model allows it: dots, plus signs and underscores included."""

    regex = NAME_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SpecNameConverter, "specname")

app_name = "specs"

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("p/<slug:project_slug>/", views.spec_list, name="spec-list"),
    path("p/<slug:project_slug>/new/", views.spec_create, name="spec-create"),
    # Before the spec pages, so "import" and "export.rst" are never taken for spec names.
    *transfer_patterns,
    path("p/<slug:project_slug>/<specname:spec_slug>/", views.spec_detail, name="spec-detail"),
    path("p/<slug:project_slug>/<specname:spec_slug>/edit/", views.spec_edit, name="spec-edit"),
]

from . import review_urls  # noqa: E402  (after the specname converter is registered)

urlpatterns += review_urls.urlpatterns

# API tokens, on the signed-in person's settings.
from . import token_views  # noqa: E402

urlpatterns += [
    path("settings/tokens/", token_views.api_tokens, name="api-tokens"),
    path("settings/tokens/<int:token_id>/revoke/", token_views.api_token_revoke, name="api-token-revoke"),
]
