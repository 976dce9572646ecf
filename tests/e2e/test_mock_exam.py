"""The mock exam in a real browser: keyboard-only sitting, expiry, and a save that survives a
dropped network. Accessibility is checked with axe-core on the exam room and the results."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from attempts.models import Attempt
from attempts.services.starting import attempt_start_mock

pytestmark = pytest.mark.django_db(transaction=True)


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_candidate_sits_a_full_mock_by_keyboard_and_reads_the_score(
    page, live_server, log_in, mls_bank, candidate
):
    log_in("cand")
    page.goto(f"{live_server.url}/exams/MLS-C01/")
    page.get_by_role("button", name="Start mock exam").click()
    expect(page.locator("#question-panel")).to_have_attribute("data-position", "1")
    assert serious_violations(page) == []

    flagged = {5, 17, 40}
    for position in range(1, 66):
        panel = page.locator("#question-panel")
        expect(panel).to_have_attribute("data-position", str(position))
        expect(page.locator("#answer-form")).to_have_attribute("data-ready", "1")
        page.keyboard.press("1")
        if page.locator('#answer-form[data-kind="multiple"]').count():
            page.keyboard.press("B")
        if position in flagged:
            page.keyboard.press("f")
        expect(page.locator(f"#palette-{position}")).to_have_class(
            "palette-cell is-answered is-current"
            if position not in flagged
            else "palette-cell is-answered is-flagged is-current"
        )
        page.keyboard.press("n")

    page.wait_for_url("**/review/")
    expect(
        page.get_by_text("65 of 65 answered · 0 incomplete · 0 unanswered · 3 flagged")
    ).to_be_visible()
    page.get_by_role("link", name="End exam").last.click()
    expect(page.get_by_text("3 flagged for review")).to_be_visible()
    page.get_by_role("button", name="End exam now").click()
    page.wait_for_url("**/results/")

    attempt = Attempt.objects.get(user=candidate)
    assert attempt.status == "finished"
    assert attempt.items.answered().count() == 65
    assert attempt.items.filter(flagged=True).count() == 3
    expect(page.get_by_test_id("scaled-score")).to_have_text(str(attempt.scaled_score))
    assert serious_violations(page) == []


def test_an_attempt_that_runs_out_of_time_is_submitted_automatically(
    page, live_server, log_in, small_exam, candidate
):
    attempt, _ = attempt_start_mock(user=candidate, exam=small_exam, now=timezone.now())
    log_in("cand")
    page.clock.install()
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/q/1/")
    page.keyboard.press("2")
    expect(page.locator("#save-status")).to_contain_text("Saved")
    # The page's clock runs out; the server's clock agrees (time_machine), so the automatic
    # submission is honoured. No real waiting for the countdown.
    with time_machine.travel(attempt.deadline + timedelta(seconds=1), tick=True):
        page.clock.fast_forward(small_exam.duration_minutes * 60 * 1000)
        page.wait_for_url("**/results/")
        expect(page.get_by_text("Time is over.")).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.finish_reason == "expired" and attempt.finished_at == attempt.deadline
    assert attempt.items.get(position=1).answered


def test_an_answer_made_while_offline_arrives_after_the_retry(
    page, live_server, log_in, small_exam, candidate
):
    attempt, _ = attempt_start_mock(user=candidate, exam=small_exam, now=timezone.now())
    log_in("cand")
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/q/1/")
    page.context.set_offline(True)
    page.keyboard.press("3")
    expect(page.locator("#save-status")).to_contain_text("Not saved, retrying")
    assert not attempt.items.get(position=1).answered
    page.context.set_offline(False)
    expect(page.locator("#save-status")).to_contain_text("Saved", timeout=20_000)
    item = attempt.items.get(position=1)
    assert list(item.choices.filter(selected=True).values_list("position", flat=True)) == [3]


def test_strike_out_and_flag_by_keyboard_are_saved(
    page, live_server, log_in, small_exam, candidate
):
    attempt, _ = attempt_start_mock(user=candidate, exam=small_exam, now=timezone.now())
    # A multiple-choice question (question order is shuffled per attempt).
    position = attempt.items.filter(kind="single").order_by("position").first().position
    log_in("cand")
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/q/{position}/")
    expect(page.locator("#answer-form")).to_have_attribute("data-ready", "1")
    page.keyboard.press("4")
    # Striking the selected choice deselects it: a choice is chosen or ruled out, never both.
    page.keyboard.press("x")
    expect(page.locator('.choice-row[data-position="4"]')).to_have_class("choice-row is-struck")
    expect(page.locator('.choice-row[data-position="4"] input[name="choice"]')).not_to_be_checked()
    page.keyboard.press("f")
    expect(page.locator(f"#palette-{position}")).to_have_class(
        "palette-cell is-unanswered is-flagged is-current"
    )
    item = attempt.items.get(position=position)
    assert item.flagged and not item.answered
    assert list(item.choices.filter(struck=True).values_list("position", flat=True)) == [4]
    # Selecting a struck choice un-strikes it.
    page.keyboard.press("4")
    expect(page.locator('.choice-row[data-position="4"]')).to_have_class("choice-row")
    expect(page.locator(f"#palette-{position}")).to_have_class(
        "palette-cell is-answered is-flagged is-current"
    )
    item = attempt.items.get(position=position)
    assert not item.choices.filter(struck=True).exists()
    assert list(item.choices.filter(selected=True).values_list("position", flat=True)) == [4]


def test_the_exam_room_works_without_javascript(browser, live_server, small_exam, candidate):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "cand")
    page.fill("#id_password", "pass-word-123")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/exams/{small_exam.code}/")
    page.get_by_role("button", name="Start mock exam").click()
    page.locator('input[name="choice"]').nth(1).check()
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/q/2/")
    attempt = Attempt.objects.get(user=candidate)
    assert attempt.items.get(position=1).answered
    context.close()


def test_the_countdown_announces_five_minutes_left(
    page, live_server, log_in, small_exam, candidate
):
    attempt, _ = attempt_start_mock(user=candidate, exam=small_exam, now=timezone.now())
    log_in("cand")
    page.clock.install()
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/q/1/")
    # Both clocks move on together, the page's (Playwright) and the server's (time_machine),
    # which the page asks every few minutes: no real waiting. Each mark is announced.
    start = attempt.started_at
    with time_machine.travel(start + timedelta(minutes=20, seconds=1), tick=True) as server:
        page.clock.fast_forward("20:01")
        expect(page.locator("#timer-announcer")).to_have_text("10 minutes left.")
        page.wait_for_load_state("networkidle")  # the page's clock checks are all answered
        server.move_to(start + timedelta(minutes=25, seconds=1))
        page.clock.fast_forward("05:00")
        expect(page.locator("#timer-announcer")).to_have_text("5 minutes left.")
        expect(page.locator("#timer")).to_have_class(re.compile("is-low"))
    assert page.locator("#timer-announcer").get_attribute("aria-live") == "assertive"
