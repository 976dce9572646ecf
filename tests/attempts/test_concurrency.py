"""Races that only a real database with row locks can show: run on PostgreSQL (CI does)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from attempts.models import Attempt, ReviewCard
from attempts.services.deadline import attempt_finish, finalize_all_expired
from attempts.services.saving import Submission, answer_submit
from attempts.services.starting import attempt_start_mock
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


def _answer_first_question_wrong(attempt):
    item = attempt.items.prefetch_related("choices").get(position=1)
    wrong = next(c.position for c in item.choices.all() if not c.is_correct)
    answer_submit(
        user=attempt.user, attempt_id=attempt.pk, position=1, now=timezone.now(),
        submission=Submission(frozenset({wrong}), frozenset(), False, version=0),
    )  # fmt: skip
    return item


def test_invariant_2_double_clicked_end_exam_finishes_exactly_once(small_exam):
    attempt = start_mock(UserFactory(), small_exam)
    item = _answer_first_question_wrong(attempt)
    now = timezone.now()
    results = run_together(
        *[lambda: attempt_finish(attempt=attempt, now=now, reason="submitted")] * 4
    )
    assert {(a.status, a.finished_at, a.correct_count) for a in results} == {("finished", now, 0)}
    # Scored once: a second scoring would have moved the missed question's card again.
    card = ReviewCard.objects.get(user=attempt.user, question=item.question)
    assert (card.box, card.lapses) == (1, 1)


def test_sweep_racing_a_submit_yields_one_result_ending_at_the_deadline(small_exam):
    attempt = start_mock(UserFactory(), small_exam)
    item = _answer_first_question_wrong(attempt)
    late = attempt.deadline + timedelta(minutes=10)
    sweep, submitted = run_together(
        lambda: finalize_all_expired(now=late),
        lambda: attempt_finish(attempt=attempt, now=late, reason="submitted"),
    )
    assert sweep in (0, 1)
    attempt.refresh_from_db()
    assert attempt.finished_at == attempt.deadline and attempt.finish_reason == "expired"
    assert submitted.finished_at == attempt.deadline
    assert ReviewCard.objects.get(user=attempt.user, question=item.question).lapses == 1


def test_invariant_3_concurrent_saves_from_two_tabs_never_overwrite_an_unseen_answer(small_exam):
    attempt = start_mock(UserFactory(), small_exam)
    now = timezone.now()

    def save(choice):
        return lambda: answer_submit(
            user=attempt.user, attempt_id=attempt.pk, position=1, now=now,
            submission=Submission(frozenset({choice}), frozenset(), False, version=0),
        ).outcome  # fmt: skip

    outcomes = run_together(save(1), save(2), save(3), save(4))
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "saved"]
    winner = outcomes.index("saved") + 1
    item = attempt.items.get(position=1)
    assert item.version == 1
    assert list(item.choices.filter(selected=True).values_list("position", flat=True)) == [winner]


def test_a_save_racing_the_finish_is_either_scored_or_refused(small_exam):
    attempt = start_mock(UserFactory(), small_exam)
    item = attempt.items.prefetch_related("choices").get(position=1)
    right = frozenset(c.position for c in item.choices.all() if c.is_correct)
    now = timezone.now()
    save, _ = run_together(
        lambda: answer_submit(
            user=attempt.user, attempt_id=attempt.pk, position=1, now=now,
            submission=Submission(right, frozenset(), False, version=0),
        ).outcome,
        lambda: attempt_finish(attempt=attempt, now=now, reason="submitted"),
    )  # fmt: skip
    attempt.refresh_from_db()
    item.refresh_from_db()
    if save == "saved":
        assert attempt.correct_count == 1 and item.is_correct
    else:
        assert save == "ended" and attempt.correct_count == 0 and not item.answered


def test_two_tabs_starting_a_mock_at_once_share_one_attempt(small_exam):
    user = UserFactory()
    now = timezone.now()
    results = run_together(
        lambda: attempt_start_mock(user=user, exam=small_exam, now=now)[0].pk,
        lambda: attempt_start_mock(user=user, exam=small_exam, now=now)[0].pk,
    )
    assert results[0] == results[1]
    assert Attempt.objects.filter(user=user).count() == 1


def test_a_double_clicked_drill_start_makes_one_drill(mls_bank):
    from attempts.drills import DrillScope
    from attempts.services.starting import attempt_start_drill

    user = UserFactory()
    domain = mls_bank.domains.get(number=1)
    now = timezone.now()

    def start():
        scope = DrillScope("domain", f"Domain {domain.number}: {domain.title}", domain=domain)
        return attempt_start_drill(
            user=user, exam=mls_bank, scope=scope, length=10, timed=False, now=now
        ).pk

    first, second = run_together(start, start)
    assert first == second
    assert Attempt.objects.filter(user=user, mode="drill").count() == 1
