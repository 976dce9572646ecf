"""Spaced repetition of missed questions with Leitner boxes (pure rules, no database).

Why Leitner and not FSRS: the exam flow only knows whether an answer was right or wrong, not
how hard it felt, and FSRS's strength is modelling that four-grade rating. Boxes need nothing
else, are predictable ("missed today, back in ten minutes, then tomorrow...") and easy to
explain on the page.

- A miss puts the question in box 1 (due again in 10 minutes).
- Each right answer moves it up one box; the box sets when it is due again: 1 day, 3, 7, 21.
- A right answer in the last box retires it: it stops coming back unless it is missed again.
So a missed question comes back on the schedule the drill page promises, 10 minutes, then 1,
3, 7 and 21 days, and leaves after five right answers in a row.
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
RETIRED_BOX = LAST_BOX + 1  # out of rotation: never due again unless missed again


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
    if state.box >= LAST_BOX:
        return CardState(box=RETIRED_BOX, streak=streak, lapses=state.lapses, due_at=now)
    box = state.box + 1
    return CardState(box=box, streak=streak, lapses=state.lapses, due_at=now + BOX_INTERVALS[box])


def _spoken(interval: timedelta) -> str:
    if interval < timedelta(days=1):
        return f"{round(interval.total_seconds() / 60)} minutes"
    return f"{interval.days} day{'s' if interval.days != 1 else ''}"


def schedule_description() -> str:
    """The schedule in words, for the drill page and the README (one list of intervals)."""
    first, *later = BOX_INTERVALS.values()
    days = ", ".join(str(interval.days) for interval in later[:-1]) + f" and {later[-1].days}"
    return (
        f"A question you miss comes back in weak-spot drills after {_spoken(first)}, then after "
        f"{days} days as you keep answering it right; after {len(BOX_INTERVALS)} right answers "
        "in a row it stops coming back."
    )
