"""A quick mock: twenty blueprint-weighted questions at the exam's pace, scored and reviewed like a
mock, kept apart from full mocks in history and analytics."""

from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from attempts import analytics, selectors
from attempts.drills import drillable
from attempts.models import Attempt
from attempts.services.deadline import attempt_finish
from attempts.services.starting import attempt_start_quick_mock
from tests.attempts.helpers import HTMX, answer_url, correct_positions, question_url, start_mock

pytestmark = pytest.mark.django_db


def start_quick(client, exam):
    return client.post(reverse("attempts:quick_start", args=[exam.code]))


def quick_of(user) -> Attempt:
    return Attempt.objects.get(user=user, mode="quick")


def test_a_quick_mock_has_twenty_questions_weighted_like_the_blueprint_at_the_exam_pace(
    candidate_client, candidate, mls_bank
):
    response = start_quick(candidate_client, mls_bank)
    quick = quick_of(candidate)
    assert response.url == question_url(quick, 1)
    assert quick.question_count == 20
    # MLS-C01 weights 20/24/36/20 apportioned over 20 seats.
    per_domain = Counter(quick.items.values_list("domain_number", flat=True))
    assert per_domain == {1: 4, 2: 5, 3: 7, 4: 4}
    assert quick.allowed_seconds == round(180 * 60 * 20 / 65)
    assert quick.deadline - quick.started_at == timezone.timedelta(seconds=quick.allowed_seconds)
    assert quick.budget_seconds_per_question == round(180 * 60 / 65)


def test_starting_a_quick_mock_again_resumes_it(candidate_client, candidate, mls_bank):
    start_quick(candidate_client, mls_bank)
    start_quick(candidate_client, mls_bank)
    assert Attempt.objects.filter(user=candidate, mode="quick").count() == 1


def test_a_quick_mock_keeps_its_keys_secret_until_it_ends(candidate_client, candidate, mls_bank):
    start_quick(candidate_client, mls_bank)
    quick = quick_of(candidate)
    item = quick.items.prefetch_related("choices").get(position=1)
    page = candidate_client.get(question_url(quick, 1)).content.decode()
    assert item.explanation not in page
    assert not any(c.rationale in page for c in item.choices.all())
    # A drill started meanwhile never serves one of its questions (it would show the key).
    served = set(quick.items.values_list("question_id", flat=True))
    assert not served & set(drillable(mls_bank, candidate).values_list("pk", flat=True))


def test_a_quick_mock_is_scored_and_reviewed_like_a_mock(candidate_client, candidate, mls_bank):
    start_quick(candidate_client, mls_bank)
    quick = quick_of(candidate)
    item = quick.items.prefetch_related("choices").get(position=1)
    candidate_client.post(
        answer_url(quick, 1), {"choice": correct_positions(item), "version": 0}, headers=HTMX
    )
    candidate_client.post(reverse("attempts:finish", args=[quick.pk]))
    quick.refresh_from_db()
    assert quick.correct_count == 1 and quick.scaled_score is not None
    assert quick.passed is False
    body = candidate_client.get(reverse("attempts:results", args=[quick.pk])).content.decode()
    assert "quick mock of" in body and 'data-testid="scaled-score"' in body
    review = candidate_client.get(reverse("attempts:answer_detail", args=[quick.pk, 1]))
    assert item.explanation in review.content.decode()


def test_quick_mocks_stay_out_of_full_mock_history_and_the_score_trend(
    candidate_client, candidate, mls_bank
):
    quick, _ = attempt_start_quick_mock(user=candidate, exam=mls_bank, now=timezone.now())
    attempt_finish(attempt=quick, now=timezone.now(), reason="submitted")
    mock = start_mock(candidate, mls_bank)
    attempt_finish(attempt=mock, now=timezone.now(), reason="submitted")
    assert selectors.exam_history(candidate, mls_bank) == [mock]
    assert selectors.quick_mock_history(candidate, mls_bank) == [quick]
    mocks_only = analytics.ProgressFilter(mode="mock").attempts(candidate, mls_bank)
    assert list(mocks_only.values_list("pk", flat=True)) == [mock.pk]
    body = candidate_client.get(reverse("attempts:exam", args=[mls_bank.code])).content.decode()
    assert 'data-testid="quick-history"' in body
