"""A finished attempt's questions counted per domain once, when it is scored; readiness reads
those counts instead of every question of every attempt (docs/analytics.md)."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from attempts.models import Attempt, AttemptDomainResult
from attempts.services.deadline import attempt_finish
from attempts.services.saving import Submission, answer_submit
from tests.attempts.helpers import correct_positions, start_mock, wrong_positions


def counts_of(attempt) -> dict[int, tuple[int, int]]:
    return {
        r.domain_id: (r.served, r.right)
        for r in AttemptDomainResult.objects.filter(attempt=attempt)
    }


@pytest.mark.django_db
def test_finishing_a_mock_counts_its_questions_per_domain_once(candidate, small_exam):
    attempt = start_mock(candidate, small_exam)
    items = list(attempt.items.prefetch_related("choices").order_by("position"))
    # Positions 1-4 right, 5-7 wrong, 8-10 left blank.
    for item in items[:7]:
        picked = correct_positions(item) if item.position <= 4 else wrong_positions(item)[:1]
        answer_submit(
            user=candidate, attempt_id=attempt.pk, position=item.position, now=timezone.now(),
            submission=Submission(frozenset(picked), frozenset(), False, item.version),
        )  # fmt: skip
    attempt = attempt_finish(attempt=attempt, now=timezone.now(), reason="submitted")
    attempt_finish(attempt=attempt, now=timezone.now(), reason="submitted")  # a second click

    served = Counter(item.domain_id for item in items)
    right = Counter(item.domain_id for item in items if item.position <= 4)
    assert counts_of(attempt) == {d: (served[d], right[d]) for d in served}
    assert sum(r for _, r in counts_of(attempt).values()) == attempt.correct_count == 4
    assert AttemptDomainResult.objects.filter(attempt=attempt).count() == len(served)


@pytest.mark.django_db
def test_an_attempt_in_progress_has_no_counts_yet(candidate, small_exam):
    attempt = start_mock(candidate, small_exam)
    assert counts_of(attempt) == {}


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_attempts_finished_before_it(small_exam):
    """Deploying the counts must not leave a candidate's earlier mocks out of readiness."""
    before, after = [("attempts", "0016_question_note")], [("attempts", "0017_domain_result")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model(*get_user_model()._meta.label.split(".")).objects.create(username="old")
    domains = list(small_exam.domains.order_by("number"))
    now = timezone.now()

    def attempt(status, marks):
        row = old.get_model("attempts", "Attempt").objects.create(
            user_id=user.pk, exam_id=small_exam.pk, status=status, started_at=now,
            question_count=len(marks), pass_share="0.700", scaled_min=100, scaled_pass=720,
            scaled_max=1000,
        )  # fmt: skip
        for position, (domain, is_correct) in enumerate(marks, start=1):
            old.get_model("attempts", "AttemptQuestion").objects.create(
                attempt_id=row.pk, position=position, domain_id=domain.pk, question_key="k",
                question_revision=1, stem="s", kind="single", select_count=1,
                is_correct=is_correct,
            )  # fmt: skip
        return row.pk

    finished = attempt("finished", [(domains[0], True), (domains[0], False), (domains[1], True)])
    open_one = attempt("in_progress", [(domains[0], None)])

    executor.loader.build_graph()
    executor.migrate(after)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert counts_of(Attempt(pk=finished)) == {domains[0].pk: (2, 1), domains[1].pk: (1, 1)}
    assert counts_of(Attempt(pk=open_one)) == {}
