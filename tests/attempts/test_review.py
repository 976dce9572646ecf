"""Review of a finished attempt: answers, rule-out reasons on demand, filters, elimination
feedback and problem reports."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from attempts.models import QuestionReport
from attempts.services.deadline import attempt_finish
from questions.models import Question
from tests.attempts.helpers import HTMX, answer_url, correct_positions, start_mock, wrong_positions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(candidate_client, candidate, small_exam):
    """A finished mock: question 1 right, 2 wrong with a strike-out of a wrong choice and of a
    right one, 3 flagged and unanswered, the rest unanswered."""
    attempt = start_mock(candidate, small_exam)
    items = {i.position: i for i in attempt.items.prefetch_related("choices")}
    post = candidate_client.post
    post(
        answer_url(attempt, 1), {"choice": correct_positions(items[1]), "version": 0}, headers=HTMX
    )
    wrong = wrong_positions(items[2])
    post(
        answer_url(attempt, 2),
        {"choice": [wrong[0]], "struck": [wrong[1], correct_positions(items[2])[0]], "version": 0},
        headers=HTMX,
    )
    post(answer_url(attempt, 3), {"flagged": "on", "version": 0}, headers=HTMX)
    attempt_finish(attempt=attempt, now=timezone.now(), reason="submitted")
    return attempt


def detail_url(attempt, position):
    return reverse("attempts:answer_detail", args=[attempt.pk, position])


def test_review_shows_the_answer_the_key_the_explanation_and_why_the_key_is_right(
    candidate_client, finished
):
    item = finished.items.get(position=2)
    body = candidate_client.get(detail_url(finished, 2)).content.decode()
    assert "Incorrect." in body
    assert "Your answer" in body and "Correct answer" in body
    assert item.explanation in body
    key = item.choices.filter(is_correct=True).first()
    assert f"Why {key.letter} is right:" in body and key.rationale in body
    # Rule-out reasons of wrong choices wait behind "Why not X?" links.
    wrong = item.choices.filter(is_correct=False).first()
    assert f"Why not {wrong.letter}?" in body
    assert wrong.rationale not in body


def test_why_not_loads_one_rule_out_reason_as_a_partial(candidate_client, finished):
    item = finished.items.get(position=2)
    wrong = item.choices.filter(is_correct=False).first()
    url = reverse("attempts:why_not", args=[finished.pk, 2, wrong.position])
    response = candidate_client.get(url, headers=HTMX)
    body = response.content.decode()
    assert body.strip().startswith(f'<div id="why-{wrong.position}"')
    assert "<html" not in body and wrong.rationale in body
    plain = candidate_client.get(url)
    assert plain.url == f"{detail_url(finished, 2)}?why={wrong.position}#choice-{wrong.position}"
    expanded = candidate_client.get(plain.url).content.decode()
    assert wrong.rationale in expanded


def test_show_all_reasons_expands_every_wrong_choice(candidate_client, finished):
    item = finished.items.get(position=2)
    response = candidate_client.get(detail_url(finished, 2) + "?reasons=all", headers=HTMX)
    body = response.content.decode()
    assert body.strip().startswith('<div id="choices-review"')
    for choice in item.choices.filter(is_correct=False):
        assert choice.rationale in body
    plain = candidate_client.get(detail_url(finished, 2) + "?reasons=all").content.decode()
    assert "<html" in plain and "Show all reasons" not in plain


def test_filters_pick_incorrect_flagged_unanswered_and_domain(candidate_client, finished):
    url = reverse("attempts:answers", args=[finished.pk])

    def listed(**query):
        body = candidate_client.get(url, query).content.decode()
        return body.count('class="answer-row"')

    assert listed() == 10
    assert listed(show="incorrect") == 1
    assert listed(show="flagged") == 1
    assert listed(show="unanswered") == 8
    domain = finished.items.get(position=1).domain.number
    expected = finished.items.filter(domain__number=domain).count()
    assert listed(domain=domain) == expected
    assert listed(show="nonsense", domain="x") == 10


def test_service_filter_uses_the_attempts_own_tags(candidate_client, candidate, small_exam):
    from tests.factories import ServiceFactory

    service = ServiceFactory(name="Amazon S3", slug="s3")
    for question in Question.objects.filter(domain__number=1):
        question.services.add(service)
    attempt = start_mock(candidate, small_exam)
    attempt_finish(attempt=attempt, now=timezone.now(), reason="submitted")
    service.delete()  # the attempt keeps the tag it was served with
    body = candidate_client.get(
        reverse("attempts:answers", args=[attempt.pk]), {"service": "s3"}
    ).content.decode()
    assert body.count('class="answer-row"') == attempt.items.filter(domain_number=1).count()
    assert "Amazon S3" in body


def test_review_and_results_keep_the_names_served_when_the_bank_renames_them(
    candidate_client, finished
):
    from questions.models import Domain, TaskStatement

    item = finished.items.select_related("domain").get(position=1)
    results_url = reverse("attempts:results", args=[finished.pk])
    old_title = item.domain.title
    before = candidate_client.get(results_url).content.decode()
    Domain.objects.filter(exam=finished.exam).update(title="Renamed later")
    TaskStatement.objects.filter(domain__exam=finished.exam).update(text="Renamed later")
    after = candidate_client.get(results_url).content.decode()
    assert "Renamed later" not in after and old_title in after
    assert before.count(old_title) == after.count(old_title)
    review = candidate_client.get(detail_url(finished, 1)).content.decode()
    assert "Renamed later" not in review and old_title in review


def test_next_and_previous_stay_within_the_filter(candidate_client, finished):
    body = candidate_client.get(detail_url(finished, 3) + "?show=unanswered").content.decode()
    assert f'href="{detail_url(finished, 4)}?show=unanswered"' in body
    assert "Previous" not in body.split("question-nav")[-1]


def test_elimination_feedback_per_choice_and_per_attempt(candidate_client, finished):
    body = candidate_client.get(detail_url(finished, 2)).content.decode()
    assert "Ruled out correctly" in body
    assert "You struck out a correct answer" in body
    summary = candidate_client.get(reverse("attempts:answers", args=[finished.pk])).content
    assert "You ruled out 2 choices, 1 correctly" in summary.decode()


def test_review_is_unaffected_by_later_question_edits(candidate_client, finished):
    before = candidate_client.get(detail_url(finished, 2) + "?reasons=all").content.decode()
    item = finished.items.get(position=2)
    question = Question.objects.get(pk=item.question_id)
    question.explanation = "A new explanation"
    question.status = "retired"
    question.save()
    question.choices.update(rationale="A new rationale", is_correct=False)
    after = candidate_client.get(detail_url(finished, 2) + "?reasons=all").content.decode()
    assert "A new explanation" not in after and "A new rationale" not in after
    assert item.explanation in after
    assert before.count("Correct answer") == after.count("Correct answer")


def test_answers_of_an_in_progress_mock_stay_hidden(candidate_client, candidate, small_exam):
    attempt = start_mock(candidate, small_exam)
    assert candidate_client.get(detail_url(attempt, 1)).status_code == 404
    why = reverse("attempts:why_not", args=[attempt.pk, 1, 1])
    assert candidate_client.get(why, headers=HTMX).status_code == 404
    listing = candidate_client.get(reverse("attempts:answers", args=[attempt.pk]))
    assert listing.status_code == 302


def test_another_candidates_review_is_404(client, finished):
    client.force_login(UserFactory(username="intruder"))
    assert client.get(reverse("attempts:answers", args=[finished.pk])).status_code == 404
    assert client.get(detail_url(finished, 1)).status_code == 404
    report = reverse("attempts:report", args=[finished.pk, 1])
    assert client.post(report, {"kind": "other", "text": "x"}).status_code == 404


def test_report_a_problem_lands_in_the_queue_with_the_revision_seen(
    candidate_client, finished, instructor
):
    item = finished.items.get(position=2)
    Question.objects.filter(pk=item.question_id).update(revision=7)
    url = reverse("attempts:report", args=[finished.pk, 2])
    response = candidate_client.post(
        url, {"kind": "wrong_key", "text": "I think C is also right."}, headers=HTMX
    )
    assert "Thank you" in response.content.decode()
    report = QuestionReport.objects.get()
    assert (report.question_id, report.question_revision) == (item.question_id, 1)
    assert report.text == "I think C is also right." and report.status == "open"

    from django.test import Client

    admin = Client()
    admin.force_login(instructor)
    queue = admin.get(reverse("admin:attempts_questionreport_changelist")).content.decode()
    assert item.question_key in queue and "1 / 7" in queue
    change = reverse("admin:attempts_questionreport_change", args=[report.pk])
    admin.post(change, {"status": "accepted", "instructor_note": "Reworded option C."})
    report.refresh_from_db()
    assert report.status == "accepted"


def test_an_empty_report_is_refused_with_a_message(candidate_client, finished):
    url = reverse("attempts:report", args=[finished.pk, 2])
    response = candidate_client.post(url, {"kind": "nonsense", "text": ""}, headers=HTMX)
    assert response.status_code == 200
    assert "errors" in response.content.decode()
    assert not QuestionReport.objects.exists()
    response = candidate_client.post(url, {"kind": "", "text": ""}, follow=True)
    assert "Say what is wrong" in response.content.decode()


def test_results_link_to_the_review(candidate_client, finished):
    body = candidate_client.get(reverse("attempts:results", args=[finished.pk])).content.decode()
    assert reverse("attempts:answers", args=[finished.pk]) in body


def test_a_choice_selected_and_struck_counts_as_chosen_not_ruled_out(
    candidate_client, candidate, small_exam
):
    attempt = start_mock(candidate, small_exam)
    item = attempt.items.prefetch_related("choices").get(position=1)
    wrong = wrong_positions(item)
    candidate_client.post(
        answer_url(attempt, 1),
        {"choice": [wrong[0]], "struck": [wrong[0], wrong[1]], "version": 0},
        headers=HTMX,
    )
    marks = attempt.items.get(position=1).choices.values_list("position", "selected", "struck")
    stored = {position: (selected, struck) for position, selected, struck in marks}
    assert stored[wrong[0]] == (True, False) and stored[wrong[1]] == (False, True)
    attempt_finish(attempt=attempt, now=timezone.now(), reason="submitted")
    summary = candidate_client.get(reverse("attempts:answers", args=[attempt.pk])).content
    assert "You ruled out 1 choice, 1 correctly" in summary.decode()


def test_review_groups_wrong_options_into_rule_out_first_then_decide(candidate_client, finished):
    item = finished.items.get(position=2)
    body = candidate_client.get(detail_url(finished, 2)).content.decode()
    steps = body[body.index("Rule out first") :]
    assert "Then decide" in steps
    ruled_out, decide = steps.split("Then decide")
    for choice in item.choices.filter(role="rule_out"):
        assert f'id="why-{choice.position}"' in ruled_out
    for choice in item.choices.filter(role="close_call"):
        assert f'id="why-{choice.position}"' in decide
    key = item.choices.get(is_correct=True) if item.kind == "single" else None
    if key:
        assert f'The key wins: <a href="#choice-{key.position}">{key.letter}</a>' in decide
    # Each reason still waits behind its own link, and "Show all reasons" opens them in place.
    assert item.choices.filter(role="rule_out").first().rationale not in body
    expanded = candidate_client.get(detail_url(finished, 2) + "?reasons=all").content.decode()
    ruled_out, decide = expanded[expanded.index("Rule out first") :].split("Then decide")
    for choice in item.choices.filter(role="rule_out"):
        assert choice.rationale in ruled_out
    for choice in item.choices.filter(role="close_call"):
        assert choice.rationale in decide


def test_review_without_roles_keeps_the_plain_why_not_links(candidate_client, finished):
    # Attempts snapshotted before roles existed have none: no groups, one link per wrong choice.
    item = finished.items.get(position=2)
    item.choices.update(role="")
    body = candidate_client.get(detail_url(finished, 2)).content.decode()
    assert "Rule out first" not in body and "Then decide" not in body
    for choice in item.choices.filter(is_correct=False):
        assert f"Why not {choice.letter}?" in body


def test_review_keeps_its_roles_after_the_bank_question_is_re_labelled(candidate_client, finished):
    item = finished.items.get(position=2)
    roles = dict(item.choices.values_list("position", "role"))
    question = Question.objects.get(pk=item.question_id)
    question.choices.filter(is_correct=False).update(role="close_call")
    assert dict(item.choices.values_list("position", "role")) == roles
    body = candidate_client.get(detail_url(finished, 2)).content.decode()
    assert "Rule out first" in body


def test_review_lists_references_as_links(candidate_client, finished):
    item = finished.items.get(position=2)
    item.references = (
        "- [Amazon SageMaker AI Developer Guide: XGBoost](https://docs.aws.amazon.com/"
        "sagemaker/latest/dg/xgboost.html)\n- A page named without a link"
    )
    item.save()
    body = candidate_client.get(detail_url(finished, 2)).content.decode()
    assert (
        '<ul class="references"><li><a href="https://docs.aws.amazon.com/sagemaker/latest/dg/'
        'xgboost.html">Amazon SageMaker AI Developer Guide: XGBoost</a></li>'
        "<li>A page named without a link</li></ul>"
    ) in body


def test_problem_reports_are_capped_per_candidate_and_question(candidate_client, finished):
    from attempts.services.reports import MAX_REPORTS_PER_QUESTION

    url = reverse("attempts:report", args=[finished.pk, 2])
    for _ in range(MAX_REPORTS_PER_QUESTION + 2):
        response = candidate_client.post(
            url, {"kind": "wrong_key", "text": "I think C is also right."}, headers=HTMX
        )
    assert QuestionReport.objects.count() == MAX_REPORTS_PER_QUESTION
    assert "already reported this question" in response.content.decode()
    other = reverse("attempts:report", args=[finished.pk, 1])
    candidate_client.post(other, {"kind": "other", "text": "A typo in option B."}, headers=HTMX)
    assert QuestionReport.objects.count() == MAX_REPORTS_PER_QUESTION + 1


def test_asking_why_not_of_the_correct_choice_gives_why_it_is_right(candidate_client, finished):
    item = finished.items.get(position=2)
    key = item.choices.filter(is_correct=True).first()
    url = reverse("attempts:why_not", args=[finished.pk, 2, key.position])
    body = candidate_client.get(url, headers=HTMX).content.decode()
    assert f"Why {key.letter} is right:" in body and key.rationale in body
    assert "Why not" not in body
    page = candidate_client.get(f"{detail_url(finished, 2)}?reasons=all").content.decode()
    assert f"Why not {key.letter}" not in page


def test_candidate_sees_the_status_of_their_reports_and_the_instructors_reply(
    candidate_client, finished, instructor
):
    url = reverse("attempts:report", args=[finished.pk, 2])
    candidate_client.post(url, {"kind": "wrong_key", "text": "C is also right."}, headers=HTMX)
    report = QuestionReport.objects.get()
    page = candidate_client.get(reverse("attempts:my_reports")).content.decode()
    assert "C is also right." in page and "Open" in page and "Not yet read" in page

    from django.test import Client

    admin = Client()
    admin.force_login(instructor)
    change = reverse("admin:attempts_questionreport_change", args=[report.pk])
    admin.post(change, {"status": "fixed", "reply": "Reworded option C.", "instructor_note": "x"})
    page = candidate_client.get(reverse("attempts:my_reports")).content.decode()
    assert "Fixed" in page and "Reworded option C." in page
    assert "Not yet read" not in page
    # Another candidate sees none of it.
    other = UserFactory(username="other")
    candidate_client.force_login(other)
    assert (
        "C is also right."
        not in candidate_client.get(reverse("attempts:my_reports")).content.decode()
    )


def test_review_of_an_ended_attempt_walks_to_the_next_flagged_and_unanswered(
    candidate_client, finished, candidate
):
    finished.items.filter(position__in=[6, 8]).update(flagged=True)
    body = candidate_client.get(detail_url(finished, 3)).content.decode()
    assert f'href="{detail_url(finished, 6)}?show=flagged"' in body
    assert f'href="{detail_url(finished, 4)}"' in body and "Next incomplete or unanswered" in body
    last = candidate_client.get(detail_url(finished, 8)).content.decode()
    assert 'data-testid="next-flagged"' not in last


def test_a_bookmark_and_note_are_kept_per_candidate_across_attempts(
    candidate_client, finished, candidate, small_exam
):
    item = finished.items.get(position=2)
    url = reverse("attempts:note", args=[finished.pk, 2])
    response = candidate_client.post(
        url, {"bookmarked": "on", "text": "Kinesis, not SQS"}, headers=HTMX
    )
    body = response.content.decode()
    assert body.strip().startswith('<section id="note-panel"') and "Saved." in body
    # A later attempt that serves the same question shows the same note.
    import random

    from attempts.services.starting import _begin

    later = _begin(
        user=candidate, exam=small_exam, mode="mock", now=timezone.now(),
        question_ids=[item.question_id], rng=random.Random(1), deadline=None,
    )  # fmt: skip
    attempt_finish(attempt=later, now=timezone.now(), reason="submitted")
    page = candidate_client.get(detail_url(later, 1)).content.decode()
    assert "Kinesis, not SQS" in page
    assert re.search(r'<input type="checkbox" name="bookmarked"[^>]*checked', page)
    # Nobody else sees it.
    other = UserFactory(username="other")
    candidate_client.force_login(other)
    theirs = _begin(
        user=other, exam=small_exam, mode="mock", now=timezone.now(),
        question_ids=[item.question_id], rng=random.Random(1), deadline=None,
    )  # fmt: skip
    attempt_finish(attempt=theirs, now=timezone.now(), reason="submitted")
    assert "Kinesis, not SQS" not in candidate_client.get(detail_url(theirs, 1)).content.decode()


def test_clearing_a_bookmark_and_its_note_removes_it(candidate_client, finished, candidate):
    from attempts.models import QuestionNote

    url = reverse("attempts:note", args=[finished.pk, 2])
    candidate_client.post(url, {"bookmarked": "on", "text": "x"})
    assert QuestionNote.objects.filter(user=candidate).count() == 1
    response = candidate_client.post(url, {"text": "  "})
    assert response.url == detail_url(finished, 2)
    assert not QuestionNote.objects.filter(user=candidate).exists()
