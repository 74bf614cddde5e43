import os

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/v1/", include("specs_app.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("specs_app.urls")),
]

if os.environ.get("SPECPORTAL_BENCH") == "1":
    # The benchmarks' bare views (bench/bench_api_list.py); absent unless asked for.
    from .bench_views import bare, bare_page

    urlpatterns[:0] = [path("bench/bare/", bare), path("bench/bare-page/", bare_page)]
