"""Reads of attempts shaped for pages; each costs a fixed number of queries."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from attempts.models import Attempt, AttemptQuestion
from attempts.scoring import meets_competencies


def attempt_for_user(user, pk: int) -> Attempt:
    """The candidate's own attempt; anyone else's is a 404 (invariant 5)."""
    return get_object_or_404(Attempt.objects.select_related("exam"), pk=pk, user=user)


def item_for_display(attempt: Attempt, position: int) -> AttemptQuestion:
    return get_object_or_404(
        AttemptQuestion.objects.prefetch_related("choices"), attempt=attempt, position=position
    )


@dataclass(frozen=True)
class PaletteCell:
    position: int
    answered: bool
    flagged: bool


def palette(attempt: Attempt) -> list[PaletteCell]:
    rows = attempt.items.order_by("position").values_list("position", "answered", "flagged")
    return [PaletteCell(*row) for row in rows]


@dataclass(frozen=True)
class DomainResult:
    number: int
    title: str
    total: int
    correct: int
    meets: bool

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


def domain_results(attempt: Attempt) -> list[DomainResult]:
    """Per-domain share right of a finished attempt, from its own snapshot (invariant 4)."""
    rows = (
        attempt.items.values("domain__number", "domain__title")
        .annotate(total=Count("id"), correct=Count("id", filter=Q(is_correct=True)))
        .order_by("domain__number")
    )
    return [
        DomainResult(
            number=row["domain__number"],
            title=row["domain__title"],
            total=row["total"],
            correct=row["correct"],
            meets=meets_competencies(row["correct"], row["total"], Decimal(attempt.pass_share)),
        )
        for row in rows
    ]


def unanswered_count(attempt: Attempt) -> int:
    return attempt.items.filter(answered=False).count()


def exam_history(user, exam) -> list[Attempt]:
    return list(
        Attempt.objects.filter(user=user, exam=exam, mode=Attempt.Mode.MOCK).order_by("-started_at")
    )
