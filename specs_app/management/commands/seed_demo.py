from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from specs_app.authoring import services
from specs_app.models import Project, SectionOwner, Spec
from specs_app.review import services as review_services

DEMO_SPEC_SECTIONS = {
    "Problem description": (
        "Operators cannot see how much of a backend's capacity is promised to thin\n"
        "volumes, so they over-commit storage without noticing until writes fail."
    ),
    "Use Cases": "* As an operator, I want to see the over-subscription ratio of each pool.",
    "Proposed change": (
        "Report ``provisioned_capacity_gb`` from every driver and show the ratio in\n``cinder get-pools``."
    ),
}

# A second account, with the demo password: the demo spec's first reviewer.
DEMO_REVIEWER = "reviewer"


class Command(BaseCommand):
    help = (
        "Create the demo project (the bundled cinder template), a demo user and a sample spec in review, "
        "reviewed by a second user (reviewer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default="demo")

    @transaction.atomic
    def handle(self, *args, username: str, password: str, **options):
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(username=username, defaults={"is_staff": True})
        if created:
            user.set_password(password)
            user.is_superuser = True
            user.save()
        project = Project.objects.filter(slug="cinder").first()
        if project is None:
            project = services.create_project(
                name="Cinder", slug="cinder", description="Block Storage specs, on the cinder-specs template."
            )
            # The template predates nothing, but cinder's own gate never required this one.
            project.templates.get(release="").sections.filter(title="Active/Active HA impact").update(
                required=False
            )
            project.core_reviewers.add(user)
        # The spec page's "Section sign-off" panel: the security group signs off "Security impact".
        security, _ = Group.objects.get_or_create(name="security")
        security.user_set.add(user)
        SectionOwner.objects.get_or_create(project=project, section_title="Security impact", group=security)
        if not Spec.objects.filter(project=project, slug="capacity-headroom").exists():
            spec = services.create_spec(
                actor=user,
                project=project,
                title="Report capacity headroom per pool",
                release="2026.1",
                blueprint_url="https://blueprints.launchpad.net/cinder/+spec/capacity-headroom",
            )
            by_title = {section.title: section for section in spec.sections.all()}
            services.update_spec(
                actor=user,
                spec=spec,
                base_version=spec.version,
                title=spec.title,
                release=spec.release,
                intro=f"{spec.blueprint_url}\n\nShow operators how far each pool is over-subscribed.",
                sections={
                    by_title[title].pk: services.SectionEdit(text, by_title[title].version)
                    for title, text in DEMO_SPEC_SECTIONS.items()
                },
            )
            # In review with a -1, so the dashboard's "Your turn" and the spec's "Waiting for" show
            # something: it is the demo user's turn, as its author.
            reviewer, made = user_model.objects.get_or_create(username=DEMO_REVIEWER)
            if made:
                reviewer.set_password(password)
                reviewer.save()
            review_services.submit_revision(actor=user, spec=spec, message="First draft.")
            review_services.publish_review(
                actor=reviewer,
                spec=spec,
                vote=-1,
                message="Which drivers report provisioned capacity today? Name them in the proposal.",
            )
        self.stdout.write(self.style.SUCCESS(f"Demo ready: project “{project.name}”, user {username}."))
