"""The form that connects a project to its git repository."""

from __future__ import annotations

from django import forms

from specs_app.models import RepositoryConnection


class ConnectRepositoryForm(forms.Form):
    url = forms.CharField(
        label="Repository URL",
        max_length=500,
        error_messages={"required": "Give the URL git clones the specs repository from."},
        help_text="An https:// or ssh:// URL (https://opendev.org/openstack/nova-specs) or a server path.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    branch = forms.CharField(
        max_length=100,
        initial="master",
        error_messages={"required": "Name the branch specs are merged to, such as master or main."},
    )
    push_target = forms.ChoiceField(
        label="Push approved specs",
        choices=RepositoryConnection.PushTarget.choices,
        initial=RepositoryConnection.PushTarget.REVIEW,
    )
