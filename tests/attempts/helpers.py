from django.urls import reverse
from django.utils import timezone

from attempts.models import Attempt
from attempts.services.starting import attempt_start_mock


def start_mock(user, exam, *, now=None, **kwargs) -> Attempt:
    attempt, _ = attempt_start_mock(user=user, exam=exam, now=now or timezone.now(), **kwargs)
    return attempt


def answer_url(attempt, position=1):
    return reverse("attempts:answer", args=[attempt.pk, position])


def question_url(attempt, position=1):
    return reverse("attempts:question", args=[attempt.pk, position])


def correct_positions(item) -> list[int]:
    return [c.position for c in item.choices.all() if c.is_correct]


def wrong_positions(item) -> list[int]:
    return [c.position for c in item.choices.all() if not c.is_correct]


HTMX = {"HX-Request": "true"}
