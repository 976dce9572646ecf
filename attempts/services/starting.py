"""A mock or a drill begins: its questions are chosen and copied into the attempt."""

import random
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from attempts.assembly import BankTooSmall, domain_shares, mock_candidates, pick_questions
from attempts.drills import DrillScope, scope_question_ids, weak_spot_question_ids
from attempts.models import Accommodation, Attempt, AttemptChoice, AttemptQuestion
from attempts.services.deadline import deadline_for, finalize_if_expired
from questions.models import Exam, Question


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
    chosen, shortfalls = pick_questions(mock_candidates(exam, user), shares, rng)
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
            allowed_seconds=(exam.duration_minutes + extra) * 60,
            accommodation_minutes=extra,
        )
    except IntegrityError:
        # Two tabs pressed Start at once: the other request created the mock; resume it.
        return Attempt.objects.mocks().in_progress().get(user=user, exam=exam), True
    return attempt, False


QUICK_MOCK_QUESTIONS = 20


def attempt_start_quick_mock(*, user, exam: Exam, now: datetime, rng=None) -> tuple[Attempt, bool]:
    """Start a quick mock (20 blueprint-weighted questions at the exam's pace), or return the
    one in progress. Returns (attempt, resumed); raises BankTooSmall like a full mock."""
    existing = Attempt.objects.quick_mocks().in_progress().filter(user=user, exam=exam).first()
    if existing is not None:
        existing = finalize_if_expired(attempt=existing, now=now)
        if existing.is_in_progress:
            return existing, True
    rng = rng or random.Random()
    domains = list(exam.domains.order_by("number"))
    count = min(QUICK_MOCK_QUESTIONS, exam.question_count)
    shares = domain_shares(exam, domains, count)
    chosen, shortfalls = pick_questions(mock_candidates(exam, user), shares, rng)
    if shortfalls:
        by_id = {d.pk: d for d in domains}
        raise BankTooSmall([(by_id[pk], have, need) for pk, (have, need) in shortfalls.items()])
    seconds = round(exam.seconds_per_question * len(chosen))
    attempt = _begin(
        user=user,
        exam=exam,
        mode=Attempt.Mode.QUICK,
        now=now,
        question_ids=chosen,
        rng=rng,
        deadline=deadline_for(now, timedelta(seconds=seconds)),
        allowed_seconds=seconds,
    )
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
    seconds = round(exam.seconds_per_question * len(chosen)) if timed else None
    return _begin(
        user=user,
        exam=exam,
        mode=Attempt.Mode.DRILL,
        now=now,
        question_ids=chosen,
        rng=rng,
        deadline=deadline_for(now, timedelta(seconds=seconds) if timed else None),
        allowed_seconds=seconds,
        drill_scope=scope.label,
    )


def attempt_snapshot_questions(*, attempt: Attempt, question_ids: list[int], rng) -> None:
    """Copy the chosen questions into the attempt, in a shuffled order with shuffled choices.

    A fixed number of queries whatever the count: invariant 4 rests on this copy.
    """
    questions = list(
        Question.objects.filter(pk__in=question_ids)
        .select_related("domain", "task_statement")
        .prefetch_related("choices", "services")
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
    _snapshot_choices_and_services(items, questions, rng)


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


def _snapshot_choices_and_services(items, questions, rng) -> None:
    choices = []
    service_links = []
    for item, question in zip(items, questions, strict=True):
        shuffled = list(question.choices.all())
        rng.shuffle(shuffled)
        choices.extend(
            AttemptChoice(
                item=item,
                position=position,
                choice=choice,
                text=choice.text,
                is_correct=choice.is_correct,
                role=choice.role,
                rationale=choice.rationale,
            )
            for position, choice in enumerate(shuffled, start=1)
        )
        service_links.extend(
            AttemptQuestion.services.through(attemptquestion_id=item.pk, service_id=service.pk)
            for service in question.services.all()
        )
    AttemptChoice.objects.bulk_create(choices)
    AttemptQuestion.services.through.objects.bulk_create(service_links)
