"""A candidate reports a problem with a question, for the instructors' queue."""

from django.core.exceptions import ValidationError

from attempts.models import AttemptQuestion, QuestionReport

# Enough for a candidate to add what they missed; more is noise in the instructors' queue.
MAX_REPORTS_PER_QUESTION = 3


def question_report_create(*, item: AttemptQuestion, reporter, kind: str, text: str):
    """File a candidate's problem report against the question revision they saw.

    Raises ValidationError once the candidate has reported this question enough times.
    """
    already = QuestionReport.objects.filter(
        reporter=reporter,
        question_key=item.question_key,
        item__attempt__exam_id=item.attempt.exam_id,
    ).count()
    if already >= MAX_REPORTS_PER_QUESTION:
        raise ValidationError(
            f"You have already reported this question {already} times; an instructor will "
            "read your reports. Thank you."
        )
    return QuestionReport.objects.create(
        question_id=item.question_id,
        item=item,
        question_key=item.question_key,
        question_revision=item.question_revision,
        reporter=reporter,
        kind=kind,
        text=text.strip(),
    )
