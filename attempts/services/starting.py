"""A mock or a drill begins: its questions are chosen and copied into the attempt."""

import random
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction

from attempts.assembly import (
    SHUFFLE_PRIME,
    BankTooSmall,
    domain_shares,
    mock_candidates,
    pick_questions,
)
from attempts.drills import DrillScope, scope_question_ids, weak_spot_question_ids
from attempts.models import Accommodation, Attempt, AttemptChoice, AttemptQuestion
from attempts.services.deadline import deadline_for, finalize_if_expired
from questions.models import Choice, Exam, Question


def accommodation_minutes_for(*, user, exam: Exam, requested: bool) -> int:
    """Extra minutes: an instructor's grant, or the exam's accommodation when asked at start."""
    granted = Accommodation.objects.filter(user=user).values_list("extra_minutes", flat=True)
    minutes = granted.first() or 0
    if requested:
        minutes = max(minutes, exam.accommodation_minutes)
    return minutes


def attempt_start_mock(
    *, user, exam: Exam, now: datetime, accommodation_requested: bool = False, rng=None
) -> tuple[Attempt, bool]:
    """Start a mock, or return the one in progress. Returns (attempt, resumed).

    Raises BankTooSmall rather than hand out a short exam.
    """
    existing = Attempt.objects.mocks().in_progress().filter(user=user, exam=exam).first()
    if existing is not None:
        existing = finalize_if_expired(attempt=existing, now=now)
        if existing.is_in_progress:
            return existing, True
    rng = rng or random.Random()
    domains = list(exam.domains.order_by("number"))
    shares = domain_shares(exam, domains)
    chosen, shortfalls = pick_questions(mock_candidates(exam, user, shares, rng), shares, rng)
    if shortfalls:
        by_id = {d.pk: d for d in domains}
        raise BankTooSmall([(by_id[pk], have, need) for pk, (have, need) in shortfalls.items()])
    extra = accommodation_minutes_for(user=user, exam=exam, requested=accommodation_requested)
    try:
        attempt = _begin(
            user=user,
            exam=exam,
            mode=Attempt.Mode.MOCK,
            now=now,
            question_ids=chosen,
            rng=rng,
            deadline=deadline_for(now, timedelta(minutes=exam.duration_minutes + extra)),
            duration_minutes=exam.duration_minutes,
            accommodation_minutes=extra,
        )
    except IntegrityError:
        # Two tabs pressed Start at once: the other request created the mock; resume it.
        return Attempt.objects.mocks().in_progress().get(user=user, exam=exam), True
    return attempt, False


@transaction.atomic
def _begin(*, user, exam: Exam, mode: str, now: datetime, question_ids, rng, **timing) -> Attempt:
    """Create the attempt with the exam's scoring rules copied (invariant 4) and its snapshot."""
    attempt = Attempt.objects.create(
        user=user,
        exam=exam,
        mode=mode,
        started_at=now,
        question_count=len(question_ids),
        pass_share=exam.pass_share,
        scaled_min=exam.scaled_min,
        scaled_pass=exam.scaled_pass,
        scaled_max=exam.scaled_max,
        **timing,
    )
    attempt_snapshot_questions(attempt=attempt, question_ids=question_ids, rng=rng)
    return attempt


class DrillEmpty(Exception):
    """Nothing left to drill in this scope."""


def attempt_start_drill(
    *,
    user,
    exam: Exam,
    scope: DrillScope,
    length: int | None,
    timed: bool,
    now: datetime,
    rng=None,
) -> Attempt:
    """Start a drill of `length` questions (None: all the scope's remaining questions), or
    return the candidate's unfinished drill of the same scope and timing (a double submit or
    a second Start must not pile up half-done drills)."""
    unfinished = (
        Attempt.objects.in_progress()
        .filter(user=user, exam=exam, mode=Attempt.Mode.DRILL, drill_scope=scope.label)
        .filter(deadline__isnull=not timed)
        .order_by("-started_at")
        .first()
    )
    if unfinished is not None:
        unfinished = finalize_if_expired(attempt=unfinished, now=now)
        if unfinished.is_in_progress:
            return unfinished
    rng = rng or random.Random()
    if scope.kind == "weak":
        chosen = weak_spot_question_ids(exam, user, length or 20, now, rng)
    else:
        chosen = scope_question_ids(exam, user, scope, length, rng)
    if not chosen:
        raise DrillEmpty(
            f"No questions left to drill in {scope.label}: you have answered them all right."
        )
    # Timed: the real exam's pace, its duration spread over its questions (whole seconds).
    seconds = round(exam.duration_minutes * 60 * len(chosen) / exam.question_count)
    allowed = timedelta(seconds=seconds) if timed else None
    return _begin(
        user=user,
        exam=exam,
        mode=Attempt.Mode.DRILL,
        now=now,
        question_ids=chosen,
        rng=rng,
        deadline=deadline_for(now, allowed),
        drill_scope=scope.label,
    )


def attempt_snapshot_questions(*, attempt: Attempt, question_ids: list[int], rng) -> None:
    """Copy the chosen questions into the attempt, in a shuffled order with shuffled choices.

    A fixed number of statements whatever the count: invariant 4 rests on this copy. The
    questions are built in Python (their names snapshot needs the domain, task statement and
    services); the choices and service links are copied inside the database by one
    INSERT ... SELECT each, so no choice row travels to Python and back.
    """
    questions = list(
        Question.objects.filter(pk__in=question_ids)
        .select_related("domain", "task_statement")
        .prefetch_related("services")
    )
    rng.shuffle(questions)
    items = [
        _snapshot_item(
            attempt=attempt,
            position=position,
            question=question,
        )
        for position, question in enumerate(questions, start=1)
    ]
    AttemptQuestion.objects.bulk_create(items)
    _copy_choices_and_services(attempt, rng)


# A per-attempt pseudo-random order of each question's choices: (id * a + b) mod a prime, with
# a and b drawn from the attempt's rng (a seeded rng gives the same order again).


def _copy_choices_and_services(attempt: Attempt, rng) -> None:
    item, choice, link = (
        AttemptQuestion._meta.db_table,
        AttemptChoice._meta.db_table,
        AttemptQuestion.services.through._meta.db_table,
    )
    bank_choice = Choice._meta.db_table
    bank_link = Question.services.through._meta.db_table
    a, b = rng.randrange(1, SHUFFLE_PRIME), rng.randrange(SHUFFLE_PRIME)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {choice}
                (item_id, position, choice_id, text, is_correct, role, rationale, selected,
                 struck)
            SELECT i.id,
                ROW_NUMBER() OVER (
                    PARTITION BY c.question_id ORDER BY (c.id * %s + %s) %% %s, c.id
                ),
                c.id, c.text, c.is_correct, c.role, c.rationale, %s, %s
            FROM {bank_choice} c JOIN {item} i ON i.question_id = c.question_id
            WHERE i.attempt_id = %s
            """,
            [a, b, SHUFFLE_PRIME, False, False, attempt.pk],
        )
        cursor.execute(
            f"""
            INSERT INTO {link} (attemptquestion_id, service_id)
            SELECT i.id, s.service_id
            FROM {bank_link} s JOIN {item} i ON i.question_id = s.question_id
            WHERE i.attempt_id = %s
            """,
            [attempt.pk],
        )


def _snapshot_item(*, attempt: Attempt, position: int, question: Question) -> AttemptQuestion:
    item = AttemptQuestion(
        attempt=attempt,
        position=position,
        question=question,
        question_key=question.key,
        question_revision=question.revision,
        domain_id=question.domain_id,
        task_statement_id=question.task_statement_id,
        stem=question.stem,
        kind=question.kind,
        select_count=question.select_count,
        explanation=question.explanation,
        references=question.references,
    )
    item.snapshot_names(question.domain, question.task_statement, question.services.all())
    return item
