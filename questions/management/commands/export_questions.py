from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questions.exporting import export_csv, export_json, questions_for_export
from questions.models import Exam


class Command(BaseCommand):
    help = "Export the bank in the import format (JSON or CSV) to a file or standard output."

    def add_arguments(self, parser):
        parser.add_argument("--exam", help="exam code, for example MLS-C01 (default: all)")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")

    def handle(self, *args, exam: str | None, format: str, output: Path | None, **options):
        if exam and not Exam.objects.filter(code=exam).exists():
            raise CommandError(f"--exam: no exam with code {exam!r}")
        questions = questions_for_export(exam)
        content = export_csv(questions) if format == "csv" else export_json(questions)
        if output:
            output.write_text(content, encoding="utf-8")
            self.stderr.write(f"Wrote {questions.count()} questions to {output}")
        else:
            self.stdout.write(content, ending="")
