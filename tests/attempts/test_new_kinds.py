"""Ordering, matching and case studies in attempts: snapshot (invariant 4), secrecy
(invariant 1), saving with versions and conflicts (invariant 3), scoring (invariant 7)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from attempts.models import AttemptChoice, AttemptQuestion
from attempts.services.deadline import finish_by_candidate
from questions.models import Choice, Question
from tests.attempts.helpers import HTMX, answer_url, question_url, start_mock
from tests.mla_bank import PROMPTS, RESPONSES, STEPS, mla_mini_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def mini(db):
    return mla_mini_exam()


def item_of(attempt, key) -> AttemptQuestion:
    return attempt.items.prefetch_related("choices").get(question_key=key)


def right_places(item) -> dict[str, str]:
    """The form fields of a fully right answer: every step or prompt at its key."""
    return {f"place_{c.position}": str(c.key) for c in item.choices.all()}


def test_invariant_4_snapshot_copies_steps_prompts_responses_and_the_case_study(candidate, mini):
    attempt = start_mock(candidate, mini)
    ordering = item_of(attempt, "m-order")
    by_key = {c.key: c.text for c in ordering.choices.all()}
    assert [by_key[n] for n in range(1, 5)] == STEPS
    assert [c.text for c in ordering.choices.all()] != STEPS  # shown shuffled, never the key
    assert ordering.select_count == 4
    matching = item_of(attempt, "m-match")
    assert sorted(matching.responses) == sorted(RESPONSES)
    assert {c.text: c.key_text for c in matching.choices.all()} == dict(PROMPTS)
    case_item = item_of(attempt, "m-case-single")
    assert (case_item.case_title, case_item.case_key) == ("Claims triage", "cs-claims")
    # Re-keying, rewording and retiring afterwards change nothing in the attempt.
    question = Question.objects.get(key="m-match")
    question.responses = "Something else\nAnother\nThird"
    question.status = Question.Status.RETIRED
    question.save()
    Choice.objects.filter(question__key="m-order").update(text="Edited")
    question_case = Question.objects.get(key="m-case-single").case_study
    question_case.scenario = "Edited scenario"
    question_case.save()
    assert item_of(attempt, "m-match").responses == matching.responses
    assert sorted(c.text for c in item_of(attempt, "m-order").choices.all()) == sorted(STEPS)
    assert "claims" in item_of(attempt, "m-case-single").case_scenario


def test_a_case_studys_questions_sit_at_adjacent_positions_and_count_for_their_domain(
    candidate, mini
):
    for _ in range(5):
        attempt = start_mock(candidate, mini)
        positions = sorted(attempt.items.exclude(case_key="").values_list("position", flat=True))
        assert positions == list(range(positions[0], positions[0] + 3))
        assert attempt.items.filter(domain_number=2).count() == 3
        finish_by_candidate(attempt=attempt, now=timezone.now())


def test_invariant_1_no_room_response_reveals_the_order_or_the_matches(
    candidate_client, candidate, mini
):
    attempt = start_mock(candidate, mini)
    secrets = []
    for item in attempt.items.prefetch_related("choices"):
        secrets.append(item.explanation)
        secrets.extend(c.rationale for c in item.choices.all())
    pages = []
    for position in range(1, attempt.question_count + 1):
        pages.append(candidate_client.get(question_url(attempt, position)))
        pages.append(candidate_client.get(question_url(attempt, position), headers=HTMX))
        pages.append(
            candidate_client.post(
                answer_url(attempt, position), {"place_1": "1", "version": "0"}, headers=HTMX
            )
        )
    for response in pages:
        body = response.content.decode()
        assert not [s for s in secrets if s in body]
        assert "is-key" not in body and "Correct" not in body and "(right)" not in body
    ordering = item_of(attempt, "m-order")
    body = candidate_client.get(question_url(attempt, ordering.position)).content.decode()
    shown = [text for text in STEPS if text in body]
    assert sorted(shown, key=body.index) != STEPS  # never listed in the correct order
    matching = item_of(attempt, "m-match")
    body = candidate_client.get(question_url(attempt, matching.position)).content.decode()
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', body)
    # Every prompt's list offers the responses in the attempt's order, none marked for it.
    assert [text for _, text in options[:4]] == matching.responses
    assert all(options[i * 4 : i * 4 + 4] == options[:4] for i in range(3))


def test_an_ordering_answer_is_incomplete_until_every_step_has_a_place(
    candidate_client, candidate, mini
):
    attempt = start_mock(candidate, mini)
    item = item_of(attempt, "m-order")
    response = candidate_client.post(
        answer_url(attempt, item.position), {"place_1": "2", "version": "0"}, headers=HTMX
    )
    assert response.status_code == 200
    assert f'id="palette-{item.position}" class="palette-cell is-incomplete' in (
        response.content.decode()
    )
    page = candidate_client.get(question_url(attempt, item.position)).content.decode()
    assert "Incomplete: Put the FOUR steps in order." in page
    item.refresh_from_db()
    assert (item.answer_state, item.version) == ("incomplete", 1)
    form = {**right_places(item_of(attempt, "m-order")), "version": "1"}
    response = candidate_client.post(answer_url(attempt, item.position), form, headers=HTMX)
    assert "Saved" in response.content.decode()
    item.refresh_from_db()
    assert (item.answer_state, item.selected_count) == ("answered", 4)


def test_saving_an_ordering_answer_from_an_old_version_is_a_conflict(
    candidate_client, candidate, mini
):
    attempt = start_mock(candidate, mini)
    item = item_of(attempt, "m-order")
    url = answer_url(attempt, item.position)
    first = {"place_1": "1", "place_2": "2", "version": "0"}
    assert candidate_client.post(url, first, headers=HTMX).status_code == 200
    # The same request again (a retry) is harmless and reported saved.
    retry = candidate_client.post(url, first, headers=HTMX)
    assert retry.status_code == 200 and "Saved" in retry.content.decode()
    # Another tab, rendered at version 0, places differently: refused with what is stored.
    other = candidate_client.post(url, {"place_1": "3", "version": "0"}, headers=HTMX)
    assert other.status_code == 409
    body = other.content.decode()
    assert "changed in another tab" in body
    assert re.search(r'name="place_1"[^>]*>.*?<option value="1" selected', body, re.S)
    stored = dict(AttemptChoice.objects.filter(item=item).values_list("position", "answer"))
    assert (stored[1], stored[2], stored[3]) == (1, 2, None)


def test_a_place_outside_the_question_is_refused(candidate_client, candidate, mini):
    attempt = start_mock(candidate, mini)
    item = item_of(attempt, "m-case-order")  # three steps
    response = candidate_client.post(
        answer_url(attempt, item.position), {"place_1": "4", "version": "0"}, headers=HTMX
    )
    assert response.status_code == 422
    assert "not part of this question" in response.content.decode()


def test_plain_post_without_javascript_saves_placements_and_redirects(
    candidate_client, candidate, mini
):
    attempt = start_mock(candidate, mini)
    item = item_of(attempt, "m-match")
    form = {**right_places(item), "version": "0", "go": "stay"}
    response = candidate_client.post(answer_url(attempt, item.position), form)
    assert response.status_code == 302
    assert item_of(attempt, "m-match").answer_state == "answered"


def test_scoring_counts_ordering_and_matching_only_when_every_place_is_right(
    candidate_client, candidate, mini
):
    """Hand computation: ordering all right (1), matching with two prompts swapped (0), the
    case study's ordering all right (1), everything else blank (0): 2 of 6."""
    attempt = start_mock(candidate, mini)
    for key in ("m-order", "m-case-order"):
        item = item_of(attempt, key)
        form = {**right_places(item), "version": "0"}
        candidate_client.post(answer_url(attempt, item.position), form, headers=HTMX)
    matching = item_of(attempt, "m-match")
    places = right_places(matching)
    places["place_1"], places["place_2"] = places["place_2"], places["place_1"]
    candidate_client.post(
        answer_url(attempt, matching.position), {**places, "version": "0"}, headers=HTMX
    )
    finished = finish_by_candidate(attempt=attempt, now=timezone.now())
    assert finished.correct_count == 2
    right = set(finished.items.filter(is_correct=True).values_list("question_key", flat=True))
    assert right == {"m-order", "m-case-order"}
    review = candidate_client.get(
        reverse("attempts:answer_detail", args=[attempt.pk, matching.position])
    ).content.decode()
    assert "(wrong)" in review and "Right response" in review
    assert "Detect data drift: Model Monitor." in review  # the pair's rationale


def test_a_drill_checks_an_ordering_answer_only_when_complete(candidate_client, candidate, mini):
    from attempts.drills import DrillScope
    from attempts.services.starting import attempt_start_drill

    domain = mini.domains.get(number=1)
    scope = DrillScope("domain", "Domain 1", domain=domain)
    drill = attempt_start_drill(
        user=candidate, exam=mini, scope=scope, length=None, timed=False, now=timezone.now()
    )
    item = item_of(drill, "m-order")
    url = answer_url(drill, item.position)
    response = candidate_client.post(
        url, {"place_1": "1", "version": "0", "go": "check"}, headers=HTMX
    )
    assert "Give every step a place before checking your answer." in response.content.decode()
    form = {**right_places(item), "version": "1", "go": "check"}
    response = candidate_client.post(url, form, headers=HTMX)
    body = response.content.decode()
    assert "Correct." in body and "Why it comes here" in body
