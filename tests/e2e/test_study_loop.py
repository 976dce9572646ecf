"""The study loop in a real browser: a quick mock from its start to its score, and the review
screen's walks, where the room's own Next visits only the flagged or the incomplete questions,
on a desktop and on a phone."""

import pytest
from django.db.models import Count
from django.utils import timezone
from playwright.sync_api import expect

from attempts.models import Attempt
from attempts.services.starting import attempt_start_mock
from tests.attempts.helpers import correct_positions, wrong_positions

pytestmark = pytest.mark.django_db(transaction=True)


def ready(page, position):
    expect(page.locator("#question-panel")).to_have_attribute("data-position", str(position))
    expect(page.locator("#answer-form")).to_have_attribute("data-ready", "1")


def tick(page, positions):
    for position in positions:
        page.locator(f'.choice-row[data-position="{position}"] .choice').click()
    expect(page.locator("#save-status")).to_contain_text("Saved")


def test_a_quick_mock_is_twenty_weighted_questions_at_the_exam_s_pace_scored_apart_from_mocks(
    page, live_server, log_in, mls_bank, candidate
):
    log_in("cand")
    page.goto(f"{live_server.url}/exams/MLS-C01/")
    page.get_by_role("button", name="Start a quick mock").click()
    ready(page, 1)
    expect(page.locator("#question-heading")).to_have_text("Question 1 of 20")

    attempt = Attempt.objects.get(user=candidate)
    assert attempt.mode == Attempt.Mode.QUICK
    # Weighted like the exam: 20/24/36/20 % of 20 seats, by largest remainder.
    per_domain = dict(attempt.items.values_list("domain_number").annotate(n=Count("id")).order_by())
    assert per_domain == {1: 4, 2: 5, 3: 7, 4: 4}
    # Timed at the exam's pace: 180 minutes for 65 questions, for 20 of them.
    allowed = round(20 * 180 * 60 / 65)
    assert attempt.allowed_seconds == allowed
    remaining = int(page.locator("#timer").get_attribute("data-remaining"))
    assert allowed - 10 <= remaining <= allowed

    first = attempt.items.get(position=1)
    tick(page, correct_positions(first))
    page.keyboard.press("n")
    ready(page, 2)
    second = attempt.items.get(position=2)
    tick(page, wrong_positions(second)[: second.select_count])

    page.get_by_role("link", name="End exam").click()
    expect(page.get_by_text("18 unanswered", exact=False).first).to_be_visible()
    page.get_by_role("button", name="End exam now").click()
    page.wait_for_url("**/results/")
    attempt.refresh_from_db()
    assert (attempt.status, attempt.correct_count) == ("finished", 1)
    expect(page.get_by_test_id("scaled-score")).to_have_text(str(attempt.scaled_score))
    expect(page.get_by_text("1 of 20")).to_be_visible()
    expect(page.get_by_test_id("pace")).to_contain_text("budget 2 min 46 s")

    # Listed with quick mocks, never among the full mocks and their trend.
    page.goto(f"{live_server.url}/exams/MLS-C01/")
    expect(page.get_by_test_id("quick-history")).to_contain_text("(1 of 20 right)")
    expect(page.get_by_text("No finished mock yet.")).to_be_visible()


@pytest.mark.parametrize("width", [1366, 390])
def test_the_room_s_next_walks_only_the_flagged_questions_then_returns_to_review(
    page, live_server, log_in, small_exam, candidate, width
):
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 768})
    attempt, _ = attempt_start_mock(user=candidate, exam=small_exam, now=timezone.now())
    log_in("cand")
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/q/1/")
    for position in range(1, 11):
        ready(page, position)
        if position in (3, 6, 8):
            page.keyboard.press("f")
            expect(page.locator(f"#palette-{position}")).to_have_class(
                "palette-cell is-unanswered is-flagged is-current"
            )
        page.keyboard.press("n")
    page.wait_for_url("**/review/")

    page.get_by_role("link", name="Review flagged").click()
    ready(page, 3)
    expect(page.get_by_test_id("walk-nav")).to_contain_text("Reviewing flagged questions")
    expect(page.get_by_role("button", name="Previous")).to_be_disabled()
    # Unflag 3 on the way: the walk still goes on to 6, and Previous from 6 no longer stops
    # at 3 (it has left the walk).
    page.keyboard.press("f")
    expect(page.locator("#save-status")).to_contain_text("Saved")
    page.get_by_test_id("walk-next").click()
    ready(page, 6)
    assert page.url.endswith(f"/attempts/{attempt.pk}/q/6/?walk=flagged")
    expect(page.get_by_role("button", name="Previous")).to_be_disabled()
    page.keyboard.press("n")
    ready(page, 8)
    expect(page.get_by_test_id("walk-next")).to_contain_text("Back to review")
    page.keyboard.press("n")
    page.wait_for_url("**/review/")
    expect(page.get_by_text("2 flagged")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_long_identifier_in_a_choice_wraps_instead_of_widening_the_phone_page(
    page, live_server, log_in, small_exam, candidate
):
    page.set_viewport_size({"width": 390, "height": 844})
    attempt, _ = attempt_start_mock(user=candidate, exam=small_exam, now=timezone.now())
    long_name = "SetEnableNetworkIsolationOnTheSageMakerModelSoTrafficStaysInTheVpc"
    item = attempt.items.get(position=1)
    item.choices.filter(position=2).update(text=f"Set {long_name} to true on the model.")
    log_in("cand")
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/q/1/")
    ready(page, 1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    strike = page.locator('.choice-row[data-position="2"] .strike-toggle')
    box = strike.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
