"""The review area's forms: a project's section owners."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import Group

from specs_app.models import SectionOwner


class SectionOwnerForm(forms.Form):
    section_title = forms.CharField(
        label="Section",
        max_length=SectionOwner._meta.get_field("section_title").max_length,
        error_messages={"required": "Name the section, as its heading reads."},
        help_text="One of the template's headings, or any other; matched whatever its case.",
        widget=forms.TextInput(attrs={"list": "template-titles", "autocomplete": "off"}),
    )
    group = forms.ModelChoiceField(
        label="Signed off by",
        queryset=Group.objects.order_by("name"),
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of the groups listed."},
        help_text="A +1 or +2 from one member (not an author) signs the section off.",
    )
