"""The benchmark's large dataset (docs/benchmarks.md): a big bank, a long history of other
candidates, and candidates sitting mocks with live sessions for the load generator; a veteran
and an instructor with sessions for the pages timed one request at a time.

Benchmark databases only: it adds thousands of rows to whatever DATABASE_URL names. The bank
and blueprint must be loaded first (`load_blueprint`, `import_questions fixtures/bank`).
"""

import json
import statistics
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from accounts.instructors import ensure_instructors_group
from attempts.item_analysis import snapshot_save
from attempts.models import Attempt, AttemptChoice, AttemptQuestion
from attempts.scoring import has_passed, scaled_score
from attempts.services.copying import copy_service_links, quoted_name
from attempts.services.deadline import domain_results_record
from attempts.services.starting import attempt_start_mock
from questions.models import Choice, Exam, Question, is_placement_kind

QUESTIONS_PER_MOCK = 65


class Command(BaseCommand):
    help = "Build the benchmark's large dataset and write the sessions file the load uses."

    def add_arguments(self, parser):
        parser.add_argument("--exam", default="MLS-C01")
        parser.add_argument("--questions", type=int, default=10_000)
        parser.add_argument("--others", type=int, default=2_000)
        parser.add_argument("--history", type=int, default=20_000, help="finished mocks")
        parser.add_argument("--sitting", type=int, default=500, help="mocks in progress")
        parser.add_argument(
            "--veteran", type=int, default=200, help="finished mocks of the one candidate whose "
            "progress and exam pages are timed",
        )  # fmt: skip
        parser.add_argument("--password", default="bench-pass-2026")
        parser.add_argument("--sessions-file", default=".bench/sessions.json")
        parser.add_argument("--timed-starts", type=int, default=30, help="of each kind")
        parser.add_argument(
            "--measure-only",
            action="store_true",
            help="time mock starts and the item-statistics precompute on the data as it is",
        )

    def handle(self, *args, **options):
        if "bench" not in str(connection.settings_dict["NAME"] or ""):
            raise CommandError("Only for a benchmark database (its name must contain 'bench').")
        exam = Exam.objects.get(code=options["exam"])
        if options["measure_only"]:
            self.time_starts(
                exam, options["history"] // max(1, options["others"]), options["timed_starts"]
            )
            self.time_item_analysis(exam)
            return
        started = time.perf_counter()
        self.grow_bank(exam, options["questions"])
        self.report("bank", started)
        password = make_password(options["password"])  # hashed once, shared by every account
        started = time.perf_counter()
        others = self.users("other", options["others"], password)
        choice_seconds = self.history(exam, others, options["history"])
        self.report(
            f"{options['history']} finished mocks of {len(others)} candidates (their choice rows "
            f"{choice_seconds:.1f} s of it)",
            started,
        )

        with connection.cursor() as cursor:
            # Fresh planner statistics, as autovacuum would gather after such a load: without
            # them PostgreSQL plans the snapshot's INSERT ... SELECT for tiny tables. On
            # PostgreSQL autovacuum also vacuums freshly inserted tables, which marks their pages
            # all-visible: only then are index-only scans (assembly's random draw) possible.
            # VACUUM cannot run inside a transaction, as a test's build does.
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
        sitting = self.users("sitting", options["sitting"], password)
        now = timezone.now()
        sessions = []
        for user in sitting:
            attempt, _ = attempt_start_mock(user=user, exam=exam, now=now)
            sessions.append(
                {
                    "session": self.session_for(user),
                    "attempt": attempt.pk,
                    "questions": attempt.question_count,
                }
            )
        path = Path(options["sessions_file"])
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(sessions))
        veteran = self.users("veteran", 1, password)
        self.history(exam, veteran, options["veteran"])
        veteran_file = path.with_name(f"{path.stem}-veteran.json")
        veteran_file.write_text(
            json.dumps(
                {
                    "session": self.session_for(veteran[0]),
                    "exam": exam.code,
                    "mocks": options["veteran"],
                }
            )
        )
        self.stdout.write(f"veteran: {options['veteran']} finished mocks")
        instructor = self.users("instructor", 1, password)[0]
        instructor.is_staff = True
        instructor.save(update_fields=["is_staff"])
        # The group holds the item-analysis admin's view permission (accounts/instructors.py).
        instructor.groups.add(ensure_instructors_group())
        path.with_name(f"{path.stem}-instructor.json").write_text(
            json.dumps(
                {
                    "session": self.session_for(instructor),
                    "exam": exam.code,
                    "exam_id": exam.pk,
                    # Served in the history like any other: its page reads about 130 mocks.
                    "question": Question.objects.for_exam(exam).order_by("pk").first().pk,
                }
            )
        )
        self.time_starts(exam, options["history"] // max(1, len(others)), options["timed_starts"])
        self.time_item_analysis(exam)

    def time_starts(self, exam: Exam, mocks_each: int, count: int) -> None:
        """Start mocks in process and roll them back: a new candidate, and one of the others
        with their history (the dataset stays as built)."""
        User = get_user_model()
        now = timezone.now()
        fresh, seasoned, fresh_cpu = [], [], []
        for n in range(count):
            with transaction.atomic():
                user = User.objects.create(username=f"timing{n}", password="!")
                tick, cpu = time.perf_counter(), time.process_time()
                attempt_start_mock(user=user, exam=exam, now=now)
                fresh.append(time.perf_counter() - tick)
                fresh_cpu.append(time.process_time() - cpu)
                transaction.set_rollback(True)
        for user in User.objects.filter(username__startswith="other").order_by("pk")[:count]:
            with transaction.atomic():
                tick = time.perf_counter()
                attempt_start_mock(user=user, exam=exam, now=now)
                seasoned.append(time.perf_counter() - tick)
                transaction.set_rollback(True)
        self.stdout.write(
            f"start mock, {Question.objects.for_exam(exam).count()} questions, "
            f"{Attempt.objects.count()} attempts in the database: median "
            f"{statistics.median(fresh) * 1000:.1f} ms for a new candidate, "
            f"{statistics.median(seasoned) * 1000:.1f} ms for one with {mocks_each} finished "
            f"mocks ({len(fresh)} + {len(seasoned)} starts, rolled back); Python CPU "
            f"{statistics.median(fresh_cpu) * 1000:.1f} ms a start (the database's not counted)"
        )

    def time_item_analysis(self, exam: Exam) -> None:
        """Compute and store the exam's item statistics as `precompute_item_stats` does."""
        mocks = Attempt.objects.filter(
            exam=exam, mode=Attempt.Mode.MOCK, status=Attempt.Status.FINISHED
        ).count()
        tick, cpu = time.perf_counter(), time.process_time()
        revisions = snapshot_save(exam, now=timezone.now())
        self.stdout.write(
            f"precompute item statistics (precompute_item_stats --exam {exam.code}): "
            f"{revisions} question revisions over {mocks} finished mocks in "
            f"{time.perf_counter() - tick:.2f} s, Python CPU {time.process_time() - cpu:.2f} s"
        )

    def report(self, what, started):
        self.stdout.write(f"{what}: {time.perf_counter() - started:.1f} s")

    def grow_bank(self, exam: Exam, wanted: int) -> None:
        """Copy the published questions (with choices and services) under new keys."""
        source = list(
            Question.objects.published()
            .for_exam(exam)
            .order_by("pk")
            .prefetch_related("choices", "services")
        )
        have = Question.objects.for_exam(exam).count()
        copies = []
        for n in range(max(0, wanted - have)):
            original = source[n % len(source)]
            copy = Question(
                **{
                    f.attname: getattr(original, f.attname)
                    for f in Question._meta.concrete_fields
                    if not f.primary_key
                }
            )
            copy.key = f"bench-{n}"[:60]
            copies.append((original, copy))
        Question.objects.bulk_create([c for _, c in copies], batch_size=2000)
        Choice.objects.bulk_create(
            [
                Choice(
                    **{
                        f.attname: getattr(choice, f.attname)
                        for f in Choice._meta.concrete_fields
                        if not f.primary_key and f.attname != "question_id"
                    },
                    question_id=copy.pk,
                )
                for original, copy in copies
                for choice in original.choices.all()
            ],
            batch_size=2000,
        )
        through = Question.services.through
        through.objects.bulk_create(
            [
                through(question_id=copy.pk, service_id=service.pk)
                for original, copy in copies
                for service in original.services.all()
            ],
            batch_size=2000,
        )

    def users(self, prefix: str, count: int, password: str) -> list:
        User = get_user_model()
        User.objects.bulk_create(
            [User(username=f"{prefix}{n}", password=password) for n in range(count)],
            batch_size=2000,
            ignore_conflicts=True,
        )
        return list(User.objects.filter(username__startswith=prefix).order_by("pk")[:count])

    def history(self, exam: Exam, others, count: int) -> float:
        """Finished mocks, each with its 65 questions and their choices copied by INSERT ...
        SELECT, about two in three right, under their domain's number and title, linked to
        their services, counted per domain and scored as scoring counts and scores them.

        Whether an item is right follows a made-up candidate's ability, the question's
        difficulty and some noise, so scores spread and item analysis (thirds, discrimination,
        pick rates) has something to measure; its choices are marked to agree with it.
        Returns the seconds spent writing the choice rows."""
        low, high = (
            Question.objects.for_exam(exam).order_by("pk").values_list("pk", flat=True)[0],
            Question.objects.for_exam(exam).order_by("-pk").values_list("pk", flat=True)[0],
        )
        # Items are drawn from the exam's range of question ids (below), and answered as option
        # questions: an ordering or matching item's keys hang on a per-attempt shuffle of its
        # steps or responses. So the range must hold the exam's option questions only (checked
        # here, not in the statement: with a filter on the exam there, PostgreSQL, planning on
        # the statistics of still-empty tables, pairs each of the exam's questions with every
        # mock and position, and the history took 25 times as long).
        drawn = Question.objects.filter(pk__range=(low, high))
        kinds = drawn.order_by().values_list("kind", flat=True).distinct()
        if drawn.exclude(exam=exam).exists() or any(is_placement_kind(k) for k in kinds):
            raise CommandError(
                f"The history answers {exam.code}'s multiple-choice and multiple-response "
                "questions only; its range of question ids holds ordering or matching questions "
                "or another exam's."
            )
        now = timezone.now()
        first = Attempt.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        Attempt.objects.bulk_create(
            [
                Attempt(
                    user=others[n % len(others)],
                    exam=exam,
                    started_at=now - timedelta(days=1 + n % 300, minutes=n % 1440),
                    finished_at=now - timedelta(days=1 + n % 300),
                    status=Attempt.Status.FINISHED,
                    finish_reason=Attempt.FinishReason.SUBMITTED,
                    duration_minutes=exam.duration_minutes,
                    question_count=QUESTIONS_PER_MOCK,
                    pass_share=exam.pass_share,
                    scaled_min=exam.scaled_min,
                    scaled_pass=exam.scaled_pass,
                    scaled_max=exam.scaled_max,
                )  # scored below, once its items are written
                for n in range(count)
            ],
            batch_size=2000,
        )
        span = high - low + 1
        # A question per (attempt, position) spread by two primes; a missing id skips a row.
        # Right when ability (0-10, the candidate's) + easiness (0-10, the question's) + noise
        # (0-12) reaches 14: about two in three right, raw scores from about 15 to 63 of 65, and
        # items whose mark goes with the rest of the attempt, as a real item's does.
        sql = """
            WITH RECURSIVE pos(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM pos WHERE n < %s)
            INSERT INTO attempts_attemptquestion (
                attempt_id, position, question_id, question_key, question_revision, domain_id,
                task_statement_id, domain_number, domain_title, task_code, task_text,
                service_slugs, service_names, stem, kind, select_count, explanation,
                "references", flagged, selected_count, version, seconds_spent, saved_at,
                first_seen_at, is_correct, responses, case_key, case_title, case_scenario
            )
            SELECT a.id, pos.n, q.id, q.key, q.revision, q.domain_id, q.task_statement_id,
                d.number, d.title, '', '', '', '[]', q.stem, q.kind, q.select_count, q.explanation,
                q."references", false, q.select_count, 1, 90, a.started_at, a.started_at,
                (a.user_id * 7) %% 11 + (q.id * 37) %% 11 + (a.id * 31 + pos.n * 17) %% 13 >= 14,
                '[]', '', '', ''
            FROM attempts_attempt a CROSS JOIN pos
            JOIN questions_question q ON q.id = %s + ((a.id * 7919 + pos.n * 104729) %% %s)
            JOIN questions_domain d ON d.id = q.domain_id
            WHERE a.id > %s AND a.id <= %s
        """
        choices = self.history_choices_sql()
        # The new mocks' ids, read back rather than counted from `first`: a sequence may have
        # moved on without rows (PostgreSQL's after a rolled-back insert), leaving gaps.
        created = list(
            Attempt.objects.filter(pk__gt=first).order_by("pk").values_list("pk", flat=True)
        )
        batch = 2000
        choice_seconds = 0.0
        with connection.cursor() as cursor:
            for at in range(0, len(created), batch):
                ids = created[at : at + batch]
                start, end = ids[0] - 1, ids[-1]  # the batch is the ids in (start, end]
                cursor.execute(sql, [QUESTIONS_PER_MOCK, low, span, start, end])
                copy_service_links(ids)  # as a mock's snapshot links them
                tick = time.perf_counter()
                cursor.execute(choices, [start, end])
                choice_seconds += time.perf_counter() - tick
                # What scoring counts and scores when a mock finishes.
                domain_results_record(ids)
                self.score(exam, ids)
        return choice_seconds

    @staticmethod
    def history_choices_sql() -> str:
        """One INSERT ... SELECT of the choices of the history items of attempts in (%s, %s],
        in authored order, marked to agree with each item's is_correct.

        A right item has exactly its correct choices selected. A wrong one has every correct
        choice but the last selected, plus one wrong choice picked by the item's id, so it
        selects as many as the question asks for, and each distractor is picked by some of
        those who got the question wrong (a pick rate of zero is not built in)."""
        choice = {
            field: quoted_name(Choice, field)
            for field in ("id", "question", "order", "is_correct", "text", "role", "rationale")
        }
        item = {
            field: quoted_name(AttemptQuestion, field)
            for field in ("id", "attempt", "question", "is_correct")
        }
        by_place = f"ORDER BY {choice['order']}, {choice['id']}"
        ranked = (
            f"SELECT {choice['id']} AS id, {choice['question']} AS question_id, "
            f"{choice['is_correct']} AS is_correct, {choice['text']} AS text, "
            f"{choice['role']} AS role, {choice['rationale']} AS rationale, "
            # Its place among the question's choices, and among those as right (or wrong) as it.
            f"ROW_NUMBER() OVER (PARTITION BY {choice['question']} {by_place}) AS place, "
            f"ROW_NUMBER() OVER (PARTITION BY {choice['question']}, {choice['is_correct']} "
            f"{by_place}) AS nth, "
            f"COUNT(*) OVER (PARTITION BY {choice['question']}, {choice['is_correct']}) AS peers "
            f"FROM {quoted_name(Choice)}"
        )
        columns = [
            "item", "position", "choice", "text", "is_correct", "role", "rationale", "selected",
            "struck",
        ]  # fmt: skip
        written = ", ".join(quoted_name(AttemptChoice, column) for column in columns)
        return (
            f"WITH ranked AS ({ranked}) "
            f"INSERT INTO {quoted_name(AttemptChoice)} ({written}) "
            f"SELECT aq.{item['id']}, ranked.place, ranked.id, ranked.text, ranked.is_correct, "
            "ranked.role, ranked.rationale, "
            f"CASE WHEN aq.{item['is_correct']} THEN ranked.is_correct "
            "WHEN ranked.is_correct THEN ranked.nth < ranked.peers "
            f"ELSE ranked.nth = 1 + aq.{item['id']} %% ranked.peers END, "
            "false "
            f"FROM {quoted_name(AttemptQuestion)} aq JOIN ranked "
            f"ON ranked.question_id = aq.{item['question']} "
            f"WHERE aq.{item['attempt']} > %s AND aq.{item['attempt']} <= %s"
        )

    @staticmethod
    def score(exam: Exam, attempt_ids: list[int]) -> None:
        """Each history mock's raw score from its right items, then its scaled score and
        pass/fail by the app's own mapping (attempts.scoring), as finishing a mock does."""
        right = dict(
            AttemptQuestion.objects.filter(attempt_id__in=attempt_ids, is_correct=True)
            .order_by()
            .values("attempt_id")
            .annotate(n=Count("pk"))
            .values_list("attempt_id", "n")
        )
        by_score = defaultdict(list)
        for pk in attempt_ids:
            by_score[right.get(pk, 0)].append(pk)
        # One UPDATE per raw score (at most 66 a batch), not one per mock, with the values the
        # app's own functions give for it.
        for correct, pks in by_score.items():
            score = scaled_score(
                correct,
                QUESTIONS_PER_MOCK,
                cut=exam.pass_share,
                scaled_min=exam.scaled_min,
                scaled_pass=exam.scaled_pass,
                scaled_max=exam.scaled_max,
            )
            Attempt.objects.filter(pk__in=pks).update(
                correct_count=correct,
                scaled_score=score,
                passed=has_passed(score, exam.scaled_pass),
            )

    def session_for(self, user) -> str:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key
