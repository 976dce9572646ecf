"""Invariants 1, 2, 4 and 5 of DESIGN.md, each pinned by name."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from attempts.models import Attempt
from attempts.services.deadline import NETWORK_GRACE, finalize_all_expired
from questions.models import Question
from tests.attempts.helpers import HTMX, answer_url, correct_positions, question_url, start_mock
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# Invariant 1: answer keys stay secret ------------------------------------------------------


def secrets_of(attempt) -> list[str]:
    """Every string that would reveal a key: rationales, explanations, references."""
    secrets = []
    for item in attempt.items.prefetch_related("choices"):
        secrets.append(item.explanation)
        secrets.extend(c.rationale for c in item.choices.all())
    return secrets


def test_invariant_1_no_response_of_an_in_progress_attempt_reveals_the_key(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    for item in attempt.items.all():
        item.explanation = f"SECRET-EXPLANATION-{item.position}"
        item.save()
        for choice in item.choices.all():
            choice.rationale = f"SECRET-RATIONALE-{item.position}-{choice.position}"
            choice.save()
    responses = [
        candidate_client.get(reverse("attempts:exam", args=[small_exam.code])),
        candidate_client.get(reverse("attempts:review", args=[attempt.pk])),
        candidate_client.get(reverse("attempts:finish", args=[attempt.pk])),
        candidate_client.get(reverse("attempts:clock", args=[attempt.pk]), headers=HTMX),
    ]
    for position in range(1, attempt.question_count + 1):
        responses.append(candidate_client.get(question_url(attempt, position)))
        responses.append(candidate_client.get(question_url(attempt, position), headers=HTMX))
        responses.append(
            candidate_client.post(
                answer_url(attempt, position), {"choice": ["1"], "version": "0"}, headers=HTMX
            )
        )
        responses.append(
            candidate_client.post(
                answer_url(attempt, position), {"choice": ["1"], "go": "next"}, headers=HTMX
            )
        )
        responses.append(
            candidate_client.post(
                answer_url(attempt, position), {"choice": ["1", "2", "3", "4"]}, headers=HTMX
            )
        )
    for response in responses:
        text = response.content.decode() + " ".join(
            f"{k}: {v}" for k, v in response.headers.items()
        )
        assert "SECRET-" not in text
        assert "is_correct" not in text and "choice-correct" not in text
        assert "correct" not in text.lower().replace("incorrect", "")
        # A choice's role would name the key by elimination (the one option without one).
        assert "rule_out" not in text and "close_call" not in text
        assert "Rule out first" not in text and "Then decide" not in text


def test_invariant_1_choice_values_are_display_positions_not_choice_ids(
    candidate_client, small_exam, candidate
):
    # The inputs carry the shuffled display position (1..n), never the bank's choice id, whose
    # order would reveal the authored order of the choices.
    attempt = start_mock(candidate, small_exam)
    for item in attempt.items.all():
        body = candidate_client.get(question_url(attempt, item.position)).content.decode()
        for name in ("choice", "struck"):
            values = re.findall(rf'name="{name}"\s+value="(\d+)"', body)
            assert values == [str(n) for n in range(1, item.choices.count() + 1)]


# Invariant 2: the server owns time -----------------------------------------------------------


def test_invariant_2_answer_after_deadline_is_refused_and_saved_answers_are_kept(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    item = attempt.items.prefetch_related("choices").get(position=1)
    right = [str(p) for p in correct_positions(item)]
    candidate_client.post(answer_url(attempt, 1), {"choice": right, "version": "0"}, headers=HTMX)
    with time_machine.travel(attempt.deadline + NETWORK_GRACE + timedelta(seconds=1)):
        response = candidate_client.post(
            answer_url(attempt, 2), {"choice": ["1"], "version": "0"}, headers=HTMX
        )
        assert response.headers["HX-Redirect"] == reverse("attempts:results", args=[attempt.pk])
        page = candidate_client.get(response.headers["HX-Redirect"]).content.decode()
    assert "Time is over" in page
    attempt.refresh_from_db()
    assert attempt.status == "finished" and attempt.finish_reason == "expired"
    assert attempt.finished_at == attempt.deadline
    assert attempt.correct_count == 1
    assert not attempt.items.get(position=2).answered


def test_invariant_2_plain_post_after_deadline_says_time_is_over(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    with time_machine.travel(attempt.deadline + timedelta(minutes=5)):
        response = candidate_client.post(answer_url(attempt, 1), {"choice": ["1"]}, follow=True)
    assert "Time is over" in response.content.decode()


def test_invariant_2_a_save_within_the_network_grace_is_accepted(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    with time_machine.travel(attempt.deadline + NETWORK_GRACE - timedelta(seconds=1)):
        response = candidate_client.post(
            answer_url(attempt, 1), {"choice": ["1"], "version": "0"}, headers=HTMX
        )
    assert response.status_code == 200
    assert attempt.items.get(position=1).answered


def test_invariant_2_any_request_finalizes_an_expired_attempt_at_its_deadline(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    with time_machine.travel(attempt.deadline + timedelta(hours=3)):
        response = candidate_client.get(question_url(attempt, 1))
    assert response.url == reverse("attempts:results", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.finished_at == attempt.deadline and attempt.finish_reason == "expired"


def test_invariant_2_finalize_expired_command_sweeps_with_the_deadline_as_finish_time(
    small_exam, capsys
):
    expired = start_mock(UserFactory(), small_exam, now=timezone.now() - timedelta(hours=2))
    running = start_mock(UserFactory(), small_exam)
    call_command("finalize_expired")
    assert "Finalized 1 expired attempt" in capsys.readouterr().out
    expired.refresh_from_db()
    running.refresh_from_db()
    assert expired.status == "finished" and expired.finished_at == expired.deadline
    assert running.status == "in_progress"
    assert finalize_all_expired(now=timezone.now()) == 0


def test_invariant_2_the_countdown_shows_the_servers_remaining_seconds(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    with time_machine.travel(attempt.started_at + timedelta(minutes=12, seconds=30), tick=False):
        body = candidate_client.get(question_url(attempt)).content.decode()
        clock = candidate_client.get(reverse("attempts:clock", args=[attempt.pk]), headers=HTMX)
    assert 'data-remaining="1050"' in body  # 30 min - 12.5 min
    assert 'data-remaining="1050"' in clock.content.decode()


def test_invariant_2_an_early_automatic_submit_is_sent_back(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    response = candidate_client.post(reverse("attempts:finish", args=[attempt.pk]), {"auto": "1"})
    assert response.url == question_url(attempt, 1)
    attempt.refresh_from_db()
    assert attempt.is_in_progress
    with time_machine.travel(attempt.deadline + timedelta(seconds=1)):
        candidate_client.post(reverse("attempts:finish", args=[attempt.pk]), {"auto": "1"})
    attempt.refresh_from_db()
    assert attempt.finish_reason == "expired" and attempt.finished_at == attempt.deadline


def test_invariant_2_finishing_twice_yields_one_result(candidate_client, small_exam, candidate):
    attempt = start_mock(candidate, small_exam)
    url = reverse("attempts:finish", args=[attempt.pk])
    first = candidate_client.post(url)
    attempt.refresh_from_db()
    finished_at = attempt.finished_at
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        second = candidate_client.post(url)
    attempt.refresh_from_db()
    assert first.url == second.url and attempt.finished_at == finished_at


def without_csrf(content: bytes) -> str:
    """Page text minus the per-request masked CSRF tokens."""
    text = re.sub(r'"x-csrftoken": "[^"]+"', "", content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


# Invariant 4: what the candidate saw is what is scored and reviewed -------------------------


def test_invariant_4_editing_rekeying_and_retiring_a_question_never_changes_a_finished_attempt(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    item = attempt.items.prefetch_related("choices").get(position=1)
    right = [str(p) for p in correct_positions(item)]
    candidate_client.post(answer_url(attempt, 1), {"choice": right, "version": "0"}, headers=HTMX)
    candidate_client.post(reverse("attempts:finish", args=[attempt.pk]))
    results_before = candidate_client.get(reverse("attempts:results", args=[attempt.pk])).content

    question = Question.objects.get(pk=item.question_id)
    question.stem = "Rewritten stem"
    question.status = "retired"
    question.save()
    choices = list(question.choices.all())
    for choice in choices:
        choice.is_correct = (
            not choice.is_correct if question.kind == "single" else choice.is_correct
        )
        choice.rationale = "Rewritten rationale"
        choice.save()

    attempt.refresh_from_db()
    item.refresh_from_db()
    assert attempt.correct_count == 1 and item.is_correct
    assert item.stem != "Rewritten stem"
    assert not item.choices.filter(rationale="Rewritten rationale").exists()
    results_after = candidate_client.get(reverse("attempts:results", args=[attempt.pk])).content
    assert without_csrf(results_before) == without_csrf(results_after)


def test_invariant_4_the_snapshot_copies_every_choice_field_for_field_in_a_shuffled_order(
    small_exam, candidate
):
    # The choices are copied inside the database (one INSERT ... SELECT): nothing may be lost,
    # mixed up between questions or left behind.
    attempt = start_mock(candidate, small_exam)
    for item in attempt.items.all():
        authored = {
            choice.pk: (choice.text, choice.is_correct, choice.role, choice.rationale)
            for choice in Question.objects.get(pk=item.question_id).choices.all()
        }
        copied = list(item.choices.order_by("position"))
        assert [c.position for c in copied] == list(range(1, len(authored) + 1))
        assert {c.choice_id for c in copied} == set(authored)
        for choice in copied:
            assert (choice.text, choice.is_correct, choice.role, choice.rationale) == authored[
                choice.choice_id
            ]
            assert (choice.selected, choice.struck, choice.key, choice.answer) == (
                False, False, None, None,
            )  # fmt: skip


def test_invariant_4_the_snapshot_copies_every_question_field_and_name_as_it_reads_now(
    small_exam, candidate
):
    from tests.factories import ServiceFactory, TaskStatementFactory

    # The questions are copied inside the database too (copying.copy_questions).
    domain = small_exam.domains.get(number=2)
    task = TaskStatementFactory(domain=domain, code="2.1", text="Perform feature engineering.")
    question = Question.objects.filter(domain=domain).first()
    question.task_statement = task
    question.references = "[Glue](https://docs.aws.amazon.com/glue/)"
    question.save()
    question.services.set([ServiceFactory(name="Amazon S3", slug="s3"), ServiceFactory(
        name="AWS Glue", slug="glue"
    )])  # fmt: skip
    attempt = start_mock(candidate, small_exam)
    assert sorted(attempt.items.values_list("position", flat=True)) == list(range(1, 11))
    for item in attempt.items.select_related("question__domain"):
        source = item.question
        assert (item.question_key, item.question_revision, item.domain_id) == (
            source.key, source.revision, source.domain_id,
        )  # fmt: skip
        assert (item.stem, item.kind, item.select_count) == (
            source.stem, source.kind, source.select_count,
        )  # fmt: skip
        assert (item.explanation, item.references) == (source.explanation, source.references)
        assert (item.domain_number, item.domain_title) == (
            source.domain.number, source.domain.title,
        )  # fmt: skip
        assert (item.flagged, item.selected_count, item.version, item.seconds_spent) == (
            False, 0, 0, 0,
        )  # fmt: skip
        assert item.saved_at is item.first_seen_at is item.checked_at is item.is_correct is None
        assert (item.responses, item.case_key, item.case_title, item.case_scenario) == (
            [], "", "", "",
        )  # fmt: skip
    served = attempt.items.get(question=question)
    assert (served.task_statement_id, served.task_code, served.task_text) == (
        task.pk, "2.1", "Perform feature engineering.",
    )  # fmt: skip
    assert served.service_slugs == " glue s3 "  # by name: "AWS Glue" sorts before "Amazon S3"
    assert served.service_names == [["glue", "AWS Glue"], ["s3", "Amazon S3"]]
    assert set(served.services.values_list("slug", flat=True)) == {"s3", "glue"}
    others = attempt.items.exclude(question=question)
    assert all(i.service_slugs == "" and i.service_names == [] for i in others)
    assert not others.exclude(services=None).exists()


def test_invariant_4_an_in_progress_attempt_keeps_showing_what_it_served(
    candidate_client, small_exam, candidate
):
    attempt = start_mock(candidate, small_exam)
    item = attempt.items.get(position=1)
    Question.objects.filter(pk=item.question_id).update(stem="Edited after the start")
    body = candidate_client.get(question_url(attempt)).content.decode()
    assert "Edited after the start" not in body
    assert item.question_revision == Question.objects.get(pk=item.question_id).revision


# Invariant 5: each candidate sees only their own attempts -----------------------------------


def test_invariant_5_another_candidates_attempt_is_404_on_every_url(client, small_exam, candidate):
    attempt = start_mock(candidate, small_exam)
    client.force_login(UserFactory(username="intruder"))
    gets = ["question", "review", "finish", "results", "clock"]
    for name in gets:
        args = [attempt.pk, 1] if name == "question" else [attempt.pk]
        assert client.get(reverse(f"attempts:{name}", args=args)).status_code == 404, name
    assert client.post(answer_url(attempt), {"choice": ["1"]}).status_code == 404
    assert client.post(reverse("attempts:finish", args=[attempt.pk])).status_code == 404
    assert client.post(answer_url(attempt), {"go": "check"}).status_code == 404
    for name, args in [
        ("answers", [attempt.pk]),
        ("answer_detail", [attempt.pk, 1]),
        ("why_not", [attempt.pk, 1, 1]),
    ]:
        assert client.get(reverse(f"attempts:{name}", args=args)).status_code == 404, name
    attempt.refresh_from_db()
    assert attempt.is_in_progress and not attempt.items.answered().exists()


def test_invariant_5_a_finished_attempt_is_private_too(client, small_exam, candidate):
    attempt = start_mock(candidate, small_exam)
    from attempts.services.deadline import attempt_finish

    attempt_finish(attempt=attempt, now=timezone.now(), reason=Attempt.FinishReason.SUBMITTED)
    client.force_login(UserFactory(username="intruder"))
    assert client.get(reverse("attempts:results", args=[attempt.pk])).status_code == 404


# Invariant 6: authored text is sanitized on the candidate's pages too ------------------------


def test_invariant_6_exam_room_review_and_drill_pages_sanitize_authored_text(
    candidate_client, small_exam, candidate
):
    from tests.questions.test_markdown import XSS_CORPUS, assert_sanitized

    payload = " ".join(XSS_CORPUS)
    for question in Question.objects.filter(exam=small_exam):
        question.stem = question.explanation = question.references = payload
        question.save()
        for choice in question.choices.all():
            choice.text = f"{choice.text} {payload}"
            choice.rationale = payload
            choice.save()
    attempt = start_mock(candidate, small_exam)

    def audit(response):
        body = response.content.decode()
        main = body[body.find("<main") :] if "<main" in body else body
        assert_sanitized(main, whole_page=True)

    audit(candidate_client.get(question_url(attempt, 1)))
    audit(candidate_client.get(question_url(attempt, 2), headers=HTMX))
    candidate_client.post(reverse("attempts:finish", args=[attempt.pk]))
    detail = reverse("attempts:answer_detail", args=[attempt.pk, 1])
    audit(candidate_client.get(detail + "?reasons=all"))
    audit(candidate_client.get(detail + "?reasons=all", headers=HTMX))
    audit(candidate_client.get(reverse("attempts:why_not", args=[attempt.pk, 1, 2]), headers=HTMX))
    audit(candidate_client.get(reverse("attempts:answers", args=[attempt.pk])))
