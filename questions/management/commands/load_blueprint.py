from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from questions.loading import fixtures_load


class Command(BaseCommand):
    help = (
        "Load the AWS service list and every exam blueprint from fixtures/: create what is "
        "missing, keep what an instructor changed in the admin (--force takes the fixtures')."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures", type=Path, default=settings.BASE_DIR / "fixtures", help="folder"
        )
        parser.add_argument(
            "--force", action="store_true", help="overwrite rows changed since they were loaded"
        )

    def handle(self, *args, fixtures: Path, force: bool, **options):
        for line in fixtures_load(fixtures, force=force):
            self.stdout.write(f"Loaded {line}")
