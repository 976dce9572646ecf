"""Reads of the bank shaped for pages."""

from django.db.models import Count, QuerySet

from questions.models import Exam, Question, published_q


def active_exams_with_counts() -> QuerySet[Exam]:
    """Active exams with their domains and the number of published questions."""
    return (
        Exam.objects.filter(is_active=True)
        .annotate(published_count=Count("questions", filter=published_q("questions__")))
        .prefetch_related("domains")
        .order_by("code")
    )


def question_for_preview(pk: int) -> Question:
    return (
        Question.objects.select_related("exam", "domain", "task_statement", "case_study")
        .prefetch_related("choices", "services")
        .get(pk=pk)
    )
