"""A full MLA-C01 mock from the shipped bank (65 questions, ordering, matching and a case
study among them), sat in a real browser with JavaScript and without it; the score is checked
against a hand computation."""

import random
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from attempts.models import Attempt
from attempts.services.starting import attempt_start_mock
from questions.models import Exam

pytestmark = pytest.mark.django_db(transaction=True)


def planned(item, right: bool) -> dict:
    """The answer to give: the key when `right`, else a wrong one of the same shape."""
    choices = list(item.choices.all())
    if item.is_placement:
        places = {c.position: c.key for c in choices}
        if not right:  # two steps or prompts swapped: every pair must be right to score
            places[1], places[2] = places[2], places[1]
        return {"places": places}
    keys = [c.position for c in choices if c.is_correct]
    if not right:  # as many choices as asked for, one of them wrong: complete, and wrong
        keys = keys[:-1] + [next(c.position for c in choices if not c.is_correct)]
    return {"choices": keys}


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_full_mla_c01_mock_with_every_question_kind_scores_as_computed_by_hand(
    browser, live_server, mls_blueprint, candidate, javascript
):
    call_command("import_questions", settings.BASE_DIR / "fixtures" / "bank-mla", verbosity=0)
    context = browser.new_context(java_script_enabled=javascript)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "cand")
    page.fill("#id_password", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    # Assembled with a fixed seed, so the mock surely holds every kind; the candidate then
    # finds it in progress and resumes it from the exam page, as after a break.
    exam = Exam.objects.get(code="MLA-C01")
    attempt_start_mock(user=candidate, exam=exam, now=timezone.now(), rng=random.Random(7))
    page.goto(f"{live_server.url}/exams/MLA-C01/")
    page.get_by_role("button", name=re.compile("Resume mock exam")).click()
    attempt = Attempt.objects.get(user=candidate, exam=exam)
    items = {i.position: i for i in attempt.items.prefetch_related("choices")}
    assert {"single", "multiple", "ordering", "matching"} <= {i.kind for i in items.values()}
    assert any(i.case_key for i in items.values())
    right = {p for p in items if p % 3 == 0}  # the plan: every third question right
    for position in range(1, 66):
        item = items[position]
        expect(page.locator("#question-panel")).to_have_attribute("data-position", str(position))
        if javascript:
            expect(page.locator("#answer-form")).to_have_attribute("data-ready", "1")
        plan = planned(item, position in right)
        for number, value in plan.get("places", {}).items():
            page.locator(f"#place-{number}").select_option(str(value))
        for number in plan.get("choices", []):
            page.locator(f'input[name="choice"][value="{number}"]').check()
        if javascript:
            expect(page.locator(f"#palette-{position}")).to_have_class(re.compile("is-answered"))
        name = re.compile(r"^Next") if position < 65 else "Review answers"
        page.get_by_role("button", name=name).click()
    page.wait_for_url("**/review/")
    expect(page.get_by_text("65 of 65 answered · 0 incomplete · 0 unanswered")).to_be_visible()
    page.get_by_role("link", name="End exam").last.click()
    page.get_by_role("button", name="End exam now").click()
    page.wait_for_url("**/results/")

    # By hand: 21 of 65 right (positions 3, 6, ..., 63); MLA-C01 maps raw share r <= 0.70 onto
    # 100-720: 100 + 620 * (21/65) / 0.70 = 386.15 -> 386, a fail.
    expected_right = 21
    expected = int(
        (Decimal(100) + Decimal(620) * Decimal(21) / Decimal(65) / Decimal("0.70")).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
    )
    assert expected == 386
    attempt.refresh_from_db()
    assert (attempt.correct_count, attempt.scaled_score, attempt.passed) == (
        expected_right,
        expected,
        False,
    )
    assert set(attempt.items.filter(is_correct=True).values_list("position", flat=True)) == right
    expect(page.get_by_test_id("scaled-score")).to_have_text(str(expected))
    context.close()
