"""Routes for importing and exporting specs; included into the "specs" namespace.

The spec name pattern is the model's (dots, plus signs and underscores
included, as in "vmdk-oslo.vmware"), so every real spec name resolves.
"""

from django.urls import path, re_path

from specs_app.models import NAME_PATTERN
from specs_app.transfer import repository_views
from specs_app.transfer import views as transfer_views

_SPEC = rf"^p/(?P<project_slug>[-a-zA-Z0-9_]+)/(?P<spec_slug>{NAME_PATTERN})"

urlpatterns = [
    path("p/<slug:project_slug>/import/", transfer_views.spec_import, name="spec-import"),
    # Under import/, whose name no spec may take, so no spec's page is hidden by it.
    path(
        "p/<slug:project_slug>/import/repository/",
        repository_views.repository_import,
        name="repository-import",
    ),
    re_path(rf"{_SPEC}/export\.rst$", transfer_views.spec_export_rst, name="spec-export-rst"),
    re_path(rf"{_SPEC}/export\.patch$", transfer_views.spec_export_patch, name="spec-export-patch"),
]
