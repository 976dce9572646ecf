"""Leitner boxes for missed questions, as pure rules: every transition of the schedule."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from attempts.repetition import (
    BOX_INTERVALS,
    LAST_BOX,
    RETIRED_BOX,
    CardState,
    first_state,
    next_state,
    schedule_description,
)

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_the_schedule_is_ten_minutes_then_one_three_seven_and_twenty_one_days():
    assert list(BOX_INTERVALS.values()) == [
        timedelta(minutes=10),
        timedelta(days=1),
        timedelta(days=3),
        timedelta(days=7),
        timedelta(days=21),
    ]


def test_a_question_answered_right_first_time_gets_no_card():
    assert first_state(correct=True, now=NOW) is None


def test_a_miss_starts_in_box_one_due_after_ten_minutes():
    state = first_state(correct=False, now=NOW)
    assert (state.box, state.streak, state.lapses) == (1, 0, 1)
    assert state.due_at == NOW + timedelta(minutes=10)


@pytest.mark.parametrize("box", range(1, LAST_BOX))
def test_a_right_answer_moves_up_one_box_and_waits_that_box_s_interval(box):
    state = next_state(CardState(box, box - 1, 1, NOW), correct=True, now=NOW)
    assert (state.box, state.streak, state.lapses) == (box + 1, box, 1)
    assert state.due_at == NOW + BOX_INTERVALS[box + 1]


def test_every_box_of_the_promise_is_reached_before_the_question_retires():
    state = first_state(correct=False, now=NOW)
    waits = [state.due_at - NOW]
    while state.box != RETIRED_BOX:
        state = next_state(state, correct=True, now=NOW)
        if state.box != RETIRED_BOX:
            waits.append(state.due_at - NOW)
    assert waits == list(BOX_INTERVALS.values())
    assert state.streak == LAST_BOX


def test_a_right_answer_in_the_last_box_retires_the_question():
    state = next_state(CardState(LAST_BOX, LAST_BOX - 1, 1, NOW), correct=True, now=NOW)
    assert state.box == RETIRED_BOX


@pytest.mark.parametrize("box", range(1, LAST_BOX + 1))
def test_a_miss_in_any_box_sends_it_back_to_box_one_and_counts_a_lapse(box):
    state = next_state(CardState(box, box - 1, 1, NOW), correct=False, now=NOW)
    assert (state.box, state.streak, state.lapses) == (1, 0, 2)
    assert state.due_at == NOW + BOX_INTERVALS[1]


def test_the_page_and_the_readme_describe_the_schedule_the_code_runs():
    text = schedule_description()
    assert "10 minutes, then after 1, 3, 7 and 21 days" in text
    readme = " ".join((settings.BASE_DIR / "README.md").read_text().split())
    assert text in readme
