from django.shortcuts import render

from . import selectors


def project_list(request):
    return render(request, "specs_app/project_list.html", {"projects": selectors.project_list()})
