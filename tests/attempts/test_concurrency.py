"""Races that only a real database with row locks can show: run on PostgreSQL (CI does)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from attempts import services
from attempts.models import Attempt
from tests.attempts.helpers import start_mock
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-lock races need PostgreSQL: run with DATABASE_URL=postgres://... (CI does)",
    ),
]


def run_together(*functions):
    """Run the functions in threads released at the same instant; return their results."""
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)
    errors = []

    def runner(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as exc:  # noqa: BLE001 - re-raised in the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def test_invariant_2_double_clicked_end_exam_finishes_exactly_once(small_exam):
    attempt = start_mock(UserFactory(), small_exam)
    now = timezone.now()
    outcomes = run_together(
        *[lambda: services._finish(attempt, now, Attempt.FinishReason.SUBMITTED)[1]] * 4
    )
    assert outcomes.count(True) == 1
    attempt.refresh_from_db()
    assert attempt.status == "finished" and attempt.correct_count == 0


def test_sweep_racing_a_submit_yields_one_result_ending_at_the_deadline(small_exam):
    attempt = start_mock(UserFactory(), small_exam, now=timezone.now() - timedelta(hours=1))
    late = attempt.deadline + timedelta(minutes=10)
    sweep, submit = run_together(
        lambda: services.attempts_finalize_expired(now=late),
        lambda: services._finish(attempt, late, Attempt.FinishReason.SUBMITTED)[1],
    )
    assert sweep + int(submit) == 1
    attempt.refresh_from_db()
    assert attempt.finished_at == attempt.deadline and attempt.finish_reason == "expired"


def test_invariant_3_concurrent_saves_from_two_tabs_keep_the_newest(small_exam):
    attempt = start_mock(UserFactory(), small_exam)
    now = timezone.now()

    def save(choice, seq):
        return lambda: services.answer_save(
            attempt=attempt, position=1, selected={choice}, struck=set(), flagged=False,
            seq=seq, now=now,
        ).outcome  # fmt: skip

    outcomes = run_together(save(1, 100), save(2, 300), save(3, 200), save(4, 250))
    assert "saved" in outcomes
    item = attempt.items.get(position=1)
    assert item.seq == 300
    assert list(item.choices.filter(selected=True).values_list("position", flat=True)) == [2]


def test_a_save_racing_the_finish_is_either_scored_or_refused(small_exam):
    attempt = start_mock(UserFactory(), small_exam)
    item = attempt.items.prefetch_related("choices").get(position=1)
    right = {c.position for c in item.choices.all() if c.is_correct}
    now = timezone.now()
    save, _ = run_together(
        lambda: services.answer_save(
            attempt=attempt, position=1, selected=right, struck=set(), flagged=False, seq=5,
            now=now,
        ).outcome,
        lambda: services.attempt_finish(attempt=attempt, now=now, reason="submitted"),
    )  # fmt: skip
    attempt.refresh_from_db()
    item.refresh_from_db()
    if save == "saved":
        assert attempt.correct_count == 1 and item.is_correct
    else:
        assert save == "late" and attempt.correct_count == 0 and not item.answered


def test_two_tabs_starting_a_mock_at_once_share_one_attempt(small_exam):
    user = UserFactory()
    now = timezone.now()
    results = run_together(
        lambda: services.attempt_start_mock(user=user, exam=small_exam, now=now)[0].pk,
        lambda: services.attempt_start_mock(user=user, exam=small_exam, now=now)[0].pk,
    )
    assert results[0] == results[1]
    assert Attempt.objects.filter(user=user).count() == 1
