"""Times are shown in the candidate's time zone: chosen in the account or reported by the
browser, stored, and activated for every request."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Preferences
from tests.attempts.helpers import start_mock

pytestmark = pytest.mark.django_db


def test_a_chosen_time_zone_is_stored_and_times_are_shown_in_it(
    candidate_client, candidate, small_exam
):
    with time_machine.travel(datetime(2026, 3, 2, 9, 15, tzinfo=ZoneInfo("UTC")), tick=False):
        start_mock(candidate, small_exam)
    response = candidate_client.post(reverse("time_zone"), {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    assert Preferences.objects.get(user=candidate).time_zone == "Asia/Tokyo"
    home = candidate_client.get(reverse("home")).content.decode()
    assert "started 2026-03-02 18:15" in home  # 09:15 UTC is 18:15 in Tokyo


def test_the_browser_reports_its_zone_once_when_none_is_stored(candidate_client, candidate):
    page = candidate_client.get(reverse("home")).content.decode()
    assert f'data-detect-time-zone="{reverse("time_zone")}"' in page
    response = candidate_client.post(
        reverse("time_zone"), {"time_zone": "America/New_York", "detected": "on"}
    )
    assert response.status_code == 204
    assert Preferences.objects.get(user=candidate).time_zone == "America/New_York"
    assert "data-detect-time-zone" not in candidate_client.get(reverse("home")).content.decode()


def test_an_unknown_time_zone_is_refused(candidate_client, candidate):
    response = candidate_client.post(reverse("time_zone"), {"time_zone": "Mars/Olympus"})
    assert response.status_code == 422
    assert not Preferences.objects.filter(user=candidate).exists()


def test_the_zone_is_read_once_per_session_not_on_every_request(
    candidate_client, candidate, django_assert_max_num_queries
):
    Preferences.objects.create(user=candidate, time_zone="Europe/Paris")
    candidate_client.get(reverse("time_zone"))
    with django_assert_max_num_queries(2):  # the session and the user, nothing more
        page = candidate_client.get(reverse("time_zone")).content.decode()
    assert "Europe/Paris" in page
