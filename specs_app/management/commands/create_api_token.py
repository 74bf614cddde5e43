"""Make an API key for a script or CI: ``manage.py create_api_token USERNAME --name NAME``.

The key is an ordinary named token (the same service as the API tokens page):
it is listed on the user's page, and revoked there. It is printed once, alone
on stdout, so a script can capture it (``key=$(manage.py create_api_token ...)``);
only its hash is stored.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from specs_app.tokens import services as services_tokens


class Command(BaseCommand):
    help = "Create a named API token for a user and print its key (shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="Whose token it is; requests made with it act as this user.")
        parser.add_argument(
            "--name", required=True, help="What the token is for (e.g. “ci”), as the tokens page lists it."
        )

    def handle(self, *args, username: str, name: str, **options):
        user = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"No user “{username}”; create the user first (manage.py createsuperuser).")
        if not user.is_active:
            raise CommandError(f"The user “{username}” is inactive: the API would refuse a token of theirs.")
        try:
            token, key = services_tokens.create_api_token(actor=user, name=name)
        except ValidationError as error:
            raise CommandError(f"--name: {' '.join(error.messages)}") from error
        self.stderr.write(f"Created the token “{token.name}” for {username}; its key is shown only now:")
        self.stdout.write(key)
