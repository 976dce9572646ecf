"""Reads of attempts shaped for pages; each costs a fixed number of queries."""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from attempts.models import (
    AnswerState,
    Attempt,
    AttemptChoice,
    AttemptQuestion,
    QuestionNote,
    QuestionReport,
    ReviewCard,
    answer_state,
    answered_q,
    due_q,
    in_rotation_q,
)
from attempts.repetition import schedule_description
from attempts.scoring import meets_competencies
from questions.models import ChoiceRole


@dataclass(frozen=True)
class DecisionSteps:
    """The wrong options of one question in the order review teaches them: those a fact in the
    scenario rules out, then the close calls that lose only on the qualifier."""

    keys: list
    ruled_out: list
    close_calls: list

    @classmethod
    def of(cls, choices) -> "DecisionSteps":
        choices = list(choices)
        return cls(
            keys=[c for c in choices if c.is_correct],
            ruled_out=[c for c in choices if not c.is_correct and c.role == ChoiceRole.RULE_OUT],
            close_calls=[
                c for c in choices if not c.is_correct and c.role == ChoiceRole.CLOSE_CALL
            ],
        )

    def __bool__(self) -> bool:
        return bool(self.ruled_out or self.close_calls)


def attempt_for_user(user, pk: int) -> Attempt:
    """The candidate's own attempt; anyone else's is a 404 (invariant 5)."""
    return get_object_or_404(Attempt.objects.select_related("exam"), pk=pk, user=user)


def item_for_display(attempt: Attempt, position: int) -> AttemptQuestion:
    items = items_with_choices(attempt, {position})
    if position not in items:
        raise Http404("No such question in this attempt.")
    return items[position]


def items_with_choices(attempt: Attempt, positions) -> dict[int, AttemptQuestion]:
    """The attempt's questions at these positions, each with its choices, in one statement.

    The choice rows are read joined to their question (every question has choices), and
    `item.choices.all()` is answered from them without another query, as prefetch_related
    would, which costs a second statement.
    """
    positions = [p for p in positions if 1 <= p <= attempt.question_count]  # none else exist
    rows = (
        AttemptChoice.objects.filter(item__attempt=attempt, item__position__in=positions)
        .select_related("item")
        .order_by("item__position", "position")
    )
    items: dict[int, AttemptQuestion] = {}
    choices: dict[int, list[AttemptChoice]] = {}
    for choice in rows:
        item = items.setdefault(choice.item.position, choice.item)
        choice.item = item  # every choice points at the one instance kept
        choices.setdefault(item.position, []).append(choice)
    for position, item in items.items():
        # What prefetch_related_objects stores: a queryset already evaluated.
        cached = item.choices.all()
        cached._result_cache, cached._prefetch_done = choices[position], True
        item._prefetched_objects_cache = {"choices": cached}
    return items


@dataclass(frozen=True)
class PaletteCell:
    position: int
    state: str  # AnswerState: unanswered, incomplete or answered
    flagged: bool
    checked: bool = False
    is_correct: bool | None = None

    @property
    def answered(self) -> bool:
        return self.state == AnswerState.ANSWERED

    @property
    def incomplete(self) -> bool:
        return self.state == AnswerState.INCOMPLETE

    @classmethod
    def of(cls, item: AttemptQuestion) -> "PaletteCell":
        return cls(
            item.position,
            item.answer_state,
            item.flagged,
            item.checked_at is not None,
            item.is_correct,
        )


PALETTE_FIELDS = (
    "position", "selected_count", "select_count", "flagged", "checked_at", "is_correct",
)  # fmt: skip


def palette(attempt: Attempt, positions=None) -> list[PaletteCell]:
    """One cell per question (or per position asked for); right or wrong only for drill
    answers already checked."""
    items = attempt.items.order_by("position")
    if positions is not None:
        items = items.filter(position__in=positions)
    return [
        PaletteCell(
            position,
            answer_state(selected_count, select_count),
            flagged,
            checked_at is not None,
            is_correct,
        )
        for position, selected_count, select_count, flagged, checked_at, is_correct in (
            items.values_list(*PALETTE_FIELDS)
        )
    ]


@dataclass(frozen=True)
class ReviewScreenCell(PaletteCell):
    """A palette cell with its stem, for the review screen's snippets."""

    stem: str = ""


def review_screen_cells(attempt: Attempt) -> list[ReviewScreenCell]:
    """The room's review screen: every question's state and stem, in one query."""
    rows = attempt.items.order_by("position").values_list(*PALETTE_FIELDS, "stem")
    return [
        ReviewScreenCell(
            position, answer_state(selected_count, select_count), flagged,
            checked_at is not None, is_correct, stem,
        )
        for position, selected_count, select_count, flagged, checked_at, is_correct, stem in rows
    ]  # fmt: skip


# What "Next flagged" and "Next incomplete or unanswered" walk through, as on the real exam.
WALKS = {
    "flagged": lambda cell: cell.flagged,
    "incomplete": lambda cell: cell.state != AnswerState.ANSWERED,
}


def walk_positions(cells, walk: str) -> list[int]:
    """The positions a walk visits, in order (none for an unknown walk)."""
    keep = WALKS.get(walk)
    return [cell.position for cell in cells if keep(cell)] if keep else []


def next_in_walk(cells, walk: str, after: int) -> int | None:
    """The walk's next position after `after`, or None at its end."""
    return next((p for p in walk_positions(cells, walk) if p > after), None)


def previous_in_walk(cells, walk: str, before: int) -> int | None:
    """The walk's position before `before`, or None at its start."""
    return next((p for p in reversed(walk_positions(cells, walk)) if p < before), None)


@dataclass(frozen=True)
class WalkStep:
    """Where the room's Previous and Next go while the candidate walks the flagged or the
    incomplete questions: only to those, then back to the review screen."""

    walk: str
    previous: int | None
    next: int | None


def walk_step(cells, walk: str, position: int) -> WalkStep | None:
    """The walk around `position`, or None when `walk` is not a walk (the ordinary room)."""
    if walk not in WALKS:
        return None
    return WalkStep(
        walk, previous_in_walk(cells, walk, position), next_in_walk(cells, walk, position)
    )


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
        attempt.items.values("domain_number", "domain_title")
        .annotate(total=Count("id"), correct=Count("id", filter=Q(is_correct=True)))
        .order_by("domain_number")
    )
    return [
        DomainResult(
            number=row["domain_number"],
            title=row["domain_title"],
            total=row["total"],
            correct=row["correct"],
            meets=meets_competencies(row["correct"], row["total"], Decimal(attempt.pass_share)),
        )
        for row in rows
    ]


def unanswered_count(attempt: Attempt) -> int:
    return attempt.items.unanswered().count()


def mocks_in_progress(user) -> list[Attempt]:
    """The candidate's running mocks and quick mocks, for the home page's Resume."""
    if not user.is_authenticated:
        return []
    running = Attempt.objects.keys_hidden().in_progress().filter(user=user)
    return list(running.select_related("exam"))


def note_for(user, item: AttemptQuestion) -> QuestionNote | None:
    """The candidate's bookmark and note on the question this item copied (any attempt)."""
    if item.question_id is None:
        return None
    return QuestionNote.objects.filter(user=user, question_id=item.question_id).first()


def reports_of(user) -> list[QuestionReport]:
    """The problem reports this candidate filed, newest first, with status and reply."""
    return list(
        QuestionReport.objects.filter(reporter=user).select_related("item", "item__attempt")
    )


def quick_mock_history(user, exam) -> list[Attempt]:
    """The candidate's quick mocks on this exam, newest first: listed apart from full mocks."""
    return list(Attempt.objects.quick_mocks().filter(user=user, exam=exam).order_by("-started_at"))


def exam_history(user, exam) -> list[Attempt]:
    return list(
        Attempt.objects.filter(user=user, exam=exam, mode=Attempt.Mode.MOCK).order_by("-started_at")
    )


# Review of a finished attempt ---------------------------------------------------------------

REVIEW_FILTERS = {
    "incorrect": Q(is_correct=False) & answered_q(),
    "unanswered": ~answered_q(),
    "flagged": Q(flagged=True),
}


@dataclass(frozen=True)
class ReviewFilter:
    show: str = "all"
    domain: int | None = None
    service: str = ""

    @classmethod
    def from_query(cls, query) -> "ReviewFilter":
        show = query.get("show", "all")
        try:
            domain = int(query.get("domain", "")) if query.get("domain") else None
        except ValueError:
            domain = None
        return cls(
            show=show if show in REVIEW_FILTERS else "all",
            domain=domain,
            service=query.get("service", "")[:60],
        )

    def as_query(self) -> str:
        params = {"show": self.show} if self.show != "all" else {}
        if self.domain:
            params["domain"] = self.domain
        if self.service:
            params["service"] = self.service
        return urlencode(params)

    def apply(self, items):
        if self.show in REVIEW_FILTERS:
            items = items.filter(REVIEW_FILTERS[self.show])
        if self.domain:
            items = items.filter(domain_number=self.domain)
        if self.service:
            items = items.filter(service_slugs__contains=f" {self.service.strip()} ")
        return items


@dataclass(frozen=True)
class ReviewRow:
    position: int
    answered: bool
    flagged: bool
    is_correct: bool | None
    domain_number: int
    stem: str


def review_rows(attempt: Attempt, review_filter: ReviewFilter) -> list[ReviewRow]:
    rows = review_filter.apply(attempt.items.all()).order_by("position")
    return [
        ReviewRow(position, selected_count > 0, flagged, is_correct, domain_number, stem)
        for position, selected_count, flagged, is_correct, domain_number, stem in rows.values_list(
            "position", "selected_count", "flagged", "is_correct", "domain_number", "stem"
        )
    ]


@dataclass(frozen=True)
class EliminationSummary:
    struck: int
    struck_wrong: int

    @property
    def mistaken(self) -> int:
        return self.struck - self.struck_wrong


def elimination_summary(attempt: Attempt) -> EliminationSummary:
    """How many choices the candidate struck out, and how many of those really were wrong."""
    # A choice both struck and selected was not ruled out: the candidate chose it after all.
    totals = AttemptChoice.objects.filter(
        item__attempt=attempt, struck=True, selected=False
    ).aggregate(struck=Count("id"), struck_wrong=Count("id", filter=Q(is_correct=False)))
    return EliminationSummary(totals["struck"], totals["struck_wrong"])


def review_filter_options(attempt: Attempt) -> dict:
    """The domains and services this attempt's questions cover, for the filter menus (from the
    attempt's own snapshot: invariant 4)."""
    services = {
        slug: name
        for names in attempt.items.values_list("service_names", flat=True)
        for slug, name in names
    }
    return {
        "domains": list(
            attempt.items.values_list("domain_number", "domain_title")
            .distinct()
            .order_by("domain_number")
        ),
        "services": sorted(services.items(), key=lambda pair: pair[1]),
    }


def drill_overview(user, exam, now) -> dict:
    """The drill page's side facts: drills to resume, recent drills, spaced-repetition counts."""
    drills = Attempt.objects.filter(user=user, exam=exam, mode=Attempt.Mode.DRILL)
    cards = ReviewCard.objects.filter(user=user, question__exam=exam).aggregate(
        due=Count("id", filter=due_q(now)),
        learning=Count("id", filter=in_rotation_q()),
        mastered=Count("id", filter=~in_rotation_q()),
    )
    return {
        "open_drills": list(drills.in_progress().order_by("-started_at")[:5]),
        "recent_drills": list(drills.finished().order_by("-started_at")[:5]),
        "cards": cards,
        "schedule": schedule_description(),
    }
