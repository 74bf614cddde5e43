from django.urls import path

from . import views

app_name = "specs"

urlpatterns = [
    path("", views.project_list, name="project-list"),
]
