"""How an attempt ends, and the rules of its deadline, top to bottom.

1. The deadline is stored at start: started_at + duration + accommodation (invariant 2); an
   untimed drill has none.
2. A save that left the browser just before the deadline may arrive a moment after it: it is
   accepted up to NETWORK_GRACE after the deadline (docs/scoring.md).
3. An attempt past its deadline plus the grace is finalized by whichever comes first: a request
   that touches it (`finalize_if_expired`, lazily) or the `finalize_expired` command's sweep
   (`finalize_all_expired`, from cron). Either way it ends at its deadline, never later.
4. At zero the browser's countdown asks the server to finish (`finish_automatically`). The
   browser's clock may run a little fast, so the request is honoured only when the server's own
   remaining time is within AUTO_SUBMIT_TOLERANCE; earlier, it is sent back to the question.
   An untimed drill has no zero: an automatic submission to one is refused.
5. The candidate may end at any time (`finish_by_candidate`).
Every ending goes through `attempt_finish`, which takes the attempt's row lock, so an attempt is
scored exactly once and no save lands after its score.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Case, Count, Q, Value, When

from attempts.models import (
    Attempt,
    AttemptChoice,
    AttemptDomainResult,
    AttemptQuestion,
    answered_q,
)
from attempts.scoring import SCORING_FIELDS, has_passed, right_items, scaled_score
from attempts.services.review_cards import review_cards_record
from attempts.services.visits import close_visit

NETWORK_GRACE = timedelta(seconds=5)
AUTO_SUBMIT_TOLERANCE = timedelta(seconds=2)


def deadline_for(started_at: datetime, allowed: timedelta | None) -> datetime | None:
    """The stored deadline of an attempt allowed this long (None: untimed)."""
    return None if allowed is None else started_at + allowed


def accepts_answers(attempt: Attempt, now: datetime) -> bool:
    """In progress, and not past the deadline plus the network grace."""
    if not attempt.is_in_progress:
        return False
    return attempt.deadline is None or now <= attempt.deadline + NETWORK_GRACE


def past_grace_q(now: datetime) -> Q:
    """Timed attempts whose deadline plus the grace has passed (the sweep's filter)."""
    return Q(deadline__lt=now - NETWORK_GRACE)


def finalize_if_expired(*, attempt: Attempt, now: datetime) -> Attempt:
    """Finalize lazily: any request that touches an expired attempt ends it."""
    if attempt.is_in_progress and not accepts_answers(attempt, now):
        return attempt_finish(attempt=attempt, now=now, reason=Attempt.FinishReason.EXPIRED)
    return attempt


def finalize_all_expired(*, now: datetime) -> int:
    """The sweep: finalize every attempt past its deadline plus grace; returns how many."""
    expired = Attempt.objects.in_progress().filter(past_grace_q(now)).only("pk")
    return sum(_finish(attempt, now, Attempt.FinishReason.EXPIRED)[1] for attempt in expired)


class NotTimed(Exception):
    """An automatic (time-is-up) submission to an attempt that has no deadline."""


def finish_automatically(*, attempt: Attempt, now: datetime) -> Attempt | None:
    """The countdown reached zero in the browser. Returns None when the server's clock says
    there is still time (the page goes back to the question); raises NotTimed for a drill."""
    if attempt.deadline is None:
        raise NotTimed("This drill has no time limit, so it cannot run out of time.")
    if attempt.deadline - now > AUTO_SUBMIT_TOLERANCE:
        return None
    # Time is up by the server's clock (within the browser's rounding): the attempt ends at its
    # deadline, as if the sweep had found it.
    return attempt_finish(
        attempt=attempt, now=max(now, attempt.deadline), reason=Attempt.FinishReason.EXPIRED
    )


def finish_by_candidate(*, attempt: Attempt, now: datetime) -> Attempt:
    return attempt_finish(attempt=attempt, now=now, reason=Attempt.FinishReason.SUBMITTED)


def attempt_finish(*, attempt: Attempt, now: datetime, reason: str) -> Attempt:
    """Score and close an attempt exactly once, whoever asks first (row lock; idempotent).

    The finish time is never later than the deadline: an attempt swept late still ends at it.
    """
    return _finish(attempt, now, reason)[0]


def _finish(attempt: Attempt, now: datetime, reason: str) -> tuple[Attempt, bool]:
    """(the attempt, whether this call ended it)."""
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if not locked.is_in_progress:
            return locked, False
        finished_at = now if locked.deadline is None else min(now, locked.deadline)
        if locked.deadline is not None and now > locked.deadline:
            reason = Attempt.FinishReason.EXPIRED
        close_visit(locked, finished_at)
        right_ids = _score_items(locked)
        domain_results_record([locked.pk])
        locked.status = Attempt.Status.FINISHED
        locked.finished_at = finished_at
        locked.finish_reason = reason
        locked.correct_count = len(right_ids)
        if locked.is_scored_like_mock:
            # Drills feed spaced repetition question by question, as each answer is checked.
            review_cards_record(
                user_id=locked.user_id,
                results=[
                    (question_id, item_id in right_ids)
                    for item_id, question_id in _reviewable_items(locked, reason)
                ],
                now=finished_at,
            )
        if locked.is_scored_like_mock and locked.question_count:
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


def _reviewable_items(attempt: Attempt, reason: str):
    """(item id, question id) of the questions this mock teaches something to repeat.

    Every answered question; and, when the candidate submitted the mock, the questions they
    saw and left blank. A question never opened, or left blank when time ran out, says nothing
    about what the candidate knows.
    """
    met = answered_q()
    if reason == Attempt.FinishReason.SUBMITTED:
        met |= Q(first_seen_at__isnull=False)
    return attempt.items.filter(met).values_list("id", "question_id")


def _score_items(attempt: Attempt) -> set[int]:
    right_ids = right_items(
        AttemptChoice.objects.filter(item__attempt=attempt).values_list(*SCORING_FIELDS)
    )
    AttemptQuestion.objects.filter(attempt=attempt).update(
        is_correct=Case(When(pk__in=right_ids, then=Value(True)), default=Value(False))
        if right_ids
        else Value(False)
    )
    return right_ids


def domain_results_record(attempt_ids) -> int:
    """Count the scored questions of these finished attempts per domain, once (readiness reads
    the counts, not the questions). Set-based: one grouped read and one insert whatever the
    number of attempts. Returns how many rows it wrote."""
    rows = (
        AttemptQuestion.objects.filter(attempt_id__in=attempt_ids)
        .order_by()  # the model's ordering would join into the GROUP BY
        .values("attempt_id", "domain_id")
        .annotate(served=Count("pk"), right=Count("pk", filter=Q(is_correct=True)))
    )
    results = AttemptDomainResult.objects.bulk_create(
        AttemptDomainResult(
            attempt_id=row["attempt_id"],
            domain_id=row["domain_id"],
            served=row["served"],
            right=row["right"],
        )
        for row in rows
    )
    return len(results)
