"""Template tags of a project's git repository: the spec page's panel of what upstream holds."""

from __future__ import annotations

from django import template

from specs_app.gitrepo import services
from specs_app.models import RepositoryConnection, SpecUpstream

register = template.Library()


@register.inclusion_tag("specs_app/gitrepo/spec_panel.html", takes_context=True)
def repository_panel(context) -> dict:
    spec, user = context["spec"], context["request"].user
    connection = RepositoryConnection.objects.filter(project_id=spec.project_id).first()
    state = SpecUpstream.objects.filter(spec=spec).first() if connection else None
    return {
        "spec": spec,
        "connection": connection,
        "state": state,
        # The text here is still upstream's: nobody edited it since it last matched.
        "matches": state is not None and state.commit and state.matched_version == spec.version,
        "may_publish": connection is not None and services.can_publish(user, spec),
        "csrf_token": context.get("csrf_token"),
    }
