"""What the template list can be filtered by: ``?project=``.

The spec list's filters are the page's too: ``specs_app.authoring.filters``.
"""

from __future__ import annotations

import django_filters

from specs_app.models import SpecTemplate


class TemplateFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", help_text="A project's slug.")

    class Meta:
        model = SpecTemplate
        fields = ["project"]
