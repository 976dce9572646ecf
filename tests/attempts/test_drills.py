"""Drills: scope and length, feedback after each answer, resume, and weak spots."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from attempts.models import Attempt, ReviewCard
from attempts.repetition import BOX_INTERVALS, RETIRED_BOX
from questions.models import number_word
from tests.attempts.helpers import HTMX, correct_positions, question_url, wrong_positions
from tests.factories import QuestionFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def start_drill(client, exam, **data):
    data.setdefault("length", "10")
    return client.post(reverse("attempts:drill_start", args=[exam.code]), data)


def check(client, attempt, position, choices):
    """Press "Check answer": the answer view saves the selection, then makes it final."""
    url = reverse("attempts:answer", args=[attempt.pk, position])
    return client.post(url, {"choice": choices, "version": 0, "go": "check"}, headers=HTMX)


def drill_of(candidate) -> Attempt:
    return Attempt.objects.filter(user=candidate, mode="drill").latest("started_at")


def test_a_domain_drill_serves_only_that_domain_in_the_length_asked(
    candidate_client, candidate, mls_bank
):
    domain = mls_bank.domains.get(number=3)
    response = start_drill(candidate_client, mls_bank, scope="domain", domain=domain.pk)
    drill = drill_of(candidate)
    assert response.url == question_url(drill, 1)
    assert drill.question_count == 10 and drill.deadline is None
    assert set(drill.items.values_list("domain__number", flat=True)) == {3}
    assert drill.drill_scope == "Domain 3: Modeling"


def test_task_statement_and_service_drills(candidate_client, candidate, mls_bank):
    task = mls_bank.domains.get(number=1).task_statements.get(code="1.2")
    start_drill(candidate_client, mls_bank, scope="task", task=task.pk, length="all")
    drill = drill_of(candidate)
    assert set(drill.items.values_list("task_statement__code", flat=True)) == {"1.2"}
    assert drill.question_count == task.questions.count()
    service = ServiceFactory(name="Drill-only service", slug="drill-only")
    for question in task.questions.all()[:3]:
        question.services.add(service)
    start_drill(candidate_client, mls_bank, scope="service", service=service.pk)
    assert drill_of(candidate).question_count == 3


def test_a_drill_without_its_scope_explains_what_to_choose(candidate_client, mls_bank):
    response = start_drill(candidate_client, mls_bank, scope="domain")
    assert response.status_code == 422
    assert "Choose the domain to drill." in response.content.decode()
    response = start_drill(candidate_client, mls_bank, scope="weak", length="all")
    assert response.status_code == 422  # weak spots offer a length only, never "all"


def test_timed_drill_runs_at_the_exam_pace(candidate_client, candidate, mls_bank):
    domain = mls_bank.domains.get(number=1)
    start_drill(candidate_client, mls_bank, scope="domain", domain=domain.pk, timed="on")
    drill = drill_of(candidate)
    assert drill.deadline - drill.started_at == timedelta(seconds=round(180 * 60 * 10 / 65))


def test_checking_an_answer_shows_right_or_wrong_and_every_rationale_of_that_question_only(
    candidate_client, candidate, mls_bank
):
    start_drill(
        candidate_client, mls_bank, scope="domain", domain=mls_bank.domains.get(number=2).pk
    )
    drill = drill_of(candidate)
    first, second = drill.items.prefetch_related("choices").order_by("position")[:2]
    # Before checking, nothing reveals the key.
    page = candidate_client.get(question_url(drill, 1)).content.decode()
    assert not any(c.rationale in page for c in first.choices.all())
    response = check(candidate_client, drill, 1, wrong_positions(first)[: first.select_count])
    body = response.content.decode()
    assert "Incorrect." in body and first.explanation in body
    for choice in first.choices.all():
        assert choice.rationale in body
    for choice in second.choices.all():
        assert choice.rationale not in body
    assert second.explanation not in body
    first.refresh_from_db()
    assert first.is_correct is False and first.checked_at is not None


def test_a_checked_answer_is_final_and_checking_twice_changes_nothing(
    candidate_client, candidate, mls_bank
):
    start_drill(
        candidate_client, mls_bank, scope="domain", domain=mls_bank.domains.get(number=4).pk
    )
    drill = drill_of(candidate)
    item = drill.items.prefetch_related("choices").get(position=1)
    check(candidate_client, drill, 1, correct_positions(item))
    again = check(candidate_client, drill, 1, wrong_positions(item)[:1])
    assert again.status_code == 200 and "Correct." in again.content.decode()
    change = candidate_client.post(
        reverse("attempts:answer", args=[drill.pk, 1]),
        {"choice": ["1"], "version": 0},
        headers=HTMX,
    )
    assert change.status_code == 422 and "can no longer change" in change.content.decode()
    item.refresh_from_db()
    assert item.is_correct is True


def test_a_drill_can_be_left_and_resumed(candidate_client, candidate, mls_bank):
    start_drill(
        candidate_client, mls_bank, scope="domain", domain=mls_bank.domains.get(number=1).pk
    )
    drill = drill_of(candidate)
    candidate_client.get(question_url(drill, 4))
    page = candidate_client.get(reverse("attempts:drills", args=[mls_bank.code])).content.decode()
    assert f'href="{question_url(drill, 4)}">Resume' in page


def test_finishing_a_drill_reports_right_answers_without_a_scaled_score(
    candidate_client, candidate, mls_bank
):
    start_drill(
        candidate_client, mls_bank, scope="domain", domain=mls_bank.domains.get(number=3).pk
    )
    drill = drill_of(candidate)
    for item in drill.items.prefetch_related("choices").order_by("position")[:3]:
        check(candidate_client, drill, item.position, correct_positions(item))
    response = candidate_client.post(reverse("attempts:finish", args=[drill.pk]), follow=True)
    body = response.content.decode()
    assert re.search(r'drill-score">3 of 10<', body)
    drill.refresh_from_db()
    assert drill.scaled_score is None and drill.mode == "drill"
    assert Attempt.objects.filter(mode="mock").count() == 0


def test_all_remaining_skips_questions_already_answered_right(
    candidate_client, candidate, mls_bank
):
    domain = mls_bank.domains.get(number=4)
    start_drill(candidate_client, mls_bank, scope="domain", domain=domain.pk, length="all")
    drill = drill_of(candidate)
    total = drill.question_count
    for item in drill.items.prefetch_related("choices").order_by("position")[:5]:
        check(candidate_client, drill, item.position, correct_positions(item))
    candidate_client.post(reverse("attempts:finish", args=[drill.pk]))
    start_drill(candidate_client, mls_bank, scope="domain", domain=domain.pk, length="all")
    assert drill_of(candidate).question_count == total - 5


def test_a_scope_with_nothing_left_says_so(candidate_client, candidate, mls_bank):
    domain = mls_bank.domains.get(number=1)
    task = domain.task_statements.get(code="1.1")
    start_drill(candidate_client, mls_bank, scope="task", task=task.pk, length="all")
    drill = drill_of(candidate)
    for item in drill.items.prefetch_related("choices"):
        check(candidate_client, drill, item.position, correct_positions(item))
    candidate_client.post(reverse("attempts:finish", args=[drill.pk]))
    response = start_drill(candidate_client, mls_bank, scope="task", task=task.pk, length="all")
    page = candidate_client.get(response.url).content.decode()
    assert "you have answered them all right" in page


# Weak spots and spaced repetition ------------------------------------------------------------


def test_missed_questions_come_back_in_weak_spots_after_their_interval(
    candidate_client, candidate, mls_bank
):
    start_drill(
        candidate_client, mls_bank, scope="domain", domain=mls_bank.domains.get(number=2).pk
    )
    drill = drill_of(candidate)
    missed = drill.items.prefetch_related("choices").get(position=1)
    check(candidate_client, drill, 1, wrong_positions(missed)[: missed.select_count])
    candidate_client.post(reverse("attempts:finish", args=[drill.pk]))
    card = ReviewCard.objects.get(user=candidate, question_id=missed.question_id)
    assert card.box == 1 and card.due_at > timezone.now()

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        start_drill(candidate_client, mls_bank, scope="weak")
    weak = drill_of(candidate)
    assert weak.items.get(position__gte=1, question_id=missed.question_id)
    assert weak.drill_scope == "Weak spots and missed questions"


def test_a_question_answered_right_in_every_box_stops_coming_back(
    candidate_client, candidate, mls_bank
):
    question = QuestionFactory(domain=mls_bank.domains.get(number=1), key="sr-target")
    now = timezone.now()
    ReviewCard.objects.create(
        user=candidate, question=question, box=1, streak=0, lapses=1, due_at=now,
        last_answered_at=now,
    )  # fmt: skip
    # Each round comes just after the card's interval: 10 minutes, then 1, 3, 7 and 21 days.
    offset = timedelta()
    for interval in BOX_INTERVALS.values():
        offset += interval + timedelta(hours=1)
        with time_machine.travel(now + offset):
            candidate_client.force_login(candidate)  # sessions last two weeks, the schedule longer
            start_drill(candidate_client, mls_bank, scope="weak")
            drill = drill_of(candidate)
            item = drill.items.prefetch_related("choices").get(question=question)
            check(candidate_client, drill, item.position, correct_positions(item))
            candidate_client.post(reverse("attempts:finish", args=[drill.pk]))
    card = ReviewCard.objects.get(user=candidate, question=question)
    assert card.streak == 5 and card.box == RETIRED_BOX
    with time_machine.travel(now + offset + timedelta(days=60)):
        candidate_client.force_login(candidate)
        start_drill(candidate_client, mls_bank, scope="weak")
    assert not drill_of(candidate).items.filter(question=question).exists()


def test_weak_spots_draw_from_the_weakest_task_statements(candidate_client, candidate, mls_bank):
    from attempts.drills import weakest_areas

    task = mls_bank.domains.get(number=3).task_statements.get(code="3.4")
    start_drill(candidate_client, mls_bank, scope="task", task=task.pk, length="all")
    drill = drill_of(candidate)
    for item in drill.items.prefetch_related("choices").order_by("position")[:2]:
        check(candidate_client, drill, item.position, wrong_positions(item)[: item.select_count])
    candidate_client.post(reverse("attempts:finish", args=[drill.pk]))
    weak_tasks, _ = weakest_areas(candidate, mls_bank)
    assert weak_tasks[0] == task.pk
    start_drill(candidate_client, mls_bank, scope="weak", length="10")
    weak = drill_of(candidate)
    codes = list(weak.items.values_list("task_statement__code", flat=True))
    assert codes.count("3.4") >= min(2, task.questions.count())


def test_a_finished_mock_feeds_missed_questions_into_repetition(candidate, small_exam):
    from attempts.services.deadline import attempt_finish
    from tests.attempts.helpers import start_mock

    attempt = start_mock(candidate, small_exam)
    items = list(attempt.items.prefetch_related("choices").order_by("position"))
    for item in items[:2]:  # answered wrong
        item.choices.filter(position=wrong_positions(item)[0]).update(selected=True)
        attempt.items.filter(pk=item.pk).update(selected_count=1)
    attempt.items.filter(pk=items[2].pk).update(first_seen_at=timezone.now())  # seen, left blank
    attempt_finish(attempt=attempt, now=timezone.now(), reason="submitted")
    carded = set(ReviewCard.objects.filter(user=candidate).values_list("question_id", flat=True))
    # The seven questions never opened teach nothing to repeat.
    assert carded == {item.question_id for item in items[:3]}


def test_a_mock_that_ran_out_of_time_with_nothing_answered_adds_nothing_to_repetition(
    candidate, small_exam
):
    from attempts.services.deadline import finalize_all_expired
    from tests.attempts.helpers import start_mock

    attempt = start_mock(candidate, small_exam, now=timezone.now() - timedelta(hours=5))
    attempt.items.update(first_seen_at=attempt.started_at)  # opened every question, answered none
    assert finalize_all_expired(now=timezone.now()) == 1
    assert not ReviewCard.objects.filter(user=candidate).exists()


def test_without_javascript_check_answer_saves_and_shows_feedback(
    candidate_client, candidate, mls_bank
):
    domain = mls_bank.domains.get(number=1)
    start_drill(candidate_client, mls_bank, scope="domain", domain=domain.pk)
    drill = drill_of(candidate)
    item = drill.items.prefetch_related("choices").get(position=1)
    response = candidate_client.post(
        reverse("attempts:answer", args=[drill.pk, 1]),
        {"choice": correct_positions(item), "go": "check", "version": "0"},
    )
    assert response.url == question_url(drill, 1)
    page = candidate_client.get(response.url).content.decode()
    assert "Correct." in page and item.explanation in page


def test_check_answer_asks_for_the_required_number_of_choices_first(
    candidate_client, candidate, mls_bank
):
    start_drill(
        candidate_client, mls_bank, scope="domain", domain=mls_bank.domains.get(number=2).pk
    )
    drill = drill_of(candidate)
    item = drill.items.filter(kind="multiple").first() or drill.items.first()
    response = check(candidate_client, drill, item.position, [])
    assert response.status_code == 422
    assert f"Choose {number_word(item.select_count)} before checking your answer." in (
        response.content.decode()
    )
    item.refresh_from_db()
    assert item.checked_at is None


def test_starting_an_identical_drill_resumes_the_unfinished_one(
    candidate_client, candidate, mls_bank
):
    domain = mls_bank.domains.get(number=1).pk
    start_drill(candidate_client, mls_bank, scope="domain", domain=domain)
    first = drill_of(candidate)
    candidate_client.get(question_url(first, 3))
    response = start_drill(candidate_client, mls_bank, scope="domain", domain=domain)
    assert Attempt.objects.filter(user=candidate, mode="drill").count() == 1
    assert response.url == question_url(first, 3)
    start_drill(candidate_client, mls_bank, scope="domain", domain=domain, timed="on")
    assert Attempt.objects.filter(user=candidate, mode="drill").count() == 2


def test_a_drill_never_serves_a_question_of_the_running_mock(candidate, mls_bank):
    from attempts.drills import DrillScope
    from attempts.services.starting import attempt_start_drill
    from tests.attempts.helpers import start_mock

    mock = start_mock(candidate, mls_bank)
    in_mock = set(mock.items.values_list("question_id", flat=True))
    now = timezone.now()
    for domain in mls_bank.domains.all():
        drill = attempt_start_drill(
            user=candidate, exam=mls_bank, scope=DrillScope("domain", str(domain), domain=domain),
            length=None, timed=False, now=now,
        )  # fmt: skip
        assert not in_mock & set(drill.items.values_list("question_id", flat=True))
    weak = attempt_start_drill(
        user=candidate, exam=mls_bank, scope=DrillScope("weak", "Weak spots"), length=30,
        timed=False, now=now,
    )  # fmt: skip
    assert not in_mock & set(weak.items.values_list("question_id", flat=True))


def test_the_database_refuses_a_second_identical_unfinished_drill(
    candidate_client, candidate, mls_bank
):
    start_drill(
        candidate_client, mls_bank, scope="domain", domain=mls_bank.domains.get(number=1).pk
    )
    drill = drill_of(candidate)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(
            user=candidate, exam=mls_bank, mode="drill", started_at=timezone.now(),
            drill_scope=drill.drill_scope, question_count=10, pass_share=drill.pass_share,
            scaled_min=100, scaled_pass=750, scaled_max=1000,
        )  # fmt: skip


def test_each_scope_has_its_own_form_with_a_label_on_every_control(candidate_client, mls_bank):
    body = candidate_client.get(reverse("attempts:drills", args=[mls_bank.code])).content.decode()
    for scope in ("weak", "domain", "task", "service"):
        assert f'data-testid="drill-{scope}"' in body
        assert f'<input type="hidden" name="scope" value="{scope}"' in body
    for control in re.findall(r'<select[^>]*id="([^"]+)"', body):
        assert f'<label for="{control}">' in body, control


def test_the_timed_drill_label_gives_the_pace_of_this_exam(candidate_client, mls_bank):
    mls_bank.duration_minutes, mls_bank.question_count = 130, 65
    mls_bank.save()
    body = candidate_client.get(reverse("attempts:drills", args=[mls_bank.code])).content.decode()
    assert "Timed at the real exam&#x27;s pace (2 min 00 s per question)" in body
    assert "2 min 46 s" not in body


def test_a_timed_drill_stores_its_duration_and_its_results_show_the_pace_budget(
    candidate_client, candidate, mls_bank
):
    domain = mls_bank.domains.get(number=1)
    start_drill(candidate_client, mls_bank, scope="domain", domain=domain.pk, timed="on")
    drill = drill_of(candidate)
    assert drill.allowed_seconds == round(180 * 60 * 10 / 65)
    candidate_client.post(reverse("attempts:finish", args=[drill.pk]))
    body = candidate_client.get(reverse("attempts:results", args=[drill.pk])).content.decode()
    assert "(budget 2 min 46 s)" in body and "of 27 min 42 s" in body


def test_an_untimed_drill_has_no_pace_budget(candidate_client, candidate, mls_bank):
    domain = mls_bank.domains.get(number=1)
    start_drill(candidate_client, mls_bank, scope="domain", domain=domain.pk)
    drill = drill_of(candidate)
    assert drill.allowed_seconds is None and drill.budget_seconds_per_question is None


def test_a_drill_of_my_bookmarked_questions_serves_only_those(
    candidate_client, candidate, mls_bank
):
    from attempts.services.notes import question_note_save

    chosen = list(mls_bank.questions.order_by("key")[:4])
    for question in chosen:
        question_note_save(user=candidate, question_id=question.pk, bookmarked=True, text="")
    question_note_save(
        user=candidate,
        question_id=mls_bank.questions.last().pk,
        bookmarked=False,
        text="a note only",
    )
    start_drill(candidate_client, mls_bank, scope="bookmarked", length="all")
    drill = drill_of(candidate)
    assert set(drill.items.values_list("question_id", flat=True)) == {q.pk for q in chosen}
    assert drill.drill_scope == "My bookmarked questions"


def test_a_checked_drill_answer_offers_the_bookmark_and_note(candidate_client, candidate, mls_bank):
    start_drill(
        candidate_client, mls_bank, scope="domain", domain=mls_bank.domains.get(number=2).pk
    )
    drill = drill_of(candidate)
    item = drill.items.prefetch_related("choices").get(position=1)
    body = check(candidate_client, drill, 1, correct_positions(item)).content.decode()
    assert 'id="note-panel"' in body and "Bookmark this question" in body
