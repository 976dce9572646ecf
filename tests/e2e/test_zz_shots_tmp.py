import pytest
from django.utils import timezone

from attempts.services.deadline import attempt_finish
from attempts.services.starting import attempt_start_mock

pytestmark = pytest.mark.django_db(transaction=True)


def test_shots(page, live_server, log_in, mls_bank, candidate):
    now = timezone.now()
    done, _ = attempt_start_mock(user=candidate, exam=mls_bank, now=now)
    attempt_finish(attempt=done, now=now, reason="submitted")
    running, _ = attempt_start_mock(user=candidate, exam=mls_bank, now=now)
    log_in("cand")
    paths = {
        "home": "/",
        "drills": "/exams/MLS-C01/drills/",
        "exam": "/exams/MLS-C01/",
        "room": f"/attempts/{running.pk}/q/1/",
        "review": f"/attempts/{running.pk}/review/",
        "answer": f"/attempts/{done.pk}/answers/2/?reasons=all",
        "results": f"/attempts/{done.pk}/results/",
    }
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            for name, path in paths.items():
                page.goto(f"{live_server.url}{path}")
                page.screenshot(path=f"/tmp/shots/{name}-{width}-{scheme}.png", full_page=True)
