"""A candidate reports a problem with a question, for the instructors' queue."""

from attempts.models import AttemptQuestion, QuestionReport


def question_report_create(*, item: AttemptQuestion, reporter, kind: str, text: str):
    """File a candidate's problem report against the question revision they saw."""
    return QuestionReport.objects.create(
        question_id=item.question_id,
        item=item,
        question_key=item.question_key,
        question_revision=item.question_revision,
        reporter=reporter,
        kind=kind,
        text=text.strip(),
    )
