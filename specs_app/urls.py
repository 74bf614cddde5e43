"""The browser pages, in the "specs" namespace: each area's routes in one list."""

from specs_app.accounts import urls as accounts
from specs_app.authoring import urls as authoring
from specs_app.gitrepo import urls as gitrepo
from specs_app.review import urls as review
from specs_app.tokens import urls as tokens
from specs_app.transfer import urls as transfer

app_name = "specs"

urlpatterns = [
    # First, so "import", "repository", "section-owners" and "export.rst" are never taken for spec names.
    *transfer.urlpatterns,
    *gitrepo.urlpatterns,
    *review.project_urlpatterns,
    *authoring.urlpatterns,
    *review.urlpatterns,
    *tokens.urlpatterns,
    *accounts.urlpatterns,
]
