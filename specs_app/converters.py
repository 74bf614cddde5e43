"""Path converters the page routes share, registered when this module is imported."""

from django.urls import register_converter

from specs_app.models import NAME_PATTERN


class SpecNameConverter:
    """A spec's name as the model allows it: dots, plus signs and underscores included."""

    regex = NAME_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SpecNameConverter, "specname")

# Every spec page's path: ``{SPEC}/edit/``, ``{SPEC}/review/...``.
SPEC = "p/<slug:project_slug>/<specname:spec_slug>"
