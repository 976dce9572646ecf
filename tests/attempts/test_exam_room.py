"""The exam room: starting, resuming, saving answers (invariant 3), navigating, finishing."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from attempts.http import SESSION_ENDED
from attempts.models import Accommodation, Attempt, AttemptQuestion
from tests.attempts.helpers import (
    HTMX,
    answer_url,
    correct_positions,
    question_url,
    start_mock,
    wrong_positions,
)

pytestmark = pytest.mark.django_db


def start(client, exam, **data):
    return client.post(reverse("attempts:start", args=[exam.code]), data)


def test_exam_page_describes_the_mock_and_offers_start(candidate_client, mls_bank):
    body = candidate_client.get(reverse("attempts:exam", args=["MLS-C01"])).content.decode()
    assert "65 questions in 180 minutes" in body
    # Each domain's row carries its own weight and its largest-remainder share.
    rows = [
        ("1. Data Engineering", 20, 13),
        ("2. Exploratory Data Analysis", 24, 16),
        ("3. Modeling", 36, 23),
        ("4. Machine Learning Implementation and Operations", 20, 13),
    ]
    for title, weight, share in rows:
        assert f"<tr><td>{title}</td><td>{weight}%</td><td>{share}</td></tr>" in body
    assert "Start mock exam" in body
    assert "Add 30 minutes" in body


def test_starting_twice_resumes_the_one_in_progress_mock(candidate_client, mls_bank, candidate):
    first = start(candidate_client, mls_bank)
    second = start(candidate_client, mls_bank)
    assert Attempt.objects.filter(user=candidate).count() == 1
    assert first.url == second.url
    body = candidate_client.get(reverse("attempts:exam", args=["MLS-C01"])).content.decode()
    assert "Resume mock exam" in body


def test_deadline_is_start_plus_duration_plus_accommodation(candidate_client, mls_bank, candidate):
    start(candidate_client, mls_bank, accommodation="on")
    attempt = Attempt.objects.get(user=candidate)
    assert attempt.deadline - attempt.started_at == timedelta(minutes=210)


def test_instructor_granted_accommodation_applies_without_asking(mls_bank, candidate):
    Accommodation.objects.create(user=candidate, extra_minutes=30)
    attempt = start_mock(candidate, mls_bank)
    assert attempt.deadline - attempt.started_at == timedelta(minutes=210)


def test_question_page_shows_one_question_with_radio_or_checkboxes(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    item = attempt.items.filter(kind="multiple").first()
    body = candidate_client.get(question_url(attempt, item.position)).content.decode()
    assert "Choose TWO." in body
    assert body.count('type="checkbox" name="choice"') == 5
    single = attempt.items.filter(kind="single").first()
    body = candidate_client.get(question_url(attempt, single.position)).content.decode()
    assert body.count('type="radio" name="choice"') == 4
    assert f"Question {single.position} <span" in body


def test_htmx_save_persists_and_returns_only_the_status_and_palette(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    response = candidate_client.post(
        answer_url(attempt, 1), {"choice": ["2"], "struck": ["3"], "version": "0"}, headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="save-status"' in body and "Saved" in body
    assert 'id="palette-1"' in body and 'hx-swap-oob="true"' in body
    assert 'id="timer"' in body
    item = attempt.items.get(position=1)
    assert [c.position for c in item.choices.filter(selected=True)] == [2]
    assert [c.position for c in item.choices.filter(struck=True)] == [3]
    assert item.answered


def test_invariant_3_the_same_save_twice_leaves_the_same_state(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    for _ in range(2):
        response = candidate_client.post(
            answer_url(attempt), {"choice": ["1"], "flagged": "on", "version": "0"}, headers=HTMX
        )
        assert response.status_code == 200
    item = attempt.items.get(position=1)
    # The retry carried the version the first request already used up, but asked for exactly
    # what is stored: it is reported as saved and writes nothing more.
    assert (item.version, item.flagged) == (1, True)
    assert list(item.choices.filter(selected=True).values_list("position", flat=True)) == [1]


def test_invariant_3_a_save_from_an_outdated_page_is_refused_with_what_is_stored(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    candidate_client.post(answer_url(attempt), {"choice": ["3"], "version": "0"}, headers=HTMX)
    response = candidate_client.post(
        answer_url(attempt), {"choice": ["1"], "version": "0"}, headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == "#question-panel"
    assert "This answer was changed in another tab; this is what is saved." in body
    assert "Saved" not in body
    # The panel shows the stored choice (3) checked, and the version to save from next.
    assert 'value="3" checked' in body and 'value="1" checked' not in body
    assert 'name="version" id="answer-version" value="1"' in body
    item = attempt.items.get(position=1)
    assert list(item.choices.filter(selected=True).values_list("position", flat=True)) == [3]
    assert item.version == 1


def test_clearing_a_selection_is_saved_as_unanswered(candidate_client, small_exam, candidate):
    attempt = start_mock(candidate, small_exam)
    candidate_client.post(answer_url(attempt), {"choice": ["3"], "version": "0"}, headers=HTMX)
    candidate_client.post(answer_url(attempt), {"version": "1"}, headers=HTMX)
    item = attempt.items.get(position=1)
    assert not item.answered and not item.choices.filter(selected=True).exists()


def test_choosing_more_than_the_stated_number_is_refused_and_keeps_the_saved_answer(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    item = attempt.items.filter(kind="multiple").first()
    candidate_client.post(
        answer_url(attempt, item.position), {"choice": ["1", "2"], "version": "0"}, headers=HTMX
    )
    response = candidate_client.post(
        answer_url(attempt, item.position),
        {"choice": ["1", "2", "3"], "version": "1"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "Choose TWO." in response.content.decode()
    assert "not saved" in response.content.decode()
    assert list(item.choices.filter(selected=True).values_list("position", flat=True)) == [1, 2]
    item.refresh_from_db()
    assert item.version == 1


def test_nonsense_input_gets_a_message_not_a_500(candidate_client, small_exam, candidate):
    attempt = start_mock(candidate, small_exam)
    cases = (
        {"choice": ["9"], "version": "0"},
        {"choice": ["7"], "version": "0"},
        {"choice": ["x"], "version": "0"},
        {"version": "-4"},
        {"version": str(2**40)},
        {"version": "0", "go": "<script>"},
        {"choice": ["1"]},
    )
    for data in cases:
        response = candidate_client.post(answer_url(attempt), data, headers=HTMX)
        assert response.status_code in (400, 422), data
        assert "<script>" not in response.content.decode()
    assert not attempt.items.answered().exists()
    response = candidate_client.get(question_url(attempt, 99))
    assert response.status_code == 404


def test_invariant_3_plain_post_without_javascript_saves_and_redirects(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    post = candidate_client.post
    response = post(answer_url(attempt, 1), {"choice": ["2"], "go": "next", "version": "0"})
    assert response.status_code == 302 and response.url == question_url(attempt, 2)
    response = post(answer_url(attempt, 2), {"choice": ["1"], "go": "prev", "version": "0"})
    assert response.url == question_url(attempt, 1)
    # The same answer again, from the page as first rendered: already stored, so no conflict.
    response = post(answer_url(attempt, 2), {"choice": ["1"], "go": "review", "version": "0"})
    assert response.url == reverse("attempts:review", args=[attempt.pk])
    assert attempt.items.answered().count() == 2


def complete_answer(attempt, position) -> list[str]:
    """As many choices as the question asks for (question order is shuffled per attempt)."""
    select_count = attempt.items.get(position=position).select_count
    return [str(n) for n in range(1, select_count + 1)]


def test_htmx_next_returns_the_next_question_panel_and_pushes_its_url(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    response = candidate_client.post(
        answer_url(attempt, 1),
        {"choice": complete_answer(attempt, 1), "go": "next", "version": "0"},
        headers=HTMX,
    )
    body = response.content.decode()
    assert response.headers["HX-Push-Url"] == question_url(attempt, 2)
    assert response.headers["HX-Retarget"] == "#question-panel"
    assert body.lstrip().startswith('<section id="question-panel"')
    assert 'data-position="2"' in body
    # Only the cells that changed come back: the one answered and the new current one.
    assert '<nav id="palette"' not in body
    assert body.count('class="palette-cell') == 2
    assert 'id="palette-1" class="palette-cell is-answered"' in body
    assert 'id="palette-2" class="palette-cell is-unanswered is-current"' in body


def test_palette_navigation_returns_the_partial_alone(candidate_client, small_exam, candidate):
    attempt = start_mock(candidate, small_exam)
    response = candidate_client.get(question_url(attempt, 3), headers=HTMX)
    body = response.content.decode()
    assert "<html" not in body and 'data-position="3"' in body


def test_coming_back_resumes_at_the_same_question(candidate_client, small_exam, candidate):
    attempt = start_mock(candidate, small_exam)
    candidate_client.get(question_url(attempt, 7))
    response = start(candidate_client, small_exam)
    assert response.url == question_url(attempt, 7)


def test_review_screen_lists_answered_unanswered_and_flagged(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    candidate_client.post(
        answer_url(attempt, 1),
        {"choice": complete_answer(attempt, 1), "version": "0"},
        headers=HTMX,
    )
    candidate_client.post(answer_url(attempt, 2), {"flagged": "on", "version": "0"}, headers=HTMX)
    body = candidate_client.get(reverse("attempts:review", args=[attempt.pk])).content.decode()
    assert "1 of 10 answered · 0 incomplete · 9 unanswered · 1 flagged" in body
    body = candidate_client.get(
        reverse("attempts:review", args=[attempt.pk]), {"show": "flagged"}
    ).content.decode()
    assert 'aria-label="Question 2, unanswered, flagged"' in body
    assert 'aria-label="Question 1,' not in body


def test_end_exam_confirmation_names_unanswered_and_flagged(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    for position in range(1, 9):
        candidate_client.post(
            answer_url(attempt, position), {"choice": ["1"], "version": "0"}, headers=HTMX
        )
    candidate_client.post(
        answer_url(attempt, 4), {"choice": ["1"], "flagged": "on", "version": "1"}, headers=HTMX
    )
    body = candidate_client.get(reverse("attempts:finish", args=[attempt.pk])).content.decode()
    assert "2 unanswered" in body and ">9</a>, <a" in body and ">10</a>" in body
    assert "1 flagged for review" in body


def test_finishing_scores_and_shows_the_results(candidate_client, small_exam, candidate):
    attempt = start_mock(candidate, small_exam)
    items = list(attempt.items.prefetch_related("choices"))
    for item in items[:8]:
        candidate_client.post(
            answer_url(attempt, item.position),
            {"choice": [str(p) for p in correct_positions(item)], "version": "0"},
            headers=HTMX,
        )
    item = items[8]
    candidate_client.post(
        answer_url(attempt, item.position),
        {"choice": [str(wrong_positions(item)[0])], "version": "0"},
        headers=HTMX,
    )
    response = candidate_client.post(reverse("attempts:finish", args=[attempt.pk]), follow=True)
    attempt.refresh_from_db()
    assert (attempt.correct_count, attempt.status) == (8, "finished")
    # 8/10 = 0.8 > 0.72: 750 + 250 * 0.08 / 0.28 = 821.4 -> 821.
    assert attempt.scaled_score == 821 and attempt.passed
    body = response.content.decode()
    assert 'data-testid="scaled-score">821<' in body
    assert "Pass" in body and "8 of 10" in body and "1 left unanswered" in body
    assert "Meets competencies" in body or "Needs improvement" in body


def test_invariant_7_multiple_response_with_one_of_two_right_scores_nothing(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    item = attempt.items.filter(kind="multiple").first()
    right = correct_positions(item)
    wrong = wrong_positions(item)
    candidate_client.post(
        answer_url(attempt, item.position),
        {"choice": [str(right[0]), str(wrong[0])], "version": "0"},
        headers=HTMX,
    )
    candidate_client.post(reverse("attempts:finish", args=[attempt.pk]))
    item.refresh_from_db()
    assert item.is_correct is False
    assert AttemptQuestion.objects.filter(attempt=attempt, is_correct=True).count() == 0


def test_per_domain_results_mark_meets_or_needs_improvement(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    for item in attempt.items.filter(domain__number__in=[2, 3]).prefetch_related("choices"):
        candidate_client.post(
            answer_url(attempt, item.position),
            {"choice": [str(p) for p in correct_positions(item)], "version": "0"},
            headers=HTMX,
        )
    candidate_client.post(reverse("attempts:finish", args=[attempt.pk]))
    body = candidate_client.get(reverse("attempts:results", args=[attempt.pk])).content.decode()
    assert body.count("Meets competencies") == 2
    assert body.count("Needs improvement") == 2


def test_results_history_lists_past_scores(candidate_client, small_exam, candidate):
    from attempts.services.deadline import attempt_finish

    past = start_mock(candidate, small_exam, now=timezone.now() - timedelta(days=1))
    attempt_finish(attempt=past, now=timezone.now() - timedelta(days=1), reason="submitted")
    latest = start_mock(candidate, small_exam)
    attempt_finish(attempt=latest, now=timezone.now(), reason="submitted")
    body = candidate_client.get(reverse("attempts:results", args=[latest.pk])).content.decode()
    assert reverse("attempts:results", args=[past.pk]) in body
    exam_page = candidate_client.get(
        reverse("attempts:exam", args=[small_exam.code])
    ).content.decode()
    assert exam_page.count(">Results</a>") == 2


def test_a_finished_attempt_refuses_more_answers_and_goes_to_results(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    candidate_client.post(reverse("attempts:finish", args=[attempt.pk]))
    response = candidate_client.post(answer_url(attempt), {"choice": ["1"], "version": "0"})
    assert response.url == reverse("attempts:results", args=[attempt.pk])
    assert not attempt.items.answered().exists()
    assert candidate_client.get(question_url(attempt)).url == reverse(
        "attempts:results", args=[attempt.pk]
    )


def test_exam_pages_need_a_login(client, small_exam):
    response = client.get(reverse("attempts:exam", args=[small_exam.code]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_history_restore_gets_the_whole_page_and_partials_vary_on_hx_request(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    partial = candidate_client.get(question_url(attempt, 2), headers=HTMX)
    assert "<html" not in partial.content.decode()
    assert "HX-Request" in partial.headers["Vary"]
    assert "no-store" in partial.headers["Cache-Control"]
    restore = candidate_client.get(
        question_url(attempt, 2), headers={**HTMX, "HX-History-Restore-Request": "true"}
    )
    body = restore.content.decode()
    assert "<html" in body and 'id="auto-finish-form"' in body and 'class="exam-bar"' in body


def test_every_htmx_request_to_an_ended_attempt_is_sent_to_its_results(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    candidate_client.post(reverse("attempts:finish", args=[attempt.pk]))
    results = reverse("attempts:results", args=[attempt.pk])
    requests = [
        lambda: candidate_client.get(question_url(attempt, 2), headers=HTMX),
        lambda: candidate_client.get(reverse("attempts:clock", args=[attempt.pk]), headers=HTMX),
        lambda: candidate_client.post(
            answer_url(attempt, 1), {"choice": ["1"], "version": "0"}, headers=HTMX
        ),
    ]
    for request in requests:
        response = request()
        assert response.status_code == 200 and response.headers["HX-Redirect"] == results
    page = candidate_client.get(results).content.decode()
    assert "already ended" in page and "Time is over" not in page


def test_an_htmx_save_after_logging_out_elsewhere_gets_a_401_not_the_login_page(
    client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    response = client.post(answer_url(attempt, 1), {"choice": ["1"], "version": "0"}, headers=HTMX)
    assert response.status_code == 401
    assert response.content.decode() == SESSION_ENDED  # the room's script shows it as it is
    assert "Your session ended; log in again" in SESSION_ENDED


def test_a_forged_automatic_submission_to_an_untimed_drill_is_refused(
    candidate_client, mls_bank, candidate
):
    candidate_client.post(
        reverse("attempts:drill_start", args=[mls_bank.code]),
        {"scope": "weak", "length": "10"},
    )
    drill = Attempt.objects.get(user=candidate, mode="drill")
    response = candidate_client.post(reverse("attempts:finish", args=[drill.pk]), {"auto": "1"})
    assert response.status_code == 302
    drill.refresh_from_db()
    assert drill.is_in_progress


def test_an_automatic_submission_before_the_server_s_deadline_is_sent_back(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    response = candidate_client.post(reverse("attempts:finish", args=[attempt.pk]), {"auto": "1"})
    assert response.url == question_url(attempt, 1)
    attempt.refresh_from_db()
    assert attempt.is_in_progress


def test_pace_counts_answered_questions_when_a_mock_ends_early(
    candidate_client, small_exam, candidate
):
    started = timezone.now() - timedelta(minutes=3)
    attempt = start_mock(candidate, small_exam, now=started)
    candidate_client.post(answer_url(attempt, 1), {"choice": ["1"], "version": "0"}, headers=HTMX)
    candidate_client.post(answer_url(attempt, 2), {"choice": ["1"], "version": "0"}, headers=HTMX)
    candidate_client.post(reverse("attempts:finish", args=[attempt.pk]))
    page = candidate_client.get(reverse("attempts:results", args=[attempt.pk])).content.decode()
    # About three minutes over two answered questions: 1 min 30 s each, never "0 s".
    assert re.search(r'data-testid="pace">1 min 3\d s per answered question', page)


def test_time_on_each_question_is_added_up_from_the_candidate_s_visits(
    candidate_client, small_exam, candidate
):
    start = timezone.now()
    attempt = start_mock(candidate, small_exam, now=start)
    with time_machine.travel(start, tick=False) as clock:
        candidate_client.get(question_url(attempt, 1))
        clock.shift(timedelta(seconds=40))
        candidate_client.get(question_url(attempt, 1))  # a reload: the visit goes on
        clock.shift(timedelta(seconds=5))
        candidate_client.get(question_url(attempt, 2))
        clock.shift(timedelta(minutes=20))  # a tab left open counts at most 15 minutes
        candidate_client.get(question_url(attempt, 1))
        clock.shift(timedelta(seconds=30))
        candidate_client.post(reverse("attempts:finish", args=[attempt.pk]))
    spent = dict(attempt.items.values_list("position", "seconds_spent"))
    assert spent[1] == 45 + 30 and spent[2] == 15 * 60
    assert all(spent[position] == 0 for position in range(3, 11))


def test_review_screen_shows_a_stem_snippet_beside_each_number_and_offers_walks(
    candidate_client, candidate, small_exam
):
    attempt = start_mock(candidate, small_exam)
    attempt.items.filter(position__in=[2, 5]).update(flagged=True)
    body = candidate_client.get(reverse("attempts:review", args=[attempt.pk])).content.decode()
    for item in attempt.items.all():
        assert item.stem[:40] in body
    assert f'href="{question_url(attempt, 2)}?walk=flagged"' in body
    assert f'href="{question_url(attempt, 1)}?walk=incomplete"' in body


def test_in_a_walk_next_and_previous_visit_only_its_questions_then_return_to_review(
    candidate_client, candidate, small_exam, django_assert_max_num_queries
):
    attempt = start_mock(candidate, small_exam)
    attempt.items.filter(position__in=[2, 5, 7]).update(flagged=True)
    page = candidate_client.get(question_url(attempt, 2) + "?walk=flagged").content.decode()
    assert 'name="walk" value="flagged"' in page and "Next flagged" in page
    assert re.search(r'value="prev"[^>]*\s+disabled>', page)  # the walk's first question

    # The form's own Next, with JavaScript: the next flagged question, its address kept. A walk
    # costs one palette read on top of an ordinary "save and next" (10, test_query_budgets).
    with django_assert_max_num_queries(11):
        response = candidate_client.post(
            answer_url(attempt, 2),
            {"flagged": "on", "go": "next", "walk": "flagged", "version": "0"},
            headers=HTMX,
        )
    assert response.headers["HX-Push-Url"] == question_url(attempt, 5) + "?walk=flagged"
    assert 'data-position="5"' in response.content.decode()

    # Unflagging 5 and pressing Next goes on to 7; Previous from 7 skips 5 and returns to 2.
    candidate_client.post(
        answer_url(attempt, 5), {"go": "next", "walk": "flagged", "version": "0"}, headers=HTMX
    )
    assert not attempt.items.get(position=5).flagged
    response = candidate_client.post(
        answer_url(attempt, 7),
        {"flagged": "on", "go": "prev", "walk": "flagged", "version": "0"},
        headers=HTMX,
    )
    assert response.headers["HX-Push-Url"] == question_url(attempt, 2) + "?walk=flagged"

    # Without JavaScript the same walk, and Next at its last question is the review screen.
    last = candidate_client.get(question_url(attempt, 7) + "?walk=flagged").content.decode()
    assert "Back to review" in last and "Next flagged" not in last
    response = candidate_client.post(
        answer_url(attempt, 7), {"flagged": "on", "go": "next", "walk": "flagged", "version": "0"}
    )
    assert response.url == reverse("attempts:review", args=[attempt.pk])

    plain = candidate_client.get(question_url(attempt, 2)).content.decode()
    assert 'data-testid="walk-nav"' not in plain and 'name="walk"' not in plain


def test_the_incomplete_walk_skips_questions_answered_meanwhile(
    candidate_client, candidate, small_exam
):
    attempt = start_mock(candidate, small_exam)
    candidate_client.post(
        answer_url(attempt, 2), {"choice": complete_answer(attempt, 2), "version": "0"}
    )
    response = candidate_client.post(
        answer_url(attempt, 1),
        {"choice": complete_answer(attempt, 1), "go": "next", "walk": "incomplete", "version": "0"},
    )
    assert response.url == question_url(attempt, 3) + "?walk=incomplete"
