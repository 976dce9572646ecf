"""Spaced repetition of missed questions with Leitner boxes (pure rules, no database).

Why Leitner and not FSRS: the exam flow only knows whether an answer was right or wrong, not
how hard it felt, and FSRS's strength is modelling that four-grade rating. Boxes need nothing
else, are predictable ("missed today, back in ten minutes, then tomorrow...") and easy to
explain on the page.

- A miss puts the question in box 1.
- Each right answer moves it up one box; the box sets when it is due again.
- Answered right MASTERED_STREAK times in a row, it stops coming back.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

BOX_INTERVALS = {
    1: timedelta(minutes=10),
    2: timedelta(days=1),
    3: timedelta(days=3),
    4: timedelta(days=7),
    5: timedelta(days=21),
}
LAST_BOX = max(BOX_INTERVALS)
MASTERED_STREAK = 3
MASTERED_BOX = LAST_BOX + 1  # out of rotation: never due again unless missed again


@dataclass(frozen=True)
class CardState:
    box: int
    streak: int
    lapses: int
    due_at: datetime


def first_state(*, correct: bool, now: datetime) -> CardState | None:
    """A question answered for the first time gets a card only when it was missed."""
    if correct:
        return None
    return CardState(box=1, streak=0, lapses=1, due_at=now + BOX_INTERVALS[1])


def next_state(state: CardState, *, correct: bool, now: datetime) -> CardState:
    if not correct:
        return CardState(box=1, streak=0, lapses=state.lapses + 1, due_at=now + BOX_INTERVALS[1])
    streak = state.streak + 1
    if streak >= MASTERED_STREAK or state.box >= LAST_BOX:
        return CardState(box=MASTERED_BOX, streak=streak, lapses=state.lapses, due_at=now)
    box = state.box + 1
    return CardState(box=box, streak=streak, lapses=state.lapses, due_at=now + BOX_INTERVALS[box])


def is_in_rotation(box: int) -> bool:
    return box <= LAST_BOX
