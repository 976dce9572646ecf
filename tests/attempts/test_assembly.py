import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from attempts.assembly import (
    Candidate,
    domain_shares,
    last_seen_by,
    mock_candidates,
    pick_questions,
)
from attempts.models import Attempt
from attempts.services.deadline import attempt_finish
from questions.models import Question
from tests.attempts.helpers import start_mock
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Starting a mock, all reads and writes included (savepoints too), on SQLite and PostgreSQL
# alike. Was 20; the SQL-side draw of unseen questions brought it to 18, then writing the
# snapshot with three INSERT ... SELECT (questions, choices, service links: attempts/services/
# copying.py) to 15, whatever the number of questions and choices.
SNAPSHOT_BUDGET = 15


def test_mock_draws_65_questions_split_13_16_23_13(mls_bank, candidate):
    attempt = start_mock(candidate, mls_bank)
    per_domain = Counter(attempt.items.values_list("domain__number", flat=True))
    assert dict(per_domain) == {1: 13, 2: 16, 3: 23, 4: 13}
    assert attempt.question_count == 65
    assert attempt.items.values("question").distinct().count() == 65


def test_only_published_questions_are_served(mls_bank, candidate):
    Question.objects.filter(key__in=["mls-1-00", "mls-1-01", "mls-1-02"]).update(status="retired")
    Question.objects.filter(key="mls-2-00").update(status="draft")
    attempt = start_mock(candidate, mls_bank)
    keys = set(attempt.items.values_list("question_key", flat=True))
    assert not keys & {"mls-1-00", "mls-1-01", "mls-1-02", "mls-2-00"}


def test_a_bank_too_small_says_which_domain_falls_short_and_hands_out_nothing(
    mls_bank, candidate_client
):
    Question.objects.filter(domain__number=4).exclude(key__in=["mls-4-00"]).update(status="retired")
    response = candidate_client.post(reverse("attempts:start", args=["MLS-C01"]), follow=True)
    body = response.content.decode()
    assert "too small for a full mock" in body
    assert "domain 4 (Machine Learning Implementation and Operations) has 1 published" in body
    assert "needs 13" in body
    assert not Attempt.objects.exists()


def test_order_of_questions_and_choices_is_shuffled_per_attempt_and_kept(mls_bank):
    first = start_mock(UserFactory(), mls_bank, rng=random.Random(1))
    second = start_mock(UserFactory(), mls_bank, rng=random.Random(2))
    order_one = list(first.items.values_list("question_key", flat=True))
    order_two = list(second.items.values_list("question_key", flat=True))
    assert order_one != order_two
    authored = [
        list(item.question.choices.values_list("pk", flat=True)) for item in first.items.all()
    ]
    shown = [list(item.choices.values_list("choice_id", flat=True)) for item in first.items.all()]
    assert authored != shown  # choices reordered for the attempt
    assert [sorted(a) for a in authored] == [sorted(s) for s in shown]
    again = [list(item.choices.values_list("choice_id", flat=True)) for item in first.items.all()]
    assert shown == again


def candidates(domain, count, *, seen=None, tasks=(1,)):
    seen = seen or {}
    return [
        Candidate(domain * 100 + n, domain, tasks[n % len(tasks)], seen.get(domain * 100 + n))
        for n in range(count)
    ]


def test_unseen_questions_come_before_seen_ones():
    long_ago = datetime(2026, 1, 1, tzinfo=UTC)
    pool = candidates(1, 6, seen={100: long_ago, 101: long_ago, 102: long_ago})
    chosen, shortfalls = pick_questions(pool, {1: 3}, random.Random(0))
    assert sorted(chosen) == [103, 104, 105]
    assert shortfalls == {}


def test_seen_questions_return_oldest_first():
    base = datetime(2026, 1, 1, tzinfo=UTC)
    seen = {100 + n: base + timedelta(days=n) for n in range(6)}
    chosen, _ = pick_questions(candidates(1, 6, seen=seen), {1: 2}, random.Random(0))
    assert sorted(chosen) == [100, 101]


def test_a_domain_share_is_spread_across_task_statements():
    pool = candidates(1, 12, tasks=(1, 1, 1, 1, 2, 3))  # task 1 dominates the pool
    chosen, _ = pick_questions(pool, {1: 3}, random.Random(5))
    tasks = {c.task_statement_id for c in pool if c.question_id in chosen}
    assert tasks == {1, 2, 3}


def test_shortfalls_are_reported_per_domain():
    chosen, shortfalls = pick_questions(
        candidates(1, 2) + candidates(2, 5), {1: 3, 2: 3}, random.Random(0)
    )
    assert shortfalls == {1: (2, 3)}


def test_second_mock_avoids_the_first_mocks_questions_while_it_can(mls_bank, candidate):
    from django.utils import timezone

    first = start_mock(candidate, mls_bank, now=timezone.now() - timedelta(days=2))
    from attempts.services.deadline import attempt_finish

    attempt_finish(attempt=first, now=timezone.now() - timedelta(days=2), reason="submitted")
    second = start_mock(candidate, mls_bank)
    repeated = set(first.items.values_list("question_id", flat=True)) & set(
        second.items.values_list("question_id", flat=True)
    )
    # The bank has 13 spare questions, so exactly 65 - 13 questions must come back.
    assert len(repeated) == 65 - 13


def test_assembly_costs_the_same_queries_whatever_the_bank_size(
    mls_bank, candidate, django_assert_max_num_queries
):
    with django_assert_max_num_queries(SNAPSHOT_BUDGET) as small:
        start_mock(candidate, mls_bank)
    Attempt.objects.all().delete()
    from tests.factories import QuestionFactory

    for domain in mls_bank.domains.all():
        for n in range(25):
            QuestionFactory(domain=domain, key=f"more-{domain.number}-{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        start_mock(candidate, mls_bank)


# Case studies: whole when they fit, each question counted toward its own domain -------------


def test_a_case_study_comes_whole_when_its_domains_have_room():
    # Case 7: questions 100 (domain 1) and 200, 201 (domain 2); all unseen.
    pool = [Candidate(100, 1, 1, None, 7), Candidate(101, 1, 1, None)] + [
        Candidate(200, 2, 1, None, 7), Candidate(201, 2, 1, None, 7),
        Candidate(202, 2, 1, None), Candidate(203, 2, 1, None),
    ]  # fmt: skip
    for seed in range(20):
        chosen, shortfalls = pick_questions(pool, {1: 1, 2: 2}, random.Random(seed))
        assert shortfalls == {}
        assert len(chosen) == 3
        case = {100, 200, 201} & set(chosen)
        assert case in (set(), {100, 200, 201})  # never part of the case study alone
        assert sum(1 for q in chosen if q < 200) == 1  # domain shares are kept


def test_shares_are_still_filled_when_a_case_study_cannot_fit_whole():
    # Domain 2 has room for one question only, and every question of it is in case 7.
    pool = [Candidate(100, 1, 1, None, 7), Candidate(200, 2, 1, None, 7),
            Candidate(201, 2, 1, None, 7)]  # fmt: skip
    chosen, shortfalls = pick_questions(pool, {1: 1, 2: 1}, random.Random(0))
    assert shortfalls == {} and len(chosen) == 2
    assert 100 in chosen


def test_case_study_questions_are_served_at_adjacent_positions():
    from types import SimpleNamespace

    from attempts.services.starting import keep_case_studies_together

    questions = [SimpleNamespace(pk=n, case_study_id=7 if n % 3 == 0 else None) for n in range(12)]
    for seed in range(20):
        ordered = keep_case_studies_together(questions, random.Random(seed))
        positions = [i for i, q in enumerate(ordered) if q.case_study_id == 7]
        assert positions == list(range(positions[0], positions[0] + 4))


def test_assembly_costs_the_same_queries_whatever_other_candidates_have_sat(
    mls_bank, candidate, django_assert_max_num_queries
):
    with django_assert_max_num_queries(SNAPSHOT_BUDGET) as alone:
        first = start_mock(candidate, mls_bank)
    attempt_finish(attempt=first, now=timezone.now(), reason="submitted")
    for _ in range(3):
        other = start_mock(UserFactory(), mls_bank)
        attempt_finish(attempt=other, now=timezone.now(), reason="submitted")
    with django_assert_max_num_queries(len(alone.captured_queries)):
        start_mock(candidate, mls_bank)


def test_last_seen_reads_the_candidates_own_history_only(mls_bank, candidate):
    mine = start_mock(candidate, mls_bank)
    attempt_finish(attempt=mine, now=timezone.now(), reason="submitted")
    start_mock(UserFactory(), mls_bank)  # another candidate's sighting must not count
    last_seen = last_seen_by(candidate, mls_bank)
    assert set(last_seen) == set(mine.items.values_list("question_id", flat=True))
    assert set(last_seen.values()) == {mine.started_at}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="index-only scans are PostgreSQL's plan: run with DATABASE_URL=postgres://... (CI does)",
)
def test_the_random_draw_reads_only_the_index_of_published_questions(mls_bank, candidate):
    """The draw ranks every unseen question of the exam: it must find all it reads in the
    question_published_draw index, never in the wide question rows (stems, explanations).
    A column added to the draw fails here until the index holds it too."""
    domains = list(mls_bank.domains.order_by("number"))
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        mock_candidates(mls_bank, candidate, domain_shares(mls_bank, domains), random.Random(3))
    draw_sql, params = next((s, p) for s, p in captured if "ROW_NUMBER" in s.upper())
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # the test bank is tiny: plan as if large
        cursor.execute("EXPLAIN " + draw_sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "Index Only Scan using question_published_draw" in plan, plan
