"""The browser reports its time zone once; from then on times are shown in it."""

import pytest
from playwright.sync_api import expect

from accounts.models import Preferences

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_browsers_time_zone_is_detected_and_stored(browser, live_server, candidate):
    context = browser.new_context(timezone_id="Asia/Tokyo")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "cand")
        page.fill("#id_password", "pass-word-123")
        with page.expect_response(lambda r: r.url.endswith("/accounts/time-zone/")) as report:
            page.click("button[type=submit]")
        assert report.value.status == 204
        assert Preferences.objects.get(user=candidate).time_zone == "Asia/Tokyo"
        page.goto(f"{live_server.url}/accounts/time-zone/")
        expect(page.locator("main")).to_contain_text("Now: Asia/Tokyo")
        expect(page.locator("body")).not_to_have_attribute(
            "data-detect-time-zone", "/accounts/time-zone/"
        )
    finally:
        context.close()
