"""Choosing the questions of a drill: one domain, task statement or service, or the weak spots.

Reads only; the drill itself is started by services.attempt_start_drill.
"""

import random
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q

from attempts import analytics
from attempts.assembly import last_seen_by
from attempts.models import Attempt, AttemptQuestion, QuestionNote, ReviewCard
from questions.models import Domain, Exam, Question, Service, TaskStatement

LENGTHS = (10, 20, 30)
WEAK_AREAS = 3  # how many of the weakest task statements and services a weak-spot drill uses


@dataclass(frozen=True)
class DrillScope:
    kind: str  # "domain", "task", "service", "bookmarked" or "weak"
    label: str
    domain: Domain | None = None
    task: TaskStatement | None = None
    service: Service | None = None

    def questions(self, exam: Exam, user):
        published = drillable(exam, user)
        if self.kind == "domain":
            return published.filter(domain=self.domain)
        if self.kind == "task":
            return published.filter(task_statement=self.task)
        if self.kind == "service":
            return published.filter(services=self.service)
        if self.kind == "bookmarked":
            return published.filter(
                pk__in=QuestionNote.objects.filter(user=user, bookmarked=True).values("question")
            )
        return published


def drillable(exam: Exam, user):
    """Published questions of the exam, less those of the candidate's running mock: a drill
    shows the key at once, so serving one of them would reveal that mock's answer."""
    running_mock = Attempt.objects.keys_hidden().in_progress().filter(user=user, exam=exam)
    return (
        Question.objects.published()
        .for_exam(exam)
        .exclude(pk__in=AttemptQuestion.objects.filter(attempt__in=running_mock).values("question"))
    )


def answered_right(user):
    """Questions this candidate has answered right in a finished mock or a checked drill."""
    return AttemptQuestion.objects.filter(
        question=OuterRef("pk"), attempt__user=user, is_correct=True
    )


def scope_question_ids(
    exam: Exam, user, scope: DrillScope, length: int | None, rng: random.Random
) -> list[int]:
    """Questions of the scope, never answered right first, unseen before seen, oldest first.

    `length` None means "all remaining": every question of the scope not yet answered right.
    """
    last_seen = last_seen_by(user, exam)
    rows = [
        (qid, known, last_seen.get(qid))
        for qid, known in scope.questions(exam, user)
        .annotate(known=Exists(answered_right(user)))
        .values_list("id", "known")
        .distinct()
    ]
    rng.shuffle(rows)
    rows.sort(key=lambda r: (r[1], r[2] is not None, r[2].timestamp() if r[2] else 0))
    if length is None:
        return [qid for qid, known, _ in rows if not known]
    return [qid for qid, _, _ in rows[:length]]


def weak_spot_question_ids(
    exam: Exam, user, length: int, now: datetime, rng: random.Random
) -> list[int]:
    """Due missed questions first, then the weakest task statements and services, then the rest."""
    published = drillable(exam, user)
    due = list(
        ReviewCard.objects.due(now)
        .filter(user=user, question__in=published)
        .order_by("due_at")
        .values_list("question_id", flat=True)[:length]
    )
    chosen = list(due)
    if len(chosen) >= length:
        return chosen
    mastered = ReviewCard.objects.retired().filter(user=user).values("question_id")
    fresh = (
        published.exclude(pk__in=chosen)
        .exclude(pk__in=mastered)
        .exclude(Exists(answered_right(user)))
    )
    weak_tasks, weak_services = weakest_areas(user, exam)
    weak_pool = list(
        fresh.filter(Q(task_statement__in=weak_tasks) | Q(services__in=weak_services))
        .values_list("id", flat=True)
        .distinct()
    )
    rng.shuffle(weak_pool)
    chosen.extend(weak_pool[: length - len(chosen)])
    if len(chosen) < length:
        rest = list(fresh.exclude(pk__in=chosen).values_list("id", flat=True))
        rng.shuffle(rest)
        chosen.extend(rest[: length - len(chosen)])
    return chosen


def weakest_areas(user, exam: Exam) -> tuple[list[int], list[int]]:
    """Ids of the task statements and services where this candidate's share right is lowest.

    Ranked as the Progress page ranks them, from every answer so far (mocks and checked drill
    answers); one answer is enough here, because a weak-spot drill needs somewhere to start.
    """
    answered = AttemptQuestion.objects.filter(
        attempt__user=user, attempt__exam=exam, is_correct__isnull=False
    )
    tasks = analytics.weakest(analytics.task_shares(answered), limit=WEAK_AREAS, min_answers=1)
    services = analytics.weakest(
        analytics.service_shares(answered), limit=WEAK_AREAS, min_answers=1
    )
    return [s.key for s in tasks], [s.key for s in services]
