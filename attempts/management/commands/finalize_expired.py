from django.core.management.base import BaseCommand
from django.utils import timezone

from attempts.services import attempts_finalize_expired


class Command(BaseCommand):
    help = (
        "Finalize attempts whose deadline has passed (run from cron, e.g. every minute). "
        "Each ends at its deadline, whenever the sweep runs; running it twice is harmless."
    )

    def handle(self, *args, **options):
        count = attempts_finalize_expired(now=timezone.now())
        self.stdout.write(f"Finalized {count} expired attempt(s).")
