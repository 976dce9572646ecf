"""One answer is saved: the candidate's selection, strike-outs and flag for one question.

The rules (invariant 3, docs/architecture.md "The path of a save"):
- Every save carries the version of the question the candidate's page was rendered with. It is
  written only if that is still the stored version, and the stored version then grows by one:
  a second tab or device that has not seen the newest answer can never overwrite it.
- A save whose content is already what is stored changes nothing and is reported as saved, so
  a retried request is harmless (idempotent) whatever version it carries.
- A save that is neither gets a conflict: nothing is written and the page is shown what is
  stored.
- A selected choice is never also struck out: selecting a struck choice un-strikes it.
- After the deadline plus the grace nothing is written (services/deadline.py).
"""

import enum
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Case, Value, When

from attempts.models import Attempt, AttemptChoice, AttemptQuestion
from attempts.scoring import right_items
from attempts.selectors import PaletteCell, WalkStep, items_with_choices, palette, walk_step
from attempts.services.deadline import accepts_answers, attempt_finish
from attempts.services.review_cards import review_cards_record
from attempts.services.visits import attempt_move
from questions.models import Question, number_word

CONFLICT_MESSAGE = "This answer was changed in another tab; this is what is saved."


class Go(enum.StrEnum):
    """Where the candidate goes after the save (the button they pressed)."""

    STAY = "stay"
    NEXT = "next"
    PREV = "prev"
    REVIEW = "review"
    FINISH = "finish"
    CHECK = "check"  # drills: make the answer final and show its feedback


@dataclass(frozen=True)
class Submission:
    selected: frozenset[int]
    struck: frozenset[int]
    flagged: bool
    version: int
    go: Go = Go.STAY
    # Ordering and matching: (step or prompt position, the place or response number chosen),
    # only those placed.
    placements: frozenset[tuple[int, int]] = frozenset()
    # Reached from the review screen's "Review flagged" or "Review incomplete": Previous and
    # Next then visit only those questions ("" for the ordinary room).
    walk: str = ""

    def marks(self) -> tuple[frozenset[int], frozenset[int], bool]:
        # The selection wins over a strike-out of the same choice.
        return self.selected, self.struck - self.selected, self.flagged


class Outcome(enum.StrEnum):
    SAVED = "saved"  # what was submitted is what is stored now
    CONFLICT = "conflict"  # rendered from an older version: nothing written
    REFUSED = "refused"  # an impossible selection: nothing written
    ENDED = "ended"  # the attempt has ended (or just ran out of time): nothing written


@dataclass(frozen=True)
class SaveResult:
    outcome: Outcome
    attempt: Attempt
    item: AttemptQuestion | None = None  # the question as stored after the call
    show: int | None = None  # the position to show next (navigation), if any
    target: AttemptQuestion | None = None  # the question at `show`, with its choices
    message: str = ""
    walk: WalkStep | None = None  # the walk around `show`, while the candidate walks one
    walk_done: bool = False  # Next at the walk's last question: back to the review screen


def answer_submit(
    *, user, attempt_id: int, position: int, submission: Submission, now: datetime
) -> SaveResult:
    """Save one question's answer, then check it (drills) or move on, as the candidate asked.

    Raises Attempt.DoesNotExist / AttemptQuestion.DoesNotExist for an attempt that is not the
    candidate's own (invariant 5) or a position it does not have.
    """
    with transaction.atomic():
        # Locking the attempt row serializes saves with each other and with finishing, so a
        # score never misses an accepted save and no save lands after the score.
        attempt = Attempt.objects.select_for_update().get(pk=attempt_id, user=user)
        open_for_answers = accepts_answers(attempt, now)
        if open_for_answers:
            result = _save_locked(attempt, position, submission, now)
    if not open_for_answers:
        if attempt.is_in_progress:  # past the deadline and its grace: it ends now
            attempt = attempt_finish(attempt=attempt, now=now, reason=Attempt.FinishReason.EXPIRED)
        return SaveResult(Outcome.ENDED, attempt)
    return result


def _save_locked(attempt, position, submission: Submission, now) -> SaveResult:
    walking = submission.walk and submission.go in (Go.NEXT, Go.PREV)
    # A walk's next stop depends only on the other questions, which this save does not change:
    # one palette read serves it, and the saved question's own cell is replaced after the
    # write for the walk around the question shown next.
    cells = palette(attempt) if walking else []
    show = (
        _walk_destination(cells, position, submission)
        if walking
        else {Go.NEXT: position + 1, Go.PREV: position - 1}.get(submission.go)
    )
    if show is not None and not 1 <= show <= attempt.question_count:
        show = None
    # The question saved and the one to show next, each with its choices: one statement.
    items = items_with_choices(attempt, {position, show} - {None})
    if position not in items:
        raise AttemptQuestion.DoesNotExist
    item = items[position]
    marks = [
        (c.position, c.selected, c.struck, c.is_correct, c.key, c.answer)
        for c in item.choices.all()
    ]
    stored = (
        frozenset(p for p, selected, *_ in marks if selected),
        frozenset(p for p, _, struck, *_ in marks if struck),
        item.flagged,
        frozenset((p, answer) for p, *_, answer in marks if answer is not None),
    )
    selected, struck, flagged = submission.marks()
    placements = submission.placements
    if item.is_placement:
        selected = struck = frozenset()  # steps and prompts are placed, never ticked
    else:
        placements = frozenset()

    if item.checked_at is not None:
        if submission.go == Go.CHECK:
            # A repeated "Check answer" (double click, retry) shows the same feedback again.
            return SaveResult(Outcome.SAVED, attempt, item, show=position)
        return SaveResult(Outcome.REFUSED, attempt, item, message=(
            "You have checked this answer; it can no longer change."
        ))  # fmt: skip
    problem = selection_problem(item, len(marks), selected, struck) or placement_problem(
        item, len(marks), placements
    )
    if problem:
        return SaveResult(Outcome.REFUSED, attempt, item, message=problem)

    if (selected, struck, flagged, placements) != stored:
        if submission.version != item.version:
            return SaveResult(Outcome.CONFLICT, attempt, item, message=CONFLICT_MESSAGE)
        _write(item, selected, struck, flagged, now, placements)

    if submission.go == Go.CHECK and attempt.mode == Attempt.Mode.DRILL:
        if max(len(selected), len(placements)) != item.select_count:
            return SaveResult(Outcome.REFUSED, attempt, item, message=(
                _unfinished_message(item)
            ))  # fmt: skip
        placed = dict(placements)
        rows = [
            (item.pk, p, correct, p in selected, key, placed.get(p))
            for p, _, _, correct, key, _ in marks
        ]
        _check(attempt, item, rows, now)
        return SaveResult(Outcome.SAVED, attempt, item, show=position)

    if show is not None:
        attempt_move(attempt=attempt, position=show, now=now)
        target = items[show]
        target.first_seen_at = target.first_seen_at or now
        walk = None
        if walking:
            saved = PaletteCell.of(item)
            cells = [saved if cell.position == position else cell for cell in cells]
            walk = walk_step(cells, submission.walk, show)
        return SaveResult(Outcome.SAVED, attempt, item, show=show, target=target, walk=walk)
    return SaveResult(Outcome.SAVED, attempt, item, walk_done=bool(walking))


def _walk_destination(cells, position, submission: Submission) -> int | None:
    step = walk_step(cells, submission.walk, position)
    if step is None:  # not a walk the room offers: the ordinary neighbour
        return {Go.NEXT: position + 1, Go.PREV: position - 1}[submission.go]
    return step.next if submission.go == Go.NEXT else step.previous


def selection_problem(
    item: AttemptQuestion, choice_count: int, selected: frozenset[int], struck: frozenset[int]
) -> str:
    """Why this selection cannot be stored ("" when it can)."""
    valid = set(range(1, choice_count + 1))
    if not selected <= valid or not struck <= valid:
        return "That choice is not part of this question."
    if item.kind == Question.Kind.SINGLE and len(selected) > 1:
        return "Choose one answer."
    if len(selected) > item.select_count:
        return (
            f"{item.choose_label} Clear a selection before choosing another; "
            "your last change was not saved."
        )
    return ""


def placement_problem(
    item: AttemptQuestion, choice_count: int, placements: frozenset[tuple[int, int]]
) -> str:
    """Why these placements cannot be stored ("" when they can). Two steps may share a place
    for a moment while the candidate reorders; that is stored, and scores as wrong."""
    if not placements:
        return ""
    places = choice_count if item.kind == Question.Kind.ORDERING else len(item.responses)
    for position, answer in placements:
        if not 1 <= position <= choice_count or not 1 <= answer <= places:
            return "That place is not part of this question."
    if len({position for position, _ in placements}) != len(placements):
        return "That answer could not be read; reload the page and try again."
    return ""


def _unfinished_message(item: AttemptQuestion) -> str:
    if item.kind == Question.Kind.ORDERING:
        return "Give every step a place before checking your answer."
    if item.kind == Question.Kind.MATCHING:
        return "Match every prompt to a response before checking your answer."
    return f"Choose {number_word(item.select_count)} before checking your answer."


def _write(
    item: AttemptQuestion, selected, struck, flagged: bool, now: datetime, placements=frozenset()
) -> None:
    item.version += 1
    item.flagged, item.saved_at = flagged, now
    item.selected_count = len(placements) if item.is_placement else len(selected)
    AttemptQuestion.objects.filter(pk=item.pk).update(
        version=item.version,
        flagged=flagged,
        selected_count=item.selected_count,
        saved_at=now,
    )
    if item.is_placement:
        AttemptChoice.objects.filter(item=item).update(answer=_placement(placements))
        return
    AttemptChoice.objects.filter(item=item).update(
        selected=_membership(selected), struck=_membership(struck)
    )
    for choice in item.choices.all():  # the rows in hand, as stored now (no query)
        choice.selected, choice.struck = choice.position in selected, choice.position in struck


def _placement(placements):
    if not placements:
        return Value(None)
    return Case(
        *(When(position=position, then=Value(answer)) for position, answer in placements),
        default=Value(None),
        output_field=AttemptChoice._meta.get_field("answer"),
    )


def _membership(positions):
    if not positions:
        return Value(False)
    return Case(When(position__in=positions, then=Value(True)), default=Value(False))


def _check(attempt: Attempt, item: AttemptQuestion, rows, now: datetime) -> None:
    """Drills: make the saved answer final and score it, so its feedback can be shown."""
    item.is_correct = item.pk in right_items(rows)
    item.checked_at = now
    item.save(update_fields=["is_correct", "checked_at"])
    review_cards_record(
        user_id=attempt.user_id, results=[(item.question_id, item.is_correct)], now=now
    )
