"""The Progress page's figures, worked out by hand on small datasets, and its cost."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attempts import analytics
from attempts.models import AttemptQuestion, ReviewCard
from tests.attempts.analytics_data import T0, finished
from tests.attempts.helpers import HTMX
from tests.factories import (
    DomainFactory,
    ExamFactory,
    QuestionFactory,
    ServiceFactory,
    TaskStatementFactory,
)

pytestmark = pytest.mark.django_db

RIGHT, WRONG = [0], [1]  # factory questions: the first choice is the key


@pytest.fixture
def exam():
    """Two domains (60/40) of a 10-question, 30-minute exam; two task statements in domain 1."""
    exam = ExamFactory(code="HAND-01", question_count=10, duration_minutes=30)
    d1 = DomainFactory(exam=exam, number=1, weight_percent=60, title="Data")
    d2 = DomainFactory(exam=exam, number=2, weight_percent=40, title="Modeling")
    t11 = TaskStatementFactory(domain=d1, code="1.1")
    t12 = TaskStatementFactory(domain=d1, code="1.2")
    s3 = ServiceFactory(name="Amazon S3", slug="s3")
    exam.q = []
    for i in range(3):
        q = QuestionFactory(domain=d1, task_statement=t11 if i < 2 else t12, key=f"a{i}")
        q.services.add(s3)
        exam.q.append(q)
    exam.q += [QuestionFactory(domain=d2, key=f"b{i}") for i in range(2)]
    return exam


def figures(user, exam, **query):
    return analytics.progress(
        user, exam, analytics.ProgressFilter.from_query(query), timezone.now()
    )


def two_mocks_and_a_drill(user, exam):
    a0, a1, a2, b0, b1 = exam.q
    finished(user, exam, [(a0, RIGHT, 30), (a1, WRONG, 60), (a2, RIGHT, 90), (b0, WRONG, 40),
                          (b1, WRONG, 100)], day=0, scaled_score=500)  # fmt: skip
    finished(user, exam, [(a0, RIGHT, 20), (a1, RIGHT, 20), (a2, RIGHT, 20), (b0, RIGHT, 200),
                          (b1, WRONG, 0)], day=1, scaled_score=820)  # fmt: skip
    finished(user, exam, [(a1, WRONG, 10), (b0, RIGHT, 50)], mode="drill", day=2)


def test_share_right_per_domain_and_task_statement_counts_mocks_and_drills(candidate, exam):
    two_mocks_and_a_drill(candidate, exam)
    data = figures(candidate, exam)
    # Domain 1: mock 1 two of three, mock 2 three of three, drill none of one: 5 of 7.
    # Domain 2: mock 1 none of two, mock 2 one of two, drill one of one: 2 of 5.
    assert [(s.right, s.answered) for s in data["by_domain"]] == [(5, 7), (2, 5)]
    assert [s.percent for s in data["by_domain"]] == [71, 40]
    # Task 1.1 (a0, a1): 3 of 5; task 1.2 (a2): 2 of 2.
    assert [(s.label[:3], s.right, s.answered) for s in data["by_task"]] == [
        ("1.1", 3, 5), ("1.2", 2, 2)
    ]  # fmt: skip


def test_service_accuracy_joins_the_links_it_counts_and_no_others(candidate, exam):
    """Grouped through an inner join to the served questions' links: the old anti-join over
    every candidate's links was estimated so high that PostgreSQL JIT-compiled it."""
    two_mocks_and_a_drill(candidate, exam)
    items = AttemptQuestion.objects.filter(attempt__user=candidate)
    with CaptureQueriesContext(connection) as captured:
        shares = analytics.service_shares(items)
    assert [(s.label, s.right, s.answered) for s in shares] == [("Amazon S3", 5, 7)]
    (sql,) = [q["sql"] for q in captured.captured_queries]
    assert "INNER JOIN" in sql and "EXISTS" not in sql and "LEFT OUTER" not in sql


def test_the_mode_filter_counts_only_mocks_or_only_drills(candidate, exam):
    two_mocks_and_a_drill(candidate, exam)
    assert [(s.right, s.answered) for s in figures(candidate, exam, mode="mock")["by_domain"]] == [
        (5, 6), (1, 4)
    ]  # fmt: skip
    drills = figures(candidate, exam, mode="drill")["by_domain"]
    assert [(s.right, s.answered) for s in drills] == [(0, 1), (1, 1)]


def test_the_window_filter_keeps_the_most_recent_attempts(candidate, exam):
    two_mocks_and_a_drill(candidate, exam)
    for day in range(3, 8):
        finished(candidate, exam, [(exam.q[0], WRONG, 5)], mode="drill", day=day)
    # The last five are the five one-question drills, all wrong in domain 1.
    data = figures(candidate, exam, last="5")
    assert [(s.right, s.answered) for s in data["by_domain"]] == [(0, 5), (0, 0)]


def test_score_trend_and_change_since_the_last_mock(candidate, exam):
    two_mocks_and_a_drill(candidate, exam)
    data = figures(candidate, exam)
    assert [m.scaled_score for m in data["trend"]] == [500, 820]
    assert data["change"] == 320


def test_weakest_areas_need_three_answers_and_come_lowest_first(candidate, exam):
    two_mocks_and_a_drill(candidate, exam)
    data = figures(candidate, exam)
    assert [(s.label[:3], s.percent) for s in data["weakest_tasks"]] == [("1.1", 60)]
    # S3 is on a0-a2: 5 right of 7.
    assert [(s.label, s.right, s.answered) for s in data["weakest_services"]] == [
        ("Amazon S3", 5, 7)
    ]


def test_pace_is_the_median_of_timed_questions_against_the_exam_budget(candidate, exam):
    two_mocks_and_a_drill(candidate, exam)
    data = figures(candidate, exam)
    # Domain 1: 30, 60, 90, 20, 20, 20, 10 -> median 20. Domain 2: 40, 100, 200, 50 (the
    # 0 s visit is not timed) -> median (50 + 100) / 2 = 75.
    assert [(p.median_seconds, p.questions) for p in data["pace"]] == [(20, 7), (75, 4)]
    assert data["budget"] == 180  # 30 min * 60 / 10 questions
    assert [i.seconds_spent for i in data["longest"]][:3] == [200, 100, 90]


def test_readiness_uses_every_finished_attempt_weighted_by_recency(candidate, exam):
    two_mocks_and_a_drill(candidate, exam)
    data = figures(candidate, exam, mode="drill", last="5")
    r = data["readiness"]
    # Ages: drill 0 (w 1), mock 2 age 1 (w 0.5^(1/3) = 0.793701), mock 1 age 2 (w 0.629961).
    w1, w2 = 0.5 ** (1 / 3), 0.5 ** (2 / 3)
    n1, r1 = 1 + 3 * w1 + 3 * w2, 0 + 3 * w1 + 2 * w2
    n2, r2 = 1 + 2 * w1 + 2 * w2, 1 + 1 * w1 + 0 * w2
    m = (r1 + r2 + 6) / (n1 + n2 + 10)
    p1, p2 = (r1 + 10 * m) / (n1 + 10), (r2 + 10 * m) / (n2 + 10)
    assert r.share == pytest.approx(0.6 * p1 + 0.4 * p2)  # seats 6 and 4 of 10
    assert r.low < r.score < r.high
    # Ten more points in Data (60% of the exam) add 0.06 of share; in Modeling only 0.04,
    # although Modeling is the weaker domain.
    assert data["mover"].title == "Data" and not data["mover_is_weakest"]


def test_spaced_repetition_counts_due_now_and_later_by_domain(candidate, exam):
    now = timezone.now()
    a0, a1, _, b0, _ = exam.q
    for question, due in [(a0, now - timedelta(hours=1)), (a1, now + timedelta(days=2)),
                          (b0, now + timedelta(days=1))]:  # fmt: skip
        ReviewCard.objects.create(
            user=candidate, question=question, due_at=due, last_answered_at=T0
        )
    ReviewCard.objects.create(
        user=candidate, question=exam.q[2], box=9, due_at=now, last_answered_at=T0
    )
    data = figures(candidate, exam)
    assert [(d.due_now, d.later) for d in data["due"]] == [(1, 1), (0, 1)]


def test_a_filter_link_asked_by_htmx_returns_the_sections_alone(candidate_client, candidate, exam):
    two_mocks_and_a_drill(candidate, exam)
    url = reverse("attempts:progress", args=[exam.code]) + "?last=5&mode=mock"
    partial = candidate_client.get(url, headers=HTMX)
    assert partial.status_code == 200
    body = partial.content.decode()
    assert body.lstrip().startswith('<div id="progress-sections"')
    assert "<html" not in body
    assert "HX-Request" in partial["Vary"]
    page = candidate_client.get(url)
    assert (
        "<html" in page.content.decode()
        and 'hx-get="?last=10&amp;mode=mock"' in page.content.decode()
    )


def test_drill_this_posts_a_drill_on_exactly_that_task_statement(candidate_client, candidate, exam):
    two_mocks_and_a_drill(candidate, exam)
    page = candidate_client.get(reverse("attempts:progress", args=[exam.code])).content.decode()
    task = exam.q[0].task_statement
    assert f'name="task" value="{task.pk}"' in page
    response = candidate_client.post(
        reverse("attempts:drill_start", args=[exam.code]),
        {"scope": "task", "task": task.pk, "length": "10"},
    )
    assert response.status_code == 302
    drill = candidate.attempts.filter(mode="drill", status="in_progress").get()
    assert set(drill.items.values_list("task_statement", flat=True)) == {task.pk}


def test_progress_page_needs_a_login(client, exam):
    response = client.get(reverse("attempts:progress", args=[exam.code]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def count_queries(client, exam, django_assert_max_num_queries):
    url = reverse("attempts:progress", args=[exam.code])
    with django_assert_max_num_queries(20) as captured:
        assert client.get(url + "?last=all").status_code == 200
    return len(captured.captured_queries)


def test_progress_page_queries_do_not_grow_with_the_number_of_attempts(
    candidate_client, candidate, exam, django_assert_max_num_queries
):
    a0, a1, a2, b0, b1 = exam.q
    answers = [(a0, RIGHT, 30), (a1, WRONG, 60), (a2, RIGHT, 90), (b0, WRONG, 40), (b1, RIGHT, 9)]
    finished(candidate, exam, answers, day=0)
    one = count_queries(candidate_client, exam, django_assert_max_num_queries)
    for day in range(1, 200):
        finished(candidate, exam, answers, day=day % 29, mode="drill" if day % 3 else "mock")
    two_hundred = count_queries(candidate_client, exam, django_assert_max_num_queries)
    assert one == two_hundred
    print(f"progress page: {one} queries at 1 attempt, {two_hundred} at 200")
