import json

from django.core.management.base import BaseCommand, CommandError

from questions.models import Exam
from questions.reports import bank_report, format_report_text


class Command(BaseCommand):
    help = "Report what the published bank can serve and what an instructor must fix."

    def add_arguments(self, parser):
        parser.add_argument("--exam", default="MLS-C01", help="exam code (default MLS-C01)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, exam: str, format: str, **options):
        exam_obj = Exam.objects.filter(code=exam).first()
        if exam_obj is None:
            raise CommandError(f"--exam: no exam with code {exam!r}; run load_blueprint first")
        report = bank_report(exam_obj)
        if format == "json":
            self.stdout.write(json.dumps(report))
        else:
            self.stdout.write(format_report_text(report))
