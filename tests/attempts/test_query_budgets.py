"""Pages of the exam room cost a fixed number of queries, whatever the size of the exam or
the candidate's history (measured at two sizes each)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from attempts.services.deadline import attempt_finish
from tests.attempts.helpers import HTMX, answer_url, question_url, start_mock

pytestmark = pytest.mark.django_db

# Lowered from 12 / 14 / 17 / 10 / 10 when the save path was rebuilt around one service, then
# from 8 / 9 / 14 when an item and its choices became one read, navigation reads the next
# question with the saved one, and a move writes the two questions in one UPDATE (issue 15).
# Each includes the session and user reads and the test's savepoints.
BUDGET = {"question": 7, "save": 8, "navigate": 10, "review": 4, "results": 6}


def measure(client, attempt, django_assert_max_num_queries) -> dict[str, int]:
    counts = {}
    requests = {
        "question": lambda: client.get(question_url(attempt, 2)),
        "save": lambda: client.post(
            answer_url(attempt, 2), {"choice": ["1"], "version": "0"}, headers=HTMX
        ),
        "navigate": lambda: client.post(
            answer_url(attempt, 2), {"choice": ["2"], "go": "next", "version": "1"}, headers=HTMX
        ),
        "review": lambda: client.get(reverse("attempts:review", args=[attempt.pk])),
    }
    for name, request in requests.items():
        with django_assert_max_num_queries(BUDGET[name]) as captured:
            assert request().status_code == 200
        counts[name] = len(captured.captured_queries)
    attempt_finish(attempt=attempt, now=timezone.now(), reason="submitted")
    with django_assert_max_num_queries(BUDGET["results"]) as captured:
        assert client.get(reverse("attempts:results", args=[attempt.pk])).status_code == 200
    counts["results"] = len(captured.captured_queries)
    return counts


def test_exam_room_queries_do_not_grow_with_the_number_of_questions(
    client, small_exam, mls_bank, django_assert_max_num_queries
):
    from tests.factories import UserFactory

    small_user, large_user = UserFactory(), UserFactory()
    client.force_login(small_user)
    ten = measure(client, start_mock(small_user, small_exam), django_assert_max_num_queries)
    client.force_login(large_user)
    sixty_five = measure(client, start_mock(large_user, mls_bank), django_assert_max_num_queries)
    assert ten == sixty_five


def test_exam_room_queries_do_not_grow_with_the_number_of_attempts(
    candidate_client, candidate, small_exam, django_assert_max_num_queries
):
    first = measure(
        candidate_client, start_mock(candidate, small_exam), django_assert_max_num_queries
    )
    for _ in range(49):
        attempt_finish(
            attempt=start_mock(candidate, small_exam), now=timezone.now(), reason="submitted"
        )
    fiftieth = measure(
        candidate_client, start_mock(candidate, small_exam), django_assert_max_num_queries
    )
    assert first == fiftieth
