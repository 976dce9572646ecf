"""Leitner boxes for missed questions, as pure rules."""

from datetime import UTC, datetime, timedelta

from attempts.repetition import (
    BOX_INTERVALS,
    LAST_BOX,
    MASTERED_STREAK,
    CardState,
    first_state,
    is_in_rotation,
    next_state,
)

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_a_question_answered_right_first_time_gets_no_card():
    assert first_state(correct=True, now=NOW) is None


def test_a_miss_starts_in_box_one_due_after_ten_minutes():
    state = first_state(correct=False, now=NOW)
    assert (state.box, state.streak, state.lapses) == (1, 0, 1)
    assert state.due_at == NOW + timedelta(minutes=10)


def test_each_right_answer_moves_up_a_box_with_a_longer_interval():
    state = first_state(correct=False, now=NOW)
    state = next_state(state, correct=True, now=NOW)
    assert state.box == 2 and state.due_at == NOW + BOX_INTERVALS[2]
    state = next_state(state, correct=True, now=NOW)
    assert state.box == 3 and state.due_at == NOW + BOX_INTERVALS[3]


def test_a_miss_sends_it_back_to_box_one_and_counts_a_lapse():
    state = CardState(box=3, streak=2, lapses=1, due_at=NOW)
    state = next_state(state, correct=False, now=NOW)
    assert (state.box, state.streak, state.lapses) == (1, 0, 2)


def test_right_three_times_in_a_row_takes_it_out_of_rotation():
    state = first_state(correct=False, now=NOW)
    for _ in range(MASTERED_STREAK):
        state = next_state(state, correct=True, now=NOW)
    assert not is_in_rotation(state.box)


def test_the_last_box_leads_out_of_rotation_even_after_lapses():
    state = CardState(box=LAST_BOX, streak=0, lapses=4, due_at=NOW)
    assert not is_in_rotation(next_state(state, correct=True, now=NOW).box)
