"""Send the daily digest emails: ``manage.py send_digests``, once a day (cron; see README.md).

Each person who chose one email a day gets one with their notifications since
their last digest, grouped by spec; a second run sends nothing new.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from specs_app.review import digest


class Command(BaseCommand):
    help = "Email each person who chose the daily digest their notifications since their last one."

    def handle(self, *args, **options):
        run = digest.send_digests()
        self.stdout.write(
            f"Sent {run.emails} digest email{'s' if run.emails != 1 else ''} "
            f"covering {run.notifications} notification{'s' if run.notifications != 1 else ''}."
        )
        if run.failed:
            # Non-zero, so cron reports it; those notifications go out on the next run.
            raise CommandError(
                f"Could not send {run.failed} digest(s); see the log. The next run retries them."
            )
