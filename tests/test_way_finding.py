"""First run and way-finding: the home page's Resume, error pages in the site's layout."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from attempts.services.deadline import attempt_finish
from tests.attempts.helpers import question_url, start_mock

pytestmark = pytest.mark.django_db


def test_home_offers_resume_for_a_mock_in_progress(candidate_client, candidate, small_exam):
    attempt = start_mock(candidate, small_exam)
    body = candidate_client.get(reverse("home")).content.decode()
    assert "Mock in progress" in body
    assert f'href="{question_url(attempt, attempt.current_position)}"' in body
    assert f"Resume {small_exam.code} mock exam" in body


def test_home_offers_no_resume_once_the_mock_has_ended(candidate_client, candidate, small_exam):
    attempt = start_mock(candidate, small_exam)
    attempt_finish(attempt=attempt, now=timezone.now(), reason="submitted")
    assert "Mock in progress" not in candidate_client.get(reverse("home")).content.decode()


def test_not_found_is_a_page_in_the_site_layout_with_a_way_back(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body and 'class="site-header"' in body
    assert "Back to the exams" in body


def test_server_error_is_a_page_in_the_site_layout_with_a_way_back(settings, monkeypatch):
    settings.DEBUG = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False

    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr("examprep.views.active_exams_with_counts", lambda: broken(None))
    response = Client(raise_request_exception=False).get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in body and 'class="site-header"' in body
    assert "Back to the exams" in body
