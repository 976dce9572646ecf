"""Workflows that write attempts: start, save an answer, finish."""

import random
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Value, When

from attempts.assembly import BankTooSmall, domain_shares, mock_candidates, pick_questions
from attempts.drills import DrillScope, scope_question_ids, weak_spot_question_ids
from attempts.models import (
    Accommodation,
    Attempt,
    AttemptChoice,
    AttemptQuestion,
    QuestionReport,
    ReviewCard,
)
from attempts.repetition import CardState, first_state, next_state
from attempts.scoring import has_passed, is_answer_correct, scaled_score
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
        existing = attempt_finalize_if_expired(attempt=existing, now=now)
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
        with transaction.atomic():
            attempt = Attempt.objects.create(
                user=user,
                exam=exam,
                mode=Attempt.Mode.MOCK,
                started_at=now,
                duration_minutes=exam.duration_minutes,
                accommodation_minutes=extra,
                deadline=now + timedelta(minutes=exam.duration_minutes + extra),
                question_count=len(chosen),
                **_scoring_rules(exam),
            )
            attempt_snapshot_questions(attempt=attempt, question_ids=chosen, rng=rng)
    except IntegrityError:
        # Two tabs pressed Start at once: the other request created the mock; resume it.
        return Attempt.objects.mocks().in_progress().get(user=user, exam=exam), True
    return attempt, False


def _scoring_rules(exam: Exam) -> dict:
    return {
        "pass_share": exam.pass_share,
        "scaled_min": exam.scaled_min,
        "scaled_pass": exam.scaled_pass,
        "scaled_max": exam.scaled_max,
    }


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
    """Start a drill of `length` questions (None: all the scope's remaining questions)."""
    rng = rng or random.Random()
    if scope.kind == "weak":
        chosen = weak_spot_question_ids(exam, user, length or 20, now, rng)
    else:
        chosen = scope_question_ids(exam, user, scope, length, rng)
    if not chosen:
        raise DrillEmpty(
            f"No questions left to drill in {scope.label}: you have answered them all right."
        )
    deadline = None
    if timed:
        # The real exam's pace: its duration spread over its questions.
        seconds = exam.duration_minutes * 60 * len(chosen) / exam.question_count
        deadline = now + timedelta(seconds=round(seconds))
    with transaction.atomic():
        attempt = Attempt.objects.create(
            user=user,
            exam=exam,
            mode=Attempt.Mode.DRILL,
            started_at=now,
            duration_minutes=None,
            deadline=deadline,
            question_count=len(chosen),
            drill_scope=scope.label,
            **_scoring_rules(exam),
        )
        attempt_snapshot_questions(attempt=attempt, question_ids=chosen, rng=rng)
    return attempt


def attempt_snapshot_questions(*, attempt: Attempt, question_ids: list[int], rng) -> None:
    """Copy the chosen questions into the attempt, in a shuffled order with shuffled choices.

    A fixed number of queries whatever the count: invariant 4 rests on this copy.
    """
    questions = list(
        Question.objects.filter(pk__in=question_ids).prefetch_related("choices", "services")
    )
    rng.shuffle(questions)
    items = [
        AttemptQuestion(
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
        for position, question in enumerate(questions, start=1)
    ]
    AttemptQuestion.objects.bulk_create(items)
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


# Saving answers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveResult:
    outcome: str  # "saved", "stale" (an older or repeated request: nothing changed) or "late"
    item: AttemptQuestion
    attempt: Attempt


def next_server_seq(current: int) -> int:
    """A sequence number for a save that came without one (the no-JavaScript form).

    Browsers number their saves with a millisecond clock; the server follows the same clock
    so that either kind of save orders correctly after the other.
    """
    return max(current + 1, time.time_ns() // 1_000_000)


def answer_save(
    *,
    attempt: Attempt,
    position: int,
    selected: set[int],
    struck: set[int],
    flagged: bool,
    seq: int | None,
    now: datetime,
) -> SaveResult:
    """Persist one question's selection, strike-outs and flag, idempotently and in order.

    Refused (outcome "late") after the deadline plus the network grace; the attempt is then
    finalized with what was saved before. Raises ValidationError for an impossible selection.
    """
    with transaction.atomic():
        # Locking the attempt row serializes saves with finishing, so a score never misses a
        # save that was accepted, and no save lands after the score is computed.
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        item = AttemptQuestion.objects.get(attempt=locked, position=position)
        if locked.accepts_answers_at(now):
            if item.checked_at is not None:
                raise ValidationError("You have checked this answer; it can no longer change.")
            _check_selection(item, selected, struck)
            if seq is None:
                seq = next_server_seq(item.seq)
            applied = AttemptQuestion.objects.filter(pk=item.pk, seq__lt=seq).update(
                seq=seq, flagged=flagged, answered=bool(selected), saved_at=now
            )
            if not applied:
                return SaveResult("stale", item, locked)
            AttemptChoice.objects.filter(item=item).update(
                selected=_membership(selected), struck=_membership(struck)
            )
            item.seq, item.flagged, item.answered, item.saved_at = seq, flagged, bool(selected), now
            return SaveResult("saved", item, locked)
    finished = attempt_finish(attempt=locked, now=now, reason=Attempt.FinishReason.EXPIRED)
    return SaveResult("late", item, finished)


def _membership(positions: set[int]):
    if not positions:
        return Value(False)
    return Case(When(position__in=positions, then=Value(True)), default=Value(False))


def _check_selection(item: AttemptQuestion, selected: set[int], struck: set[int]) -> None:
    count = item.choices.count()
    valid = set(range(1, count + 1))
    if not selected <= valid or not struck <= valid:
        raise ValidationError("That choice is not part of this question.")
    if item.kind == Question.Kind.SINGLE and len(selected) > 1:
        raise ValidationError("Choose one answer.")
    if len(selected) > item.select_count:
        raise ValidationError(
            f"{item.choose_label} Clear a selection before choosing another; "
            "your last change was not saved."
        )


def attempt_move(*, attempt: Attempt, position: int, now: datetime) -> None:
    """Remember where the candidate is, so coming back resumes at the same question."""
    Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.IN_PROGRESS).update(
        current_position=position
    )
    AttemptQuestion.objects.filter(
        attempt=attempt, position=position, first_seen_at__isnull=True
    ).update(first_seen_at=now)


def answer_check(*, attempt: Attempt, position: int, now: datetime) -> SaveResult:
    """Drills: make the saved answer final and score it, so its feedback can be shown.

    Idempotent: checking twice changes nothing. Updates the candidate's spaced repetition.
    """
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        item = AttemptQuestion.objects.get(attempt=locked, position=position)
        if item.checked_at is not None:
            return SaveResult("stale", item, locked)
        if locked.accepts_answers_at(now):
            rows = item.choices.values_list("item_id", "position", "is_correct", "selected")
            item.is_correct = item.pk in _right_items(rows)
            item.checked_at = now
            item.save(update_fields=["is_correct", "checked_at"])
            review_cards_record(
                user=locked.user, results=[(item.question_id, item.is_correct)], now=now
            )
            return SaveResult("saved", item, locked)
    finished = attempt_finish(attempt=locked, now=now, reason=Attempt.FinishReason.EXPIRED)
    return SaveResult("late", item, finished)


def review_cards_record(*, user, results: list[tuple[int | None, bool]], now: datetime) -> None:
    """Move each answered question through the candidate's Leitner boxes."""
    results = [(question_id, correct) for question_id, correct in results if question_id]
    cards = {
        card.question_id: card
        for card in ReviewCard.objects.filter(
            user=user, question_id__in=[question_id for question_id, _ in results]
        )
    }
    new_cards, changed = [], []
    for question_id, correct in results:
        card = cards.get(question_id)
        if card is None:
            state = first_state(correct=correct, now=now)
            if state is not None:
                new_cards.append(
                    ReviewCard(
                        user=user, question_id=question_id, last_answered_at=now, **vars(state)
                    )
                )
            continue
        state = next_state(
            CardState(card.box, card.streak, card.lapses, card.due_at), correct=correct, now=now
        )
        card.box, card.streak, card.lapses, card.due_at = (
            state.box, state.streak, state.lapses, state.due_at,
        )  # fmt: skip
        card.last_answered_at = now
        changed.append(card)
    ReviewCard.objects.bulk_create(new_cards)
    ReviewCard.objects.bulk_update(
        changed, ["box", "streak", "lapses", "due_at", "last_answered_at"]
    )


# Finishing ----------------------------------------------------------------------------------


def attempt_finalize_if_expired(*, attempt: Attempt, now: datetime) -> Attempt:
    """Finalize lazily: any request that touches an expired attempt ends it."""
    if attempt.is_in_progress and not attempt.accepts_answers_at(now):
        return attempt_finish(attempt=attempt, now=now, reason=Attempt.FinishReason.EXPIRED)
    return attempt


def attempt_finish(*, attempt: Attempt, now: datetime, reason: str) -> Attempt:
    """Score and close an attempt exactly once, whoever asks first (row lock; idempotent).

    The finish time is never later than the deadline: an attempt swept late still ends at it.
    """
    return _finish(attempt, now, reason)[0]


def _finish(attempt: Attempt, now: datetime, reason: str) -> tuple[Attempt, bool]:
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if not locked.is_in_progress:
            return locked, False
        finished_at = now if locked.deadline is None else min(now, locked.deadline)
        if locked.deadline is not None and now > locked.deadline:
            reason = Attempt.FinishReason.EXPIRED
        right_items = _score_items(locked)
        locked.status = Attempt.Status.FINISHED
        locked.finished_at = finished_at
        locked.finish_reason = reason
        locked.correct_count = len(right_items)
        if locked.mode == Attempt.Mode.MOCK:
            # Drills feed spaced repetition question by question, as each answer is checked.
            review_cards_record(
                user=locked.user,
                results=[
                    (question_id, item_id in right_items)
                    for item_id, question_id in locked.items.values_list("id", "question_id")
                ],
                now=finished_at,
            )
        if locked.mode == Attempt.Mode.MOCK and locked.question_count:
            locked.scaled_score = scaled_score(
                locked.correct_count,
                locked.question_count,
                cut=locked.pass_share,
                scaled_min=locked.scaled_min,
                scaled_pass=locked.scaled_pass,
                scaled_max=locked.scaled_max,
            )
            locked.passed = has_passed(locked.scaled_score, locked.scaled_pass)
        locked.save()
        return locked, True


def _right_items(rows) -> set[int]:
    """Ids of the items answered right, from (item_id, position, is_correct, selected) rows."""
    selected: dict[int, set[int]] = defaultdict(set)
    correct: dict[int, set[int]] = defaultdict(set)
    for item_id, position, is_correct, is_selected in rows:
        if is_correct:
            correct[item_id].add(position)
        if is_selected:
            selected[item_id].add(position)
    return {item for item in correct if is_answer_correct(selected[item], correct[item])}


def _score_items(attempt: Attempt) -> set[int]:
    right_ids = _right_items(
        AttemptChoice.objects.filter(item__attempt=attempt).values_list(
            "item_id", "position", "is_correct", "selected"
        )
    )
    AttemptQuestion.objects.filter(attempt=attempt).update(
        is_correct=Case(When(pk__in=right_ids, then=Value(True)), default=Value(False))
        if right_ids
        else Value(False)
    )
    return right_ids


def attempts_finalize_expired(*, now: datetime) -> int:
    """Finalize every attempt whose deadline (plus grace) has passed; returns how many."""
    return sum(
        _finish(attempt, now, Attempt.FinishReason.EXPIRED)[1]
        for attempt in Attempt.objects.expired(now).only("pk")
    )


def question_report_create(*, item: AttemptQuestion, reporter, kind: str, text: str):
    """File a candidate's problem report against the question revision they saw."""
    return QuestionReport.objects.create(
        question_id=item.question_id,
        item=item,
        question_key=item.question_key,
        question_revision=item.question_revision,
        reporter=reporter,
        kind=kind,
        text=text.strip(),
    )
