"""Finished attempts built row by row, so analytics tests can state every figure by hand."""

from datetime import timedelta

from django.utils import timezone

from attempts.models import Attempt, AttemptChoice, AttemptQuestion
from attempts.services.deadline import domain_results_record

T0 = timezone.now().replace(microsecond=0) - timedelta(days=30)


def finished(user, exam, answers, *, mode="mock", day=0, correct_count=None, scaled_score=None):
    """A finished attempt; `answers` holds (question, picked choice orders, seconds) triples.

    An answer is right when the picked orders equal the question's correct ones.
    correct_count and scaled_score default to what the answers give.
    """
    started = T0 + timedelta(days=day)
    attempt = Attempt.objects.create(
        user=user, exam=exam, mode=mode, status=Attempt.Status.FINISHED, started_at=started,
        finished_at=started + timedelta(minutes=20), finish_reason="submitted",
        question_count=len(answers), duration_minutes=exam.duration_minutes,
        pass_share=exam.pass_share, scaled_min=exam.scaled_min, scaled_pass=exam.scaled_pass,
        scaled_max=exam.scaled_max,
    )  # fmt: skip
    right = 0
    for position, (question, picked, seconds) in enumerate(answers, start=1):
        choices = list(question.choices.order_by("order"))
        correct = {c.order for c in choices if c.is_correct}
        is_correct = set(picked) == correct
        right += is_correct
        item = AttemptQuestion.objects.create(
            attempt=attempt, position=position, question=question, question_key=question.key,
            question_revision=question.revision, domain=question.domain,
            task_statement=question.task_statement, stem=question.stem, kind=question.kind,
            select_count=question.select_count, explanation=question.explanation,
            selected_count=len(picked), seconds_spent=seconds,
            is_correct=is_correct,
        )  # fmt: skip
        item.services.set(question.services.all())
        AttemptChoice.objects.bulk_create(
            AttemptChoice(
                item=item, position=c.order + 1, choice=c, text=c.text, is_correct=c.is_correct,
                rationale=c.rationale, selected=c.order in picked,
            )
            for c in choices
        )  # fmt: skip
    attempt.correct_count = right if correct_count is None else correct_count
    attempt.scaled_score = 100 + right if scaled_score is None else scaled_score
    attempt.passed = attempt.scaled_score >= attempt.scaled_pass
    attempt.save()
    domain_results_record([attempt.pk])  # as scoring does when an attempt finishes
    return attempt
