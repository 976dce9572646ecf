from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from questions.loading import fixtures_load


class Command(BaseCommand):
    help = "Load the AWS service list and every exam blueprint from fixtures/ (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures", type=Path, default=settings.BASE_DIR / "fixtures", help="folder"
        )

    def handle(self, *args, fixtures: Path, **options):
        for line in fixtures_load(fixtures):
            self.stdout.write(f"Loaded {line}")
