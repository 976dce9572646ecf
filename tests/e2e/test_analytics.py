"""The Progress page after two mocks and a drill (filters swap sections with HTMX, a drill
link starts that drill), and the item analysis page for a question with responses."""

import pytest
from playwright.sync_api import expect

from tests.attempts.analytics_data import finished
from tests.factories import TaskStatementFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def history(candidate, exam):
    """Two mocks and a drill: domain 1 questions mostly missed, so its task is weakest."""
    domain = exam.domains.get(number=1)
    domain.questions.update(task_statement=TaskStatementFactory(domain=domain, code="1.1"))
    questions = list(exam.questions.order_by("domain__number", "key"))
    first = [(q, [1] if q.domain.number == 1 else [0], 40) for q in questions[:10]]
    second = [(q, [0] if i % 3 else [1], 70) for i, q in enumerate(questions[:10])]
    finished(candidate, exam, first, day=0, scaled_score=480)
    finished(candidate, exam, second, day=1, scaled_score=700)
    finished(candidate, exam, [(q, [1], 20) for q in questions[:4]], mode="drill", day=2)


def test_progress_after_two_mocks_and_a_drill(page, live_server, log_in, small_exam, candidate):
    history(candidate, small_exam)
    log_in("cand")
    page.goto(f"{live_server.url}/exams/{small_exam.code}/")
    page.get_by_role("link", name="Progress").click()
    expect(page.get_by_role("heading", name="Your progress on SMALL-01")).to_be_visible()
    expect(page.get_by_test_id("score-change")).to_have_text("+220")
    expect(page.locator("svg.chart").first).to_be_visible()
    expect(page.get_by_test_id("predicted-score")).not_to_be_empty()

    page.get_by_role("link", name="Drills only").click()
    expect(page.get_by_role("link", name="Drills only")).to_have_attribute("aria-current", "true")
    assert page.url.endswith("?last=10&mode=drill")
    # Only the drill's four domain-1 answers remain, all wrong.
    expect(page.get_by_test_id("domain-table")).to_contain_text("0 of 4")

    page.get_by_role("link", name="Mocks and drills").click()
    page.get_by_role("button", name="Drill this").first.click()
    page.wait_for_url("**/q/1/")
    expect(page.locator("#question-panel")).to_be_visible()
    drill = candidate.attempts.get(mode="drill", status="in_progress")
    assert set(drill.items.values_list("task_statement__code", flat=True)) == {"1.1"}


def test_progress_page_reads_at_phone_width_in_the_dark(
    browser, live_server, small_exam, candidate
):
    history(candidate, small_exam)
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "cand")
    page.fill("#id_password", "pass-word-123")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/exams/{small_exam.code}/progress/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 22, 29)"
    context.close()


def test_item_analysis_page_for_a_question_with_responses(page, live_server, log_in, small_exam):
    UserFactory(username="teacher", instructor=True)
    question = small_exam.questions.order_by("key").first()
    for day, picked in enumerate([[0], [0], [1], [2]]):
        finished(UserFactory(), small_exam, [(question, picked, 30 + day)], day=day,
                 correct_count=9 - day, scaled_score=900 - 100 * day)  # fmt: skip
    log_in("teacher")
    page.goto(f"{live_server.url}/admin/attempts/itemanalysis/")
    page.get_by_role("link", name=question.key).click()
    expect(page.get_by_test_id("served")).to_have_text("4")
    expect(page.get_by_test_id("facility")).to_have_text("0.50")
    expect(page.get_by_text("50% (2 of 4)")).to_be_visible()
