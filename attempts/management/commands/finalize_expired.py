from django.core.management.base import BaseCommand
from django.utils import timezone

from attempts.services.deadline import finalize_all_expired


class Command(BaseCommand):
    help = (
        "Finalize attempts whose deadline has passed (run from cron, e.g. every minute). "
        "Each ends at its deadline, whenever the sweep runs; running it twice is harmless."
    )

    def handle(self, *args, **options):
        count = finalize_all_expired(now=timezone.now())
        self.stdout.write(f"Finalized {count} expired attempt(s).")
