"""A small MLA-C01-like mock with an ordering, a matching and a case study, sat in a real
browser with JavaScript (htmx saves on change) and without it (plain selects, plain POST);
the score is checked against a hand computation."""

import re

import pytest
from playwright.sync_api import expect

from attempts.models import Attempt
from tests.e2e.test_mock_exam import serious_violations
from tests.mla_bank import mla_mini_exam

pytestmark = pytest.mark.django_db(transaction=True)

# The plan, by question key. Hand computation: m-single right, m-order right, m-match wrong
# (two prompts swapped), m-case-single wrong, m-case-order right, m-case-multi right: 4 of 6.
# MLA-MINI maps like MLA-C01 (cut 0.70 -> 720): r = 4/6 = 0.6667 <= 0.70, so
# 100 + (720 - 100) * 0.6667 / 0.70 = 690.48 -> 690, which fails.
RIGHT = {"m-single", "m-order", "m-case-order", "m-case-multi"}
EXPECTED_RIGHT, EXPECTED_SCALED = 4, 690


def planned_answer(item) -> dict:
    """{'choices': [positions]} or {'places': {position: value}} for one item, per the plan."""
    choices = list(item.choices.all())
    if item.is_placement:
        places = {c.position: c.key for c in choices}
        if item.question_key not in RIGHT:  # swap the first two prompts' responses
            places[1], places[2] = places[2], places[1]
        return {"places": places}
    keys = [c.position for c in choices if c.is_correct]
    if item.question_key not in RIGHT:
        keys = [next(c.position for c in choices if not c.is_correct)]
    return {"choices": keys}


def sit(page, live_server, candidate, *, javascript: bool):
    page.goto(f"{live_server.url}/exams/MLA-MINI/")
    page.get_by_role("button", name="Start mock exam").click()
    attempt = Attempt.objects.get(user=candidate)
    items = {i.position: i for i in attempt.items.prefetch_related("choices")}
    for position in range(1, 7):
        item = items[position]
        expect(page.locator("#question-panel")).to_have_attribute("data-position", str(position))
        if javascript:
            expect(page.locator("#answer-form")).to_have_attribute("data-ready", "1")
        if item.case_key:
            expect(page.locator("details.case-study summary")).to_contain_text("Claims triage")
            expect(page.locator(".case-scenario strong")).to_have_text("claims")
        plan = planned_answer(item)
        places = plan.get("places", {})
        if places:  # every list is labelled for screen readers with its step or prompt
            expect(
                page.get_by_label(re.compile("Place of step|Response for prompt"))
            ).to_have_count(len(places))
        if places and javascript:
            assert serious_violations(page) == []  # axe-core on the ordering/matching room
            page.keyboard.press("2")  # the number key goes to that step's or prompt's list
            expect(page.locator("#place-2")).to_be_focused()
        for number, value in places.items():
            page.locator(f"#place-{number}").select_option(str(value))
            if javascript:
                expect(page.locator("#save-status")).to_contain_text("Saved")
        for number in plan.get("choices", []):
            page.locator(f'input[name="choice"][value="{number}"]').check()
            if javascript:
                expect(page.locator("#save-status")).to_contain_text("Saved")
        if javascript:  # without it the palette changes only after the post
            expect(page.locator(f"#palette-{position}")).to_have_class(re.compile("is-answered"))
        if position < 6:
            page.get_by_role("button", name=re.compile(r"^Next")).click()
        else:
            page.get_by_role("button", name="Review answers").click()
    page.wait_for_url("**/review/")
    expect(page.get_by_text("6 of 6 answered · 0 incomplete · 0 unanswered")).to_be_visible()
    page.get_by_role("link", name="End exam").last.click()
    page.get_by_role("button", name="End exam now").click()
    page.wait_for_url("**/results/")
    attempt.refresh_from_db()
    assert (attempt.correct_count, attempt.scaled_score) == (EXPECTED_RIGHT, EXPECTED_SCALED)
    right = set(attempt.items.filter(is_correct=True).values_list("question_key", flat=True))
    assert right == RIGHT
    expect(page.get_by_test_id("scaled-score")).to_have_text(str(EXPECTED_SCALED))
    return attempt


def test_mla_like_mock_with_ordering_matching_and_a_case_study_with_javascript(
    page, live_server, log_in, candidate
):
    mla_mini_exam()
    log_in("cand")
    attempt = sit(page, live_server, candidate, javascript=True)
    # Review of the matching question: each pair with the answer against the key.
    match = attempt.items.get(question_key="m-match")
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/answers/{match.position}/")
    expect(page.get_by_text("Incorrect.")).to_be_visible()
    expect(page.locator("table.placement-review tbody tr")).to_have_count(3)


def test_mla_like_mock_with_ordering_matching_and_a_case_study_without_javascript(
    browser, live_server, candidate
):
    mla_mini_exam()
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "cand")
    page.fill("#id_password", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    try:
        sit_without_javascript(page, live_server, candidate)
    finally:
        context.close()


def sit_without_javascript(page, live_server, candidate):
    # Without JavaScript a change saves nothing by itself: the form is posted by the buttons
    # ("Next" saves and moves on). `sit` posts with Next after filling each question.
    sit(page, live_server, candidate, javascript=False)
