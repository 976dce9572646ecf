"""A mock or a drill begins: its questions are chosen and copied into the attempt."""

import random
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from attempts.assembly import BankTooSmall, domain_shares, mock_candidates, pick_questions
from attempts.drills import DrillScope, scope_question_ids, weak_spot_question_ids
from attempts.models import Accommodation, Attempt, service_columns
from attempts.services.copying import (
    ServedQuestion,
    copy_choices,
    copy_questions,
    copy_service_links,
)
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
    existing = _still_open(Attempt.objects.mocks().filter(user=user, exam=exam), now)
    if existing is not None:
        return existing, True
    rng = rng or random.Random()
    chosen = _draw(exam, user, exam.question_count, rng)
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


def _draw(exam: Exam, user, count: int, rng) -> list[int]:
    """The question ids of a (full or quick) mock of `count` questions, weighted by the
    blueprint; raises BankTooSmall rather than hand out a short exam."""
    domains = list(exam.domains.order_by("number"))
    shares = domain_shares(exam, domains, count)
    chosen, shortfalls = pick_questions(mock_candidates(exam, user, shares, rng), shares, rng)
    if shortfalls:
        by_id = {d.pk: d for d in domains}
        raise BankTooSmall([(by_id[pk], have, need) for pk, (have, need) in shortfalls.items()])
    return chosen


QUICK_MOCK_QUESTIONS = 20


def attempt_start_quick_mock(*, user, exam: Exam, now: datetime, rng=None) -> tuple[Attempt, bool]:
    """Start a quick mock (20 blueprint-weighted questions at the exam's pace), or return the
    one in progress. Returns (attempt, resumed); raises BankTooSmall like a full mock."""
    existing = _still_open(Attempt.objects.quick_mocks().filter(user=user, exam=exam), now)
    if existing is not None:
        return existing, True
    rng = rng or random.Random()
    chosen = _draw(exam, user, min(QUICK_MOCK_QUESTIONS, exam.question_count), rng)
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
    unfinished = _unfinished_drill(user, exam, scope, timed, now)
    if unfinished is not None:
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
    try:
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
    except IntegrityError:
        # The same Start pressed twice at once: the other request created the drill.
        existing = _unfinished_drill(user, exam, scope, timed, now)
        if existing is None:
            raise
        return existing


def _unfinished_drill(user, exam: Exam, scope: DrillScope, timed: bool, now) -> Attempt | None:
    """The candidate's in-progress drill of this scope and timing (at most one: a constraint)."""
    drills = Attempt.objects.filter(
        user=user, exam=exam, mode=Attempt.Mode.DRILL, drill_scope=scope.label
    )
    return _still_open(drills.filter(deadline__isnull=not timed), now)


def _still_open(attempts, now) -> Attempt | None:
    """The in-progress attempt among these, unless its time has run out (it is finalized
    then, and None returned): what a second Start resumes instead of starting anew."""
    existing = attempts.in_progress().first()
    if existing is not None:
        existing = finalize_if_expired(attempt=existing, now=now)
    return existing if existing is not None and existing.is_in_progress else None


def attempt_snapshot_questions(*, attempt: Attempt, question_ids: list[int], rng) -> None:
    """Copy the chosen questions into the attempt, in a shuffled order (a case study's
    questions kept together) with shuffled choices, steps, prompts and responses.

    Six statements whatever the count (three reads, three INSERT ... SELECT in `copying`):
    invariant 4 rests on this copy. Only what decides the order and the keys is read here.
    """
    questions = keep_case_studies_together(
        list(
            Question.objects.filter(pk__in=question_ids).only(
                "id", "kind", "select_count", "responses", "case_study_id"
            )
        ),
        rng,
    )
    ids = [question.pk for question in questions]
    authored = defaultdict(list)  # question id -> [(choice id, match)] in the authored order
    for choice_id, question_id, match in (
        Choice.objects.filter(question_id__in=ids)
        .order_by("question_id", "order", "id")
        .values_list("id", "question_id", "match")
    ):
        authored[question_id].append((choice_id, match))
    services = defaultdict(list)  # question id -> [(slug, name)]
    for question_id, slug, name in Question.services.through.objects.filter(
        question_id__in=ids
    ).values_list("question_id", "service__slug", "service__name"):
        services[question_id].append((slug, name))

    served = []
    for position, question in enumerate(questions, start=1):
        responses = []
        if question.kind == Question.Kind.MATCHING:
            responses = question.response_list
            rng.shuffle(responses)  # fixed for the attempt: answers and keys index into it
        # Ordering and matching: every step or prompt must be placed, so "answered" means all
        # of them (answer_state).
        select_count = (
            len(authored[question.pk]) if question.is_placement else question.select_count
        )
        served.append(
            ServedQuestion(
                question.pk,
                position,
                select_count,
                responses,
                *service_columns(services[question.pk]),
            )
        )
    copy_questions(attempt, served)

    placed = []  # (choice id, its question's position, its shuffled position, its key)
    for one, question in zip(served, questions, strict=True):
        choices = authored[question.pk]
        shuffled = _shuffled(choices, rng, avoid_identity=question.kind == Question.Kind.ORDERING)
        keys = _placement_keys(question, one.responses, choices)
        placed.extend(
            (choice_id, one.position, place, keys.get(choice_id))
            for place, (choice_id, _) in enumerate(shuffled, start=1)
        )
    copy_choices(attempt, placed)
    copy_service_links([attempt.pk])


def keep_case_studies_together(questions: list[Question], rng) -> list[Question]:
    """Shuffle the questions, a case study's questions as one block at adjacent positions
    (the block's place and its questions' order within it are shuffled too)."""
    blocks: dict[object, list[Question]] = {}
    for question in questions:
        block = ("case", question.case_study_id) if question.case_study_id else question.pk
        blocks.setdefault(block, []).append(question)
    ordered = list(blocks.values())
    rng.shuffle(ordered)
    for block in ordered:
        rng.shuffle(block)
    return [question for block in ordered for question in block]


def _shuffled(rows: list, rng, *, avoid_identity: bool) -> list:
    """The rows in a random order; for ordering never the correct one, which would show it."""
    shuffled = rows[:]
    rng.shuffle(shuffled)
    if avoid_identity and len(rows) > 1 and shuffled == rows:
        shuffled = rows[1:] + rows[:1]  # a rotation: every step moves
    return shuffled


def _placement_keys(question: Question, responses: list[str], choices: list) -> dict:
    """Choice id -> its key: a step's place in the authored (correct) order, or the number of
    a prompt's response in this attempt's shuffled list of responses."""
    if question.kind == Question.Kind.ORDERING:
        return {choice_id: place for place, (choice_id, _) in enumerate(choices, start=1)}
    if question.kind == Question.Kind.MATCHING:
        number = {text: n for n, text in enumerate(responses, start=1)}
        return {choice_id: number.get(match.strip()) for choice_id, match in choices}
    return {}
