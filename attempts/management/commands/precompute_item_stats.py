import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from attempts.item_analysis import snapshot_save
from questions.models import Exam


class Command(BaseCommand):
    help = (
        "Compute every exam's item statistics ahead of time (run from cron, e.g. nightly) for "
        "the bank health page and its CSV, when computing them live has become slow. The page "
        "says when they were computed and can still compute them live."
    )

    def add_arguments(self, parser):
        parser.add_argument("--exam", help="Only this exam code.")

    def handle(self, *args, exam=None, **options):
        exams = Exam.objects.order_by("code")
        if exam:
            exams = exams.filter(code=exam)
            if not exams:
                raise CommandError(f"No exam has the code {exam!r}.")
        for each in exams:
            started = time.perf_counter()
            count = snapshot_save(each, now=timezone.now())
            seconds = time.perf_counter() - started
            self.stdout.write(f"{each.code}: {count} question revision(s) in {seconds:.2f} s.")
