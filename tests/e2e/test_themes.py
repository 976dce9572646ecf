"""Every page in both colour schemes: axe finds no serious or critical violation (colour contrast
included), and nothing is wider than a 360 px phone."""

import pytest
from django.utils import timezone

from attempts.drills import DrillScope
from attempts.services.deadline import attempt_finish
from attempts.services.starting import attempt_start_drill, attempt_start_mock
from tests.e2e.test_mock_exam import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pages(small_exam, candidate):
    """Every kind of page a candidate meets, with an attempt in each state."""
    now = timezone.now()
    done, _ = attempt_start_mock(user=candidate, exam=small_exam, now=now)
    attempt_finish(attempt=done, now=now, reason="submitted")
    running, _ = attempt_start_mock(user=candidate, exam=small_exam, now=now)
    drill = attempt_start_drill(
        user=candidate, exam=small_exam, scope=DrillScope("weak", "Weak spots"), length=3,
        timed=False, now=now,
    )  # fmt: skip
    code = small_exam.code
    return [
        "/",
        f"/exams/{code}/",
        f"/exams/{code}/drills/",
        f"/exams/{code}/progress/",
        f"/attempts/{running.pk}/q/1/",
        f"/attempts/{running.pk}/review/",
        f"/attempts/{running.pk}/finish/",
        f"/attempts/{drill.pk}/q/1/",
        f"/attempts/{done.pk}/results/",
        f"/attempts/{done.pk}/answers/",
        f"/attempts/{done.pk}/answers/1/?reasons=all",
        "/reports/",
        "/accounts/password_change/",
        "/no-such-page/",
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_passes_axe_in_both_colour_schemes(page, live_server, log_in, pages, scheme):
    page.emulate_media(color_scheme=scheme)
    log_in("cand")
    failures = {}
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        found = serious_violations(page)
        if found:
            failures[path] = found
    assert failures == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_is_wider_than_a_360_px_phone(page, live_server, log_in, pages, scheme):
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 360, "height": 780})
    log_in("cand")
    wide = {}
    for path in pages + ["/accounts/login/", "/accounts/signup/"]:
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow:
            wide[path] = overflow
    assert wide == {}


def test_the_dark_scheme_darkens_every_page_not_only_progress(page, live_server, log_in, pages):
    page.emulate_media(color_scheme="dark")
    log_in("cand")
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(18, 22, 29)", path
