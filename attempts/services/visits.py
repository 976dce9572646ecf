"""Time on each question: the candidate's visits to it, added up (pace and analytics).

The server counts, from the moments the candidate arrives at a question and leaves it; the
browser sends no timings. A visit is closed when the candidate moves to another question or the
attempt ends.
"""

from datetime import datetime, timedelta

from django.db.models import Case, F, Value, When

from attempts.models import Attempt, AttemptQuestion

# A visit longer than this is a tab left open, not work on the question; it counts this much.
LONGEST_VISIT = timedelta(minutes=15)


def visit_seconds(since: datetime | None, now: datetime) -> int:
    if since is None or now <= since:
        return 0
    return round(min(now - since, LONGEST_VISIT).total_seconds())


def close_visit(attempt: Attempt, now: datetime) -> None:
    """Add the time since the candidate arrived at the current question to that question."""
    if attempt.current_since is not None:
        # Written even when it adds 0 s, so a save costs the same queries however fast it is.
        seconds = visit_seconds(attempt.current_since, now)
        AttemptQuestion.objects.filter(attempt=attempt, position=attempt.current_position).update(
            seconds_spent=F("seconds_spent") + seconds
        )
    attempt.current_since = None


def attempt_move(*, attempt: Attempt, position: int, now: datetime) -> None:
    """Remember where the candidate is, so coming back resumes at the same question, and
    close the visit to the question they left: two statements, whatever the move."""
    if attempt.current_position == position and attempt.current_since is not None:
        return  # a reload of the same question: the visit goes on
    arrivals = {
        "first_seen_at": Case(
            When(position=position, first_seen_at__isnull=True, then=Value(now)),
            default=F("first_seen_at"),
        )
    }
    positions = {position}
    if attempt.current_since is not None:
        # The question left and the one arrived at are written by one UPDATE. Written even
        # when it adds 0 s, so a move costs the same statements however fast it is.
        left, seconds = attempt.current_position, visit_seconds(attempt.current_since, now)
        positions.add(left)
        arrivals["seconds_spent"] = Case(
            When(position=left, then=F("seconds_spent") + seconds),
            default=F("seconds_spent"),
            output_field=AttemptQuestion._meta.get_field("seconds_spent"),
        )
    AttemptQuestion.objects.filter(attempt=attempt, position__in=positions).update(**arrivals)
    Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.IN_PROGRESS).update(
        current_position=position, current_since=now
    )
    attempt.current_position, attempt.current_since = position, now
