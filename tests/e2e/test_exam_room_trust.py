"""The exam room never shows a state the server does not hold (invariant 3), in a real browser:
Back and Forward, a second tab, an attempt ended elsewhere, and Incomplete answers."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from attempts.models import Attempt
from attempts.services.starting import attempt_start_mock

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mock(small_exam, candidate):
    attempt, _ = attempt_start_mock(user=candidate, exam=small_exam, now=timezone.now())
    return attempt


def room(page, live_server, attempt, position):
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/q/{position}/")
    expect(page.locator("#answer-form")).to_have_attribute("data-ready", "1")


def singles(attempt):
    """Positions of multiple-choice questions (radio buttons: a new choice replaces the old)."""
    return list(
        attempt.items.filter(kind="single").order_by("position").values_list("position", flat=True)
    )


def selected(attempt, position):
    item = attempt.items.get(position=position)
    return list(item.choices.filter(selected=True).values_list("position", flat=True))


def test_back_and_forward_show_the_stored_answer_flag_and_the_server_s_time(
    page, live_server, log_in, mock
):
    first, second = singles(mock)[:2]
    log_in("cand")
    room(page, live_server, mock, first)
    page.keyboard.press("2")
    page.keyboard.press("f")
    expect(page.locator(f"#palette-{first}")).to_have_class(re.compile("is-answered is-flagged"))
    page.locator(f"#palette-{second} a").click()
    expect(page.locator("#question-panel")).to_have_attribute("data-position", str(second))
    expect(page.locator("#answer-form")).to_have_attribute("data-ready", "1")
    page.keyboard.press("1")
    expect(page.locator("#save-status")).to_contain_text("Saved")

    page.go_back()
    expect(page.locator("#question-panel")).to_have_attribute("data-position", str(first))
    expect(page.locator('.choice-row[data-position="2"] input[name="choice"]')).to_be_checked()
    expect(page.locator('input[name="flagged"]')).to_be_checked()
    expect(page.locator(".exam-bar")).to_be_visible()  # a whole page, not a bare partial
    expect(page.locator("#auto-finish-form")).to_have_count(1)
    remaining = int(page.locator("#timer").get_attribute("data-remaining"))
    mock.refresh_from_db()
    assert abs(remaining - mock.remaining_seconds(timezone.now())) <= 2

    page.go_forward()
    expect(page.locator("#question-panel")).to_have_attribute("data-position", str(second))
    expect(page.locator('.choice-row[data-position="1"] input[name="choice"]')).to_be_checked()
    expect(page.locator(f"#palette-{first}")).to_have_class(re.compile("is-answered is-flagged"))


def test_a_second_tab_s_save_is_never_overwritten_by_a_page_that_has_not_seen_it(
    page, live_server, log_in, mock
):
    position = singles(mock)[0]
    log_in("cand")
    room(page, live_server, mock, position)
    other = page.context.new_page()
    room(other, live_server, mock, position)
    other.keyboard.press("3")
    expect(other.locator("#save-status")).to_contain_text("Saved")

    # The first tab still shows version 0: its change is refused, and it shows what is stored.
    page.keyboard.press("1")
    expect(page.locator("#save-status")).to_have_text(
        "This answer was changed in another tab; this is what is saved."
    )
    expect(page.locator('.choice-row[data-position="3"] input[name="choice"]')).to_be_checked()
    expect(page.locator('.choice-row[data-position="1"] input[name="choice"]')).not_to_be_checked()
    assert selected(mock, position) == [3]

    # Now that it has seen the stored answer, its next change is saved.
    page.keyboard.press("1")
    expect(page.locator("#save-status")).to_contain_text("Saved")
    assert selected(mock, position) == [1]
    # And the other tab, now behind, is refused in turn rather than shown "Saved".
    other.keyboard.press("4")
    expect(other.locator("#save-status")).to_contain_text("changed in another tab")
    assert selected(mock, position) == [1]


# Presses a key in the first task after the question panel is swapped in: the earliest moment
# a fast candidate's next keystroke can land.
KEY_AS_SOON_AS_SWAPPED = """(position) => {
  document.addEventListener("htmx:afterSwap", function once() {
    if (!document.querySelector('#question-panel[data-position="' + position + '"]')) { return; }
    document.removeEventListener("htmx:afterSwap", once);
    setTimeout(function () {
      document.dispatchEvent(new KeyboardEvent("keydown", { key: "2", bubbles: true }));
    }, 0);
  });
}"""


def test_a_key_pressed_the_moment_a_question_arrives_is_saved_not_only_shown(
    page, live_server, log_in, mock
):
    """htmx wires a swapped-in form up when the swap settles; with its default 20 ms settle
    delay, a choice made in between was ticked on screen and never sent."""
    first, second = singles(mock)[:2]
    log_in("cand")
    room(page, live_server, mock, first)
    page.evaluate(KEY_AS_SOON_AS_SWAPPED, second)
    page.locator(f"#palette-{second} a").click()
    expect(page.locator('.choice-row[data-position="2"] input[name="choice"]')).to_be_checked()
    expect(page.locator("#save-status")).to_contain_text("Saved")
    expect(page.locator(f"#palette-{second}")).to_have_class(re.compile("is-answered"))
    assert selected(mock, second) == [2]


def test_a_save_to_an_attempt_ended_in_another_tab_goes_to_its_results(
    page, live_server, log_in, mock
):
    log_in("cand")
    room(page, live_server, mock, 1)
    other = page.context.new_page()
    other.goto(f"{live_server.url}/attempts/{mock.pk}/finish/")
    other.get_by_role("button", name="End exam now").click()
    other.wait_for_url("**/results/")

    page.keyboard.press("2")
    page.wait_for_url("**/results/")
    expect(page.get_by_text("This attempt had already ended")).to_be_visible()
    expect(page.get_by_text("Time is over")).to_have_count(0)  # it did not run out of time
    expect(page.locator(".exam-bar")).to_have_count(0)  # the results page, not a swap in the room
    assert not Attempt.objects.get(pk=mock.pk).items.answered().exists()


def test_an_incomplete_multiple_response_answer_is_shown_as_such_through_review_and_end(
    page, live_server, log_in, mock
):
    position = mock.items.filter(kind="multiple").order_by("position").first().position
    log_in("cand")
    room(page, live_server, mock, position)
    page.keyboard.press("1")  # one of the two it asks for
    cell = page.locator(f"#palette-{position}")
    expect(cell).to_have_class(re.compile("is-incomplete"))
    expect(cell.locator("a")).to_have_attribute("aria-label", f"Question {position}, incomplete")
    expect(page.locator("#save-status")).to_contain_text("Saved")

    page.goto(f"{live_server.url}/attempts/{mock.pk}/review/")
    expect(page.get_by_text("0 of 10 answered · 1 incomplete · 9 unanswered")).to_be_visible()
    page.get_by_role("link", name="Incomplete (1)").click()
    expect(page.locator(".review-list .palette-cell")).to_have_count(1)
    page.get_by_role("link", name="End exam").last.click()
    expect(page.get_by_test_id("incomplete-line")).to_contain_text("1 incomplete")
    expect(page.get_by_test_id("incomplete-line").get_by_role("link", name=str(position)))
