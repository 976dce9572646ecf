from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from questions.importing import BankFormatError, import_paths


class Command(BaseCommand):
    help = (
        "Import questions from JSON or CSV files (docs/question-format.md). Missing questions "
        "are created; existing ones are updated by key unless an instructor changed them since "
        "they were imported (--force overwrites those too); if any item has a problem, nothing "
        "is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders of .json/.csv")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report without writing"
        )
        parser.add_argument("--author", help="username recorded as author of new questions")
        parser.add_argument(
            "--force",
            action="store_true",
            help="also overwrite questions edited or re-statused since they were imported",
        )

    def handle(
        self, *args, paths: list[Path], dry_run: bool, author: str | None, force: bool, **options
    ):
        files = []
        for path in paths:
            if path.is_dir():
                files.extend(sorted(p for p in path.iterdir() if p.suffix in {".json", ".csv"}))
            elif path.exists():
                files.append(path)
            else:
                raise CommandError(f"{path}: no such file or folder")
        if not files:
            raise CommandError("no .json or .csv files to import")
        author_user = None
        if author:
            author_user = get_user_model().objects.filter(username=author).first()
            if author_user is None:
                raise CommandError(f"--author: no user named {author!r}")
        try:
            report = import_paths(files, dry_run=dry_run, author=author_user, force=force)
        except BankFormatError as exc:
            raise CommandError(str(exc)) from exc
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
