"""A full ten-question drill with feedback, and a review that opens rule-out reasons with HTMX."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from attempts.models import Attempt
from attempts.services.deadline import attempt_finish
from attempts.services.starting import attempt_start_mock

pytestmark = pytest.mark.django_db(transaction=True)


def test_candidate_completes_a_ten_question_drill_with_feedback(
    page, live_server, log_in, mls_bank, candidate
):
    log_in("cand")
    page.goto(f"{live_server.url}/exams/MLS-C01/drills/")
    form = page.get_by_test_id("drill-domain")
    form.get_by_label("Domain").select_option(label="3. Modeling")
    form.get_by_label("Length").select_option("10")
    form.get_by_role("button", name="Start drill").click()

    for position in range(1, 11):
        expect(page.locator("#question-panel")).to_have_attribute("data-position", str(position))
        expect(page.locator("#answer-form")).to_have_attribute("data-ready", "1")
        page.keyboard.press("1")
        if page.locator('#answer-form[data-kind="multiple"]').count():
            page.keyboard.press("2")
        page.keyboard.press("n")  # check the answer
        verdict = page.locator(".verdict")
        expect(verdict).to_contain_text("orrect.")
        # The verdict is what the candidate needs next: focused and in view.
        expect(verdict).to_be_focused()
        expect(verdict).to_be_in_viewport()
        expect(page.locator(".explanation")).to_be_visible()
        wrong_reasons = page.locator(".why-slot .rationale")
        assert wrong_reasons.count() >= 2
        page.keyboard.press("n")  # next question, or finish on the last

    page.wait_for_url("**/finish/")
    page.get_by_role("button", name="End drill now").click()
    page.wait_for_url("**/results/")
    drill = Attempt.objects.get(user=candidate, mode="drill")
    assert drill.items.filter(checked_at__isnull=False).count() == 10
    expect(page.get_by_test_id("drill-score")).to_have_text(f"{drill.correct_count} of 10")


def test_review_opens_rule_out_reasons_with_htmx(page, live_server, log_in, small_exam, candidate):
    attempt, _ = attempt_start_mock(user=candidate, exam=small_exam, now=timezone.now())
    attempt_finish(attempt=attempt, now=timezone.now(), reason="submitted")
    item = attempt.items.prefetch_related("choices").get(position=1)
    wrong = [c for c in item.choices.all() if not c.is_correct]
    log_in("cand")
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/answers/1/")
    expect(page.get_by_text(wrong[0].rationale)).to_have_count(0)
    page.get_by_role("link", name=f"Why not {wrong[0].letter}?").click()
    expect(page.get_by_text(wrong[0].rationale)).to_be_visible()
    assert page.url.endswith("/answers/1/")  # swapped in place, no page load
    page.get_by_role("link", name="Show all reasons").click()
    for choice in wrong:
        expect(page.get_by_text(choice.rationale)).to_be_visible()


@pytest.mark.parametrize("width", [360, 390])
def test_drills_results_and_answers_never_scroll_sideways_on_a_phone(
    page, live_server, log_in, small_exam, candidate, width
):
    attempt, _ = attempt_start_mock(user=candidate, exam=small_exam, now=timezone.now())
    attempt_finish(attempt=attempt, now=timezone.now(), reason="submitted")
    log_in("cand")
    page.set_viewport_size({"width": width, "height": 800})
    for path in (
        f"/exams/{small_exam.code}/drills/",
        f"/attempts/{attempt.pk}/results/",
        f"/attempts/{attempt.pk}/answers/",
    ):
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow == 0, path
